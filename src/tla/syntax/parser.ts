/**
 * A hand-written recursive-descent + precedence parser for TLA+ modules.
 *
 * Two things make TLA+ unusual and are handled here:
 * - SANY's precedence *ranges* (see operators.ts): overlapping operators need parentheses,
 *   so `a = b = c` and `a \/ b /\ c` are errors.
 * - junction lists: a bullet `/\` or `\/` opens a list at its column; a token at or left of
 *   that column ends the current item (a "fence"), and a bullet of the same kind in the same
 *   column starts the next item.
 */
import type { Bound, Definition, ExceptStep, Expr, Instance, Module, Param, PathStep, Pattern, Unit } from "./ast.ts"
import { lex, type Token } from "./lexer.ts"
import { canonicalOpName, infixInfo, type OpInfo, prefixInfo } from "./operators.ts"
import { type Loc, SyntaxError } from "./source.ts"

interface Ctx {
  readonly op: OpInfo
  readonly prefix: boolean
}

const FENCED: Token = { kind: "eof", text: "<end of list item>", line: 0, col: 0, endLine: 0, endCol: 0, firstOnLine: true }

class Parser {
  private pos = 0
  private readonly fences: number[] = []
  private moduleName = "?"

  constructor(
    private readonly tokens: Token[],
    private readonly file: string
  ) {}

  // ---- token access ----------------------------------------------------------------

  private raw(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]
  }

  /** The next token, or FENCED when it lies at or left of the innermost junction-list column. */
  private peek(offset = 0): Token {
    const t = this.raw(offset)
    const fence = this.fences.length > 0 ? this.fences[this.fences.length - 1] : 0
    return t.kind !== "eof" && t.col <= fence ? FENCED : t
  }

  private next(): Token {
    const t = this.peek()
    if (t === FENCED || t.kind === "eof") throw this.error(t, "unexpected end of expression")
    this.pos++
    return t
  }

  private isText(text: string, offset = 0): boolean {
    const t = this.peek(offset)
    return t !== FENCED && (t.kind === "op" || t.kind === "kw") && t.text === text
  }

  private expect(text: string, what?: string): Token {
    if (!this.isText(text)) throw this.error(this.peek(), `expected ${what ?? `'${text}'`}`)
    return this.next()
  }

  private expectIdent(what = "an identifier"): Token {
    const t = this.peek()
    if (t.kind !== "ident") throw this.error(t, `expected ${what}`)
    return this.next()
  }

  private error(t: Token, message: string): SyntaxError {
    const at = t === FENCED ? this.raw() : t
    const found = at.kind === "eof" ? "end of file" : `'${at.kind === "str" ? `"${at.text}"` : at.text}'`
    return new SyntaxError(this.file, at.line, at.col, `${message}, found ${found}`)
  }

  private loc(from: Token, to: Token = this.tokens[this.pos - 1]): Loc {
    return { file: this.file, module: this.moduleName, line: from.line, col: from.col, endLine: to.endLine, endCol: to.endCol }
  }

  private locFrom(from: Token): Loc {
    return this.loc(from)
  }

  // ---- module --------------------------------------------------------------------------

  parseModule(): Module {
    const first = this.expect("MODULE", "'---- MODULE Name ----'")
    const name = this.expectIdent("the module name")
    this.moduleName = name.text
    const exts: Array<{ name: string; loc: Loc }> = []
    if (this.isText("EXTENDS")) {
      this.next()
      do {
        const t = this.expectIdent("a module name")
        exts.push({ name: t.text, loc: this.loc(t, t) })
      } while (this.isText(",") && this.next())
    }
    const units: Unit[] = []
    while (this.raw().kind !== "end") {
      if (this.raw().kind === "eof") throw this.error(this.raw(), "expected '====' closing the module")
      units.push(...this.parseUnit())
    }
    return { name: name.text, file: this.file, extends: exts, units, loc: this.locFrom(first) }
  }

  private parseUnit(): Unit[] {
    const t = this.peek()
    if (t.kind === "kw") {
      switch (t.text) {
        case "CONSTANT":
        case "CONSTANTS":
        case "PARAMETER":
        case "PARAMETERS": {
          this.next()
          const decls: Param[] = []
          do decls.push(this.parseParam())
          while (this.isText(",") && this.next())
          return [{ kind: "constants", decls, loc: this.locFrom(t) }]
        }
        case "VARIABLE":
        case "VARIABLES": {
          this.next()
          const names: string[] = []
          do names.push(this.expectIdent("a variable name").text)
          while (this.isText(",") && this.next())
          return [{ kind: "variables", names, loc: this.locFrom(t) }]
        }
        case "ASSUME":
        case "ASSUMPTION":
        case "AXIOM":
        case "THEOREM":
        case "LEMMA":
        case "COROLLARY":
        case "PROPOSITION": {
          this.next()
          let name: string | undefined
          if (this.peek().kind === "ident" && this.isText("==", 1)) {
            name = this.next().text
            this.next()
          }
          const body = this.parseExpr()
          // Only assumptions are checked; theorems are parsed and ignored, as TLC does.
          if (t.text !== "ASSUME" && t.text !== "ASSUMPTION" && t.text !== "AXIOM") return []
          return [{ kind: "assume", name, body, loc: body.loc }]
        }
        case "RECURSIVE": {
          this.next()
          const decls: Param[] = []
          do decls.push(this.parseParam())
          while (this.isText(",") && this.next())
          return [{ kind: "recursive", decls, loc: this.locFrom(t) }]
        }
        case "INSTANCE": {
          const instance = this.parseInstance()
          return [{ kind: "instance", instance, local: false, loc: instance.loc }]
        }
        case "LOCAL": {
          this.next()
          if (this.isText("INSTANCE")) {
            const instance = this.parseInstance()
            return [{ kind: "instance", instance, local: true, loc: instance.loc }]
          }
          return [this.parseDefinition(true)]
        }
      }
    }
    return [this.parseDefinition(false)]
  }

  private parseParam(): Param {
    const name = this.expectIdent("a parameter name")
    if (this.isText("(")) {
      this.next()
      let arity = 0
      do {
        this.expect("_", "'_'")
        arity++
      } while (this.isText(",") && this.next())
      this.expect(")")
      return { name: name.text, arity }
    }
    return { name: name.text, arity: 0 }
  }

  private parseInstance(): Instance {
    const start = this.expect("INSTANCE")
    const mod = this.expectIdent("a module name")
    const substitutions: Array<{ name: string; value: Expr }> = []
    if (this.isText("WITH")) {
      this.next()
      do {
        const t = this.peek()
        let name: string
        if (t.kind === "ident") name = this.next().text
        else if (t.kind === "op" && (infixInfo(t.text) || prefixInfo(t.text))) name = canonicalOpName(this.next().text)
        else throw this.error(t, "expected a name to substitute")
        this.expect("<-", "'<-'")
        substitutions.push({ name, value: this.parseOperatorArg() })
      } while (this.isText(",") && this.next())
    }
    return { module: mod.text, substitutions, loc: this.locFrom(start) }
  }

  /** A definition: `Op == e`, `Op(p) == e`, `f[x \in S] == e`, `a (+) b == e`, `-. a == e`, `I == INSTANCE M`. */
  private parseDefinition(local: boolean): Definition {
    const start = this.peek()
    let name: string
    let params: Param[] = []
    if (start.kind === "op" && prefixInfo(start.text) && this.peek(1).kind === "ident") {
      // prefix operator definition, e.g. `-. a == ...`
      this.next()
      name = start.text === "-" || start.text === "-." ? "-." : prefixInfo(start.text)!.name
      params = [{ name: this.next().text, arity: 0 }]
    } else if (start.kind === "ident" && this.peek(1).kind === "op" && infixInfo(this.peek(1).text) && this.peek(2).kind === "ident" && this.isText("==", 3)) {
      const left = this.next().text
      name = canonicalOpName(this.next().text)
      params = [{ name: left, arity: 0 }, { name: this.next().text, arity: 0 }]
    } else {
      const t = this.expectIdent("a definition")
      name = t.text
      if (this.isText("[")) {
        this.next()
        const bounds = this.parseBounds(true)
        this.expect("]")
        this.expect("==", "'=='")
        const body = this.parseExpr()
        return { kind: "fcnDef", name, bounds, body, local, loc: this.locFrom(start) }
      }
      if (this.isText("(")) {
        this.next()
        do {
          const p = this.peek()
          if (p.kind === "op" && (infixInfo(p.text) || p.text === "-.") && this.isText("_", 1)) {
            throw this.error(p, "operator parameters written as infix symbols are not supported")
          }
          params.push(this.parseParam())
        } while (this.isText(",") && this.next())
        this.expect(")")
      }
    }
    this.expect("==", "'=='")
    if (this.isText("INSTANCE")) {
      const instance = this.parseInstance()
      return { kind: "instanceDef", name, params, instance, local, loc: this.locFrom(start) }
    }
    const body = this.parseExpr()
    return { kind: "opDef", name, params, body, local, recursive: false, loc: this.locFrom(start) }
  }

  // ---- expressions ----------------------------------------------------------------------

  parseExpr(ctx?: Ctx): Expr {
    let left = this.parsePrefixed()
    for (;;) {
      const t = this.peek()
      if (t === FENCED || t.kind !== "op") break
      const op = infixInfo(t.text)
      if (op === undefined) break
      if (ctx !== undefined) {
        if (op.low > ctx.op.high) {
          // binds tighter: part of the current operand
        } else if (op.high < ctx.op.low || ctx.prefix) break
        else if (op.name === ctx.op.name && op.leftAssoc) break
        else throw this.error(t, `conflicting precedence: '${t.text}' cannot follow '${ctx.op.name}' without parentheses`)
      }
      this.next()
      if (op.name === "\\X") {
        const items = [left, this.parseExpr({ op, prefix: false })]
        while (this.peek() !== FENCED && this.peek().kind === "op" && infixInfo(this.peek().text)?.name === "\\X") {
          this.next()
          items.push(this.parseExpr({ op, prefix: false }))
        }
        left = { kind: "product", items, loc: span(left.loc, items[items.length - 1].loc) }
        continue
      }
      const right = this.parseExpr({ op, prefix: false })
      left = this.binary(op.name, left, right, t)
    }
    return left
  }

  private binary(name: string, left: Expr, right: Expr, opTok: Token): Expr {
    const loc = span(left.loc, right.loc)
    switch (name) {
      case "/\\":
        return { kind: "and", items: [...(left.kind === "and" && !left.bulleted ? left.items : [left]), right], loc, bulleted: false }
      case "\\/":
        return { kind: "or", items: [...(left.kind === "or" && !left.bulleted ? left.items : [left]), right], loc, bulleted: false }
      case "=>":
        return { kind: "implies", left, right, loc }
      case "<=>":
        return { kind: "equiv", left, right, loc }
      case "~>":
        return { kind: "leadsTo", left, right, loc }
      default:
        return { kind: "apply", name, args: [left, right], loc, nameLoc: this.loc(opTok, opTok) }
    }
  }

  private parsePrefixed(): Expr {
    const t = this.peek()
    if (t !== FENCED && (t.kind === "op" || t.kind === "kw")) {
      if (t.text === "/\\" || t.text === "\\/") return this.parseJunctionList(t)
      const pre = prefixInfo(t.text)
      if (pre !== undefined) {
        this.next()
        const arg = this.parseExpr({ op: pre, prefix: true })
        const loc = span(this.loc(t, t), arg.loc)
        switch (pre.name) {
          case "~":
            return { kind: "not", arg, loc }
          case "[]":
            return { kind: "always", arg, loc }
          case "<>":
            return { kind: "eventually", arg, loc }
          case "ENABLED":
            return { kind: "enabled", arg, loc }
          case "UNCHANGED":
            return { kind: "unchanged", arg, loc }
          default:
            return { kind: "apply", name: pre.name, args: [arg], loc, nameLoc: this.loc(t, t) }
        }
      }
    }
    return this.parseSuffixes(this.parsePrimary())
  }

  private parseJunctionList(bullet: Token): Expr {
    const col = bullet.col
    const items: Expr[] = []
    this.fences.push(col)
    try {
      for (;;) {
        this.pos++ // the bullet itself sits on the fence column
        items.push(this.parseExpr())
        const r = this.raw()
        if (r.kind === "op" && r.text === bullet.text && r.col === col) continue
        break
      }
    } finally {
      this.fences.pop()
    }
    const loc = span(this.loc(bullet, bullet), items[items.length - 1].loc)
    return bullet.text === "/\\" ? { kind: "and", items, loc, bulleted: true } : { kind: "or", items, loc, bulleted: true }
  }

  private parseSuffixes(e: Expr): Expr {
    for (;;) {
      const t = this.peek()
      if (t === FENCED) return e
      if (t.kind === "op" && t.text === "[") {
        this.next()
        const args = this.parseList("]")
        e = { kind: "fcnApp", fcn: e, args, loc: span(e.loc, this.loc(t)) }
      } else if (t.kind === "op" && t.text === "." && this.peek(1).kind === "ident") {
        this.next()
        const field = this.next()
        const str: Expr = { kind: "str", value: field.text, loc: this.loc(field, field) }
        e = { kind: "fcnApp", fcn: e, args: [str], loc: span(e.loc, str.loc) }
      } else if (t.kind === "op" && t.text === "'") {
        this.next()
        e = { kind: "prime", arg: e, loc: span(e.loc, this.loc(t, t)) }
      } else return e
    }
  }

  /** Comma-separated expressions up to the closing token (consumed). */
  private parseList(close: string): Expr[] {
    const items: Expr[] = [this.parseExpr()]
    while (this.isText(",")) {
      this.next()
      items.push(this.parseExpr())
    }
    this.expect(close)
    return items
  }

  private parsePrimary(): Expr {
    const t = this.peek()
    if (t === FENCED) throw this.error(t, "expected an expression")
    switch (t.kind) {
      case "num":
        this.next()
        return { kind: "num", value: Number(t.text), loc: this.loc(t, t) }
      case "str":
        this.next()
        return { kind: "str", value: t.text, loc: this.loc(t, t) }
      case "ident":
        return this.parseIdentifier()
      case "kw":
        return this.parseKeyword(t)
      case "op":
        return this.parseBracketed(t)
      default:
        throw this.error(t, "expected an expression")
    }
  }

  private parseIdentifier(): Expr {
    const t = this.next()
    if ((t.text.startsWith("WF_") || t.text.startsWith("SF_")) && (t.text.length > 3 || this.isText("<<"))) {
      let sub: Expr
      if (t.text.length > 3) {
        const l = { ...this.loc(t, t), col: t.col + 3 }
        sub = { kind: "apply", name: t.text.slice(3), args: [], loc: l, nameLoc: l }
      } else sub = this.parseSuffixes(this.parsePrimary())
      this.expect("(")
      const action = this.parseExpr()
      this.expect(")")
      return { kind: "fairness", strong: t.text.startsWith("SF_"), sub, action, loc: this.locFrom(t) }
    }
    if (this.isText("::")) {
      this.next()
      const body = this.parseExpr()
      return { kind: "label", name: t.text, body, loc: span(this.loc(t, t), body.loc) }
    }
    const args = this.isText("(") ? this.parseArgs() : []
    if (this.isText("!") && (this.peek(1).kind === "ident" || this.peek(1).kind === "op")) {
      const path: PathStep[] = [{ name: t.text, args }]
      while (this.isText("!")) {
        this.next()
        const n = this.next()
        const name = n.kind === "ident" ? n.text : canonicalOpName(n.text)
        path.push({ name, args: this.isText("(") ? this.parseArgs() : [] })
      }
      return { kind: "instanceRef", path, loc: this.locFrom(t) }
    }
    return { kind: "apply", name: t.text, args, loc: this.locFrom(t), nameLoc: this.loc(t, t) }
  }

  private parseArgs(): Expr[] {
    this.expect("(")
    const args: Expr[] = [this.parseOperatorArg()]
    while (this.isText(",")) {
      this.next()
      args.push(this.parseOperatorArg())
    }
    this.expect(")")
    return args
  }

  /** An argument may be an operator named by its symbol, e.g. `SortSeq(s, <)`. */
  private parseOperatorArg(): Expr {
    const t = this.peek()
    if (t !== FENCED && t.kind === "op" && (infixInfo(t.text) || t.text === "-.") && (this.isText(",", 1) || this.isText(")", 1))) {
      this.next()
      return { kind: "apply", name: canonicalOpName(t.text), args: [], loc: this.loc(t, t), nameLoc: this.loc(t, t) }
    }
    return this.parseExpr()
  }

  private parseKeyword(t: Token): Expr {
    switch (t.text) {
      case "TRUE":
      case "FALSE":
        this.next()
        return { kind: "bool", value: t.text === "TRUE", loc: this.loc(t, t) }
      case "BOOLEAN":
      case "STRING":
        this.next()
        return { kind: "apply", name: t.text, args: [], loc: this.loc(t, t), nameLoc: this.loc(t, t) }
      case "IF": {
        this.next()
        const cond = this.parseExpr()
        this.expect("THEN")
        const then = this.parseExpr()
        this.expect("ELSE")
        const els = this.parseExpr()
        return { kind: "if", cond, then, else: els, loc: span(this.loc(t, t), els.loc) }
      }
      case "CASE": {
        this.next()
        const arms: Array<{ guard: Expr; body: Expr }> = []
        let other: Expr | undefined
        for (;;) {
          if (this.isText("OTHER")) {
            this.next()
            this.expect("->", "'->'")
            other = this.parseExpr()
            break
          }
          const guard = this.parseExpr()
          this.expect("->", "'->'")
          arms.push({ guard, body: this.parseExpr() })
          if (!this.isText("[]")) break
          this.next()
        }
        return { kind: "case", arms, other, loc: this.locFrom(t) }
      }
      case "LET": {
        this.next()
        const defs: Definition[] = []
        while (!this.isText("IN")) {
          if (this.isText("RECURSIVE")) {
            this.next()
            do this.parseParam()
            while (this.isText(",") && this.next())
            continue
          }
          defs.push(this.parseDefinition(false))
        }
        this.next()
        const body = this.parseExpr()
        return { kind: "let", defs, body, loc: span(this.loc(t, t), body.loc) }
      }
      case "CHOOSE": {
        this.next()
        const pattern = this.parsePattern()
        let set: Expr | undefined
        if (this.isText("\\in")) {
          this.next()
          set = this.parseExpr()
        }
        this.expect(":")
        const body = this.parseExpr()
        return { kind: "choose", pattern, set, body, loc: span(this.loc(t, t), body.loc) }
      }
      case "LAMBDA": {
        this.next()
        const params: string[] = []
        do params.push(this.expectIdent("a LAMBDA parameter").text)
        while (this.isText(",") && this.next())
        this.expect(":")
        const body = this.parseExpr()
        return { kind: "lambda", params, body, loc: span(this.loc(t, t), body.loc) }
      }
    }
    throw this.error(t, "expected an expression")
  }

  private parsePattern(): Pattern {
    if (this.isText("<<")) {
      this.next()
      const names: string[] = []
      do names.push(this.expectIdent("a bound variable").text)
      while (this.isText(",") && this.next())
      this.expect(">>")
      return { names, tuple: true }
    }
    return { names: [this.expectIdent("a bound variable").text], tuple: false }
  }

  /** `x \in S, y, z \in T, <<a, b>> \in U`; unbounded `x, y` only when allowed. */
  private parseBounds(requireSet: boolean): Bound[] {
    const bounds: Bound[] = []
    for (;;) {
      const patterns: Pattern[] = [this.parsePattern()]
      while (this.isText(",") && !patterns[patterns.length - 1].tuple) {
        this.next()
        patterns.push(this.parsePattern())
      }
      if (this.isText("\\in")) {
        this.next()
        bounds.push({ patterns, set: this.parseExpr() })
        if (this.isText(",")) {
          this.next()
          continue
        }
      } else {
        if (requireSet) throw this.error(this.peek(), "expected '\\in'")
        bounds.push({ patterns, set: undefined })
      }
      return bounds
    }
  }

  private parseBracketed(t: Token): Expr {
    switch (t.text) {
      case "(": {
        this.next()
        this.fences.push(0)
        try {
          const e = this.parseExpr()
          this.expect(")")
          return e
        } finally {
          this.fences.pop()
        }
      }
      case "\\A":
      case "\\E":
      case "\\AA":
      case "\\EE": {
        if (t.text.length === 3) throw this.error(t, "temporal quantifiers \\AA and \\EE are not supported")
        this.next()
        const bounds = this.parseBounds(false)
        this.expect(":")
        const body = this.parseExpr()
        return { kind: t.text === "\\A" ? "forall" : "exists", bounds, body, loc: span(this.loc(t, t), body.loc) }
      }
      case "<<": {
        this.next()
        const items: Expr[] = []
        if (!this.isText(">>") && !this.isText(">>_")) {
          items.push(this.parseExpr())
          while (this.isText(",")) {
            this.next()
            items.push(this.parseExpr())
          }
        }
        if (this.isText(">>_")) {
          this.next()
          const sub = this.parseSubscript()
          if (items.length !== 1) throw this.error(t, "<<A>>_v needs exactly one action")
          return { kind: "actionAngle", action: items[0], sub, loc: span(this.loc(t, t), sub.loc) }
        }
        this.expect(">>")
        return { kind: "tuple", items, loc: this.locFrom(t) }
      }
      case "{":
        return this.parseSet(t)
      case "[":
        return this.parseSquare(t)
      case "@":
        this.next()
        return { kind: "at", loc: this.loc(t, t) }
    }
    throw this.error(t, "expected an expression")
  }

  private parseSubscript(): Expr {
    return this.parseSuffixes(this.parsePrimary())
  }

  private parseSet(t: Token): Expr {
    this.next()
    if (this.isText("}")) {
      this.next()
      return { kind: "setEnum", items: [], loc: this.locFrom(t) }
    }
    const first = this.parseExpr()
    if (this.isText(":")) {
      this.next()
      const pattern = filterPattern(first)
      if (pattern !== undefined && first.kind === "apply") {
        const body = this.parseExpr()
        this.expect("}")
        return { kind: "setFilter", pattern, set: first.args[1], body, loc: this.locFrom(t) }
      }
      const bounds = this.parseBounds(true)
      this.expect("}")
      return { kind: "setMap", body: first, bounds, loc: this.locFrom(t) }
    }
    const items = [first]
    while (this.isText(",")) {
      this.next()
      items.push(this.parseExpr())
    }
    this.expect("}")
    return { kind: "setEnum", items, loc: this.locFrom(t) }
  }

  private parseSquare(t: Token): Expr {
    this.next()
    const a = this.peek()
    if (a.kind === "ident" && (this.isText("|->", 1) || this.isText(":", 1))) {
      const set = this.isText(":", 1)
      const fields: Array<{ name: string; value: Expr }> = []
      do {
        const name = this.expectIdent("a field name").text
        this.expect(set ? ":" : "|->")
        fields.push({ name, value: this.parseExpr() })
      } while (this.isText(",") && this.next())
      this.expect("]")
      return { kind: set ? "recordSet" : "record", fields, loc: this.locFrom(t) }
    }
    // [x \in S |-> e]: try the binder form first and fall back to an expression.
    if (a.kind === "ident" || this.isText("<<")) {
      const saved = this.pos
      try {
        const bounds = this.parseBounds(true)
        if (this.isText("|->")) {
          this.next()
          const body = this.parseExpr()
          this.expect("]")
          return { kind: "fcnCons", bounds, body, loc: this.locFrom(t) }
        }
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e
      }
      this.pos = saved
    }
    const first = this.parseExpr()
    if (this.isText("->")) {
      this.next()
      const range = this.parseExpr()
      this.expect("]")
      return { kind: "fcnSet", domain: first, range, loc: this.locFrom(t) }
    }
    if (this.isText("EXCEPT")) {
      this.next()
      const updates: Array<{ path: ExceptStep[]; value: Expr }> = []
      do {
        this.expect("!", "'!'")
        const path: ExceptStep[] = []
        for (;;) {
          if (this.isText("[")) {
            this.next()
            path.push({ kind: "index", args: this.parseList("]") })
          } else if (this.isText(".")) {
            this.next()
            path.push({ kind: "field", name: this.expectIdent("a field name").text })
          } else break
        }
        if (path.length === 0) throw this.error(this.peek(), "expected '[' or '.' after '!'")
        this.expect("=", "'='")
        updates.push({ path, value: this.parseExpr() })
      } while (this.isText(",") && this.next())
      this.expect("]")
      return { kind: "except", fcn: first, updates, loc: this.locFrom(t) }
    }
    if (this.isText("]_")) {
      this.next()
      const sub = this.parseSubscript()
      return { kind: "actionBox", action: first, sub, loc: span(this.loc(t, t), sub.loc) }
    }
    throw this.error(this.peek(), "expected '|->', '->', 'EXCEPT' or ']_'")
  }
}

const span = (a: Loc, b: Loc): Loc => ({ ...a, endLine: b.endLine, endCol: b.endCol })

/** `x \in S` or `<<x, y>> \in S` at the head of `{x \in S : P}`. */
const filterPattern = (e: Expr): Pattern | undefined => {
  if (e.kind !== "apply" || e.name !== "\\in") return undefined
  const head = e.args[0]
  if (head.kind === "apply" && head.args.length === 0) return { names: [head.name], tuple: false }
  if (head.kind === "tuple" && head.items.every((i) => i.kind === "apply" && i.args.length === 0)) {
    return { names: head.items.map((i) => (i as { name: string }).name), tuple: true }
  }
  return undefined
}

/** Parses one module's text. Throws SyntaxError naming file:line:col. */
export const parseModule = (text: string, file: string): Module => {
  const parser = new Parser(lex(text, file), file)
  return parser.parseModule()
}

/** Parses a standalone expression (used for tests and for cfg-supplied expressions). */
export const parseExpression = (text: string, file = "<expr>"): Expr => {
  const tokens = lex(`---- MODULE E ----\n${text}\n====`, file)
  const p = new Parser(tokens.slice(2), file) as unknown as { parseExpr(): Expr; raw(): Token }
  const e = p.parseExpr()
  if (p.raw().kind !== "end") throw new SyntaxError(file, p.raw().line, p.raw().col, "unexpected text after expression")
  return e
}

/**
 * A reader for TLC model configuration files (.cfg). The file is tokenized like TLA+ (line
 * breaks do not matter; `\*` and `(* *)` comments are allowed).
 *
 * Note: the branch `tla-values` owns the project's cfg parser (src/tla/config/); this is the
 * checker's own minimal reader until that lands.
 */
import { SyntaxError } from "../syntax/source.ts"

export type CfgValue =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "str"; readonly value: string }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "model"; readonly name: string }
  | { readonly kind: "set"; readonly items: ReadonlyArray<CfgValue> }

export type CfgConstant =
  | { readonly kind: "value"; readonly name: string; readonly value: CfgValue; readonly line: number }
  | { readonly kind: "subst"; readonly name: string; readonly op: string; readonly module: string | undefined; readonly line: number }

export interface Config {
  readonly file: string
  readonly constants: CfgConstant[]
  init?: string
  next?: string
  specification?: string
  readonly invariants: string[]
  readonly properties: string[]
  readonly constraints: string[]
  readonly actionConstraints: string[]
  readonly postconditions: string[]
  symmetry?: string
  view?: string
  alias?: string
  checkDeadlock?: boolean
  /** Every identifier-like token in file order (TLC interns them before the spec's names). */
  readonly tokens: string[]
}

interface Tok {
  readonly text: string
  readonly kind: "word" | "num" | "str" | "sym"
  readonly line: number
  readonly col: number
}

const tokenize = (text: string, file: string): Tok[] => {
  const out: Tok[] = []
  let i = 0
  let line = 1
  let col = 1
  const adv = (n: number): void => {
    for (let k = 0; k < n; k++) {
      if (text[i] === "\n") {
        line++
        col = 1
      } else col++
      i++
    }
  }
  while (i < text.length) {
    const c = text[i]
    if (/\s/.test(c)) {
      adv(1)
      continue
    }
    if (text.startsWith("\\*", i)) {
      while (i < text.length && text[i] !== "\n") adv(1)
      continue
    }
    if (text.startsWith("(*", i)) {
      let depth = 0
      const l0 = line
      const c0 = col
      do {
        if (text.startsWith("(*", i)) {
          depth++
          adv(2)
        } else if (text.startsWith("*)", i)) {
          depth--
          adv(2)
        } else adv(1)
      } while (depth > 0 && i < text.length)
      if (depth > 0) throw new SyntaxError(file, l0, c0, "unterminated comment")
      continue
    }
    const l = line
    const cc = col
    if (c === '"') {
      let j = i + 1
      let v = ""
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\") {
          v += text[j + 1] === "n" ? "\n" : text[j + 1]
          j += 2
        } else v += text[j++]
      }
      if (j >= text.length) throw new SyntaxError(file, l, cc, "unterminated string")
      adv(j + 1 - i)
      out.push({ text: v, kind: "str", line: l, col: cc })
      continue
    }
    const word = /^[A-Za-z0-9_]+/.exec(text.slice(i, i + 200))
    if (word !== null) {
      adv(word[0].length)
      out.push({ text: word[0], kind: /^[0-9]+$/.test(word[0]) ? "num" : "word", line: l, col: cc })
      continue
    }
    const sym = ["<-", "=", "{", "}", ",", "[", "]", "-"].find((s) => text.startsWith(s, i))
    if (sym === undefined) throw new SyntaxError(file, l, cc, `unexpected character '${c}'`)
    adv(sym.length)
    out.push({ text: sym, kind: "sym", line: l, col: cc })
  }
  return out
}

const SINGLE = new Set(["INIT", "NEXT", "SPECIFICATION", "VIEW", "SYMMETRY", "ALIAS", "CHECK_DEADLOCK"])
const LISTS: Record<string, keyof Config> = {
  CONSTANT: "constants",
  CONSTANTS: "constants",
  INVARIANT: "invariants",
  INVARIANTS: "invariants",
  PROPERTY: "properties",
  PROPERTIES: "properties",
  CONSTRAINT: "constraints",
  CONSTRAINTS: "constraints",
  ACTION_CONSTRAINT: "actionConstraints",
  ACTION_CONSTRAINTS: "actionConstraints",
  POSTCONDITION: "postconditions",
  POSTCONDITIONS: "postconditions"
}
const isKeyword = (t: Tok | undefined): boolean => t !== undefined && t.kind === "word" && (SINGLE.has(t.text) || t.text in LISTS)

export const parseConfig = (text: string, file: string): Config => {
  const toks = tokenize(text, file)
  const cfg: Config = {
    file,
    constants: [],
    invariants: [],
    properties: [],
    constraints: [],
    actionConstraints: [],
    postconditions: [],
    tokens: toks.filter((t) => t.kind === "word").map((t) => t.text)
  }
  let p = 0
  const fail = (t: Tok | undefined, msg: string): never => {
    const at = t ?? toks[toks.length - 1] ?? { line: 1, col: 1 }
    throw new SyntaxError(file, at.line, at.col, msg)
  }
  const word = (what: string): Tok => {
    const t = toks[p]
    if (t === undefined || t.kind !== "word" || isKeyword(t)) fail(t, `expected ${what}`)
    p++
    return t
  }
  const value = (): CfgValue => {
    const t = toks[p++]
    if (t === undefined) return fail(t, "expected a value")
    if (t.kind === "num") return { kind: "int", value: Number(t.text) }
    if (t.kind === "str") return { kind: "str", value: t.text }
    if (t.text === "TRUE" || t.text === "FALSE") return { kind: "bool", value: t.text === "TRUE" }
    if (t.text === "{") {
      const items: CfgValue[] = []
      if (toks[p]?.text === "}") {
        p++
        return { kind: "set", items }
      }
      for (;;) {
        items.push(value())
        const s = toks[p++]
        if (s?.text === "}") break
        if (s?.text !== ",") fail(s, "expected ',' or '}' in a set")
      }
      return { kind: "set", items }
    }
    if (t.kind === "word" && !isKeyword(t)) return { kind: "model", name: t.text }
    return fail(t, "expected a value (a number, string, TRUE/FALSE, a set or a model value)")
  }
  while (p < toks.length) {
    const kw = toks[p]
    if (kw.kind !== "word" || !isKeyword(kw)) fail(kw, `expected a keyword such as INIT, NEXT, SPECIFICATION, CONSTANT, INVARIANT, found '${kw.text}'`)
    p++
    if (SINGLE.has(kw.text)) {
      if (kw.text === "CHECK_DEADLOCK") {
        const t = toks[p++]
        if (t?.text !== "TRUE" && t?.text !== "FALSE") fail(t, "expected TRUE or FALSE after CHECK_DEADLOCK")
        cfg.checkDeadlock = t!.text === "TRUE"
        continue
      }
      const name = word(`a name after ${kw.text}`).text
      const key = ({ INIT: "init", NEXT: "next", SPECIFICATION: "specification", VIEW: "view", SYMMETRY: "symmetry", ALIAS: "alias" } as const)[
        kw.text as "INIT"
      ]
      cfg[key] = name
      continue
    }
    const list = LISTS[kw.text]
    while (p < toks.length && !isKeyword(toks[p])) {
      if (list !== "constants") {
        ;(cfg[list] as string[]).push(word("a name").text)
        continue
      }
      const name = word("a constant name")
      const op = toks[p++]
      if (op?.text === "=") {
        if (toks[p]?.text === "-") fail(toks[p], "It was expecting = or <-, but did not find it (negative numbers cannot be written in a cfg)")
        cfg.constants.push({ kind: "value", name: name.text, value: value(), line: name.line })
      } else if (op?.text === "<-") {
        let module: string | undefined
        if (toks[p]?.text === "[") {
          p++
          module = word("a module name").text
          if (toks[p++]?.text !== "]") fail(toks[p - 1], "expected ']'")
        }
        cfg.constants.push({ kind: "subst", name: name.text, op: word("an operator name").text, module, line: name.line })
      } else fail(op, "It was expecting = or <-, but did not find it")
    }
  }
  return cfg
}

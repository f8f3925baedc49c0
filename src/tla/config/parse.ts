/**
 * The TLC .cfg parser (TLC-FACTS §7). It follows TLC's own reading of the file step by step
 * (tlc2.tool.impl.ModelConfig), so it accepts what TLC accepts and fails where TLC fails, with
 * TLC's message kept in `ConfigError.tlcMessage`. On top of that it is stricter than TLC where
 * TLC silently reads nonsense (a model value named "-" out of `N = -1`, a keyword taken as an
 * operator name): those are errors too, reported at the first offending token.
 */
import { tokenize, type Token } from "./lexer.ts"
import type {
  ConfigName,
  ConfigValue,
  ConstantAssignment,
  ModelConfig,
  ModuleConstantAssignment,
  ModuleSubstitution,
  Substitution
} from "./model-config.ts"

/** A .cfg TLC (or we) cannot accept. `message` is `File.cfg:line:col: reason`. */
export class ConfigError extends Error {
  override readonly name = "ConfigError"
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly reason: string,
    /** What TLC prints for this file, when TLC itself rejects it while reading the .cfg. */
    readonly tlcMessage: string | undefined
  ) {
    super(`${file}:${line}:${col}: ${reason}`)
  }
}

const SINGLE = {
  INIT: "init",
  NEXT: "next",
  SPECIFICATION: "specification",
  VIEW: "view",
  SYMMETRY: "symmetry",
  ALIAS: "alias",
  TYPE_CONSTRAINT: "typeConstraint"
} as const
type SingleField = (typeof SINGLE)[keyof typeof SINGLE]

const LISTS = {
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
} as const
type ListField = (typeof LISTS)[keyof typeof LISTS]

const CONSTANT_KEYWORDS = new Set(["CONSTANT", "CONSTANTS"])
const CHECK_DEADLOCK = "CHECK_DEADLOCK"

export const CONFIG_KEYWORDS: ReadonlySet<string> = new Set([
  ...Object.keys(SINGLE),
  ...Object.keys(LISTS),
  ...CONSTANT_KEYWORDS,
  CHECK_DEADLOCK
])

const describe = (t: Token): string =>
  t.kind === "eof" ? "the end of the file" : CONFIG_KEYWORDS.has(t.image) ? `the keyword ${t.image}` : `"${t.image}"`

const tlcError = (line: number, detail: string): string =>
  `TLC found an error in the configuration file at line ${line}\n${detail}`

/** Thrown internally where TLC's reading of the file stops. */
class TlcStop extends Error {
  constructor(
    readonly at: Token,
    readonly reason: string,
    readonly tlcMessage: string
  ) {
    super(reason)
  }
}

interface Problem {
  readonly at: { line: number; col: number }
  readonly reason: string
}

/** Parse the text of a .cfg file; `file` names it in error messages. */
export function parseConfig(text: string, file: string): ModelConfig {
  const { tokens, problem: lexProblem } = tokenize(text)
  let pos = 0
  // The first thing we reject that TLC lets through (TLC may still fail later in the file).
  let problem: Problem | undefined
  const flag = (at: { line: number; col: number }, reason: string): void => {
    problem ??= { at, reason }
  }
  const next = (): Token => tokens[Math.min(pos++, tokens.length - 1)]
  const isKeyword = (t: Token): boolean => CONFIG_KEYWORDS.has(t.image)

  const singles: Partial<Record<SingleField, ConfigName>> = {}
  const lists: Record<ListField, ConfigName[]> = {
    invariants: [],
    properties: [],
    constraints: [],
    actionConstraints: [],
    postconditions: []
  }
  const constants: ConstantAssignment[] = []
  const moduleConstants: ModuleConstantAssignment[] = []
  const substitutions: Substitution[] = []
  const moduleSubstitutions: ModuleSubstitution[] = []
  const internNames: string[] = []
  let checkDeadlock: { value: boolean; line: number } | undefined

  /** A name where TLC takes any token: we want an identifier that is not a keyword. */
  const name = (t: Token, what: string): ConfigName => {
    if (t.kind !== "identifier" || isKeyword(t)) flag(t, `expected ${what}, found ${describe(t)}`)
    return { name: t.image, line: t.line, col: t.col }
  }

  const value = (t: Token): ConfigValue => {
    switch (t.kind) {
      case "number": {
        const n = Number(t.image)
        if (n > 2147483647) flag(t, `the integer ${t.image} is too large for TLC (at most 2147483647)`)
        return { kind: "int", value: n }
      }
      case "string": {
        // TLC keeps the text between the quotes as it is, escapes included.
        const s = t.image.slice(1, -1)
        internNames.push(s)
        return { kind: "string", value: s }
      }
      case "eof":
        throw new TlcStop(t, "expected a value, found the end of the file", tlcError(t.line, "It was expecting a value, but did not find it."))
    }
    if (t.image === "TRUE" || t.image === "FALSE") return { kind: "bool", value: t.image === "TRUE" }
    if (t.image === "{") {
      const elems: ConfigValue[] = []
      let u = next()
      if (u.image !== "}") {
        for (;;) {
          elems.push(value(u))
          u = next()
          if (u.image !== ",") break
          u = next()
        }
      }
      if (u.image !== "}") {
        throw new TlcStop(u, `expected "," or "}" in a set, found ${describe(u)}`, tlcError(u.line, "It was expecting }, but did not find it."))
      }
      return { kind: "set", elems }
    }
    if (t.image === "-" && tokens[pos]?.kind === "number") {
      flag(t, `negative integers cannot be written in a .cfg file (TLC rejects them); define the value in the spec and substitute it, e.g. "N <- MinusOne"`)
    } else if (t.kind !== "identifier" || isKeyword(t)) {
      flag(t, `expected a value (a number, a string, TRUE, FALSE, a set {...} or a model value name), found ${describe(t)}`)
    }
    internNames.push(t.image)
    return { kind: "modelValue", name: t.image }
  }

  /** `Mod]` after `<- [` or `= [`: the module a substitution or constant belongs to. */
  const bracketedModule = (after: "<-" | "="): string => {
    const mod = next()
    if (mod.kind === "eof") {
      throw new TlcStop(mod, `expected a module name after "${after} ["`, tlcError(mod.line, `Expected an identifier after ${after}[.`))
    }
    const module = name(mod, "a module name").name
    const close = next()
    if (close.image !== "]") {
      throw new TlcStop(close, `expected "]" after the module name ${module}`, tlcError(close.line, "It was expecting ], but did not find it."))
    }
    return module
  }

  const constantSection = (keyword: Token): Token => {
    for (;;) {
      let t = next()
      if (t.kind === "eof" || isKeyword(t)) return t
      const lhs = name(t, "the name of a constant or definition")
      let lhsName = lhs.name
      t = next()
      while (t.image === "!") {
        lhsName += "!" + name(next(), "a name after !").name
        t = next()
      }
      const target = { ...lhs, name: lhsName }
      if (t.image === "<-") {
        t = next()
        if (t.image === "[") {
          const module = bracketedModule("<-")
          const op = next()
          if (op.kind === "eof") throw new TlcStop(op, `expected a definition name after "<- [${module}]"`, tlcError(op.line, "Expected an identifier after <-[mod]."))
          moduleSubstitutions.push({ ...target, module, by: name(op, "a definition name").name })
        } else {
          if (t.kind === "eof") throw new TlcStop(t, `expected a definition name after "${lhsName} <-"`, tlcError(t.line, "Expected an identifier after <-."))
          substitutions.push({ ...target, by: name(t, "a definition name").name })
        }
        continue
      }
      const args: ConfigValue[] = []
      if (t.image === "(") {
        for (;;) {
          args.push(value(next()))
          t = next()
          if (t.image !== ",") break
        }
        if (t.image !== ")") {
          throw new TlcStop(t, `expected ")" after the arguments of ${lhsName}, found ${describe(t)}`, tlcError(keyword.line, ""))
        }
        t = next()
      }
      if (t.image !== "=") {
        throw new TlcStop(t, `expected "=" or "<-" after ${lhsName}, found ${describe(t)}`, tlcError(t.line, "It was expecting = or <-, but did not find it."))
      }
      t = next()
      if (t.image === "[") {
        const module = bracketedModule("=")
        moduleConstants.push({ ...target, module, args, value: value(next()) })
      } else {
        const earlier = constants.find((c) => c.name === lhsName && c.args.length === 0 && args.length === 0)
        if (earlier) flag(lhs, `${lhsName} is assigned twice (first at line ${earlier.line})`)
        constants.push({ ...target, args, value: value(t) })
      }
    }
  }

  const read = (): void => {
    let t = next()
    while (t.kind !== "eof") {
      const keyword = t
      const k = keyword.image
      if (Object.hasOwn(SINGLE, k)) {
        const field = SINGLE[k as keyof typeof SINGLE]
        const arg = next()
        if (arg.kind === "eof") {
          throw new TlcStop(arg, `${k} must be followed by a name`, tlcError(keyword.line, `The keyword ${k} was not followed by an identifier.`))
        }
        const given = singles[field]
        if (given !== undefined) {
          throw new TlcStop(keyword, `${k} is given twice (first at line ${given.line})`, tlcError(keyword.line, `The keyword ${k} appeared twice.`))
        }
        singles[field] = name(arg, `a name after ${k}`)
        t = next()
      } else if (k === CHECK_DEADLOCK) {
        const arg = next()
        if (arg.kind === "eof") {
          throw new TlcStop(arg, `${k} must be followed by TRUE or FALSE`, tlcError(keyword.line, `The keyword ${k} was not followed by an identifier.`))
        }
        if (arg.image !== "TRUE" && arg.image !== "FALSE") {
          throw new TlcStop(arg, `${k} must be followed by TRUE or FALSE, found ${describe(arg)}`, tlcError(arg.line, "It was expecting TRUE or FALSE, but did not find it."))
        }
        if (checkDeadlock !== undefined) {
          throw new TlcStop(keyword, `${k} is given twice (first at line ${checkDeadlock.line})`, tlcError(keyword.line, `The keyword ${k} appeared twice.`))
        }
        checkDeadlock = { value: arg.image === "TRUE", line: keyword.line }
        t = next()
      } else if (CONSTANT_KEYWORDS.has(k)) {
        t = constantSection(keyword)
      } else if (Object.hasOwn(LISTS, k)) {
        const list = lists[LISTS[k as keyof typeof LISTS]]
        for (t = next(); t.kind !== "eof" && !isKeyword(t); t = next()) list.push(name(t, `a name after ${k}`))
      } else {
        throw new TlcStop(
          t,
          `expected a keyword (INIT, NEXT, SPECIFICATION, CONSTANTS, INVARIANTS, PROPERTIES, ...), found ${describe(t)}`,
          tlcError(t.line, "It was expecting a keyword, but did not find it.")
        )
      }
    }
  }

  try {
    read()
  } catch (e) {
    if (!(e instanceof TlcStop)) throw e
    // TLC reads an unterminated string or comment as the end of the file.
    const first = lexProblem !== undefined && lexProblem.line <= e.at.line ? { at: lexProblem, reason: lexProblem.reason } : problem
    const at = first?.at ?? e.at
    throw new ConfigError(file, at.line, at.col, first?.reason ?? e.reason, e.tlcMessage)
  }
  const first = lexProblem !== undefined ? { at: lexProblem, reason: lexProblem.reason } : problem
  if (first !== undefined) throw new ConfigError(file, first.at.line, first.at.col, first.reason, undefined)

  return {
    file,
    ...singles,
    ...(checkDeadlock === undefined ? {} : { checkDeadlock: checkDeadlock.value }),
    constants,
    moduleConstants,
    substitutions,
    moduleSubstitutions,
    ...lists,
    internNames
  }
}

/**
 * The parts of a TLA+ spec that the side-by-side docs and the trace viewer show: its operator
 * definitions with their source ranges, the actions its Next relation takes, and inside each
 * action the conjuncts and LET definitions that code can name in a tag. Positions come from the
 * syntax tree of src/tla's parser.
 */
// The parser alone, not the toolkit index: the viewer loads this too, and needs no evaluator.
import { parseModule } from "../../tla/syntax/parser.ts"
import { type Loc, SyntaxError } from "../../tla/syntax/source.ts"
import type { Definition, Expr } from "../../tla/syntax/ast.ts"
import { InputFileError } from "../input-file-error.ts"

/** A source range: 1-based lines and columns, the end inclusive. */
export interface Range {
  readonly line: number
  readonly column: number
  readonly endLine: number
  readonly endColumn: number
}

/** A conjunct of an action, or a LET definition inside it. */
export interface Conjunct {
  readonly range: Range
  /** Its source text, as written. */
  readonly text: string
  /** The text with every run of white space made one space: what a tag is matched against. */
  readonly flat: string
  /** For a LET definition, its name. */
  readonly letName: string | undefined
}

export interface Operator {
  readonly name: string
  readonly params: ReadonlyArray<string>
  /** From the definition's first line to its last. */
  readonly range: Range
  /** The definition's lines, as written. */
  readonly text: string
  readonly conjuncts: ReadonlyArray<Conjunct>
}

export interface SpecOutline {
  readonly file: string
  readonly module: string
  readonly lines: ReadonlyArray<string>
  readonly operators: ReadonlyMap<string, Operator>
  /** The actions Next takes, in its order, looking through \E and through Receive-like dispatchers. */
  readonly actions: ReadonlyArray<string>
}

type OpDef = Extract<Definition, { kind: "opDef" }>
type Node = { readonly kind: string; readonly loc: Loc }

const rangeOf = (loc: Loc): Range => ({ line: loc.line, column: loc.col, endLine: loc.endLine, endColumn: loc.endCol })

const textAt = (lines: ReadonlyArray<string>, loc: Loc): string => {
  const picked = lines.slice(loc.line - 1, loc.endLine)
  if (picked.length === 0) return ""
  picked[picked.length - 1] = picked[picked.length - 1].slice(0, loc.endCol)
  picked[0] = picked[0].slice(loc.col - 1)
  return picked.join("\n")
}

const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && typeof (v as Node).kind === "string" && typeof (v as Node).loc === "object"

/** Every expression and definition below `root`, found by walking all of its fields. */
const walk = (root: unknown, visit: (node: Node) => void): void => {
  if (Array.isArray(root)) {
    for (const item of root) walk(item, visit)
    return
  }
  if (typeof root !== "object" || root === null) return
  if (isNode(root)) visit(root)
  for (const [key, value] of Object.entries(root)) if (key !== "loc" && key !== "nameLoc") walk(value, visit)
}

const conjunctsOf = (lines: ReadonlyArray<string>, body: Expr): Array<Conjunct> => {
  const found: Array<Conjunct> = []
  const add = (loc: Loc, letName: string | undefined) => {
    const text = textAt(lines, loc)
    found.push({ range: rangeOf(loc), text, flat: text.replace(/\s+/g, " ").trim(), letName })
  }
  walk(body, (node) => {
    if (node.kind === "and") for (const item of (node as Extract<Expr, { kind: "and" }>).items) add(item.loc, undefined)
    if (node.kind === "let") for (const def of (node as Extract<Expr, { kind: "let" }>).defs) add(def.loc, def.name)
  })
  return found.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column)
}

/** `\E x \in S : e` and `LET ... IN e` seen through to e. */
const unwrap = (e: Expr): Expr => (e.kind === "exists" || e.kind === "forall" || e.kind === "let" ? unwrap(e.body) : e)

/** The operators applied as the disjuncts of `e`, if every disjunct is one. */
const disjunctCalls = (e: Expr, operators: ReadonlyMap<string, OpDef>): Array<string> | undefined => {
  const body = unwrap(e)
  const items = body.kind === "or" ? body.items : [body]
  const calls = items.map(unwrap).map((item) => (item.kind === "apply" && operators.has(item.name) ? item.name : undefined))
  return calls.every((c) => c !== undefined) ? (calls as Array<string>) : undefined
}

/** Outlines a spec's text. Throws InputFileError for a spec that does not parse or has no Next. */
export const outlineSpec = (file: string, text: string): SpecOutline => {
  let module
  try {
    module = parseModule(text, file)
  } catch (error) {
    if (error instanceof SyntaxError) throw new InputFileError(error.file, error.line, error.col, error.detail)
    throw error
  }
  const lines = text.split("\n")
  const defs = new Map<string, OpDef>()
  for (const unit of module.units) if (unit.kind === "opDef") defs.set(unit.name, unit)
  const operators = new Map<string, Operator>()
  for (const [name, def] of defs) {
    operators.set(name, {
      name,
      params: def.params.map((p) => p.name),
      range: { line: def.loc.line, column: 1, endLine: def.loc.endLine, endColumn: def.loc.endCol },
      text: lines.slice(def.loc.line - 1, def.loc.endLine).join("\n"),
      conjuncts: conjunctsOf(lines, def.body)
    })
  }
  const next = defs.get("Next")
  if (next === undefined) throw new InputFileError(file, module.loc.line, module.loc.col, `module ${module.name} defines no Next`)
  const actions: Array<string> = []
  for (const name of disjunctCalls(next.body, defs) ?? []) {
    const inner = disjunctCalls(defs.get(name)!.body, defs)
    actions.push(...(inner !== undefined && inner.length > 1 ? inner : [name]))
  }
  if (actions.length === 0) throw new InputFileError(file, next.loc.line, next.loc.col, "Next is not a disjunction of actions")
  return { file, module: module.name, lines, operators, actions }
}

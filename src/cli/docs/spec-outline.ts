/**
 * The parts of a TLA+ spec that the side-by-side docs and the trace viewer show: its operator
 * definitions with their source ranges, the actions its Next relation takes, and inside each
 * action the conjuncts and LET definitions that code can name in a tag.
 *
 * STOPGAP: until src/tla's parser is on main, this reads the layout of the spec's lines (top-level
 * `Name(params) ==` definitions, bulleted `/\` conjuncts, `name ==` LET definitions). It will be
 * replaced by a walk over src/tla's syntax tree, which gives the same outline.
 */
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
  /** From the definition's first line to its last non-blank line. */
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

const flatten = (text: string): string => text.replace(/\s+/g, " ").trim()

const indentOf = (line: string): number => line.length - line.trimStart().length

/** Text before a bullet that still lets it open a list: nothing, or a keyword or `==` that ends there. */
const opensList = (before: string): boolean => /(^|==|\bIN|\bTHEN|\bELSE|\(|:|\\\/|\/\\)\s*$/.test(before) || before.trim() === ""

/** The last line of an item starting at (line k, column c): until a line starts at or left of c. */
const extentFrom = (lines: ReadonlyArray<string>, k: number, c: number, last: number): number => {
  let end = k
  for (let n = k + 1; n <= last; n++) {
    if (lines[n].trim() === "" || lines[n].trimStart().startsWith("\\*")) continue
    if (indentOf(lines[n]) <= c) break
    end = n
  }
  return end
}

const textOf = (lines: ReadonlyArray<string>, from: number, column: number, to: number): string =>
  [lines[from].slice(column), ...lines.slice(from + 1, to + 1)].join("\n").replace(/\s+$/, "")

const conjunctsOf = (lines: ReadonlyArray<string>, first: number, last: number): Array<Conjunct> => {
  const found: Array<Conjunct> = []
  for (let k = first; k <= last; k++) {
    const line = lines[k]
    for (const match of line.matchAll(/\/\\/g)) {
      const c = match.index
      if (!opensList(line.slice(0, c))) continue
      const end = extentFrom(lines, k, c, last)
      const start = c + 2 + (line.slice(c + 2).length - line.slice(c + 2).trimStart().length)
      const text = textOf(lines, k, start, end)
      found.push({ range: { line: k + 1, column: start + 1, endLine: end + 1, endColumn: lines[end].trimEnd().length }, text, flat: flatten(text), letName: undefined })
    }
    const let_ = /^(\s*(?:LET\s+)?)([A-Za-z]\w*)(\([^)]*\))?\s*==/.exec(line)
    if (let_ && k > first) {
      const c = let_[1].length
      const end = extentFrom(lines, k, c, last)
      const text = textOf(lines, k, c, end)
      found.push({ range: { line: k + 1, column: c + 1, endLine: end + 1, endColumn: lines[end].trimEnd().length }, text, flat: flatten(text), letName: let_[2] })
    }
  }
  return found
}

const definitionsOf = (file: string, lines: ReadonlyArray<string>): Map<string, Operator> => {
  const operators = new Map<string, Operator>()
  lines.forEach((line, k) => {
    const head = /^([A-Za-z]\w*)\s*(?:\(([^)]*)\))?\s*==/.exec(line)
    if (!head) return
    let end = k
    for (let n = k + 1; n < lines.length && (lines[n] === "" || /^\s/.test(lines[n])); n++) {
      if (lines[n].trim() !== "") end = n
    }
    if (operators.has(head[1])) throw new InputFileError(file, k + 1, 1, `${head[1]} is defined twice`)
    operators.set(head[1], {
      name: head[1],
      params: head[2] === undefined ? [] : head[2].split(",").map((p) => p.trim()),
      range: { line: k + 1, column: 1, endLine: end + 1, endColumn: lines[end].trimEnd().length },
      text: lines.slice(k, end + 1).join("\n"),
      conjuncts: conjunctsOf(lines, k, end)
    })
  })
  return operators
}

/** The operators applied as disjuncts of `op`, looking through \E. */
const disjunctCalls = (op: Operator, operators: ReadonlyMap<string, Operator>): Array<string> => {
  const calls: Array<string> = []
  for (const line of op.text.split("\n").slice(1)) {
    const bullet = /^\s*(?:IN\s+)?\\\/\s*(?:\\E[^:]*:\s*)?([A-Z]\w*)\(/.exec(line)
    if (bullet && operators.has(bullet[1])) calls.push(bullet[1])
  }
  return calls
}

const actionsOf = (file: string, operators: ReadonlyMap<string, Operator>): Array<string> => {
  const next = operators.get("Next")
  if (next === undefined) throw new InputFileError(file, 1, 1, "the spec defines no Next")
  const actions: Array<string> = []
  for (const name of disjunctCalls(next, operators)) {
    const inner = disjunctCalls(operators.get(name)!, operators)
    actions.push(...(inner.length > 0 ? inner : [name]))
  }
  return actions
}

/** Outlines a spec's text. Throws InputFileError for a spec it cannot read. */
export const outlineSpec = (file: string, text: string): SpecOutline => {
  const lines = text.split("\n")
  const module = /^-+\s*MODULE\s+(\w+)/m.exec(text)
  if (!module) throw new InputFileError(file, 1, 1, "no MODULE header")
  const operators = definitionsOf(file, lines)
  return { file, module: module[1], lines, operators, actions: actionsOf(file, operators) }
}

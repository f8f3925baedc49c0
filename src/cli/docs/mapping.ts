/**
 * The spec <-> code mapping and its drift checks. Each action of the spec is paired with the
 * exported function of the same name in camelCase; each conjunct tag in the code is resolved to
 * the conjunct it names. Whatever does not pair up is a Problem naming the file, line and column
 * to fix: an action without a function, a function citing an action that does not exist (or the
 * wrong lines of one), a tag naming a missing action or a conjunct that is no longer there.
 *
 * Tags: `// spec: Action/key`, where key is the name of a LET definition of the action (a bare
 * name), or else text that occurs in exactly one innermost conjunct of it (runs of white space
 * count as one space).
 */
import { parseConfig } from "../../tla/config/index.ts"
import type { CodeFunction, CodeOutline, Mention, Tag, TestCase } from "./code-outline.ts"
import type { Conjunct, Operator, Range, SpecOutline } from "./spec-outline.ts"

export interface Problem {
  readonly file: string
  readonly line: number
  readonly column: number
  readonly message: string
}

export const problemText = (p: Problem): string => `${p.file}:${p.line}:${p.column}: ${p.message}`

export interface TagLink {
  readonly tag: Tag
  readonly conjunct: Conjunct
}

export interface ActionMapping {
  readonly name: string
  readonly operator: Operator
  readonly fn: CodeFunction | undefined
  readonly links: ReadonlyArray<TagLink>
  readonly tests: ReadonlyArray<TestCase>
}

export interface InvariantMapping {
  readonly name: string
  readonly kind: "invariant" | "property"
  readonly operator: Operator | undefined
  /** The model configurations that check it. */
  readonly configs: ReadonlyArray<{ readonly file: string; readonly line: number }>
  /** Where code names it: the checkers that report it. */
  readonly checkers: ReadonlyArray<Mention>
  readonly tests: ReadonlyArray<TestCase>
}

export interface Mapping {
  readonly spec: SpecOutline
  readonly actions: ReadonlyArray<ActionMapping>
  readonly invariants: ReadonlyArray<InvariantMapping>
  readonly problems: ReadonlyArray<Problem>
}

export interface MappingInput {
  readonly spec: SpecOutline
  /** The core's functions and tags (src/raft). */
  readonly code: CodeOutline
  readonly configs: ReadonlyArray<{ readonly path: string; readonly text: string }>
  readonly tests: ReadonlyArray<TestCase>
  /** Where invariant names are mentioned, by name. */
  readonly mentions: (names: ReadonlySet<string>) => ReadonlyArray<Mention>
}

export const camelCase = (name: string): string => name[0].toLowerCase() + name.slice(1)

const flatten = (text: string): string => text.replace(/\s+/g, " ").trim()

const within = (outer: Range, inner: Range): boolean =>
  (outer.line < inner.line || (outer.line === inner.line && outer.column <= inner.column)) &&
  (outer.endLine > inner.endLine || (outer.endLine === inner.endLine && outer.endColumn >= inner.endColumn))

/** The conjunct a tag's key names, or why there is not exactly one. */
export const resolveKey = (op: Operator, key: string): Conjunct | { readonly error: string } => {
  // A bare name must be a LET definition: were it matched as text, a renamed definition would
  // silently pass to some conjunct that mentions the old name.
  if (/^\w+$/.test(key)) return op.conjuncts.find((c) => c.letName === key) ?? { error: `${op.name} has no LET definition named ${key}` }
  const wanted = flatten(key)
  const hits = op.conjuncts.filter((c) => c.flat.includes(wanted))
  const innermost = hits.filter((c) => !hits.some((d) => d !== c && within(c.range, d.range)))
  if (innermost.length === 1) return innermost[0]
  if (innermost.length === 0) return { error: `${op.name} has no conjunct containing "${key}"` }
  return { error: `"${key}" is in ${innermost.length} conjuncts of ${op.name} (lines ${innermost.map((c) => c.range.line).join(", ")}): quote more of the one you mean` }
}

const touches = (test: TestCase, words: ReadonlyArray<string>): boolean => words.some((w) => test.names.has(w))

const pairAction = (input: MappingInput, name: string, problems: Array<Problem>): ActionMapping => {
  const { spec, code } = input
  const operator = spec.operators.get(name)!
  const expected = camelCase(name)
  const fn = code.functions.find((f) => f.exported && f.name === expected)
  const at = (line: number, column = 1) => ({ file: spec.file, line, column })
  if (fn === undefined) {
    problems.push({ ...at(operator.range.line), message: `action ${name} has no function: expected an exported ${expected} in the core` })
  } else if (fn.citation === undefined || fn.citation.action !== name) {
    problems.push({ file: fn.file, line: fn.range.line, column: 1, message: `${expected} implements ${name}, so its doc comment must cite "Spec: ${name}(...), ${spec.file} lines ${operator.range.line}-${operator.range.endLine}"` })
  } else if (fn.citation.specFile !== spec.file || fn.citation.start !== operator.range.line || fn.citation.end !== operator.range.endLine) {
    problems.push({
      file: fn.file,
      line: fn.citation.line,
      column: 1,
      message: `${expected} cites ${fn.citation.specFile} lines ${fn.citation.start}-${fn.citation.end}, but ${name} is ${spec.file} lines ${operator.range.line}-${operator.range.endLine}`
    })
  }
  const links: Array<TagLink> = []
  for (const tag of code.tags.filter((t) => t.action === name)) {
    const resolved = resolveKey(operator, tag.key)
    if ("error" in resolved) problems.push({ file: tag.file, line: tag.line, column: tag.column, message: `spec tag: ${resolved.error}` })
    else links.push({ tag, conjunct: resolved })
  }
  return { name, operator, fn, links, tests: input.tests.filter((t) => touches(t, [name, expected])) }
}

const invariantsOf = (input: MappingInput, problems: Array<Problem>): Array<InvariantMapping> => {
  const found = new Map<string, { kind: "invariant" | "property"; configs: Array<{ file: string; line: number }> }>()
  for (const cfg of input.configs) {
    let parsed
    try {
      parsed = parseConfig(cfg.text, cfg.path)
    } catch (error) {
      const e = error as { line?: number; col?: number; message: string }
      problems.push({ file: cfg.path, line: e.line ?? 1, column: e.col ?? 1, message: `cannot read the model configuration: ${e.message}` })
      continue
    }
    const note = (kind: "invariant" | "property", names: ReadonlyArray<{ name: string; line: number; col: number }>) => {
      for (const n of names) {
        const entry = found.get(n.name) ?? { kind, configs: [] }
        entry.configs.push({ file: cfg.path, line: n.line })
        found.set(n.name, entry)
        if (!input.spec.operators.has(n.name)) problems.push({ file: cfg.path, line: n.line, column: n.col, message: `${n.name} is not defined in ${input.spec.file}` })
      }
    }
    note("invariant", parsed.invariants)
    note("property", parsed.properties)
  }
  const mentions = input.mentions(new Set(found.keys()))
  return [...found].map(([name, { kind, configs }]) => ({
    name,
    kind,
    operator: input.spec.operators.get(name),
    configs,
    checkers: mentions.filter((m) => m.text === name),
    tests: input.tests.filter((t) => touches(t, [name]))
  }))
}

/** Pairs the spec with the code and lists every way they have drifted apart. */
export const buildMapping = (input: MappingInput): Mapping => {
  const problems: Array<Problem> = []
  const actions = input.spec.actions.map((name) => pairAction(input, name, problems))
  const known = new Set(input.spec.actions)
  for (const fn of input.code.functions) {
    const cited = fn.citation
    if (cited === undefined) continue
    if (!known.has(cited.action)) {
      const what = input.spec.operators.has(cited.action) ? "an operator but not an action (Next never takes it)" : "not defined"
      problems.push({ file: fn.file, line: cited.line, column: 1, message: `${fn.name} cites ${cited.action}, which is ${what} in ${input.spec.file}` })
    } else if (fn.name !== camelCase(cited.action)) {
      problems.push({ file: fn.file, line: cited.line, column: 1, message: `${fn.name} cites ${cited.action}, but the function implementing it must be named ${camelCase(cited.action)}` })
    }
  }
  for (const tag of input.code.tags) {
    if (!known.has(tag.action)) problems.push({ file: tag.file, line: tag.line, column: tag.column, message: `spec tag names ${tag.action}, which is not an action of ${input.spec.file}` })
  }
  const invariants = invariantsOf(input, problems)
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column)
  return { spec: input.spec, actions, invariants, problems }
}

/**
 * The validation report a person reads: on success one paragraph of figures; on failure the
 * step, the action and its parameters, the smallest failing conjunct with its place in the spec,
 * the variables that differ (expected by the spec vs logged), and the steps before.
 */
import type { CoverageReport } from "./coverage.ts"
import type { Failure, StepSummary } from "./diagnosis.ts"
import type { ValidationModel } from "./model.ts"
import type { ValidationResult } from "./validator.ts"
import { showValue } from "./value-diff.ts"

const count = (n: number): string => n.toLocaleString("en-US")

const rate = (r: ValidationResult): string =>
  r.elapsedMs > 0 ? `${count(Math.round((r.steps / r.elapsedMs) * 1000))} steps/s` : "-"

const paramsText = (params: Readonly<Record<string, unknown>> | undefined): string =>
  params === undefined ? "" : Object.entries(params).map(([k, v]) => `${k} = ${showValue(v)}`).join(", ")

const stepLine = (s: StepSummary): string =>
  `    step ${String(s.seq).padStart(7)}  line ${String(s.line).padStart(7)}  ${s.action}(${paramsText(s.params)})${s.msgId === undefined ? "" : `  [message ${s.msgId}]`}`

const indent = (text: string, by: string): string =>
  text
    .split("\n")
    .map((l) => by + l)
    .join("\n")

/** A conjunct's later lines, moved left as far as its first line was cut from its column. */
const dedent = (text: string, by: number): string =>
  text
    .split("\n")
    .map((l, k) => (k === 0 ? l : l.slice(Math.min(by, l.length - l.trimStart().length))))
    .join("\n")

const invariantsLine = (model: ValidationModel): string =>
  model.invariants.length === 0
    ? "  invariants: none checked"
    : `  invariants checked on every state: ${model.invariants.join(", ")}${model.cfgPath === undefined ? "" : ` (cfg ${model.cfgPath})`}`

export const formatResult = (file: string, specPath: string, model: ValidationModel, r: ValidationResult): string => {
  const f = r.failure
  if (f === undefined) {
    const lines = [
      `${file}: ok, ${count(r.steps)} steps match ${specPath} (${r.stateMode} states, ${(r.elapsedMs / 1000).toFixed(2)} s, ${rate(r)})`,
      invariantsLine(model)
    ]
    if (r.guessedSteps > 0) {
      lines.push(`  matched with ${count(r.guessedSteps)} guessed step${r.guessedSteps === 1 ? "" : "s"} the trace does not log:`)
      for (const g of r.guesses) lines.push(`    before step ${g.beforeSeq} (line ${g.line}): ${g.actions.join(", ")}`)
      if (r.guesses.length < r.guessedSteps) lines.push("    …")
    }
    if (r.ambiguousSteps > 0) lines.push(`  after ${count(r.ambiguousSteps)} steps more than one state matched (variables not logged)`)
    return lines.join("\n")
  }
  return formatFailure(file, specPath, model, r, f)
}

const formatFailure = (file: string, specPath: string, model: ValidationModel, r: ValidationResult, f: Failure): string => {
  const where = f.seq === 0 ? "the initial state (line 1)" : `step ${f.seq} (line ${f.line})`
  const lines = [`${file}: FAILED at ${where}${f.action === undefined ? "" : `: ${f.action}`}`, `  ${f.headline}`]
  if (f.params !== undefined && Object.keys(f.params).length > 0) lines.push(`  parameters: ${paramsText(f.params)}`)
  if (f.conjunct !== undefined) {
    const c = f.conjunct
    lines.push(`  failing conjunct, ${c.file}:${c.line}:${c.column}:`, indent(dedent(c.text, c.column - 1), "      "))
  }
  if (f.diffs.length > 0) {
    lines.push(`  variables that differ (expected: the closest state ${f.action ?? "the spec"} allows; logged: the trace):`)
    for (const d of f.diffs) for (const detail of d.details) lines.push(`    ${detail}`)
  }
  for (const note of f.notes) lines.push(`  note: ${note}`)
  if (f.recent.length > 0) {
    lines.push("  previous steps:")
    for (const s of f.recent) lines.push(stepLine(s))
  }
  lines.push(`  ${count(r.steps)} step${r.steps === 1 ? "" : "s"} before it matched ${specPath} (${r.stateMode} states)`)
  if (r.guessedSteps > 0) lines.push(`  with ${count(r.guessedSteps)} guessed unlogged steps`)
  lines.push(invariantsLine(model))
  return lines.join("\n")
}

export const formatCoverage = (specPath: string, traces: number, c: CoverageReport): string => {
  const width = Math.max(...c.disjuncts.map((d) => d.text.length), ...c.actions.map((a) => a.action.length), 10)
  const lines = [`coverage of ${specPath} over ${traces} trace${traces === 1 ? "" : "s"}, ${count(c.steps)} steps`, "  disjuncts of Next:"]
  for (const d of c.disjuncts) lines.push(`    ${d.text.padEnd(width)}  ${String(count(d.count)).padStart(9)}  ${d.where}`)
  lines.push("  actions:")
  for (const a of c.actions) lines.push(`    ${a.action.padEnd(width)}  ${String(count(a.count)).padStart(9)}`)
  lines.push(c.neverTaken.length === 0 ? "  every action was taken" : `  never taken: ${c.neverTaken.join(", ")}`)
  return lines.join("\n")
}

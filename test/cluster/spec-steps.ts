/**
 * Checks a full-state trace against spec/Raft.tla step by step with the embedded TLA+ toolkit:
 * each step's action, applied to its parameters, must hold from the state before to the state
 * after; the spec's invariants must hold after it; a step that receives or drops a copy must name
 * one that an earlier step sent. (`raft-tla validate` does this and more; this is the tests' own.)
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { TlaJson, TraceHeader, TraceStep } from "../../src/raft/index.ts"
import { loadTlaSpec, toEvalValue } from "../../src/tla/index.ts"
import { fromJson } from "../../src/tla/values/index.ts"

const specPath = fileURLToPath(new URL("../../spec/Raft.tla", import.meta.url))
/** Checked after every step; the log invariants cost O(servers² × log²), so they are checked at the end. */
const EVERY_STEP = ["TypeOK", "ElectionSafety"]
const AT_THE_END = ["LogMatching", "LeaderCompleteness", "StateMachineSafety"]

export interface SpecCheck {
  readonly steps: number
  readonly actions: ReadonlySet<string>
  /** The first step the spec does not allow, described; null when every step is allowed. */
  readonly failure: string | null
}

export const checkTraceAgainstSpec = (file: string): SpecCheck => {
  // JSON.parse rather than readTrace: the Schema check of every state costs more than the spec check.
  const lines = readFileSync(file, "utf8").trimEnd().split("\n")
  const trace = { header: JSON.parse(lines[0]) as TraceHeader, steps: lines.slice(1).map((line) => JSON.parse(line) as TraceStep) }
  const servers = (trace.header.constants.Server as { $set: ReadonlyArray<{ $mv: string }> }).$set.map((server) => server.$mv)
  const spec = loadTlaSpec(specPath, {
    cfgText: `CONSTANTS\n  Server = {${servers.join(", ")}}\n  Value = {v}\n  Nil = Nil\nINIT Init\nNEXT Next\nINVARIANTS ${EVERY_STEP.join(" ")}\n`
  })
  const value = (json: TlaJson) => toEvalValue(fromJson(json))
  // Most steps change one or two variables: the others keep the value already converted.
  const previous = new Map<string, { readonly text: string; readonly value: ReturnType<typeof value> }>()
  const stateOf = (variables: Record<string, TlaJson>) =>
    spec.vars.map((name) => {
      const text = JSON.stringify(variables[name])
      const known = previous.get(name)
      if (known !== undefined && known.text === text) return known.value
      const converted = value(variables[name])
      previous.set(name, { text, value: converted })
      return converted
    })
  let before = stateOf(trace.header.init)
  const sent = new Set<number>()
  const actions = new Set<string>()
  for (const step of trace.steps) {
    const where = `step ${step.seq} ${step.action}`
    const after = stateOf(step.state)
    const params = spec.model.operator(step.action)!.def
    const names = params.kind === "opDef" ? params.params.map((param) => param.name) : []
    const args = names.map((name) => value(step.params[name]))
    if (step.msgId !== undefined && !sent.has(step.msgId)) return { steps: step.seq, actions, failure: `${where}: copy ${step.msgId} was never sent` }
    if (!spec.actionHolds(step.action, args, before, after)) {
      const conjunct = spec.failingConjunct(step.action, args, before, after)
      return { steps: step.seq, actions, failure: `${where} is not allowed by the spec: ${conjunct?.text ?? "?"} (line ${conjunct?.loc.line ?? "?"})` }
    }
    const last = step === trace.steps[trace.steps.length - 1]
    const violated = [...spec.violatedInvariants(after), ...(last ? AT_THE_END.filter((name) => spec.evalOperator(name, [], after) !== true) : [])]
    if (violated.length > 0) return { steps: step.seq, actions, failure: `${where} breaks ${violated.join(", ")}` }
    for (const id of step.sent ?? []) sent.add(id)
    actions.add(step.action)
    before = after
  }
  return { steps: trace.steps.length, actions, failure: null }
}

/**
 * Model checking of the spec mutated like a bug: the embedded checker explores the bug's model
 * (./spec-mutations.ts) breadth first, up to a number of distinct states, so its counterexample is
 * a shortest one. The counterexample is written beside the implementation's, as a trace of
 * spec/Raft.tla (docs/trace-format.md) whose header names the model: validating it against the
 * unmutated spec fails at the mutated step.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import type { BugName } from "../../raft/index.ts"
import { explore, loadTlaSpec, type LoadedSpec, type State } from "../../tla/index.ts"
import { type ArgumentsOf, constantJson, nameSteps, stateJson } from "../../validate/index.ts"
import type { AuditOptions, Catcher, Findings } from "./audit.ts"
import { inRepo, type SpecMutation, specMutationOf, unmutatedConfig } from "./spec-mutations.ts"

/** The header field that makes a trace a model checker's counterexample (docs/bugs.md). */
export interface SpecCounterexample {
  readonly bug: BugName
  readonly model: string
  readonly config: string
  readonly substitution: string
  /** The invariant or action property violated, and whether it is an invariant or a property. */
  readonly violated: string
  readonly kind: "invariant" | "property"
  readonly message: string
  readonly distinct: number
  readonly generated: number
  readonly depth: number
}

export type ModelCheck =
  | { readonly found: true; readonly counterexample: SpecCounterexample; readonly lines: ReadonlyArray<string>; readonly seconds: number }
  | {
      readonly found: false
      /** Whether every state of the model was explored (else the budget ran out first). */
      readonly exhausted: boolean
      readonly distinct: number
      readonly depth: number
      readonly seconds: number
      /** An evaluation error: a defect of the model, not a finding. */
      readonly error?: string
    }

/**
 * The argument tuples to try when naming a step of spec/Raft.tla: a message handler's i and j are
 * the message's receiver and sender, as in Receive(m).
 */
const raftArguments: ArgumentsOf = (_action, params) => {
  if (params.length === 1 && params[0] === "m") return "{<<m>> : m \\in DOMAIN messages}"
  if (params.includes("m")) return "{<<m.mdest, m.msource, m>> : m \\in DOMAIN messages}"
  if (params.length === 1) return "{<<x>> : x \\in Server}"
  return params.map((p) => (p === "v" ? "Value" : "Server")).join(" \\X ")
}

/** The trace lines of a counterexample: the header (with `specCounterexample`), then its steps. */
const traceLines = (spec: LoadedSpec, states: ReadonlyArray<State>, counterexample: SpecCounterexample): string[] => {
  const header = {
    format: "raft-tla-trace",
    version: 1,
    spec: "spec/Raft.tla",
    constants: { Server: constantJson(spec, "Server"), Nil: constantJson(spec, "Nil") },
    init: stateJson(spec, states[0]),
    source: { producer: "raft-tla audit", model: counterexample.model },
    specCounterexample: counterexample
  }
  const steps = nameSteps(spec, states, raftArguments).map((step, k) =>
    JSON.stringify({ seq: k + 1, action: step.action, params: step.params, state: stateJson(spec, states[k + 1]) })
  )
  return [JSON.stringify(header), ...steps]
}

/** Model-checks the mutated model (or, `mutated` false, the same model without the mutation). */
export const modelCheck = (mutation: SpecMutation, maxStates: number, mutated = true): ModelCheck => {
  const started = performance.now()
  const seconds = () => (performance.now() - started) / 1000
  const spec = mutated
    ? loadTlaSpec(inRepo(mutation.module), { cfgPath: inRepo(mutation.config) })
    : loadTlaSpec(inRepo(mutation.module), { cfgText: unmutatedConfig(mutation) })
  const result = explore(spec.model, { maxDistinct: maxStates })
  if (result.outcome === "invariant" || result.outcome === "property") {
    const counterexample: SpecCounterexample = {
      bug: mutation.bug,
      model: mutation.module,
      config: mutation.config,
      substitution: mutation.substitution,
      violated: result.violated ?? "?",
      kind: result.outcome,
      message: result.message ?? "",
      distinct: result.distinct,
      generated: result.generated,
      depth: result.depth
    }
    const states = result.trace.map((step) => step.state as State)
    return { found: true, counterexample, lines: traceLines(spec, states, counterexample), seconds: seconds() }
  }
  const base = { found: false as const, exhausted: result.queue === 0 && result.distinct < maxStates, distinct: result.distinct, depth: result.depth }
  if (result.outcome === "ok" || result.outcome === "deadlock") return { ...base, seconds: seconds() }
  return { ...base, seconds: seconds(), error: `${result.outcome}: ${result.message ?? ""}` }
}

/** The project's own model (spec/MCRaft.cfg), unmutated: with every flag off it must have no violation. */
export const MODEL = { module: "spec/MCRaft.tla", config: "spec/MCRaft.cfg" } as const

/** Model-checks MODEL up to `maxStates` distinct states: the violation or error found, if any. */
export const checkModel = (maxStates: number): { readonly problem: string | null; readonly distinct: number } => {
  const spec = loadTlaSpec(inRepo(MODEL.module), { cfgPath: inRepo(MODEL.config) })
  const result = explore(spec.model, { maxDistinct: maxStates })
  const problem = result.outcome === "ok" || result.outcome === "deadlock" ? null : `${result.violated ?? result.outcome}: ${result.message ?? ""}`
  return { problem, distinct: result.distinct }
}

export const writeSpecCounterexample = (file: string, lines: ReadonlyArray<string>): void => {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, lines.join("\n") + "\n")
}

const count = (n: number): string => n.toLocaleString("en-US")

/** Model checking as a catcher: the bug's spec mutation, up to options.modelStates distinct states. */
export const modelCheckingCatcher = (options: Pick<AuditOptions, "modelStates" | "outDir">): Catcher => ({
  name: "model checking",
  tryToCatch: async (bug): Promise<Findings> => {
    const mutation = specMutationOf(bug)
    if ("none" in mutation) return { catches: [], misses: [{ check: "model-checking", applies: false, why: `no spec mutation: ${mutation.none}` }] }
    if (options.modelStates <= 0) return { catches: [], misses: [{ check: "model-checking", applies: true, why: "not run (--model-states 0)" }] }
    const result = modelCheck(mutation, options.modelStates)
    if (!result.found) {
      const why =
        result.error ??
        (result.exhausted
          ? `no violation in all ${count(result.distinct)} states of ${mutation.module}`
          : `no violation within ${count(result.distinct)} distinct states of ${mutation.module} (depth ${result.depth})`)
      return { catches: [], misses: [{ check: "model-checking", applies: true, why }] }
    }
    const { counterexample: found, lines, seconds } = result
    const file = options.outDir === null ? null : join(options.outDir, `${bug}.spec.ndjson`)
    if (file !== null) writeSpecCounterexample(file, lines)
    return {
      catches: [
        {
          check: "model-checking",
          detail: `${found.message} (${mutation.module}, ${mutation.substitution})`,
          how: `breadth-first search, ${count(found.distinct)} distinct states`,
          seconds,
          steps: null,
          traceSteps: lines.length - 1,
          file
        }
      ],
      misses: []
    }
  }
})

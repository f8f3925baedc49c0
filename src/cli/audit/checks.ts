/**
 * The checks a cluster run goes through, and how a run is put through them.
 *
 * - invariant: src/sim's InvariantMonitor (the spec's invariants and action properties) after
 *   every step;
 * - linearizability: the clients' history against src/lincheck's Raft KV model, at the end;
 * - liveness, for runs over a healthy network: at most 3 elections per 5 s of simulated time;
 * - trace validation (seam): `traceChecks` look at the run's whole trace at the end. The branch
 *   that validates traces against spec/Raft.tla plugs in there.
 */
import { builtInModels, checkOperations, Unknown, type KvInput, type Operation } from "../../lincheck/index.ts"
import { explainIllegal } from "../../lincheck/explain.ts"
import type { ClientOperation } from "../../runtime/cluster/clients.ts"
import type { ClusterOptions } from "../../runtime/cluster/cluster.ts"
import { runScript, type RunSummary, type ScriptRun } from "../../runtime/cluster/driver.ts"
import type { Failure, StepObserver } from "../../runtime/cluster/recorder.ts"
import type { Script } from "../../runtime/cluster/script.ts"
import { InvariantMonitor } from "../../sim/invariants.ts"

/** How a run is set up: the cluster, the seed of its timers and network, and whether it is healthy. */
export interface RunPlan {
  readonly cluster: ClusterOptions
  readonly seed: number
  /** No faults at all (clocked network, no drops, crashes or partitions): liveness applies. */
  readonly healthy: boolean
}

export type TraceCheck = (trace: ReadonlyArray<string>) => Failure | null

export interface RunChecks {
  /** Fresh observers for one run (they keep state across its steps). */
  readonly observers: () => ReadonlyArray<StepObserver>
  /** Checks of the whole trace, run at the end; when there are any, every run records its trace. */
  readonly traceChecks: ReadonlyArray<TraceCheck>
}

export const invariantObserver = (): StepObserver => {
  const monitor = new InvariantMonitor()
  return {
    check: "invariant",
    onStep: (step) => {
      const violation = monitor.check(step.event, step.before, step.after, step.nodes)
      return violation === null ? null : `${violation.invariant}: ${violation.detail}`
    }
  }
}

export const defaultChecks: RunChecks = { observers: () => [invariantObserver()], traceChecks: [] }

const LINCHECK_TIMEOUT_MS = 5000

/** The history in src/lincheck's terms: a cas carries [expected, new], an unanswered call returns never. */
export const lincheckOperations = (history: ReadonlyArray<ClientOperation>): Array<Operation<KvInput, unknown>> =>
  history.map((entry) => {
    const { op } = entry
    const value = op.f === "cas" ? [op.expected, op.value] : op.f === "get" ? undefined : op.value
    const input: KvInput = { f: op.f, key: op.key, session: entry.session, ...(value === undefined ? {} : { value }) }
    return {
      client: entry.client,
      input,
      call: entry.call,
      output: entry.answer === undefined ? Unknown : entry.answer.result,
      return: entry.return
    }
  })

export const linearizabilityFailure = (history: ReadonlyArray<ClientOperation>): Failure | null => {
  if (history.length === 0) return null
  const { model } = builtInModels["raft-kv"]
  const result = checkOperations(model, lincheckOperations(history) as never, { timeoutMs: LINCHECK_TIMEOUT_MS, verbose: true })
  if (result.verdict !== "illegal") return null
  return { check: "linearizability", detail: ["the clients' history is not linearizable:", ...explainIllegal(model, result)].join("\n"), seq: null }
}

export const ELECTIONS_ALLOWED = 3
export const LIVENESS_WINDOW_MS = 5000

export const livenessFailure = (summary: RunSummary): Failure | null => {
  const allowed = ELECTIONS_ALLOWED * Math.max(1, Math.ceil(summary.elapsedMs / LIVENESS_WINDOW_MS))
  if (summary.elections <= allowed) return null
  return {
    check: "liveness",
    detail: `${summary.elections} elections in ${Math.round(summary.elapsedMs)} ms of a healthy network (at most ${ELECTIONS_ALLOWED} per ${LIVENESS_WINDOW_MS} ms)`,
    seq: null
  }
}

/** The checks that look at a finished run, in order; the first failure counts. */
export const endOfRunFailure = (summary: RunSummary, plan: RunPlan, checks: RunChecks, trace: ReadonlyArray<string> | null): Failure | null => {
  if (trace !== null) {
    for (const check of checks.traceChecks) {
      const failure = check(trace)
      if (failure !== null) return failure
    }
  }
  return linearizabilityFailure(summary.history) ?? (plan.healthy ? livenessFailure(summary) : null)
}

export interface CheckedRun {
  readonly failure: Failure | null
  readonly run: ScriptRun
  /** The trace (header first), when it was recorded. */
  readonly trace: ReadonlyArray<string> | null
}

/** Runs a script and every check on it. `source` records the trace with this header source. */
export const checkScript = async (
  plan: RunPlan,
  script: Script,
  checks: RunChecks = defaultChecks,
  source?: Record<string, unknown>
): Promise<CheckedRun> => {
  const recording = source !== undefined || checks.traceChecks.length > 0
  const trace: Array<string> | null = recording ? [] : null
  const run = await runScript(
    {
      cluster: plan.cluster,
      seed: plan.seed,
      observers: checks.observers(),
      ...(trace === null ? {} : { traceLine: (line: string) => trace.push(line), source: source ?? {} })
    },
    script
  )
  return { failure: run.failure ?? endOfRunFailure(run, plan, checks, trace), run, trace }
}

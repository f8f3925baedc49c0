/**
 * The checks a cluster run goes through, and how a run is put through them.
 *
 * - invariant: src/sim's InvariantMonitor (the spec's invariants and action properties) after
 *   every step;
 * - linearizability: the clients' history against src/lincheck's Raft KV model, at the end;
 * - liveness, for runs over a healthy network: no leader churn;
 * - trace validation: a seam (see defaultChecks).
 */
import { builtInModels, checkOperations, Unknown, type KvInput, type Operation } from "../../lincheck/index.ts"
import { explainIllegal } from "../../lincheck/explain.ts"
import type { ClientOperation } from "../../runtime/cluster/clients.ts"
import type { ClusterOptions } from "../../runtime/cluster/cluster.ts"
import { runScript, type RunSummary, type ScriptRun } from "../../runtime/cluster/driver.ts"
import type { Failure, ObservedStep, StepObserver } from "../../runtime/cluster/recorder.ts"
import type { Script } from "../../runtime/cluster/script.ts"
import type { CheckName } from "../../raft/index.ts"
import { InvariantMonitor } from "../../sim/invariants.ts"

/** How a run is set up: the cluster, the seed of its timers and network, and whether it is healthy. */
export interface RunPlan {
  readonly cluster: ClusterOptions
  readonly seed: number
  /** No faults at all (clocked network, no drops, crashes or partitions): liveness applies. */
  readonly healthy: boolean
}

/** What a check sees of a finished run: its summary, and its trace when one was recorded. */
export interface FinishedRun {
  readonly summary: RunSummary
  readonly trace: ReadonlyArray<string> | null
}

/** One check on one run: it may watch every step, look at the finished run, or both. */
export interface RunCheck {
  readonly check: CheckName
  /** What is wrong after this step, or null. */
  readonly onStep?: (step: ObservedStep) => string | null
  /** What is wrong with the finished run, or null. */
  readonly atEnd?: (run: FinishedRun) => string | null
}

export interface RunChecks {
  /** Fresh checks for one run (they may keep state across its steps). */
  readonly forRun: (plan: RunPlan) => ReadonlyArray<RunCheck>
  /** Some check reads the trace text (trace validation): every run then records it. */
  readonly needsTrace: boolean
}

export const invariantCheck = (): RunCheck => {
  const monitor = new InvariantMonitor()
  return {
    check: "invariant",
    onStep: (step) => {
      const violation = monitor.check(step.event, step.before, step.after, step.nodes)
      return violation === null ? null : `${violation.invariant}: ${violation.detail}`
    }
  }
}

const LINCHECK_TIMEOUT_MS = 5000

/** The history in src/lincheck's terms: a cas carries [expected, new], an unanswered call returns never. */
export const lincheckOperations = (history: ReadonlyArray<ClientOperation>): Array<Operation<KvInput, unknown>> =>
  history.map((entry) => {
    const { op } = entry
    const value = op.f === "cas" ? [op.expected, op.value] : "value" in op ? op.value : undefined
    const input: KvInput = { f: op.f, key: op.key, ...(entry.session && { session: entry.session }), ...(value === undefined ? {} : { value }) }
    return {
      client: entry.client,
      input,
      call: entry.call,
      output: entry.answer === undefined ? Unknown : entry.answer.result,
      return: entry.return
    }
  })

export const linearizabilityCheck = (): RunCheck => ({
  check: "linearizability",
  atEnd: ({ summary }) => {
    if (summary.history.length === 0) return null
    const { model } = builtInModels["raft-kv"]
    const result = checkOperations(model, lincheckOperations(summary.history) as never, { timeoutMs: LINCHECK_TIMEOUT_MS, verbose: true })
    if (result.verdict !== "illegal") return null
    return ["the clients' history is not linearizable:", ...explainIllegal(model, result)].join("\n")
  }
})

export const ELECTIONS_ALLOWED = 2
export const LIVENESS_WINDOW_MS = 5000

/**
 * Under a healthy network a leader, once elected, stays: at most ELECTIONS_ALLOWED further
 * elections per LIVENESS_WINDOW_MS of simulated time. Elections before the first leader (split
 * votes) do not count.
 */
export const livenessCheck = (): RunCheck => {
  let leaderElected = false
  let elections = 0
  return {
    check: "liveness",
    onStep: (step) => {
      if (step.event.action === "BecomeLeader") leaderElected = true
      else if (step.event.action === "Timeout" && leaderElected) elections++
      return null
    },
    atEnd: ({ summary }) => {
      const allowed = ELECTIONS_ALLOWED * Math.max(1, Math.ceil(summary.elapsedMs / LIVENESS_WINDOW_MS))
      if (elections <= allowed) return null
      return `${elections} elections after the first leader in ${Math.round(summary.elapsedMs)} ms of a healthy network (at most ${ELECTIONS_ALLOWED} per ${LIVENESS_WINDOW_MS} ms)`
    }
  }
}

/**
 * The checks available today. Trace validation against spec/Raft.tla is the seam left open: a
 * RunCheck named "trace-validation" whose atEnd reads the trace (set needsTrace), or whose onStep
 * validates each step as it is taken.
 */
export const defaultChecks: RunChecks = {
  forRun: (plan) => [invariantCheck(), linearizabilityCheck(), ...(plan.healthy ? [livenessCheck()] : [])],
  needsTrace: false
}

/** The step watchers of a run's checks, for the cluster's recorder. */
export const observersOf = (checks: ReadonlyArray<RunCheck>): Array<StepObserver> =>
  checks.flatMap(({ check, onStep }) => (onStep === undefined ? [] : [{ check, onStep }]))

/** The first end-of-run failure among the checks, in order. */
export const endOfRunFailure = (checks: ReadonlyArray<RunCheck>, run: FinishedRun): Failure | null => {
  for (const { check, atEnd } of checks) {
    const detail = atEnd?.(run) ?? null
    if (detail !== null) return { check, detail, seq: null }
  }
  return null
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
  const trace: Array<string> | null = source !== undefined || checks.needsTrace ? [] : null
  const runChecks = checks.forRun(plan)
  const run = await runScript(
    {
      cluster: plan.cluster,
      seed: plan.seed,
      observers: observersOf(runChecks),
      ...(trace === null ? {} : { traceLine: (line: string) => trace.push(line), source: source ?? {} })
    },
    script
  )
  return { failure: run.failure ?? endOfRunFailure(runChecks, { summary: run, trace }), run, trace }
}

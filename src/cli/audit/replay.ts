/**
 * Replaying a counterexample file: the same cluster, seed and script, with the bug switched on (or
 * off, to show the failure is the bug's), through the same checks.
 */
import type { Failure } from "../../runtime/cluster/recorder.ts"
import { checkScript, defaultChecks, type RunChecks } from "./checks.ts"
import { clusterOfHeader, type CounterexampleHeader } from "./counterexample.ts"

export interface Replay {
  /** The first check that failed in the replay, if any. */
  readonly failure: Failure | null
  /** The same check failed as the file records. */
  readonly reproduced: boolean
  /** The replay took exactly the steps the file records, up to the failing one. */
  readonly sameTrace: boolean
}

export const replayCounterexample = async (
  header: CounterexampleHeader,
  /** The file's lines after the header. */
  recordedSteps: ReadonlyArray<string>,
  bugOn: boolean,
  checks: RunChecks = defaultChecks
): Promise<Replay> => {
  const plan = { cluster: clusterOfHeader(header, bugOn), seed: header.seed, healthy: header.healthy }
  const { failure, trace } = await checkScript(plan, header.script, checks, { producer: "raft-tla audit --replay" })
  const steps = (trace ?? []).slice(1, 1 + recordedSteps.length)
  const sameTrace = steps.length === recordedSteps.length && steps.every((line, index) => line === recordedSteps[index])
  return { failure, reproduced: failure?.check === header.caughtBy, sameTrace }
}

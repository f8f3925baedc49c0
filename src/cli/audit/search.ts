/**
 * Random search for a failing run: fast-check generates command sequences (fc.commands), runs them
 * on a fresh cluster with fc.asyncModelRun, puts every run through the checks, and shrinks the
 * first failure it finds. Reproducible: the same seed gives the same runs.
 */
import fc from "fast-check"
import { type ClusterOptions, Cluster, defaultClusterOptions } from "../../runtime/cluster/cluster.ts"
import { ClusterDriver } from "../../runtime/cluster/driver.ts"
import {
  CheckFailed,
  type ClusterUnderTest,
  type CommandWeights,
  faultCommands,
  healthyCommands,
  initialModel
} from "../../runtime/cluster/model-based.ts"
import type { Failure } from "../../runtime/cluster/recorder.ts"
import type { Script } from "../../runtime/cluster/script.ts"
import { defaultChecks, endOfRunFailure, observersOf, type RunChecks, type RunPlan } from "./checks.ts"

/** What kind of runs to generate. */
export interface SearchSpace {
  /** Faults (network driven by hand) for safety; or a healthy clocked network for liveness. */
  readonly kind: "faults" | "healthy"
  readonly bugs: ReadonlySet<string>
  /** Cluster sizes to draw from. */
  readonly servers: ReadonlyArray<number>
  readonly maxCommands: number
  readonly weights?: CommandWeights
  /** Nodes snapshot on their own past this many uncompacted committed entries (0: only when told). */
  readonly snapshotThreshold?: number
}

export interface SearchLimits {
  /** fast-check's seed: the same seed, the same runs. */
  readonly seed: number
  /** Stop after this many runs... */
  readonly runs: number
  /** ...or after this much time, whichever comes first (0: no time limit). */
  readonly timeLimitMs: number
}

export interface Found {
  readonly failure: Failure
  readonly plan: RunPlan
  /** The shrunk script of the failing run. */
  readonly script: Script
}

export interface SearchOutcome {
  readonly found: Found | null
  /** Runs tried before the first failure (or in all, when none failed). */
  readonly runs: number
  /** When the first failure was seen (ms after the start), before shrinking. */
  readonly firstFailureMs: number | null
  /** fast-check's report: seed, path and counterexample. */
  readonly report: string
}

const HEALTHY_NETWORK = { kind: "clocked", faults: { dropProbability: 0, duplicateProbability: 0, delay: [1, 10] } } as const

const clusterOf = (space: SearchSpace, servers: number): ClusterOptions => ({
  ...defaultClusterOptions,
  servers,
  bugs: space.bugs,
  snapshotThreshold: space.snapshotThreshold ?? 0,
  network: space.kind === "healthy" ? HEALTHY_NETWORK : { kind: "manual" }
})

/** Runs one generated run on a fresh cluster; throws CheckFailed on the first failure. */
const runOnce = async (
  plan: RunPlan,
  commands: Iterable<fc.AsyncCommand<ReturnType<typeof initialModel>, ClusterUnderTest>>,
  checks: RunChecks,
  real: { current: ClusterUnderTest | null }
): Promise<void> => {
  const trace: Array<string> | null = checks.needsTrace ? [] : null
  const runChecks = checks.forRun(plan)
  const driver = await ClusterDriver.start({
    cluster: plan.cluster,
    seed: plan.seed,
    observers: observersOf(runChecks),
    ...(trace === null ? {} : { traceLine: (line: string) => trace.push(line) })
  })
  const underTest: ClusterUnderTest = { driver, executed: [] }
  real.current = underTest
  try {
    await fc.asyncModelRun(() => ({ model: initialModel(), real: underTest }), commands)
    const failure = endOfRunFailure(runChecks, { summary: await driver.summary(), trace })
    if (failure !== null) throw new CheckFailed(failure)
  } finally {
    await driver.close()
  }
}

export const search = async (space: SearchSpace, limits: SearchLimits, checks: RunChecks = defaultChecks): Promise<SearchOutcome> => {
  const started = performance.now()
  let runs = 0
  let firstFailureMs: number | null = null
  let last: Found | null = null
  const runCommands = (servers: number) => {
    const names = Cluster.serverNames({ ...defaultClusterOptions, servers })
    const arbitraries = space.kind === "healthy" ? healthyCommands() : faultCommands(names, space.weights)
    return fc.commands(arbitraries, { maxCommands: space.maxCommands, size: "max" })
  }
  const property = fc.asyncProperty(
    fc.integer({ min: 1, max: 0x7fffffff }),
    fc.constantFrom(...space.servers).chain((servers) => fc.tuple(fc.constant(servers), runCommands(servers))),
    async (seed, [servers, commands]) => {
      if (firstFailureMs === null) runs++
      const plan: RunPlan = { cluster: clusterOf(space, servers), seed, healthy: space.kind === "healthy" }
      const real: { current: ClusterUnderTest | null } = { current: null }
      try {
        await runOnce(plan, commands, checks, real)
      } catch (error) {
        if (error instanceof CheckFailed) {
          firstFailureMs ??= performance.now() - started
          // fast-check shrinks by failing again: the last failure seen is the smallest.
          last = { failure: error.failure, plan, script: [...(real.current?.executed ?? [])] }
        }
        throw error
      }
    }
  )
  const result = await fc.check(property, {
    seed: limits.seed,
    numRuns: limits.runs,
    plugins: limits.timeLimitMs > 0 ? [fc.interruptAfterTimeLimit(limits.timeLimitMs)] : []
  })
  const report = fc.defaultReportMessage(result) ?? ""
  // Anything but a check's finding is a defect of the runtime or of a check, not a catch.
  if (result.failed && !(result.errorInstance instanceof CheckFailed)) throw new Error(report)
  return { found: result.failed ? last : null, runs, firstFailureMs, report }
}

/**
 * The audit: for each catalogued bug, switch it on and run the checks until one fails; shrink the
 * failing run and write it as a counterexample. With every flag off, the same checks must pass.
 *
 * Catchers are tried in order. The built-in one runs clusters of the runtime (first the bug's
 * targeted scenario, then random model-based search) through the invariant, linearizability and
 * liveness checks, plus any trace checks. Model checking of the spec mutated like the bug is a seam:
 * another Catcher added to `catchers`.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import * as path from "node:path"
import { type BugName, bugNamed, type CheckName } from "../../raft/index.ts"
import type { Failure } from "../../runtime/cluster/recorder.ts"
import type { Script } from "../../runtime/cluster/script.ts"
import { checkScript, defaultChecks, type RunChecks, type RunPlan } from "./checks.ts"
import { type CounterexampleHeader, withCounterexample } from "./counterexample.ts"
import { SCENARIOS, scenarioFor } from "./scenarios.ts"
import { search, type SearchSpace, type Found } from "./search.ts"
import { shrinkScript } from "./shrink.ts"

export interface Catch {
  readonly check: CheckName
  readonly detail: string
  /** How it was found, e.g. "targeted scenario" or "random search, 120 runs". */
  readonly how: string
  /** Seconds from the start until a check first failed (shrinking not included). */
  readonly seconds: number
  /** Commands in the counterexample after shrinking. */
  readonly steps: number
  /** Spec steps in its trace, up to the failing one. */
  readonly traceSteps: number
  /** The counterexample file written, if any. */
  readonly file: string | null
}

/** A way to catch a bug within a time budget; the runtime's checks are one, model checking another. */
export interface Catcher {
  readonly name: string
  readonly tryToCatch: (bug: BugName, budgetMs: number) => Promise<Catch | null>
}

export interface AuditOptions {
  /** Time per bug for searching (a scenario always runs to its end). */
  readonly budgetMs: number
  /** At most this many random runs per search. */
  readonly searchRuns: number
  readonly seed: number
  /** Try the bug's targeted scenario before random search. */
  readonly scenarios: boolean
  /** Time allowed for shrinking a counterexample; 0: keep it as found. */
  readonly shrinkMs: number
  /** Where to write <bug>.ndjson; null: nowhere. */
  readonly outDir: string | null
  readonly checks: RunChecks
}

export const defaultAuditOptions: AuditOptions = {
  budgetMs: 10_000,
  searchRuns: 1_000_000,
  seed: 1,
  scenarios: true,
  shrinkMs: 20_000,
  outDir: "traces/counterexamples",
  checks: defaultChecks
}

const bugsOn = (bug: BugName | null): ReadonlySet<string> => new Set(bug === null ? [] : [bug])

const spaceFor = (bug: BugName | null, kind: SearchSpace["kind"]): SearchSpace => ({
  kind,
  bugs: bugsOn(bug),
  servers: [3, 5],
  maxCommands: kind === "healthy" ? 12 : 40
})

/** Bugs only a liveness check can see are searched for over a healthy network. */
const searchKind = (bug: BugName): SearchSpace["kind"] => (bugNamed(bug).caughtBy[0] === "liveness" ? "healthy" : "faults")

const failsWith = (plan: RunPlan, checks: RunChecks, check: CheckName) => async (script: Script) =>
  (await checkScript(plan, script, checks)).failure?.check === check

/**
 * Replays a failing script with its trace recorded and writes it as a counterexample file, cut at
 * the failing step. Returns the failure the replay ended with and how many spec steps lead to it.
 */
export const writeCounterexample = async (
  file: string,
  bug: BugName | null,
  found: Found,
  checks: RunChecks
): Promise<{ readonly failure: Failure; readonly traceSteps: number }> => {
  const { plan, script } = found
  const replay = await checkScript(plan, script, checks, { producer: "raft-tla audit" })
  const failure = replay.failure ?? found.failure
  const trace = replay.trace ?? []
  const traceSteps = Math.min(failure.seq ?? trace.length - 1, trace.length - 1)
  const header: CounterexampleHeader = {
    bug,
    caughtBy: failure.check,
    failure: failure.detail,
    failedAtStep: failure.seq,
    seed: plan.seed,
    cluster: {
      servers: plan.cluster.servers,
      timing: plan.cluster.timing,
      network: plan.cluster.network,
      snapshotThreshold: plan.cluster.snapshotThreshold
    },
    healthy: plan.healthy,
    script
  }
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, [withCounterexample(trace[0], header), ...trace.slice(1, traceSteps + 1)].join("\n") + "\n")
  return { failure, traceSteps }
}

/** Shrinks the failing script, then writes it (when there is an output directory). */
const settleCatch = async (bug: BugName, found: Found, how: string, seconds: number, options: AuditOptions): Promise<Catch> => {
  const { plan, failure } = found
  const script =
    options.shrinkMs > 0
      ? await shrinkScript(found.script, failsWith(plan, options.checks, failure.check), performance.now() + options.shrinkMs)
      : found.script
  const shrunk: Found = { ...found, script }
  if (options.outDir === null) {
    const replay = await checkScript(plan, script, options.checks)
    const final = replay.failure ?? failure
    return { check: final.check, detail: final.detail, how, seconds, steps: script.length, traceSteps: final.seq ?? replay.run.steps, file: null }
  }
  const file = path.join(options.outDir, `${bug}.ndjson`)
  const written = await writeCounterexample(file, bug, shrunk, options.checks)
  return { check: written.failure.check, detail: written.failure.detail, how, seconds, steps: script.length, traceSteps: written.traceSteps, file }
}

/** The built-in catcher: runtime clusters through the runtime's checks. */
export const runtimeCatcher = (options: AuditOptions): Catcher => ({
  name: "runtime checks",
  tryToCatch: async (bug, budgetMs) => {
    const started = performance.now()
    const elapsed = () => (performance.now() - started) / 1000
    if (options.scenarios) {
      const scenario = scenarioFor(bug)
      const plan: RunPlan = { cluster: { ...scenario.cluster, bugs: bugsOn(bug) }, seed: scenario.seed, healthy: scenario.healthy }
      const run = await checkScript(plan, scenario.script, options.checks)
      if (run.failure !== null) {
        const found: Found = { failure: run.failure, plan, script: scenario.script.slice(0, run.run.executed) }
        return settleCatch(bug, found, "targeted scenario", elapsed(), options)
      }
    }
    const searchStarted = performance.now()
    const remaining = Math.max(1, budgetMs - (searchStarted - started))
    const outcome = await search(spaceFor(bug, searchKind(bug)), { seed: options.seed, runs: options.searchRuns, timeLimitMs: remaining }, options.checks)
    if (outcome.found === null) return null
    const seconds = (searchStarted - started + (outcome.firstFailureMs ?? 0)) / 1000
    return settleCatch(bug, outcome.found, `random search, ${outcome.runs} runs`, seconds, options)
  }
})

export interface AuditRow {
  readonly bug: BugName
  readonly caught: Catch | null
}

export const auditBug = async (bug: BugName, options: AuditOptions, catchers: ReadonlyArray<Catcher>): Promise<AuditRow> => {
  for (const catcher of catchers) {
    const caught = await catcher.tryToCatch(bug, options.budgetMs)
    if (caught !== null) return { bug, caught }
  }
  return { bug, caught: null }
}

export interface CleanRun {
  /**
   * The first check that failed with every flag off: a false alarm, or a bug in the runtime. The
   * run is written to <out>/every-flag-off.ndjson, when there is an output directory.
   */
  readonly failure: { readonly check: CheckName; readonly detail: string; readonly where: string; readonly file: string | null } | null
  readonly scenarios: number
  readonly randomRuns: number
  readonly seconds: number
}

/** With every flag off: every scenario and random runs of both kinds must pass every check. */
export const auditClean = async (options: AuditOptions): Promise<CleanRun> => {
  const started = performance.now()
  let randomRuns = 0
  const report = async (found: Found, where: string): Promise<CleanRun> => {
    const file = options.outDir === null ? null : path.join(options.outDir, "every-flag-off.ndjson")
    if (file !== null) await writeCounterexample(file, null, found, options.checks)
    const { check, detail } = found.failure
    return { failure: { check, detail, where, file }, scenarios: SCENARIOS.length, randomRuns, seconds: (performance.now() - started) / 1000 }
  }
  for (const scenario of SCENARIOS) {
    const plan: RunPlan = { cluster: { ...scenario.cluster, bugs: bugsOn(null) }, seed: scenario.seed, healthy: scenario.healthy }
    const { failure, run } = await checkScript(plan, scenario.script, options.checks)
    if (failure !== null) return report({ failure, plan, script: scenario.script.slice(0, run.executed) }, `the scenario for ${scenario.bug}`)
  }
  for (const kind of ["faults", "healthy"] as const) {
    const outcome = await search(spaceFor(null, kind), { seed: options.seed, runs: options.searchRuns, timeLimitMs: options.budgetMs / 2 }, options.checks)
    randomRuns += outcome.runs
    if (outcome.found !== null) return report(outcome.found, `random ${kind} runs\n${outcome.report}`)
  }
  return { failure: null, scenarios: SCENARIOS.length, randomRuns, seconds: (performance.now() - started) / 1000 }
}

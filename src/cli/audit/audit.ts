/**
 * The audit: for each catalogued bug, switch it on and run the checks until one fails; shrink the
 * failing run and write it as a counterexample. Then ask every other check whether it catches the
 * bug too. With every flag off, the same checks must pass.
 *
 * Catchers each report what their checks found. The runtime's (./runtime-catcher.ts) runs
 * clusters (the bug's targeted scenario, then random model-based search) through the invariant,
 * trace-validation, linearizability and liveness checks; model checking
 * (./model-checking.ts) explores the spec mutated like the bug.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import * as path from "node:path"
import { BUG_NAMES, type BugName, type CheckName } from "../../raft/index.ts"
import type { Failure } from "../../runtime/cluster/recorder.ts"
import { checkScript, defaultChecks, type RunChecks, type RunPlan } from "./checks.ts"
import { type CounterexampleHeader, withCounterexample } from "./counterexample.ts"
import { checkModel, MODEL, modelCheck } from "./model-checking.ts"
import { SCENARIOS } from "./scenarios.ts"
import { search, type SearchSpace, type Found } from "./search.ts"
import { specMutationOf } from "./spec-mutations.ts"

/** What one check found for one bug. */
export interface Catch {
  readonly check: CheckName
  readonly detail: string
  /** How it was found, e.g. "targeted scenario", "random search, 120 runs", "breadth-first search, ...". */
  readonly how: string
  /** Seconds from the start until the check failed (shrinking not included). */
  readonly seconds: number
  /** Commands in the counterexample's script after shrinking; null for model checking, which has none. */
  readonly steps: number | null
  /** Spec steps in its trace, up to the failing one. */
  readonly traceSteps: number
  /** The counterexample file written, if any. */
  readonly file: string | null
}

/** A check that did not catch the bug, and why; `applies` false: it could not have (n/a). */
export interface Miss {
  readonly check: CheckName
  readonly applies: boolean
  readonly why: string
}

export interface Findings {
  readonly catches: ReadonlyArray<Catch>
  readonly misses: ReadonlyArray<Miss>
}

/** A way to catch bugs; each reports what every check it runs found. */
export interface Catcher {
  readonly name: string
  readonly tryToCatch: (bug: BugName) => Promise<Findings>
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
  /** Where to write <bug>.ndjson and <bug>.spec.ndjson; null: nowhere. */
  readonly outDir: string | null
  readonly checks: RunChecks
  /** Distinct states model checking may explore per bug (0: no model checking). */
  readonly modelStates: number
  /** With every flag off: distinct states explored of each bug's model without its mutation. */
  readonly cleanModelStates: number
}

export const defaultAuditOptions: AuditOptions = {
  budgetMs: 10_000,
  searchRuns: 1_000_000,
  seed: 1,
  scenarios: true,
  shrinkMs: 20_000,
  outDir: "traces/counterexamples",
  checks: defaultChecks,
  modelStates: 200_000,
  cleanModelStates: 10_000
}

export const bugsOn = (bug: BugName | null): ReadonlySet<string> => new Set(bug === null ? [] : [bug])

export const spaceFor = (bug: BugName | null, kind: SearchSpace["kind"]): SearchSpace => ({
  kind,
  bugs: bugsOn(bug),
  servers: [3, 5],
  maxCommands: kind === "healthy" ? 12 : 40
})

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

export interface AuditRow {
  readonly bug: BugName
  /** The first check that caught the bug: the one that failed first in the run that found it. */
  readonly caught: Catch | null
  /** Every check that caught it, the first one first. */
  readonly catches: ReadonlyArray<Catch>
  readonly misses: ReadonlyArray<Miss>
}

export const auditBug = async (bug: BugName, catchers: ReadonlyArray<Catcher>): Promise<AuditRow> => {
  const catches: Catch[] = []
  const misses: Miss[] = []
  for (const catcher of catchers) {
    const found = await catcher.tryToCatch(bug)
    catches.push(...found.catches)
    misses.push(...found.misses)
  }
  return { bug, caught: catches[0] ?? null, catches, misses }
}

export interface CleanRun {
  /**
   * The first check that failed with every flag off: a false alarm, or a bug in the runtime or the
   * spec. A failing run is written to <out>/every-flag-off.ndjson, when there is an output directory.
   */
  readonly failure: { readonly check: CheckName; readonly detail: string; readonly where: string; readonly file: string | null } | null
  readonly scenarios: number
  readonly randomRuns: number
  /** The models checked without mutations (MCRaft's own, then each bug's), and the distinct states explored in all. */
  readonly models: number
  readonly modelStates: number
  readonly seconds: number
  /** Of which model checking took this much. */
  readonly modelSeconds: number
}

/**
 * With every flag off: every scenario and random runs of both kinds must pass every check, and
 * spec/MCRaft.cfg and each bug's model without its mutation must have no violation (up to
 * options.cleanModelStates distinct states each).
 */
export const auditClean = async (options: AuditOptions): Promise<CleanRun> => {
  const started = performance.now()
  let randomRuns = 0
  let models = 0
  let modelStates = 0
  let modelsStarted: number | null = null
  const done = (failure: CleanRun["failure"]): CleanRun => ({
    failure,
    scenarios: SCENARIOS.length,
    randomRuns,
    models,
    modelStates,
    seconds: (performance.now() - started) / 1000,
    modelSeconds: modelsStarted === null ? 0 : (performance.now() - modelsStarted) / 1000
  })
  const report = async (found: Found, where: string): Promise<CleanRun> => {
    const file = options.outDir === null ? null : path.join(options.outDir, "every-flag-off.ndjson")
    if (file !== null) await writeCounterexample(file, null, found, options.checks)
    const { check, detail } = found.failure
    return done({ check, detail, where, file })
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
  if (options.cleanModelStates > 0) {
    modelsStarted = performance.now()
    const own = checkModel(options.cleanModelStates)
    models++
    modelStates += own.distinct
    if (own.problem !== null) return done({ check: "model-checking", detail: own.problem, where: `${MODEL.module} with ${MODEL.config}`, file: null })
    for (const bug of BUG_NAMES) {
      const mutation = specMutationOf(bug)
      if ("none" in mutation) continue
      const result = modelCheck(mutation, options.cleanModelStates, false)
      models++
      modelStates += result.found ? result.counterexample.distinct : result.distinct
      if (result.found) {
        const { violated, message } = result.counterexample
        return done({ check: "model-checking", detail: `${violated}: ${message}`, where: `${mutation.module} without ${mutation.substitution}`, file: null })
      }
      if (result.error !== undefined) return done({ check: "model-checking", detail: result.error, where: `${mutation.module} without ${mutation.substitution}`, file: null })
    }
  }
  return done(null)
}

/**
 * The runtime's catcher: clusters of the runtime run with the bug switched on, first its targeted
 * scenario, then random model-based search, through every check of a run. The first check to fail
 * gives the counterexample, shrunk and written to <out>/<bug>.ndjson. Then the failing run is
 * given to each other check alone, to see whether it catches the bug too (and with how short a
 * script, shrunk for that check).
 */
import * as path from "node:path"
import { type BugName, bugNamed, CHECKS, type CheckName } from "../../raft/index.ts"
import type { Script } from "../../runtime/cluster/script.ts"
import { type AuditOptions, bugsOn, type Catch, type Catcher, type Findings, type Miss, spaceFor, writeCounterexample } from "./audit.ts"
import { checkScript, onlyOf, type RunChecks, type RunPlan } from "./checks.ts"
import { scenarioFor } from "./scenarios.ts"
import { type Found, search, type SearchSpace } from "./search.ts"
import { shrinkScript } from "./shrink.ts"

/** Bugs only a liveness check can see are searched for over a healthy network. */
const searchKind = (bug: BugName): SearchSpace["kind"] => (bugNamed(bug).caughtBy[0] === "liveness" ? "healthy" : "faults")

const failsWith = (plan: RunPlan, checks: RunChecks, check: CheckName) => async (script: Script) =>
  (await checkScript(plan, script, checks)).failure?.check === check

/** A failing run, how it was found, and when (seconds from the start) a check first failed on it. */
interface Discovery {
  readonly found: Found
  /**
   * The whole script the failing run came from: the scenario's, which goes on after the first
   * failure (another check may fail later on), or the search's run up to its failure.
   */
  readonly whole: Script
  readonly how: string
  readonly seconds: number
}

const discover = async (bug: BugName, options: AuditOptions): Promise<Discovery | null> => {
  const started = performance.now()
  if (options.scenarios) {
    const scenario = scenarioFor(bug)
    const plan: RunPlan = { cluster: { ...scenario.cluster, bugs: bugsOn(bug) }, seed: scenario.seed, healthy: scenario.healthy }
    const run = await checkScript(plan, scenario.script, options.checks)
    if (run.failure !== null) {
      const found: Found = { failure: run.failure, plan, script: scenario.script.slice(0, run.run.executed) }
      return { found, whole: scenario.script, how: "targeted scenario", seconds: (performance.now() - started) / 1000 }
    }
  }
  const searchStarted = performance.now()
  const remaining = Math.max(1, options.budgetMs - (searchStarted - started))
  const outcome = await search(spaceFor(bug, searchKind(bug)), { seed: options.seed, runs: options.searchRuns, timeLimitMs: remaining }, options.checks)
  if (outcome.found === null) return null
  const seconds = (searchStarted - started + (outcome.firstFailureMs ?? 0)) / 1000
  return { found: outcome.found, whole: outcome.found.script, how: `random search, ${outcome.runs} runs`, seconds }
}

/** Shrinks a failing script for one check (when shrinking is on), keeping it failing that check. */
const shrunkFor = (found: Found, checks: RunChecks, check: CheckName, options: AuditOptions): Promise<Script> =>
  options.shrinkMs > 0 ? shrinkScript(found.script, failsWith(found.plan, checks, check), performance.now() + options.shrinkMs) : Promise.resolve(found.script)

/** The first check's catch: its shrunk script is the counterexample written for the bug. */
const firstCatch = async (bug: BugName, discovery: Discovery, options: AuditOptions): Promise<Catch> => {
  const { found, how, seconds } = discovery
  const script = await shrunkFor(found, options.checks, found.failure.check, options)
  const shrunk: Found = { ...found, script }
  if (options.outDir === null) {
    const replay = await checkScript(found.plan, script, options.checks)
    const final = replay.failure ?? found.failure
    return { check: final.check, detail: final.detail, how, seconds, steps: script.length, traceSteps: final.seq ?? replay.run.steps, file: null }
  }
  const file = path.join(options.outDir, `${bug}.ndjson`)
  const written = await writeCounterexample(file, bug, shrunk, options.checks)
  return { check: written.failure.check, detail: written.failure.detail, how, seconds, steps: script.length, traceSteps: written.traceSteps, file }
}

/** Whether `check`, alone, catches the bug on the discovered run; with its own shrunk script. */
const alsoCatches = async (check: CheckName, discovery: Discovery, options: AuditOptions): Promise<Catch | Miss> => {
  const checks = onlyOf(options.checks, check)
  const started = performance.now()
  const run = await checkScript(discovery.found.plan, discovery.whole, checks)
  if (run.failure === null) return { check, applies: true, why: "passes the run that caught the bug" }
  const seconds = discovery.seconds + (performance.now() - started) / 1000
  const found: Found = { ...discovery.found, failure: run.failure, script: discovery.whole.slice(0, run.run.executed) }
  const script = await shrunkFor(found, checks, check, options)
  const replay = await checkScript(found.plan, script, checks)
  const final = replay.failure ?? run.failure
  return { check, detail: final.detail, how: discovery.how, seconds, steps: script.length, traceSteps: final.seq ?? replay.run.steps, file: null }
}

const isCatch = (x: Catch | Miss): x is Catch => "detail" in x

export const runtimeCatcher = (options: AuditOptions): Catcher => ({
  name: "runtime checks",
  tryToCatch: async (bug): Promise<Findings> => {
    const runtimeChecks = CHECKS.filter((check) => check !== "model-checking")
    const discovery = await discover(bug, options)
    if (discovery === null) {
      const why = `no run failed within ${options.budgetMs / 1000} s (${options.scenarios ? "targeted scenario and " : ""}random search)`
      return { catches: [], misses: runtimeChecks.map((check) => ({ check, applies: true, why })) }
    }
    const first = await firstCatch(bug, discovery, options)
    const watching = new Set(options.checks.forRun(discovery.found.plan).map((c) => c.check))
    const catches: Catch[] = [first]
    const misses: Miss[] = []
    for (const check of runtimeChecks) {
      if (check === first.check) continue
      if (!watching.has(check)) {
        misses.push({ check, applies: false, why: check === "liveness" ? "watches healthy runs only" : "not among the checks of this audit" })
        continue
      }
      const also = await alsoCatches(check, discovery, options)
      if (isCatch(also)) catches.push(also)
      else misses.push(also)
    }
    return { catches, misses }
  }
})

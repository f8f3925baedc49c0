/**
 * Time to catch and counterexample length for every bug of the catalogue, per check: model checking
 * of the spec mutated like the bug, trace validation, invariants, linearizability, liveness. The
 * runtime's checks are asked twice: on the bug's targeted scenario, and on what random
 * model-based search alone (no scenario) finds within a budget. Also: random runs per second with
 * every flag off. Run with
 * `npx tsx test/bench/audit.ts [search budget in seconds, default 10] [seed, default 1] [model states, default 200000]`;
 * prints figures, asserts nothing, writes no files.
 */
import { auditBug, auditClean, type AuditOptions, type AuditRow, defaultAuditOptions } from "../../src/cli/audit/audit.ts"
import { modelCheckingCatcher } from "../../src/cli/audit/model-checking.ts"
import { runtimeCatcher } from "../../src/cli/audit/runtime-catcher.ts"
import { BUG_NAMES, CHECKS } from "../../src/raft/index.ts"

const budgetSeconds = Number(process.argv[2] ?? 10)
const seed = Number(process.argv[3] ?? 1)
const modelStates = Number(process.argv[4] ?? 200_000)

const base: AuditOptions = { ...defaultAuditOptions, budgetMs: budgetSeconds * 1000, seed, outDir: null, shrinkMs: 20_000, modelStates }
const searchOnly: AuditOptions = { ...base, scenarios: false }

const pad = (text: string, width: number) => text.padEnd(width)

/** A check's figures: time to catch, commands after shrinking (spec steps), or why not. */
const figures = (row: AuditRow, check: string): string => {
  const caught = row.catches.find((c) => c.check === check)
  if (caught !== undefined) return `${caught.seconds.toFixed(2)} s, ${caught.steps === null ? "" : `${caught.steps} commands, `}${caught.traceSteps} spec steps`
  const miss = row.misses.find((m) => m.check === check)
  return miss === undefined ? "n/a" : miss.applies ? `not caught: ${miss.why}` : "n/a"
}

console.log(`search budget ${budgetSeconds} s per bug, seed ${seed}, model checking up to ${modelStates} distinct states per bug`)
for (const bug of BUG_NAMES) {
  const byScenario = await auditBug(bug, [runtimeCatcher(base), modelCheckingCatcher(base)])
  const bySearch = await auditBug(bug, [runtimeCatcher(searchOnly)])
  console.log(`${bug} (first: ${byScenario.caught?.check ?? "ESCAPED"})`)
  for (const check of CHECKS) {
    const scenario = figures(byScenario, check)
    const search = check === "model-checking" ? "" : `   search only: ${figures(bySearch, check)}${bySearch.caught === null ? "" : ` [${bySearch.caught.how}]`}`
    console.log(`  ${pad(check, 17)} ${check === "model-checking" ? scenario : `scenario: ${scenario}`}${search}`)
  }
}

const clean = await auditClean(base)
const runSeconds = clean.seconds - clean.modelSeconds
console.log(
  `every flag off: ${clean.failure === null ? "every check passes" : `FAILS ${clean.failure.check}`}; ` +
    `${clean.scenarios} scenarios and ${clean.randomRuns} random runs in ${runSeconds.toFixed(1)} s (${Math.round(clean.randomRuns / runSeconds)} runs/s, scenarios included); ` +
    `${clean.models} models without mutation (spec/MCRaft.cfg and each bug's), ${clean.modelStates} distinct states in ${clean.modelSeconds.toFixed(1)} s`
)

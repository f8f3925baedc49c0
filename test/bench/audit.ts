/**
 * Time to catch and counterexample length for every bug of the catalogue, found two ways: by the
 * bug's targeted scenario, and by random model-based search alone (no scenario) within a budget.
 * Also: random runs per second with every flag off. Run with
 * `npx tsx test/bench/audit.ts [search budget in seconds, default 10] [seed, default 1]`;
 * prints figures, asserts nothing, writes no files.
 */
import { auditBug, auditClean, type AuditOptions, defaultAuditOptions, runtimeCatcher } from "../../src/cli/audit/audit.ts"
import { BUG_NAMES } from "../../src/raft/index.ts"

const budgetSeconds = Number(process.argv[2] ?? 10)
const seed = Number(process.argv[3] ?? 1)

const base: AuditOptions = { ...defaultAuditOptions, budgetMs: budgetSeconds * 1000, seed, outDir: null, shrinkMs: 20_000 }

const cell = (text: string, width: number) => text.padEnd(width)

console.log(`search budget ${budgetSeconds} s per bug, seed ${seed}; commands after shrinking (spec steps up to the failure)`)
console.log(`${cell("bug", 30)} ${cell("scenario: time", 15)} ${cell("commands", 13)} ${cell("search only: time", 18)} ${cell("commands", 13)} check`)
for (const bug of BUG_NAMES) {
  const byScenario = await auditBug(bug, base, [runtimeCatcher(base)])
  const searchOnly = { ...base, scenarios: false }
  const bySearch = await auditBug(bug, searchOnly, [runtimeCatcher(searchOnly)])
  const time = (row: typeof byScenario) => (row.caught === null ? "escaped" : `${row.caught.seconds.toFixed(2)} s`)
  const length = (row: typeof byScenario) => (row.caught === null ? "-" : `${row.caught.steps} (${row.caught.traceSteps})`)
  const runs = bySearch.caught === null ? "" : ` [${bySearch.caught.how}]`
  console.log(
    `${cell(bug, 30)} ${cell(time(byScenario), 15)} ${cell(length(byScenario), 13)} ${cell(time(bySearch), 18)} ${cell(length(bySearch), 13)} ${byScenario.caught?.check ?? "-"}${runs}`
  )
}

const clean = await auditClean(base)
console.log(
  `every flag off: ${clean.failure === null ? "every check passes" : `FAILS ${clean.failure.check}`}; ` +
    `${clean.scenarios} scenarios and ${clean.randomRuns} random runs in ${clean.seconds.toFixed(1)} s ` +
    `(${Math.round(clean.randomRuns / clean.seconds)} runs/s)`
)

/**
 * `npm run bench [-- NAME...]`: runs the benchmark scripts one after another, each in its own
 * process so that one's heap and JIT state do not colour the next. Prints their figures; asserts
 * nothing. With names, runs only those (e.g. `npm run bench -- sim tla`).
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"

/** Every benchmark, in the order of the layers they measure. Arguments keep a run to minutes. */
const benches: ReadonlyArray<{ readonly name: string; readonly args: ReadonlyArray<string> }> = [
  { name: "sim", args: [] },
  { name: "values", args: [] },
  { name: "tla", args: [] },
  { name: "validate", args: [] },
  { name: "lincheck", args: [] },
  { name: "storage", args: [] },
  { name: "audit", args: [] },
  { name: "view", args: ["5000", "1000"] },
  { name: "cluster", args: [] }
]

const chosen = process.argv.slice(2)
const unknown = chosen.filter((name) => !benches.some((bench) => bench.name === name))
if (unknown.length > 0) {
  console.error(`error: no benchmark named ${unknown.join(", ")}; known: ${benches.map((b) => b.name).join(", ")}`)
  process.exit(2)
}

for (const bench of benches) {
  if (chosen.length > 0 && !chosen.includes(bench.name)) continue
  const script = fileURLToPath(new URL(`./${bench.name}.ts`, import.meta.url))
  if (!existsSync(script)) continue
  console.log(`\n=== ${bench.name} (test/bench/${bench.name}.ts) ===`)
  const run = spawnSync(process.execPath, ["--import", "tsx", script, ...bench.args], { stdio: "inherit" })
  if (run.status !== 0) console.log(`(${bench.name} exited with ${run.status ?? run.signal})`)
}

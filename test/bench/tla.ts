/**
 * Model-checker throughput: distinct states per second and peak memory (resident set size).
 * Run: node --import tsx test/bench/tla.ts [Spec.tla Model.cfg] [--max N]
 * Without a model it runs the shared corpus's TwoPCSix and ReplLogBig (when ../shared/tla-corpus
 * is beside the repo) and spec/MCRaft.cfg in full, then spec/MCRaftLarge.cfg stopped after --max
 * distinct states (default 500000; 0 runs it whole). With a model, --max bounds that model.
 * Prints figures; asserts nothing. Peak RSS is the process's, so it covers the models run so far.
 */
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { parseConfig } from "../../src/tla/eval/config.ts"
import { explore } from "../../src/tla/check/explore.ts"
import { loadModel } from "../../src/tla/eval/spec.ts"

const repo = fileURLToPath(new URL("../../", import.meta.url))
const args = process.argv.slice(2)
const maxIdx = args.indexOf("--max")
const max = maxIdx >= 0 ? Number(args[maxIdx + 1]) : 500_000
const positional = maxIdx < 0 ? args : args.filter((_, i) => i !== maxIdx && i !== maxIdx + 1)

// [spec, cfg, distinct-state cap (0: none)]
const models: Array<[string, string, number]> = []
if (positional.length >= 2) models.push([positional[0], positional[1], maxIdx >= 0 ? max : 0])
else {
  const corpus = `${repo}../shared/tla-corpus/`
  if (existsSync(corpus)) models.push([`${corpus}TwoPC.tla`, `${corpus}TwoPCSix.cfg`, 0], [`${corpus}ReplLog.tla`, `${corpus}ReplLogBig.cfg`, 0])
  models.push([`${repo}spec/MCRaft.tla`, `${repo}spec/MCRaft.cfg`, 0], [`${repo}spec/MCRaft.tla`, `${repo}spec/MCRaftLarge.cfg`, max])
}

let peakRss = 0
const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200)
sample.unref()

for (const [spec, cfgPath, cap] of models) {
  const model = loadModel(spec, parseConfig(readFileSync(cfgPath, "utf8"), cfgPath), { print: () => {} })
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const r = explore(model, { maxDistinct: cap })
  const wall = (performance.now() - t0) / 1000
  const cpu = (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6
  peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024)
  const name = cfgPath.split("/").pop()
  const partial = r.outcome === "ok" && r.queue > 0 ? ` (stopped at --max ${cap}, ${r.queue} left on queue)` : ""
  console.log(
    `${name}: ${r.outcome}, ${r.distinct} distinct, ${r.generated} generated, depth ${r.depth}${partial}; ` +
      `${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU; ${Math.round(r.distinct / wall)} distinct/s, ` +
      `${Math.round(r.generated / wall)} generated/s (wall); ${Math.round(r.distinct / cpu)} distinct/s per CPU second ` +
      `(the machine may be shared); peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`
  )
}

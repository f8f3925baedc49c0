/**
 * Linearizability checker benchmark: generates heavy histories, checks each in its own child
 * process, and prints check time (generation excluded) and peak memory. Never run by `npm test`.
 *
 *   npx tsx test/bench/lincheck.ts            # every case
 *   npx tsx test/bench/lincheck.ts kv-100k    # one case
 *
 * The histories are described in ./lincheck-histories.ts.
 */
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { builtInModels, checkOperations } from "../../src/lincheck/index.ts"
import { cases, concurrencyOf, generate } from "./lincheck-histories.ts"

const runOne = (name: string): void => {
  const spec = cases[name]
  const history = generate(spec)
  const { model } = builtInModels[spec.model]
  const started = performance.now()
  const result = checkOperations(model, history, { timeoutMs: Number(process.env.LINCHECK_BENCH_TIMEOUT_S ?? 120) * 1000, verbose: true })
  const ms = performance.now() - started
  const pending = history.filter((op) => op.return === Infinity).length
  console.log(
    JSON.stringify({
      case: name,
      model: spec.model,
      clients: spec.clients,
      ops: history.length,
      concurrency: Math.round(concurrencyOf(history) * 10) / 10,
      pending,
      partitions: result.partitions.length,
      verdict: result.verdict,
      ms: Math.round(ms),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024)
    })
  )
}

const chosen = process.argv.slice(2)
if (chosen.length === 1 && process.env.LINCHECK_BENCH_CHILD === "1") {
  runOne(chosen[0])
} else {
  const names = chosen.length > 0 ? chosen : Object.keys(cases)
  console.log(`lincheck bench on Node ${process.version}; each case in its own process (peak RSS is per case)`)
  for (const name of names) {
    if (!(name in cases)) throw new Error(`no case ${name}; cases: ${Object.keys(cases).join(", ")}`)
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], {
      env: { ...process.env, LINCHECK_BENCH_CHILD: "1" },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"]
    })
    process.stdout.write(child.stdout)
  }
}

/**
 * Trace validation speed and memory on long simulator traces (3 servers, all faults, seed 1):
 * a full-state trace and a delta trace, each written to a temporary file and validated in a
 * child process of its own, so that its peak memory is the validator's alone. The live heap is
 * sampled after a full GC at each progress report (every 2 s): it follows the size of the spec's
 * state, not the length of the trace. Each child first validates a short trace of the same kind,
 * so that the figure is not the JIT's warm-up. On a shared machine the figures per CPU second are
 * the steadier ones (the process's, which counts the engine's collector and compiler threads, and
 * on Linux its main thread's), and the load average of the machine is printed with each figure. With
 * REPEAT=N each trace is validated N times (a child each), every run is printed, then the median
 * and the best. With HEAP_MB set, the child's heap is capped: a
 * validator whose memory grew with the trace would not finish (a small heap makes V8 collect
 * more often, so the speed figure is lower then).
 *
 *   npx tsx test/bench/validate.ts [fullSteps] [deltaSteps]     (default 10000 and 1000000)
 *   REPEAT=5 npx tsx test/bench/validate.ts 10000 0            (full states only, five runs)
 *   HEAP_MB=160 npx tsx test/bench/validate.ts                  (the same, the heap capped)
 *
 * Prints figures, asserts nothing.
 */
import { spawnSync } from "node:child_process"
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { defaultOptions } from "../../src/sim/options.ts"
import { Simulator } from "../../src/sim/simulator.ts"
import { validateTrace } from "../../src/validate/index.ts"

const spec = fileURLToPath(new URL("../../spec/Raft.tla", import.meta.url))
const HEAP_MB = process.env.HEAP_MB
const REPEAT = Math.max(1, Number(process.env.REPEAT ?? 1))
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`
const count = (n: number) => Math.round(n).toLocaleString("en-US")

/**
 * CPU seconds of the main thread alone (Linux; undefined elsewhere): the process's CPU time also
 * counts the engine's threads that collect garbage and compile the spec's evaluator, which
 * compete with other work on a shared machine.
 */
const mainThreadSeconds = (): number | undefined => {
  const file = `/proc/self/task/${process.pid}/schedstat`
  return existsSync(file) ? Number(readFileSync(file, "utf8").split(" ")[0]) / 1e9 : undefined
}

/** In the child: validate a warm-up trace (JIT), then the measured one, and print the figures as JSON. */
const child = (warmup: string, file: string): void => {
  validateTrace(warmup, { spec })
  const heap: number[] = []
  const main = mainThreadSeconds()
  const cpu = process.cpuUsage()
  const { result } = validateTrace(file, {
    spec,
    progress: () => {
      global.gc?.()
      heap.push(process.memoryUsage().heapUsed)
    }
  })
  const used = process.cpuUsage(cpu)
  const mainAfter = mainThreadSeconds()
  if (result.failure !== undefined) throw new Error(`${file}: ${result.failure.headline} at step ${result.failure.seq}`)
  console.log(
    JSON.stringify({
      steps: result.steps,
      seconds: result.elapsedMs / 1000,
      cpuSeconds: (used.user + used.system) / 1e6,
      mainCpuSeconds: main === undefined || mainAfter === undefined ? undefined : mainAfter - main,
      stateMode: result.stateMode,
      invariants: result.invariants,
      maxRss: process.resourceUsage().maxRSS * 1024,
      heap
    })
  )
}

/** Writes a simulator trace, buffering lines so that writing does not dominate. */
const write = (file: string, steps: number, mode: "full" | "delta"): number => {
  const fd = openSync(file, "w")
  let buffer: string[] = []
  let size = 0
  const flush = () => {
    writeSync(fd, buffer.join(""))
    buffer = []
    size = 0
  }
  const start = performance.now()
  const sim = new Simulator(
    defaultOptions(1),
    (line) => {
      buffer.push(line, "\n")
      size += line.length
      if (size > 1 << 22) flush()
    },
    mode
  )
  sim.run(steps)
  flush()
  closeSync(fd)
  return (performance.now() - start) / 1000
}

const WARMUP_STEPS = 2000

/** Validates `file` in a child of its own; its figures. */
const validateInChild = (warmup: string, file: string) => {
  const cap = HEAP_MB === undefined ? [] : [`--max-old-space-size=${HEAP_MB}`]
  const args = ["--import", "tsx", "--expose-gc", ...cap, fileURLToPath(import.meta.url), "--child", warmup, file]
  const run = spawnSync(process.execPath, args, {
    encoding: "utf8",
    maxBuffer: 1 << 24
  })
  if (run.status !== 0) throw new Error(run.stderr)
  const r = JSON.parse(run.stdout.trim().split("\n").pop()!)
  return { ...r, load: loadavg()[0] } as {
    steps: number
    seconds: number
    cpuSeconds: number
    mainCpuSeconds?: number
    invariants: string[]
    maxRss: number
    heap: number[]
    load: number
  }
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const measure = (dir: string, steps: number, mode: "full" | "delta"): void => {
  const file = join(dir, `${mode}.ndjson`)
  const warmup = join(dir, `${mode}-warmup.ndjson`)
  write(warmup, WARMUP_STEPS, mode)
  const written = write(file, steps, mode)
  const runs = []
  for (let k = 0; k < REPEAT; k++) {
    const r = validateInChild(warmup, file)
    runs.push(r)
    const samples = r.heap.length === 0 ? "" : `; live heap after GC at each progress report: ${r.heap.map((h) => mb(h)).join(", ")}`
    console.log(
      `${mode} states: ${count(r.steps)} steps (${mb(statSync(file).size)}, written in ${written.toFixed(1)} s) validated in ${r.seconds.toFixed(1)} s: ` +
        `${count(r.steps / r.seconds)} steps/s (${count(r.steps / r.cpuSeconds)} per CPU second of the process, ` +
        `${r.mainCpuSeconds === undefined ? "" : `${count(r.steps / r.mainCpuSeconds)} of its main thread, `}load average ${r.load.toFixed(1)}); ` +
        `${HEAP_MB === undefined ? "" : `heap capped at ${HEAP_MB} MB, `}peak RSS ${mb(r.maxRss)}${samples}; invariants ${r.invariants.join(", ")}`
    )
  }
  if (REPEAT > 1) {
    const wall = runs.map((r) => r.steps / r.seconds)
    const cpu = runs.map((r) => r.steps / r.cpuSeconds)
    const main = runs.flatMap((r) => (r.mainCpuSeconds === undefined ? [] : [r.steps / r.mainCpuSeconds]))
    const perMain = (f: (xs: number[]) => number) => (main.length === 0 ? "" : `, ${count(f(main))} per main-thread CPU second`)
    console.log(
      `${mode} states over ${REPEAT} runs: median ${count(median(wall))} steps/s (${count(median(cpu))} per CPU second${perMain(median)}), ` +
        `best ${count(Math.max(...wall))} steps/s (${count(Math.max(...cpu))} per CPU second${perMain((xs) => Math.max(...xs))}), worst ${count(Math.min(...wall))} steps/s`
    )
  }
  rmSync(file)
  rmSync(warmup)
}

const childAt = process.argv.indexOf("--child")
if (childAt >= 0) child(process.argv[childAt + 1], process.argv[childAt + 2])
else {
  const fullSteps = Number(process.argv[2] ?? 10_000)
  const deltaSteps = Number(process.argv[3] ?? 1_000_000)
  const dir = mkdtempSync(join(tmpdir(), "raft-tla-bench-"))
  try {
    if (fullSteps > 0) measure(dir, fullSteps, "full")
    if (deltaSteps > 0) measure(dir, deltaSteps, "delta")
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

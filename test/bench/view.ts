/**
 * The trace viewer on a long simulator trace: how fast it reads a trace to the window it draws,
 * and how big the page is. Run with `npx tsx test/bench/view.ts [steps] [window]`; prints figures,
 * asserts nothing.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { buildTimeline } from "../../src/cli/view.ts"
import { renderMermaid } from "../../src/cli/view/mermaid.ts"
import { renderPage } from "../../src/cli/view/page.ts"
import { defaultOptions } from "../../src/sim/options.ts"
import { Simulator } from "../../src/sim/simulator.ts"

const steps = Number(process.argv[2] ?? 5000)
const window = Number(process.argv[3] ?? 1000)

const dir = mkdtempSync(join(tmpdir(), "raft-tla-bench-view-"))
try {
  const trace = join(dir, "trace.ndjson")
  const lines: Array<string> = []
  new Simulator(defaultOptions(1), (line) => lines.push(line)).run(steps)
  writeFileSync(trace, lines.join("\n") + "\n")
  lines.length = 0
  const megabytes = statSync(trace).size / 1e6
  console.log(`trace: ${steps} steps of 3 servers, all faults, seed 1: ${megabytes.toFixed(1)} MB`)
  for (const from of [1, Math.max(1, steps - window + 1)]) {
    const start = performance.now()
    const timeline = await buildTimeline({ trace, from, steps: window, failure: undefined })
    const read = (performance.now() - start) / 1000
    const page = renderPage({ title: "bench", timeline, specActions: new Map() })
    const rendered = (performance.now() - start) / 1000 - read
    const diagram = renderMermaid("bench", { ...timeline, steps: timeline.steps.slice(0, 60) })
    console.log(
      `window ${timeline.first}-${timeline.last}: read ${read.toFixed(2)} s (${(megabytes / read).toFixed(1)} MB/s of trace file), ` +
        `page ${(page.length / 1e6).toFixed(2)} MB in ${rendered.toFixed(2)} s, ${timeline.arrows.length} arrows; Mermaid (60 steps) ${diagram.length} bytes`
    )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

/** Traces for the viewer's tests: short simulator runs where every kind of fault happens. */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { defaultOptions, type SimOptions } from "../../src/sim/options.ts"
import { Simulator } from "../../src/sim/simulator.ts"

/** Fault rates raised so that 400 steps see crashes, partitions, drops, duplicates and snapshots. */
export const eventfulOptions = (seed: number): SimOptions => ({
  ...defaultOptions(seed),
  crashRate: 0.004,
  partitionRate: 0.01,
  partitionSteps: [20, 60],
  snapshotThreshold: 4,
  dropRate: 0.1,
  duplicateRate: 0.1
})

/** Runs the simulator and writes its trace to `dir`; returns the file and its lines. */
export const writeSimulatorTrace = (dir: string, seed: number, steps: number, options: SimOptions = eventfulOptions(seed)): { file: string; lines: Array<string> } => {
  const lines: Array<string> = []
  const sim = new Simulator(options, (line) => lines.push(line))
  sim.run(steps)
  const file = join(dir, `sim-${seed}-${steps}.ndjson`)
  writeFileSync(file, lines.join("\n") + "\n")
  return { file, lines }
}

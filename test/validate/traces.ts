/**
 * What the validation tests share: simulator traces made in memory, their lines as JSON to
 * mutate, and validation against spec/Raft.tla.
 */
import { fileURLToPath } from "node:url"
import { defaultOptions, type Fault, type SimOptions } from "../../src/sim/options.ts"
import { Simulator } from "../../src/sim/simulator.ts"
import { type ValidateFileOptions, validateTrace, type ValidationResult } from "../../src/validate/index.ts"

export const raftSpec = fileURLToPath(new URL("../../spec/Raft.tla", import.meta.url))

export const ALL_INVARIANTS = ["TypeOK", "ElectionSafety", "LogMatching", "LeaderCompleteness", "StateMachineSafety"]

export type Line = Record<string, any>

/** A simulator run's trace, as text. */
export const simulate = (
  seed: number,
  steps: number,
  options: { faults?: ReadonlyArray<Fault>; servers?: number; mode?: "full" | "delta" } = {}
): string => {
  const lines: string[] = []
  const sim = new Simulator(
    { ...defaultOptions(seed), servers: options.servers ?? 3, faults: new Set(options.faults ?? defaultOptions(seed).faults) } satisfies SimOptions,
    (line) => lines.push(line),
    options.mode ?? "full"
  )
  sim.run(steps)
  return lines.join("\n") + "\n"
}

/** A scripted run: `script` drives the simulator (a Simulator with a trace). */
export const scripted = (servers: number, script: (sim: Simulator) => void): string => {
  const lines: string[] = []
  const sim = new Simulator({ ...defaultOptions(1), servers, clientRate: 0, faults: new Set() }, (line) => lines.push(line))
  script(sim)
  return lines.join("\n") + "\n"
}

export const parseLines = (text: string): Line[] => text.trimEnd().split("\n").map((l) => JSON.parse(l) as Line)

export const joinLines = (lines: ReadonlyArray<Line>): string => lines.map((l) => JSON.stringify(l)).join("\n") + "\n"

/** Removes the line of step `seq`; with `renumber`, the later steps close the gap. */
export const removeStep = (lines: ReadonlyArray<Line>, seq: number, renumber: boolean): Line[] =>
  lines.filter((l) => l.seq !== seq).map((l) => (renumber && typeof l.seq === "number" && l.seq > seq ? { ...l, seq: l.seq - 1 } : l))

export const check = (text: string, options: ValidateFileOptions = {}): ValidationResult =>
  validateTrace("trace.ndjson", { spec: raftSpec, ...options }, text).result

/** The value of a per-server variable in a state, as trace JSON. */
export const pointOf = (fn: any, server: string): any => fn.$fn.find(([k]: [any]) => k.$mv === server)[1]

export const setPoint = (fn: any, server: string, value: unknown): any => ({
  $fn: fn.$fn.map(([k, v]: [any, any]) => [k, k.$mv === server ? value : v])
})

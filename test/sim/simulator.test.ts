/**
 * The simulator is deterministic, writes valid traces, and keeps the invariants on random seeds.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { readTrace } from "../../src/raft/index.ts"
import { defaultOptions, type SimOptions } from "../../src/sim/options.ts"
import { Prng } from "../../src/sim/prng.ts"
import { Simulator } from "../../src/sim/simulator.ts"

const runs = Number(process.env.RAFT_TLA_RUNS ?? 6)
const steps = Number(process.env.RAFT_TLA_STEPS ?? 20_000)
// fast-check draws the simulator seeds from this seed; a failure names both, and this replays it.
const propertySeed = Number(process.env.RAFT_TLA_SEED ?? Math.floor(Math.random() * 2 ** 31))

const traceOf = (options: SimOptions, count: number): string => {
  const lines: Array<string> = []
  new Simulator(options, (line) => lines.push(line)).run(count)
  return lines.join("\n") + "\n"
}

describe("Prng", () => {
  it("gives the same stream for the same seed and another for another seed", () => {
    const draw = (seed: number) => {
      const prng = new Prng(seed)
      return Array.from({ length: 8 }, () => prng.nextUint32())
    }
    expect(draw(7)).toEqual(draw(7))
    expect(draw(7)).not.toEqual(draw(8))
    const prng = new Prng(1)
    for (let k = 0; k < 1000; k++) {
      const x = prng.nextFloat()
      expect(x >= 0 && x < 1).toBe(true)
    }
  })
})

describe("Simulator", () => {
  it("reproduces the same trace, byte for byte, from the same seed and options", () => {
    const first = traceOf(defaultOptions(42), 1000)
    const second = traceOf(defaultOptions(42), 1000)
    expect(second).toBe(first)
    expect(traceOf(defaultOptions(43), 1000)).not.toBe(first)
  })

  it("writes a trace that decodes, with one step per line ending in the simulator's state", () => {
    const lines: Array<string> = []
    const sim = new Simulator({ ...defaultOptions(5), servers: 5 }, (line) => lines.push(line))
    sim.run(1000)
    const trace = readTrace(lines.join("\n"))
    expect(trace.header.constants.Server).toEqual({ $set: ["s1", "s2", "s3", "s4", "s5"].map(($mv) => ({ $mv })) })
    expect(trace.steps.map((step) => step.seq)).toEqual(Array.from({ length: 1000 }, (_, k) => k + 1))
    expect(trace.steps[trace.steps.length - 1].state).toEqual(sim.specState())
    // Every message a step received, dropped or duplicated was sent by an earlier step.
    const sent = new Set<number>()
    for (const step of trace.steps) {
      if (step.msgId !== undefined) expect(sent.has(step.msgId)).toBe(true)
      for (const id of step.sent ?? []) sent.add(id)
    }
  })

  it("takes every kind of step under all faults", () => {
    const sim = new Simulator(defaultOptions(3))
    sim.run(30_000)
    expect(Object.keys(sim.stats.actions).sort()).toEqual(
      [
        "AdvanceCommitIndex",
        "AppendEntries",
        "BecomeLeader",
        "ClientRequest",
        "DropMessage",
        "DuplicateMessage",
        "HandleAppendEntriesRequest",
        "HandleAppendEntriesResponse",
        "HandleInstallSnapshotRequest",
        "HandleRequestVoteRequest",
        "HandleRequestVoteResponse",
        "InstallSnapshot",
        "RequestVote",
        "Restart",
        "TakeSnapshot",
        "Timeout",
        "UpdateTerm"
      ].sort()
    )
    expect(sim.violation).toBeNull()
  })

  it(`keeps every invariant on ${runs} random seeds x ${steps} steps, 3 or 5 servers, all faults`, () => {
    console.log(`simulator property: fast-check seed ${propertySeed} (RAFT_TLA_SEED=${propertySeed} replays it)`)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(3, 5), (seed, servers) => {
        const sim = new Simulator({ ...defaultOptions(seed), servers })
        sim.run(steps)
        if (sim.violation) {
          const { invariant, seq, detail } = sim.violation
          throw new Error(`seed ${seed}, ${servers} servers: ${invariant} violated at step ${seq}: ${detail}`)
        }
        expect(sim.committed.length).toBeGreaterThan(0)
      }),
      { numRuns: runs, seed: propertySeed }
    )
  })
})

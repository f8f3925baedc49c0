/**
 * Trace conformance: what the simulator does is what spec/Raft.tla allows, step by step. Every
 * fault kind, several seeds, full and delta states; a few runs with all five invariants.
 * Sizes: RAFT_TLA_RUNS seeds per fault kind (default 2), RAFT_TLA_TRACE_STEPS steps (default 1500).
 */
import { describe, expect, it } from "vitest"
import { FAULTS } from "../../src/sim/options.ts"
import { ALL_INVARIANTS, check, simulate } from "./traces.ts"

const runs = Number(process.env.RAFT_TLA_RUNS ?? 2)
const steps = Number(process.env.RAFT_TLA_TRACE_STEPS ?? 1500)
const baseSeed = Number(process.env.RAFT_TLA_SEED ?? Math.floor(Math.random() * 2 ** 31))
console.log(`trace conformance: seeds ${baseSeed}..${baseSeed + runs - 1} (RAFT_TLA_SEED), ${steps} steps (RAFT_TLA_TRACE_STEPS)`)

const expectValid = (text: string, seed: number, what: string, invariants?: ReadonlyArray<string>) => {
  const r = check(text, invariants === undefined ? {} : { invariants })
  // On failure the message carries the seed and the diagnosis, to replay with RAFT_TLA_SEED.
  expect(r.failure && { seed, what, ...r.failure }).toBeUndefined()
  return r
}

describe("every simulator trace validates against spec/Raft.tla", () => {
  for (const fault of [...FAULTS, "all" as const]) {
    it(`faults: ${fault}`, () => {
      for (let k = 0; k < runs; k++) {
        const seed = baseSeed + k
        const text = simulate(seed, steps, { faults: fault === "all" ? FAULTS : [fault] })
        const r = expectValid(text, seed, `faults ${fault}`)
        expect(r.steps).toBe(steps)
        expect(r.invariants).toEqual(["ElectionSafety"])
      }
    })
  }

  it("five servers, delta states, all faults", () => {
    for (let k = 0; k < runs; k++) {
      const seed = baseSeed + 100 + k
      const r = expectValid(simulate(seed, steps, { servers: 5, mode: "delta" }), seed, "5 servers, delta")
      expect(r.stateMode).toBe("delta")
      expect(r.steps).toBe(steps)
    }
  })

  it("with every invariant of the spec checked on every state", () => {
    const seed = baseSeed + 200
    const r = expectValid(simulate(seed, 400), seed, "all invariants", ALL_INVARIANTS)
    expect(r.invariants).toEqual(ALL_INVARIANTS)
  })

  it("full and delta traces of the same run reach the same verdict and step count", () => {
    const seed = baseSeed + 300
    const full = expectValid(simulate(seed, steps), seed, "full")
    const delta = expectValid(simulate(seed, steps, { mode: "delta" }), seed, "delta")
    expect(delta.steps).toBe(full.steps)
  })
})

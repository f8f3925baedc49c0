/** The seeded fault schedule: reproducible, every kind early, nothing past the end of the run. */
import { describe, expect, it } from "vitest"
import { FAULT_KINDS, planFaults } from "../../src/cluster/harness/fault-schedule.ts"

const options = (seed: number, durationMs = 30_000) => ({ seed, durationMs, warmupMs: 1500, gapMs: [700, 1500] as const, faultMs: [1200, 2500] as const })

describe("the fault schedule", () => {
  it("is the same for the same seed and differs for another", () => {
    expect(planFaults(options(4))).toEqual(planFaults(options(4)))
    expect(planFaults(options(5))).not.toEqual(planFaults(options(4)))
  })

  it("begins with every kind of fault once, one at a time, and after the tour stays within the run", () => {
    for (let seed = 1; seed <= 50; seed++) {
      expect(new Set(planFaults(options(seed, 1000)).map((fault) => fault.kind)).size, `seed ${seed}, a short run`).toBe(FAULT_KINDS.length)
      const faults = planFaults(options(seed))
      expect(faults.length).toBeGreaterThan(FAULT_KINDS.length)
      expect(new Set(faults.slice(0, FAULT_KINDS.length).map((fault) => fault.kind)).size, `seed ${seed}`).toBe(FAULT_KINDS.length)
      for (let k = 1; k < faults.length; k++) expect(faults[k].at).toBeGreaterThan(faults[k - 1].at + faults[k - 1].lasts)
      const last = faults[faults.length - 1]
      expect(last.at + last.lasts).toBeLessThanOrEqual(30_000)
    }
  })
})

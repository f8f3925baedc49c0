/**
 * The cluster bench's burst reading (test/bench/closed-loop.ts): how a closed-loop client's events
 * split into work and waiting. Fixed event series, so nothing here depends on timing.
 */
import { describe, expect, it } from "vitest"
import { burstsOf, type ClientEvent, describeBursts, median } from "../bench/closed-loop.ts"

/** `rounds` bursts, `period` ms apart: each answers `answers` clients, one event every `step` ms. */
const series = (rounds: number, answers: number, period: number, step: number): Array<ClientEvent> => {
  const events: Array<ClientEvent> = []
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < answers; k++) {
      const at = round * period + 2 * k * step
      events.push({ at, answer: true }, { at: at + step, answer: false })
    }
  }
  return events
}

describe("burstsOf", () => {
  it("reads one burst per round: all clients answered together, then a wait", () => {
    // 64 answers and 64 sends 0.1 ms apart: 12.7 ms of work, then 20 − 12.7 = 7.3 ms of waiting.
    const bursts = burstsOf(series(6, 64, 20, 0.1))
    expect(bursts).not.toBeNull()
    expect(bursts!.answers).toBe(64)
    expect(bursts!.busyMs).toBeCloseTo(12.7, 6)
    expect(bursts!.idleMs).toBeCloseTo(7.3, 6)
  })

  it("tells small spread bursts from one big one", () => {
    const bursts = burstsOf(series(12, 22, 7, 0.08))
    expect(bursts!.answers).toBe(22)
    expect(bursts!.busyMs).toBeCloseTo(3.44, 6)
    expect(bursts!.idleMs).toBeCloseTo(3.56, 6)
  })

  it("leaves out the bursts the window's edges cut, and needs three inside", () => {
    // Four bursts: the first and last are cut by the edges, two remain: too few.
    expect(burstsOf(series(4, 8, 10, 0.1))).toBeNull()
    // The edge bursts may be partial; only the inner ones count.
    const events = series(7, 8, 10, 0.1).slice(5, -5)
    expect(burstsOf(events)!.answers).toBe(8)
  })

  it("joins events closer than the gap and splits at the gap", () => {
    const at = (times: ReadonlyArray<number>) => times.map((t) => ({ at: t, answer: true }))
    // Gaps of 0.9 ms join; gaps of 1 ms and more split.
    const bursts = burstsOf(at([0, 5, 5.9, 6.8, 10, 10.9, 11.8, 15, 15.9, 16.8, 20, 25]))
    expect(bursts).toEqual({ answers: 3, busyMs: expect.closeTo(1.8, 6), idleMs: expect.closeTo(3.2, 6) })
    // Exactly the gap apart: separate bursts.
    expect(burstsOf(at([0, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40]), 1)).toEqual({ answers: 1, busyMs: 0, idleMs: 1 })
  })

  it("is told in words the same way by both benches; medians take the upper middle of an even count", () => {
    expect(describeBursts({ answers: 32, busyMs: 4.25, idleMs: 3 })).toBe("32 answers, busy 4.3 ms then idle 3.0 ms")
    expect(describeBursts({ answers: 1, busyMs: 0, idleMs: 2.2 })).toBe("1 answer, busy 0.0 ms then idle 2.2 ms")
    expect(describeBursts(null)).toBe("too few bursts")
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(3)
  })
})

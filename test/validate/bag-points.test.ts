/**
 * A bag of messages is a function with thousands of points in a long cluster trace. Three places
 * work on it without sorting or scanning it whole: `f @@ g` for a small g (src/tla/values/
 * tlc-module.ts), a delta trace's $update/$remove patch (src/validate/state-delta.ts), and finding
 * the messages a step sent (grownPoints in src/validate/values.ts). Each must give what the plain
 * way gives: merging and sorting, searching by equality, comparing point by point.
 *
 * Functions here have records (message-like), integers or strings as arguments, and mixed ones
 * that do not compare (where the plain way's answer, or error, must be kept).
 * Size: RAFT_TLA_RUNS (default 200); the seed is printed and RAFT_TLA_SEED replays it.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { values } from "../../src/tla/index.ts"
import { applyPatch } from "../../src/validate/state-delta.ts"
import { decodeValue, encodeValue, grownPoints, type Value } from "../../src/validate/values.ts"

const runs = Number(process.env.RAFT_TLA_RUNS ?? 200)
const seed = Number(process.env.RAFT_TLA_SEED ?? Math.floor(Math.random() * 2 ** 31))
const options = { numRuns: runs, seed }

values.beginInterning()

/** A message-like record, a small integer or a string: the arguments of one function share a kind. */
const argumentOf = (kind: number) =>
  kind === 0
    ? fc.record({ mtype: fc.constantFrom("A", "B"), mterm: fc.integer({ min: 0, max: 3 }), msource: fc.constantFrom("s1", "s2") })
    : kind === 1
      ? fc.integer({ min: -5, max: 40 })
      : fc.constantFrom("a", "b", "c", "d", "e", "f")

const json = (kind: number, size: number) => fc.uniqueArray(fc.tuple(argumentOf(kind), fc.integer({ min: 1, max: 3 })), { maxLength: size, selector: ([k]) => JSON.stringify(k) })

const fn = (pairs: ReadonlyArray<readonly [unknown, number]>): Value => decodeValue({ $fn: pairs.map(([k, v]) => [k, v]) }, "f")

/** `f @@ g` the plain way: f's points, then g's new ones, sorted by makeFunction. */
const plainAtAt = (f: Value, g: Value): Value => {
  const entriesOf = (h: Value) => [...values.entries(h as never)]
  const points = entriesOf(f)
  for (const [d, v] of entriesOf(g)) if (!values.inDomain(f as never, d)) points.push([d, v])
  return values.makeFunction(
    points.map(([d]) => d),
    points.map(([, v]) => v)
  )
}

const outcome = (run: () => Value): string => {
  try {
    return `value ${values.valueToString(run())}`
  } catch (error) {
    return `error ${(error as Error).message}`
  }
}

describe(`bags kept in order (seed ${seed}; replay: RAFT_TLA_SEED=${seed})`, () => {
  it("f @@ g with a small g equals merging and sorting, errors included", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 40 }), (kf, kg, size) =>
        fc.assert(
          fc.property(json(kf, size), json(kg, 8), (pf, pg) => {
            const f = fn(pf)
            const g = fn(pg)
            const fast = outcome(() => values.atAt(f, g))
            expect(fast).toBe(outcome(() => plainAtAt(f, g)))
            if (fast.startsWith("value")) expect(values.equals(values.atAt(f, g), plainAtAt(f, g))).toBe(true)
          }),
          { numRuns: 5, seed }
        )
      ),
      options
    )
  })

  it("a delta patch of a function gives the function the whole new value gives", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 40 }), (kind, size) =>
        fc.assert(
          fc.property(json(kind, size), json(kind, 6), fc.array(fc.nat(), { maxLength: 4 }), (before, added, removing) => {
            const old = fn(before)
            const removed = [...new Set(removing.filter((n) => n < before.length))].map((n) => before[n][0])
            const update = added.map(([k, v]) => [k, v] as const)
            const gone = removed.filter((k) => !update.some(([u]) => JSON.stringify(u) === JSON.stringify(k)))
            const patched = applyPatch(old, { $update: update, $remove: gone }, "messages", { message: () => undefined, at: () => undefined })
            const whole = new Map(before.map(([k, v]) => [JSON.stringify(k), [k, v] as const]))
            for (const [k, v] of update) whole.set(JSON.stringify(k), [k, v])
            for (const k of gone) whole.delete(JSON.stringify(k))
            expect(encodeValue(patched)).toEqual(encodeValue(fn([...whole.values()])))
          }),
          { numRuns: 5, seed }
        )
      ),
      options
    )
  })

  it("grownPoints finds exactly the arguments that are new or counted higher", () => {
    fc.assert(
      fc.property(json(0, 40), json(0, 6), (before, changes) => {
        const was = fn(before)
        const after = new Map(before.map(([k, v]) => [JSON.stringify(k), [k, v] as const]))
        for (const [k, v] of changes) after.set(JSON.stringify(k), [k, v])
        const now = fn([...after.values()])
        const expected = [...after.values()]
          .filter(([k, v]) => {
            const old = before.find(([b]) => JSON.stringify(b) === JSON.stringify(k))
            return old === undefined || v > old[1]
          })
          .map(([k]) => JSON.stringify(encodeValue(decodeValue(k, "k"))))
          .sort()
        const found = (grownPoints(was, now) ?? []).map((k) => JSON.stringify(encodeValue(k))).sort()
        expect(found).toEqual(expected)
      }),
      options
    )
  })
})

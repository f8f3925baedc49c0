/** 64-bit fingerprints: equal values (however built) agree; many distinct values never collide. */
import { describe, expect, it } from "vitest"
import { FingerprintSet } from "../../src/tla/values/index.ts"
import { values } from "../../src/tla/index.ts"
import { evalTla } from "./harness.ts"

const { stateFingerprint, elementsOf } = values
const elems = (expr: string): unknown[] => [...elementsOf(evalTla(expr) as never)]
const fp = (v: unknown): string => {
  const out = stateFingerprint([v as never])
  return `${out.hi}:${out.lo}`
}

describe("fingerprints", () => {
  it("are the same for equal values built differently", () => {
    const pairs = [
      ["1..3", "{3, 2, 1}"],
      ["<<1, 2>>", "[i \\in {1, 2} |-> i]"],
      ["[f |-> 1]", '[v \\in {"f"} |-> 1]'],
      ["[a |-> 1, b |-> 2]", "[b |-> 2, a |-> 1]"],
      ["SUBSET {1, 2}", "{{}, {1}, {2}, {1, 2}}"],
      ["[{1, 2} -> {0}]", "{<<0, 0>>}"]
    ]
    for (const [a, b] of pairs) expect(fp(evalTla(a))).toBe(fp(evalTla(b)))
  })

  it("do not collide on tens of thousands of distinct small values", () => {
    // all functions 1..4 -> 0..5 (1296), all subsets of 1..12 (4096), all sequences over 0..3 up to length 6
    const listed = [
      ...elems("[1..4 -> 0..5]"),
      ...elems("SUBSET (1..12)"),
      ...elems("UNION {[1..n -> 0..3] : n \\in 0..6}"),
      ...elems("{<<a, b>> : a \\in 0..60, b \\in -60..60}")
    ]
    // the families overlap (e.g. short sequences), so keep one copy of each value
    const all = [...new Map(listed.map((v) => [values.valueToString(v as never), v])).values()]
    expect(all.length).toBeGreaterThan(12000)
    const set = new FingerprintSet(16)
    let collisions = 0
    for (const v of all) {
      const out = stateFingerprint([v as never])
      if (!set.add(out.hi, out.lo)) collisions++
    }
    expect(collisions).toBe(0)
    expect(set.size).toBe(all.length)
  })

  it("the fingerprint set grows and answers membership", () => {
    const set = new FingerprintSet(4)
    for (let i = 0; i < 10000; i++) expect(set.add(i * 7919, i)).toBe(true)
    for (let i = 0; i < 10000; i++) expect(set.add(i * 7919, i)).toBe(false)
    expect(set.has(3, 3)).toBe(false)
    expect(set.size).toBe(10000)
  })
})

/**
 * Properties of equality, order, fingerprints and the JSON codec over random values.
 * On failure fast-check prints the seed and the shrunk counterexample; replay with
 * RAFT_TLA_SEED=<seed>. RAFT_TLA_RUNS sets the number of runs.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  compare,
  equals,
  fingerprint64,
  fromJson,
  isSet,
  setElements,
  stateFingerprint,
  toJson,
  valueToString,
  type Value
} from "../../../src/tla/values/index.ts"
import { anyValue, propertyParameters, rebuilt, sameTypePair, sameTypeTriple } from "./arbitraries.ts"

const sign = (n: number): number => Math.sign(n)

describe("compare is a total order consistent with equals", () => {
  it("is antisymmetric and agrees with equals", () => {
    fc.assert(
      fc.property(sameTypePair, ([a, b]) => {
        const ab = sign(compare(a, b))
        expect(sign(compare(b, a)) + ab).toBe(0)
        expect(ab === 0).toBe(equals(a, b))
        expect(equals(b, a)).toBe(equals(a, b))
      }),
      propertyParameters("compare/equals")
    )
  })

  it("is transitive", () => {
    fc.assert(
      fc.property(sameTypeTriple, ([a, b, c]) => {
        const [x, y, z] = [a, b, c].sort(compare)
        expect(compare(x, y) <= 0 && compare(y, z) <= 0 && compare(x, z) <= 0).toBe(true)
      }),
      propertyParameters("compare/transitive")
    )
  })

  it("puts set elements in strictly ascending order", () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        if (!isSet(v)) return
        const elems = setElements(v)
        for (let i = 1; i < elems.length; i++) expect(compare(elems[i - 1], elems[i])).toBeLessThan(0)
      }),
      propertyParameters("sets/sorted")
    )
  })
})

describe("a value built another way is the same value", () => {
  it("equal, same order, same print, same fingerprint", () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        const w = rebuilt(v)
        expect(equals(v, w)).toBe(true)
        expect(compare(v, w)).toBe(0)
        expect(valueToString(rebuilt(v, false))).toBe(valueToString(v))
        expect(fingerprint64(w)).toBe(fingerprint64(v))
      }),
      propertyParameters("rebuilt")
    )
  })

  it("distinct values of one type almost never share a fingerprint", () => {
    fc.assert(
      fc.property(sameTypePair, ([a, b]) => {
        if (!equals(a, b)) expect(fingerprint64(a)).not.toBe(fingerprint64(b))
      }),
      propertyParameters("fingerprint/distinct")
    )
  })

  it("states fingerprint by their values", () => {
    fc.assert(
      fc.property(fc.array(anyValue, { maxLength: 4 }), (state) => {
        const a = stateFingerprint(state)
        const b = stateFingerprint(state.map((v) => rebuilt(v)))
        expect([b.hi, b.lo]).toEqual([a.hi, a.lo])
      }),
      propertyParameters("state fingerprint")
    )
  })
})

describe("the JSON codec", () => {
  it("round-trips every value, also through JSON text", () => {
    fc.assert(
      fc.property(anyValue, (v: Value) => {
        const back = fromJson(JSON.parse(JSON.stringify(toJson(v))))
        expect(equals(back, v)).toBe(true)
        expect(fingerprint64(back)).toBe(fingerprint64(v))
      }),
      propertyParameters("json")
    )
  })
})

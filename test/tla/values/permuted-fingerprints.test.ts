/**
 * The model checker's fast SYMMETRY path: fingerprints of a state's images under permutations,
 * computed without building the images, must equal the fingerprints of the built images; a
 * successor's fingerprint computed from its parent's must equal the one computed from scratch;
 * and only a symmetry set that is a group may take this path. Random states print their seed
 * (RAFT_TLA_SEED replays one; RAFT_TLA_RUNS sets the number of runs).
 */
import fc from "fast-check"
import { beforeEach, describe, expect, it } from "vitest"
import {
  beginInterning,
  canonicalState,
  elementsOf,
  entries,
  int,
  intern,
  isGroup,
  makeFunction,
  modelValue,
  permutations,
  permutationsOf,
  permute,
  record,
  setOf,
  stateFingerprint,
  StateFingerprints,
  SymmetryReduction,
  tuple,
  union,
  type Fingerprint,
  type Value
} from "../../../src/tla/values/index.ts"
import { anyValue, propertyParameters } from "./arbitraries.ts"

const NAMES = ["m1", "m2", "m3"]

beforeEach(() => {
  beginInterning()
  for (const n of NAMES) intern(n)
})

const mvs = (): Value[] => NAMES.map(modelValue)
const key = (f: Fingerprint): string => `${f.hi}:${f.lo}`

/** A state variable that holds model values in its domain, its values and a record inside. */
const variableArb: fc.Arbitrary<Value> = fc.oneof(
  anyValue,
  fc.array(anyValue, { minLength: 3, maxLength: 3 }).map((vs) => makeFunction(mvs(), vs)),
  fc.array(fc.constantFrom(...NAMES), { maxLength: 3 }).map((ns) => setOf(ns.map(modelValue))),
  fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...NAMES), fc.integer({ min: 0, max: 3 })).map(([a, b, n]) =>
    makeFunction([record([["src", modelValue(a)], ["dst", modelValue(b)], ["n", int(n)]])], [int(1)])
  )
)
const stateArb = fc.array(variableArb, { minLength: 1, maxLength: 4 })

describe("fingerprints under permutations", () => {
  it("equal the fingerprints of the permuted states, and the smallest is taken over the orbit", () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const perms = permutationsOf(permutations(setOf(mvs())))
        const fps = new StateFingerprints(perms)
        const images = perms.map((p) => state.map((v) => permute(v, p)))
        images.forEach((image, k) => expect(key(fps.under(k, state))).toBe(key(stateFingerprint(image))))
        const all = [stateFingerprint(state), ...images.map((image) => stateFingerprint(image))]
        const min = all.reduce((a, b) => (a.hi >>> 0 < b.hi >>> 0 || (a.hi === b.hi && a.lo >>> 0 <= b.lo >>> 0) ? a : b))
        expect(key(fps.smallest(state, { hi: 0, lo: 0 }))).toBe(key(min))
        // every image of the state is in the same class
        for (const image of images) expect(key(fps.smallest(image, { hi: 0, lo: 0 }))).toBe(key(min))
      }),
      propertyParameters("fingerprints under permutations")
    )
  })

  it("of a successor, from its parent's, equal the ones computed from scratch", () => {
    fc.assert(
      fc.property(stateArb, fc.array(fc.option(variableArb), { minLength: 4, maxLength: 4 }), (parent, changes) => {
        const child = parent.map((v, i) => changes[i] ?? v)
        for (const perms of [[], permutationsOf(permutations(setOf(mvs())))]) {
          const fps = new StateFingerprints(perms)
          const scratch = key(fps.smallest(child, { hi: 0, lo: 0 }))
          fps.expand(parent)
          expect(key(fps.smallestOfSuccessor(child, { hi: 0, lo: 0 }))).toBe(scratch)
        }
      }),
      propertyParameters("successor fingerprints")
    )
  })
})

describe("which symmetry sets take the fast path", () => {
  const swap = (a: string, b: string): Value => makeFunction([modelValue(a), modelValue(b)], [modelValue(b), modelValue(a)])

  it("Permutations(S) and a product of two permutation groups are groups", () => {
    expect(isGroup(permutationsOf(permutations(setOf(mvs()))))).toBe(true)
    intern("v1")
    intern("v2")
    // {s @@ v : s \in Permutations(Server), v \in Permutations(Value)}
    const pairs = (f: Value) => [...entries(f as never)]
    const servers = elementsOf(permutations(setOf(mvs())))
    const values = elementsOf(permutations(setOf([modelValue("v1"), modelValue("v2")])))
    const both = setOf(
      servers.flatMap((s) =>
        values.map((v) => {
          const all = [...pairs(s), ...pairs(v)]
          return makeFunction(
            all.map(([k]) => k),
            all.map(([, x]) => x)
          )
        })
      )
    )
    expect(permutationsOf(both).length).toBe(11)
    expect(isGroup(permutationsOf(both))).toBe(true)
  })

  it("a union of two groups is not, and a single 3-cycle without its square is not", () => {
    intern("v1")
    intern("v2")
    const union2 = union(permutations(setOf(mvs())), setOf([swap("v1", "v2")]))
    expect(isGroup(permutationsOf(union2))).toBe(false)
    const cycle = makeFunction(mvs(), [modelValue("m2"), modelValue("m3"), modelValue("m1")])
    expect(isGroup(permutationsOf(setOf([cycle])))).toBe(false)
  })

  it("a set that is not a group is canonicalized in TLC's order, by building the images", () => {
    intern("v1")
    intern("v2")
    const perms = permutationsOf(union(permutations(setOf(mvs())), setOf([swap("v1", "v2")])))
    const reduction = new SymmetryReduction(perms)
    expect(reduction.isGroup).toBe(false)
    const state: Value[] = [tuple([modelValue("m3"), modelValue("v2")]), setOf([modelValue("m2")])]
    expect(key(reduction.fingerprint(state, { hi: 0, lo: 0 }))).toBe(key(stateFingerprint(canonicalState(state, perms))))
  })
})

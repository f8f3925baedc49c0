/**
 * Symmetry reduction and state fingerprints, checked end to end on the corpus spec Symm.tla:
 * its next-state relation is written here by hand with the value API and explored breadth-first
 * the way TLC counts states. TLC printed 457 generated / 248 distinct states without SYMMETRY
 * and 97 / 48 with SYMMETRY Permutations(Procs) (depth 14 both).
 */
import { beforeEach, describe, expect, it } from "vitest"
import {
  apply,
  beginInterning,
  canonicalState,
  equals,
  except,
  FingerprintSet,
  int,
  intern,
  Kind,
  makeFunction,
  mod,
  modelValue,
  permutationsOf,
  permutations,
  permute,
  plus,
  setElements,
  setOf,
  stateFingerprint,
  str,
  symmetricFingerprint,
  tuple,
  valueToString,
  type Permutation,
  type Value
} from "../../../src/tla/values/index.ts"

type State = readonly [owner: Value, queue: Value, uses: Value]

function symmModel() {
  // TLC interns the .cfg's model values first, then the spec's names.
  beginInterning()
  for (const name of ["a1", "a2", "a3"]) intern(name)
  const procs = setElements(setOf(["a1", "a2", "a3"].map(modelValue)))
  const noOne = str("none")
  const elems = (q: Value): readonly Value[] => (typeof q === "object" && q.kind === Kind.Tuple ? q.elems : [])
  const waiting = (queue: Value, p: Value) => elems(queue).some((x) => equals(x, p))

  const init: State = [noOne, tuple([]), makeFunction([...procs], procs.map(() => int(0)))]

  /** Every successor, in the order TLC's sub-actions produce them. */
  function successors([owner, queue, uses]: State): State[] {
    const out: State[] = []
    for (const p of procs) {
      if (!equals(p, owner) && !waiting(queue, p)) out.push([owner, tuple([...elems(queue), p]), uses])
    }
    const q = elems(queue)
    if (equals(owner, noOne) && q.length > 0) {
      const head = q[0]
      out.push([head, tuple(q.slice(1)), except(uses, head, mod(plus(apply(uses, head), int(1)), int(2)))])
    }
    if (!equals(owner, noOne)) out.push([noOne, queue, uses])
    return out
  }
  return { init, successors, procs }
}

function explore(model: ReturnType<typeof symmModel>, perms: readonly Permutation[] | undefined) {
  const { init, successors } = model
  const seen = new FingerprintSet(16)
  const fp = (s: State) => (perms === undefined ? stateFingerprint(s) : symmetricFingerprint(s, perms))
  let generated = 1
  let depth = 1
  const first = fp(init)
  seen.add(first.hi, first.lo)
  let level: State[] = [init]
  while (level.length > 0) {
    const nextLevel: State[] = []
    for (const s of level) {
      for (const t of successors(s)) {
        generated++
        const f = fp(t)
        if (seen.add(f.hi, f.lo)) nextLevel.push(t)
      }
    }
    if (nextLevel.length > 0) depth++
    level = nextLevel
  }
  return { generated, distinct: seen.size, depth }
}

beforeEach(() => {
  beginInterning()
})

describe("Symm.tla explored with the value API", () => {
  it("matches TLC without symmetry: 457 generated, 248 distinct, depth 14", () => {
    expect(explore(symmModel(), undefined)).toEqual({ generated: 457, distinct: 248, depth: 14 })
  })

  it("matches TLC with SYMMETRY Permutations(Procs): 97 generated, 48 distinct, depth 14", () => {
    const model = symmModel()
    const perms = permutationsOf(permutations(setOf([...model.procs])))
    expect(perms.length).toBe(5)
    expect(explore(model, perms)).toEqual({ generated: 97, distinct: 48, depth: 14 })
  })
})

describe("permutations of model values", () => {
  it("permute rewrites model values everywhere, sets re-sorted", () => {
    for (const name of ["p1", "p2"]) intern(name)
    const [p1, p2] = [modelValue("p1"), modelValue("p2")]
    const swap: Permutation = new Map([
      [p1, p2],
      [p2, p1]
    ])
    const v = tuple([setOf([p1]), makeFunction([p1, p2], [int(1), p2])])
    expect(valueToString(permute(v, swap))).toBe("<<{p2}, (p1 :> p1 @@ p2 :> 1)>>")
    const unchanged = tuple([int(1), str("p1")])
    expect(permute(unchanged, swap)).toBe(unchanged)
  })

  it("a state's orbit shares one canonical representative and one fingerprint", () => {
    for (const name of ["p1", "p2", "p3"]) intern(name)
    const ps = ["p1", "p2", "p3"].map(modelValue)
    const perms = permutationsOf(permutations(setOf(ps)))
    const state: Value[] = [ps[2], tuple([ps[1], ps[2]])]
    const images = perms.map((p) => state.map((v) => permute(v, p)))
    const fp = symmetricFingerprint(state, perms)
    for (const image of images) {
      const f = symmetricFingerprint(image, perms)
      expect([f.hi, f.lo]).toEqual([fp.hi, fp.lo])
    }
    expect(canonicalState(state, perms).map(valueToString)).toEqual(["p1", "<<p2, p1>>"])
    const other = symmetricFingerprint([ps[0], tuple([ps[0]])], perms)
    expect([other.hi, other.lo]).not.toEqual([fp.hi, fp.lo])
  })

  it("rejects a symmetry set that is not a set of permutations", () => {
    expect(() => permutationsOf(int(3))).toThrow(/symmetry set/)
    expect(() => permutationsOf(setOf([makeFunction([int(1)], [int(2)])]))).toThrow(/model values/)
  })
})

describe("FingerprintSet", () => {
  it("adds, finds and grows, including the reserved pair (0, 0)", () => {
    const set = new FingerprintSet(2)
    for (let i = 0; i < 1000; i++) expect(set.add(i * 7919, -i)).toBe(true)
    // i = 0 added (0, 0), which is stored as (0, 1).
    expect(set.add(0, 0)).toBe(false)
    expect(set.has(0, 1)).toBe(true)
    expect(set.size).toBe(1000)
    for (let i = 0; i < 1000; i++) expect(set.has(i * 7919, -i)).toBe(true)
    expect(set.has(1, 1)).toBe(false)
    expect(set.add(5 * 7919, -5)).toBe(false)
  })
})

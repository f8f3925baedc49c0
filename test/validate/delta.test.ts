/**
 * Delta states: what the trace writer (src/raft/trace-delta.ts) writes, the validator
 * (src/validate/state-delta.ts) reads back as the same value, for random pairs of values; and
 * the readable diff of two values names only what differs.
 * Size: RAFT_TLA_RUNS (default 200 pairs here); the seed is printed and RAFT_TLA_SEED replays it.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { patchOf, type TlaJson } from "../../src/raft/index.ts"
import { loadTlaSpec } from "../../src/tla/index.ts"
import { applyPatch } from "../../src/validate/state-delta.ts"
import { diffValues } from "../../src/validate/value-diff.ts"
import { decodeValue, encodeValue, type References } from "../../src/validate/values.ts"
import { raftSpec } from "./traces.ts"

const runs = Number(process.env.RAFT_TLA_RUNS ?? 200)
const seed = Number(process.env.RAFT_TLA_SEED ?? Math.floor(Math.random() * 2 ** 31))

// Loading a spec sets up the toolkit's tables of strings and model values.
loadTlaSpec(raftSpec, { cfgText: "CONSTANTS Server = {s1, s2, s3}\nNil = Nil\nValue = {}\n" })

const noRefs: References = { message: () => undefined, at: () => undefined }

const server = fc.constantFrom("s1", "s2", "s3").map(($mv) => ({ $mv }))
const entry = fc.record({ term: fc.integer({ min: 0, max: 4 }), value: fc.constantFrom("a", "b", "c") })
const log = fc.array(entry, { maxLength: 8 })
/** A per-server function, as the trace writes them: every server, in a fixed order. */
const perServer = <A>(value: fc.Arbitrary<A>) =>
  fc.tuple(value, value, value).map(([a, b, c]) => ({ $fn: [[{ $mv: "s1" }, a], [{ $mv: "s2" }, b], [{ $mv: "s3" }, c]] }) as unknown as TlaJson)
const message = fc.record({ mtype: fc.constantFrom("Req", "Resp"), mterm: fc.integer({ min: 0, max: 3 }), mdest: server, mentries: log })
const bag = fc.uniqueArray(message, { maxLength: 4, selector: (m) => JSON.stringify(m) }).chain((ms) =>
  fc.tuple(...ms.map(() => fc.integer({ min: 1, max: 3 }))).map((counts) => (ms.length === 0 ? [] : { $fn: ms.map((m, k) => [m, counts[k]]) }) as TlaJson)
)
/** A variable and a change of it: logs that grow, shrink or are compacted; bags; counters. */
const before = fc.oneof(perServer(log), perServer(fc.integer({ min: 0, max: 9 })), bag)
const change = (b: TlaJson): fc.Arbitrary<TlaJson> => {
  if (Array.isArray(b)) return bag
  const points = (b as { $fn: Array<[TlaJson, TlaJson]> }).$fn
  if (!Array.isArray(points[0][1]) && typeof points[0][1] === "object") return bag
  return fc.oneof(
    typeof points[0][1] === "number" ? perServer(fc.integer({ min: 0, max: 9 })) : perServer(log),
    // Edits of one log: append, cut, compact a prefix away.
    fc.tuple(fc.nat(2), fc.nat(8), fc.nat(8), log).map(([s, cut, drop, extra]) => {
      const edited = points.map(([k, v], n) => {
        if (n !== s || !Array.isArray(v)) return [k, v]
        return [k, [...v.slice(Math.min(drop, v.length), Math.max(cut, Math.min(drop, v.length))), ...extra]]
      })
      return { $fn: edited } as unknown as TlaJson
    })
  )
}

describe("delta states", () => {
  it(`read back what was written (seed ${seed})`, () => {
    fc.assert(
      fc.property(
        before.chain((b) => change(b).map((a) => [b, a] as const)),
        ([b, a]) => {
          const old = decodeValue(b, "before")
          const patch = patchOf(b, a)
          const read = patch === undefined ? old : applyPatch(old, patch, "delta", noRefs)
          expect(encodeValue(read)).toEqual(encodeValue(decodeValue(a, "after")))
        }
      ),
      { numRuns: runs, seed }
    )
  })

  it("writes a grown log as an append and a compacted one as a kept slice", () => {
    const e = (term: number, value: string) => ({ term, value })
    expect(patchOf([e(1, "a")], [e(1, "a"), e(2, "b")])).toEqual({ $append: [e(2, "b")] })
    expect(patchOf([e(1, "a"), e(1, "c")], [e(1, "a"), e(2, "b")])).toEqual({ $keep: [1, 1], $append: [e(2, "b")] })
    expect(patchOf([e(1, "a"), e(1, "c"), e(2, "d")], [e(1, "c"), e(2, "d")])).toEqual({ $keep: [2, 3] })
    expect(patchOf([e(1, "a")], [e(1, "a")])).toBeUndefined()
  })
})

describe("readable diffs", () => {
  it("names the differing points with their paths", () => {
    const fn = (a: TlaJson, b: TlaJson) => ({ $fn: [[{ $mv: "s1" }, a], [{ $mv: "s2" }, b]] })
    const e = (term: number, value: string) => ({ term, value })
    expect(diffValues("log", fn([e(1, "a"), e(2, "b")], []), fn([e(1, "a"), e(1, "b")], []))).toEqual(["log[s1][2].term: expected 2, logged 1"])
    expect(diffValues("votesGranted", { $set: [{ $mv: "s1" }, { $mv: "s2" }] }, { $set: [{ $mv: "s1" }, { $mv: "s3" }] })).toEqual([
      "votesGranted: expected {s1, s2}, logged {s1, s3} (missing s2; extra s3)"
    ])
    expect(diffValues("x", [1, 2, 3], [1, 2])).toEqual(["x: expected 3 elements, logged 2 (expected, not logged, from index 3: <<3>>)"])
    expect(diffValues("x", 1, 1)).toEqual([])
  })
})

/** Delta states as docs/trace-format.md ("Delta states") defines them, applied by the viewer. */
import { describe, expect, it } from "vitest"
import { applyDelta, PatchError } from "../../src/cli/view/delta-state.ts"

const s = (name: string) => ({ $mv: name })
const entry = (term: number, value: string) => ({ term, value })
const m1 = { mtype: "RequestVoteRequest", mterm: 1, msource: s("s1"), mdest: s("s2") }

const previous = {
  currentTerm: { $fn: [[s("s1"), 1], [s("s2"), 1]] },
  log: { $fn: [[s("s1"), [entry(1, "a"), entry(1, "b"), entry(1, "c")]], [s("s2"), []]] },
  messages: { $fn: [[m1, 2]] },
  nextIndex: { $fn: [[s("s1"), { $fn: [[s("s1"), 1], [s("s2"), 1]] }], [s("s2"), { $fn: [[s("s1"), 1], [s("s2"), 1]] }]] },
  record: { a: 1, b: 2 },
  seq: [10, 20]
} as never

const refs = { previous, message: (id: number) => (id === 7 ? m1 : undefined) } as never
const apply = (delta: Record<string, unknown>) => applyDelta(delta, refs) as Record<string, unknown>

describe("delta states", () => {
  it("patches the changed points of a function, leaving the other variables as they were", () => {
    const next = apply({ currentTerm: { $update: [[s("s2"), 2]] } })
    expect(next.currentTerm).toEqual({ $fn: [[s("s1"), 1], [s("s2"), 2]] })
    expect(next.log).toBe((previous as Record<string, unknown>).log)
  })

  it("keeps a slice of a sequence and appends to it, also inside a function's point", () => {
    const next = apply({ log: { $update: [[s("s1"), { $keep: [1, 1], $append: [entry(2, "d")] }], [s("s2"), { $append: [entry(2, "d")] }]] } })
    expect(next.log).toEqual({ $fn: [[s("s1"), [entry(1, "a"), entry(2, "d")]], [s("s2"), [entry(2, "d")]]] })
  })

  it("removes points, and a bag that loses its last message is the empty sequence", () => {
    expect(apply({ messages: { $remove: [{ $msg: 7 }] } }).messages).toEqual([])
    expect(apply({ messages: { $update: [[{ $msg: 7 }, 1]] } }).messages).toEqual({ $fn: [[m1, 1]] })
  })

  it("patches records and sequences point by point", () => {
    const next = apply({ record: { $update: [["b", 3]] }, seq: { $update: [[2, 21], [3, 30]] } })
    expect(next.record).toEqual({ a: 1, b: 3 })
    expect(next.seq).toEqual([10, 21, 30])
  })

  it("resolves references to a message in flight and to a part of the previous state", () => {
    const next = apply({ messages: { $update: [[{ mtype: "X", mlog: { $at: ["log", s("s1")] }, mnext: { $at: ["nextIndex", s("s2"), s("s1")] } }, 1]] } })
    const added = (next.messages as { $fn: Array<[Record<string, unknown>, number]> }).$fn.find(([k]) => k.mtype === "X")!
    expect(added[0]).toEqual({ mtype: "X", mlog: [entry(1, "a"), entry(1, "b"), entry(1, "c")], mnext: 1 })
  })

  it.each([
    [{ seq: { $keep: [2, 5] } }, "delta.seq.$keep: [2, 5] is outside 1..2"],
    [{ messages: { $remove: [{ $msg: 8 }] } }, 'delta.messages.$remove[0]: {"$msg": 8} is no message in flight'],
    [{ log: { $update: [[s("s1"), { $at: ["nowhere", s("s1")] }]] } }, "names no value of the previous state"],
    [{ seq: { $update: [], $append: [] } }, "a patch either updates points or slices a sequence, not both"],
    [{ currentTerm: { $keep: [1, 1] } }, "$keep and $append apply to a sequence"]
  ])("rejects a bad patch: %j", (delta, message) => {
    expect(() => apply(delta)).toThrow(PatchError)
    expect(() => apply(delta)).toThrow(message)
  })
})

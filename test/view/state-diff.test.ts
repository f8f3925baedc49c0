import { describe, expect, it } from "vitest"
import { diffStates } from "../../src/cli/view/state-diff.ts"
import { tlaText } from "../../src/cli/view/tla-text.ts"

const s = (name: string) => ({ $mv: name })
const fn = (...pairs: Array<[unknown, unknown]>) => ({ $fn: pairs }) as never

describe("state diffs", () => {
  it("names the point of a function that changed", () => {
    expect(diffStates({ commitIndex: fn([s("s1"), 1], [s("s2"), 2]) }, { commitIndex: fn([s("s1"), 1], [s("s2"), 3]) })).toEqual([
      { path: "commitIndex[s2]", before: "2", after: "3" }
    ])
  })

  it("shows a log that grew as what was appended, and a cut log as what was removed", () => {
    const e = (term: number, value: string) => ({ term, value })
    const [grew] = diffStates({ log: fn([s("s1"), [e(1, "a")]]) }, { log: fn([s("s1"), [e(1, "a"), e(2, "b")]]) })
    expect(grew).toEqual({ path: "log[s1]", note: 'appended 1 at 2: <<[term |-> 2, value |-> "b"]>>' })
    const [cut] = diffStates({ log: fn([s("s1"), [e(1, "a"), e(1, "x")]]) }, { log: fn([s("s1"), [e(1, "a")]]) })
    expect(cut.note).toBe('cut to length 1, removing <<[term |-> 1, value |-> "x"]>>')
    const [replaced] = diffStates({ log: fn([s("s1"), [e(1, "a"), e(1, "x")]]) }, { log: fn([s("s1"), [e(1, "a"), e(2, "y")]]) })
    expect(replaced).toMatchObject({ path: "log[s1]", note: "differs from index 2" })
  })

  it("lists the elements a set gained and lost, and a bag's message counts", () => {
    const [votes] = diffStates({ votesGranted: fn([s("s1"), { $set: [s("s1")] }]) }, { votesGranted: fn([s("s1"), { $set: [s("s1"), s("s2")] }]) })
    expect(votes).toEqual({ path: "votesGranted[s1]", note: "added {s2}" })
    const m = { mtype: "X", mterm: 1 }
    expect(diffStates({ messages: [] }, { messages: fn([m, 1]) })).toEqual([{ path: 'messages[[mtype |-> "X", mterm |-> 1]]', after: "1" }])
  })

  it("cuts long values short", () => {
    const long = Array.from({ length: 500 }, (_, k) => k)
    expect(tlaText(long, 50).length).toBeLessThanOrEqual(51)
    expect(tlaText(long, 50).endsWith("…")).toBe(true)
  })
})

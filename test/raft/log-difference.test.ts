/**
 * firstDifference, which storage and the step log use to find what a step changed in a log: it must
 * agree with the plain definition (compare entryAt index by index) whatever the two snapshots cut.
 * Sizes: RAFT_TLA_RUNS; RAFT_TLA_SEED replays a run.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Entry, entryAt, firstDifference, lastIndex, type PersistentState } from "../../src/raft/index.ts"
import { propertySettings } from "../runtime/storage/fixtures.ts"

/** The definition: the first k >= from where the entries differ, or past the shorter log. */
const plainFirstDifference = (a: PersistentState, b: PersistentState, from: number): number => {
  const common = Math.min(lastIndex(a), lastIndex(b))
  let k = from
  while (k <= common) {
    const x = entryAt(a, k)
    const y = entryAt(b, k)
    if (x.term !== y.term || x.value !== y.value) break
    k++
  }
  return k
}

const stateOf = (entries: ReadonlyArray<Entry>, compacted: number): PersistentState => {
  const cut = Math.min(compacted, entries.length)
  const snapshotEntries = entries.slice(0, cut)
  return {
    currentTerm: 3,
    votedFor: null,
    log: entries.slice(cut),
    snapshot: { index: cut, term: cut === 0 ? 0 : snapshotEntries[cut - 1].term, entries: cut === 0 ? [] : snapshotEntries }
  }
}

const entry = fc.record({ term: fc.integer({ min: 1, max: 3 }), value: fc.constantFrom("a", "b", "c") })

/**
 * Two logs with a common prefix (shared objects, as the core makes them, or equal copies, as storage
 * reads them back) and their own tails, each with its own snapshot cut.
 */
const twoLogs = fc
  .record({
    prefix: fc.array(entry, { maxLength: 12 }),
    copied: fc.boolean(),
    tailA: fc.array(entry, { maxLength: 6 }),
    tailB: fc.array(entry, { maxLength: 6 }),
    cutA: fc.nat({ max: 20 }),
    cutB: fc.nat({ max: 20 }),
    from: fc.integer({ min: 1, max: 20 })
  })
  .map(({ prefix, copied, tailA, tailB, cutA, cutB, from }) => {
    const a = stateOf([...prefix, ...tailA], cutA)
    const b = stateOf([...(copied ? prefix.map((e) => ({ ...e })) : prefix), ...tailB], cutB)
    return { a, b, from }
  })

describe("firstDifference", () => {
  it("agrees with comparing entryAt index by index, snapshots or not", () => {
    const { seed, numRuns } = propertySettings("firstDifference", 500)
    fc.assert(
      fc.property(twoLogs, ({ a, b, from }) => {
        expect(firstDifference(a, b, from)).toBe(plainFirstDifference(a, b, from))
      }),
      { seed, numRuns }
    )
  })

  it("finds a change in the middle of the log, not only at its end", () => {
    const log = ["a", "b", "c", "d"].map((value) => ({ term: 1, value }))
    const a = stateOf(log, 1)
    const b = stateOf([log[0], log[1], { term: 2, value: "x" }, log[3]], 0)
    expect(firstDifference(a, b)).toBe(3)
    expect(firstDifference(a, a)).toBe(5)
    expect(firstDifference(a, stateOf(log.slice(0, 2), 2))).toBe(3)
  })
})

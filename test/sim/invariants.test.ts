/**
 * Each invariant and action property of the monitor fails on a step that breaks it, and passes
 * on the same step done right.
 */
import { describe, expect, it } from "vitest"
import { type Entry, initialNode, makeConfig, type Node, type StepEvent } from "../../src/raft/index.ts"
import { firstChangedIndex, InvariantMonitor } from "../../src/sim/invariants.ts"

const config = makeConfig(["s1", "s2", "s3"])
const e = (term: number, value: string): Entry => ({ term, value })
const event = (action: StepEvent["action"], i = "s1"): StepEvent => ({ action, params: { i }, persist: [] })

const server = (
  id: string,
  options: { term?: number; log?: ReadonlyArray<Entry>; role?: Node["volatile"]["role"]; commitIndex?: number } = {}
): Node => {
  const node = initialNode(id, config)
  return {
    id,
    persistent: { ...node.persistent, currentTerm: options.term ?? 0, log: options.log ?? [] },
    volatile: { ...node.volatile, role: options.role ?? "Follower", commitIndex: options.commitIndex ?? 0 }
  }
}

/** A cluster the monitor has watched reach `nodes`, one step per server from the initial state. */
const watched = (nodes: ReadonlyArray<Node>) => {
  const monitor = new InvariantMonitor()
  const current = config.servers.map((id) => initialNode(id, config))
  for (const node of nodes) {
    const x = config.servers.indexOf(node.id)
    const before = current[x]
    current[x] = node
    expect(monitor.check(event("ClientRequest", node.id), before, node, current)).toBeNull()
  }
  /** Checks one more step of `after.id`; returns the violated invariant's name, or null. */
  const step = (after: Node, action: StepEvent["action"] = "HandleAppendEntriesRequest") => {
    const x = config.servers.indexOf(after.id)
    const before = current[x]
    current[x] = after
    return monitor.check(event(action, after.id), before, after, current)?.invariant ?? null
  }
  return { step }
}

describe("invariant monitor", () => {
  it("ElectionSafety: two leaders of one term", () => {
    const { step } = watched([server("s1", { term: 2, role: "Leader" })])
    expect(step(server("s2", { term: 3, role: "Leader" }), "BecomeLeader")).toBeNull()
    expect(step(server("s3", { term: 2, role: "Leader" }), "BecomeLeader")).toBe("ElectionSafety")
  })

  it("LogMatching: the same index and term with another value", () => {
    const { step } = watched([server("s1", { term: 1, log: [e(1, "a")] })])
    expect(step(server("s2", { term: 1, log: [e(1, "a")] }))).toBeNull()
    expect(step(server("s3", { term: 1, log: [e(1, "b")] }))).toBe("LogMatching")
  })

  it("LogMatching: the same index and term after a different prefix", () => {
    const { step } = watched([server("s1", { term: 2, log: [e(1, "a"), e(2, "b")] })])
    expect(step(server("s2", { term: 2, log: [e(2, "q"), e(2, "b")] }))).toBe("LogMatching")
  })

  it("StateMachineSafety: two servers commit different entries at one index", () => {
    const { step } = watched([server("s1", { term: 1, log: [e(1, "a")], commitIndex: 1 })])
    expect(step(server("s2", { term: 2, log: [e(2, "b")], commitIndex: 0 }))).toBeNull()
    expect(step(server("s2", { term: 2, log: [e(2, "b")], commitIndex: 1 }))).toBe("StateMachineSafety")
  })

  it("StateMachineSafety: a server's committed entry is replaced", () => {
    const { step } = watched([server("s1", { term: 1, log: [e(1, "a")], commitIndex: 1 })])
    expect(step(server("s1", { term: 2, log: [e(2, "z")], commitIndex: 1 }))).toBe("StateMachineSafety")
  })

  it("LeaderCompleteness: a leader lacks a committed entry", () => {
    const { step } = watched([server("s1", { term: 1, log: [e(1, "a"), e(1, "b")], commitIndex: 2 })])
    expect(step(server("s2", { term: 2, log: [e(1, "a"), e(1, "b")], role: "Leader" }), "BecomeLeader")).toBeNull()
    expect(step(server("s3", { term: 3, log: [e(1, "a")], role: "Leader" }), "BecomeLeader")).toBe("LeaderCompleteness")
  })

  it("LeaderCompleteness: a leader holds another entry where one is committed", () => {
    const { step } = watched([server("s1", { term: 1, log: [e(1, "a"), e(1, "b")], commitIndex: 2 })])
    expect(step(server("s3", { term: 2, log: [e(1, "a"), e(2, "x")], role: "Leader" }), "BecomeLeader")).toBe("LeaderCompleteness")
  })

  it("LeaderCompleteness ignores commits of a newer term than the leader's", () => {
    const { step } = watched([server("s1", { term: 3, log: [e(3, "a")], commitIndex: 1 })])
    expect(step(server("s3", { term: 2, log: [], role: "Leader" }), "BecomeLeader")).toBeNull()
  })

  it("CurrentTermMonotonic: a term goes back", () => {
    const { step } = watched([server("s1", { term: 3 })])
    expect(step(server("s1", { term: 2 }))).toBe("CurrentTermMonotonic")
  })

  it("LeaderAppendOnly: a leader loses an entry while it stays leader", () => {
    const { step } = watched([server("s1", { term: 1, role: "Leader", log: [e(1, "a"), e(1, "b")] })])
    expect(step(server("s1", { term: 1, role: "Leader", log: [e(1, "a"), e(1, "b"), e(1, "c")] }), "ClientRequest")).toBeNull()
    expect(step(server("s1", { term: 1, role: "Leader", log: [e(1, "a")] }), "ClientRequest")).toBe("LeaderAppendOnly")
  })

  it("CommitIndexMonotonic: commitIndex goes back other than by a crash", () => {
    const committed = server("s1", { term: 1, log: [e(1, "a"), e(1, "b")], commitIndex: 2 })
    expect(watched([committed]).step(server("s1", { term: 1, log: [e(1, "a"), e(1, "b")], commitIndex: 0 }), "Restart")).toBeNull()
    expect(watched([committed]).step(server("s1", { term: 1, log: [e(1, "a"), e(1, "b")], commitIndex: 1 }))).toBe(
      "CommitIndexMonotonic"
    )
  })

  it("TypeOK: commitIndex beyond the log", () => {
    const { step } = watched([server("s1", { term: 1, log: [e(1, "a")] })])
    expect(step(server("s1", { term: 1, log: [e(1, "a")], commitIndex: 2 }))).toBe("TypeOK")
  })
})

describe("firstChangedIndex", () => {
  const before = server("s1", { log: [e(1, "a"), e(1, "b"), e(2, "c")] }).persistent

  it("finds the first changed entry, a truncation, or none", () => {
    expect(firstChangedIndex(before, before)).toBe(Infinity)
    expect(firstChangedIndex(before, { ...before, log: [e(1, "a"), e(3, "x")] })).toBe(2)
    expect(firstChangedIndex(before, { ...before, log: [e(1, "a")] })).toBe(2)
    expect(firstChangedIndex(before, { ...before, log: [...before.log, e(2, "d")] })).toBe(4)
    expect(firstChangedIndex(before, { ...before, log: before.log.map((x) => ({ ...x })) })).toBe(Infinity)
  })

  it("sees through compaction", () => {
    const compacted = { ...before, snapshot: { index: 2, term: 1, entries: before.log.slice(0, 2) }, log: before.log.slice(2) }
    expect(firstChangedIndex(before, compacted)).toBe(Infinity)
    const rewritten = { ...compacted, snapshot: { ...compacted.snapshot, entries: [e(1, "a"), e(1, "z")] } }
    expect(firstChangedIndex(compacted, rewritten)).toBe(2)
  })
})

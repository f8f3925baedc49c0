/**
 * Figure 8 of the Raft paper (§5.4.2), scripted on five servers: an entry of an older term that a
 * quorum holds can still be overwritten by a later leader, so a leader must not commit it by
 * counting replicas. The core refuses; had it committed, State Machine Safety would break.
 */
import { describe, expect, it } from "vitest"
import { type Entry, initialNode, type Node } from "../../src/raft/index.ts"
import { InvariantMonitor } from "../../src/sim/invariants.ts"
import type { Envelope } from "../../src/sim/network.ts"
import { cluster, committedLog, expectSafe, wholeLog } from "./cluster.ts"

const e = (term: number, value: string): Entry => ({ term, value })

describe("Figure 8", () => {
  const sim = cluster(8, { servers: 5 })
  const to = (dest: string, type: Envelope["message"]["type"], source?: string) => (envelope: Envelope) =>
    envelope.message.dest === dest && envelope.message.type === type && (source === undefined || envelope.message.source === source)
  /** Delivers every matching message, including the second delivery after an UpdateTerm. */
  const deliverAll = (matches: (envelope: Envelope) => boolean) => {
    while (sim.deliver(matches));
  }
  const elect = (candidate: string, voters: ReadonlyArray<string>, timeouts: number) => {
    for (let k = 0; k < timeouts; k++) expect(sim.act("Timeout", candidate)).toBe(true)
    for (const voter of voters) {
      expect(sim.act("RequestVote", candidate, voter)).toBe(true)
      deliverAll(to(voter, "RequestVoteRequest"))
      deliverAll(to(candidate, "RequestVoteResponse", voter))
    }
    expect(sim.act("BecomeLeader", candidate)).toBe(true)
  }
  /** Sends AppendEntries until the follower holds the leader's whole log. */
  const replicate = (leader: string, follower: string) => {
    for (let round = 0; round < 5; round++) {
      expect(sim.act("AppendEntries", leader, follower)).toBe(true)
      deliverAll(to(follower, "AppendEntriesRequest"))
      deliverAll(to(leader, "AppendEntriesResponse", follower))
      if (JSON.stringify(wholeLog(sim.node(follower))) === JSON.stringify(wholeLog(sim.node(leader)))) return
    }
    throw new Error(`${follower} did not catch up with ${leader}`)
  }
  const dropEverything = () => sim.dropAll(() => true)
  let countedButRefused: Node

  it("(a) s1 leads term 1 and replicates its entry to s2 only", () => {
    elect("s1", ["s2", "s3"], 1)
    expect(sim.submit("a")).toBe("a")
    replicate("s1", "s2")
    expect(sim.act("AdvanceCommitIndex", "s1")).toBe(false)
    dropEverything()
  })

  it("(b) s1 crashes; s5 leads term 2 with votes of s3 and s4 and appends its own entry at index 1", () => {
    sim.crash("s1")
    elect("s5", ["s3", "s4"], 2)
    expect(sim.node("s5").persistent.currentTerm).toBe(2)
    expect(sim.submit("b")).toBe("b")
    dropEverything()
  })

  it("(c) s5 crashes; s1 leads term 3 and gets its term-1 entry onto a quorum, but does not commit it", () => {
    sim.crash("s5")
    elect("s1", ["s2", "s3"], 2)
    expect(sim.node("s1").persistent.currentTerm).toBe(3)
    replicate("s1", "s2")
    replicate("s1", "s3")
    for (const id of ["s1", "s2", "s3"]) expect(wholeLog(sim.node(id))).toEqual([e(1, "a")])
    // Counting replicas alone would commit index 1: s1, s2 and s3 hold it.
    const s1 = sim.node("s1")
    expect(1 + ["s2", "s3", "s4", "s5"].filter((id) => s1.volatile.matchIndex[id] >= 1).length).toBeGreaterThanOrEqual(3)
    expect(sim.act("AdvanceCommitIndex", "s1")).toBe(false)
    expect(sim.node("s1").volatile.commitIndex).toBe(0)
    countedButRefused = sim.node("s1")
    dropEverything()
  })

  it("(d) s1 crashes; s5 leads term 4 and overwrites index 1 on s2 and s3, which is safe because it was never committed", () => {
    sim.crash("s1")
    elect("s5", ["s2", "s3", "s4"], 2)
    expect(sim.node("s5").persistent.currentTerm).toBe(4)
    replicate("s5", "s2")
    replicate("s5", "s3")
    expect(wholeLog(sim.node("s2"))).toEqual([e(2, "b")])
    expect(sim.submit("c")).toBe("c")
    for (const id of ["s2", "s3", "s4"]) replicate("s5", id)
    expect(sim.act("AdvanceCommitIndex", "s5")).toBe(true)
    expect(committedLog(sim.node("s5"))).toEqual([e(2, "b"), e(4, "c")])
    expectSafe(sim)
  })

  it("had s1 committed by counting replicas in (c), the monitor would report the lost entry", () => {
    const monitor = new InvariantMonitor()
    const countOnly: Node = { ...countedButRefused, volatile: { ...countedButRefused.volatile, commitIndex: 1 } }
    const initial = ["s1", "s2", "s3", "s4", "s5"].map((id) => initialNode(id, sim.config))
    const step = { action: "AdvanceCommitIndex", params: { i: "s1" }, persist: [] } as const
    expect(monitor.check(step, initial[0], countOnly, [countOnly, ...initial.slice(1)])).toBeNull()
    const later = sim.node("s5")
    const violation = monitor.check({ ...step, params: { i: "s5" } }, initial[4], later, [countOnly, ...initial.slice(1, 4), later])
    // s5 has committed another entry where s1 would have committed (1, "a").
    expect(violation?.invariant).toBe("StateMachineSafety")
    expect(violation?.detail).toContain(`committed entry 1 is (term 2, "b"), but (term 1, "a") was committed there`)
  })
})

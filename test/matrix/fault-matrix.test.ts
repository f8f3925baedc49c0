/**
 * The seed's fault matrix: each scenario drives a simulated cluster through one kind of fault,
 * deterministically (fixed seeds, steps as time), with every invariant checked after every step.
 */
import { describe, expect, it } from "vitest"
import { entryAt, lastIndex } from "../../src/raft/index.ts"
import { cluster, committedLog, converged, expectSafe, leaders, settle, submitMany, wholeLog } from "./cluster.ts"

describe("fault matrix", () => {
  it.each([3, 5])("BasicLeaderElection: %i servers elect exactly one leader (seed 11)", (servers) => {
    const sim = cluster(11, { servers })
    expect(sim.runUntil(() => leaders(sim).length > 0, 5_000)).toBe(true)
    const [leader] = leaders(sim)
    // With no faults the leader keeps its place, and every server learns its term.
    expect(settle(sim)).toBe(true)
    sim.run(3_000)
    expectSafe(sim)
    expect(leaders(sim).map((node) => node.id)).toEqual([leader.id])
    expect(sim.stats.leadersElected).toBe(1)
  })

  it("ReplicateAndCommit: 100 commands commit; after the leader is killed every committed entry survives (seed 12)", () => {
    const sim = cluster(12)
    expect(sim.runUntil(() => leaders(sim).length > 0, 5_000)).toBe(true)
    const values = submitMany(sim, 100)
    expect(settle(sim)).toBe(true)
    const before = committedLog(leaders(sim)[0])
    expect(before.map((entry) => entry.value)).toEqual(values)

    sim.crash(leaders(sim)[0].id)
    expect(sim.runUntil(() => leaders(sim).length > 0, 10_000)).toBe(true)
    submitMany(sim, 1)
    expect(settle(sim)).toBe(true)
    expectSafe(sim)
    for (const node of sim.nodes) expect(committedLog(node).slice(0, 100)).toEqual(before)
  })

  it("LogConsistency: after every fault stops, all logs are identical (seed 13)", () => {
    const sim = cluster(13, { clientRate: 0.5, faults: ["drop", "dup", "reorder", "partition", "crash", "snapshot"], crashRate: 0.002 })
    expect(sim.run(30_000)).toBe(true)
    sim.configure({ faults: new Set(["snapshot"]), clientRate: 0 })
    sim.heal()
    expect(settle(sim)).toBe(true)
    expectSafe(sim)
    const [first, ...rest] = sim.nodes.map(wholeLog)
    expect(first.length).toBeGreaterThan(100)
    for (const log of rest) expect(log).toEqual(first)
  })

  it("DisconnectedMinority: a cut-off follower falls behind, rejoins and catches up (seed 14)", () => {
    const sim = cluster(14, { clientRate: 0.5, faults: ["snapshot"] })
    expect(sim.runUntil(() => leaders(sim).length > 0, 5_000)).toBe(true)
    const follower = sim.nodes.find((node) => node.volatile.role !== "Leader")!.id
    sim.partition([follower])
    const stuckAt = sim.node(follower).volatile.commitIndex
    sim.run(5_000)
    const committedWhileCut = sim.committed.length
    expect(committedWhileCut).toBeGreaterThan(stuckAt + 100)
    expect(sim.node(follower).volatile.commitIndex).toBe(stuckAt)

    sim.heal()
    sim.configure({ clientRate: 0 })
    expect(settle(sim)).toBe(true)
    expectSafe(sim)
    expect(sim.node(follower).volatile.commitIndex).toBeGreaterThanOrEqual(committedWhileCut)
    // The leader compacted what the follower missed, so it caught up through a snapshot.
    expect(sim.stats.snapshotsInstalled).toBeGreaterThan(0)
  })

  it("NetworkDelays: under heavy reordering the cluster still commits (seed 15)", () => {
    const sim = cluster(15, { clientRate: 0.5, deliverRate: 0.05, faults: ["reorder"] })
    expect(sim.run(30_000)).toBe(true)
    expect(sim.stats.messagesReordered).toBeGreaterThan(5_000)
    sim.configure({ clientRate: 0, deliverRate: 1 })
    expect(settle(sim)).toBe(true)
    expectSafe(sim)
    expect(sim.committed.length).toBeGreaterThan(200)
  })

  it("DroppedMessages: with 10% of messages lost the cluster still commits (seed 16)", () => {
    const sim = cluster(16, { clientRate: 0.5, dropRate: 0.11, faults: ["drop"] })
    expect(sim.run(30_000)).toBe(true)
    const delivered = Object.entries(sim.stats.actions)
      .filter(([action]) => action.startsWith("Handle") || action === "UpdateTerm")
      .reduce((sum, [, count]) => sum + (count ?? 0), 0)
    const lost = sim.stats.messagesDropped / (sim.stats.messagesDropped + delivered)
    expect(lost).toBeGreaterThan(0.07)
    expect(lost).toBeLessThan(0.13)
    expect(sim.committed.length).toBeGreaterThan(1_000)
    sim.configure({ clientRate: 0 })
    expect(settle(sim)).toBe(true)
    expectSafe(sim)
  })

  it.each([
    { servers: 3, minority: 1 },
    { servers: 5, minority: 2 }
  ])(
    "PartitionWithSplitVotes: $servers servers, the leader and $minority-server minority never elect; healed, they converge (seed 17)",
    ({ servers, minority }) => {
      const sim = cluster(17, { servers, clientRate: 0.3, faults: ["snapshot"] })
      expect(sim.runUntil(() => leaders(sim).length > 0, 5_000)).toBe(true)
      const oldLeader = leaders(sim)[0]
      const cut = [oldLeader.id, ...sim.nodes.filter((node) => node.id !== oldLeader.id).slice(0, minority - 1).map((node) => node.id)]
      sim.partition(cut)
      const electedBefore = sim.stats.leadersElected
      const committedBefore = oldLeader.volatile.commitIndex
      for (let k = 0; k < 8_000; k++) {
        sim.randomStep()
        for (const id of cut) {
          const node = sim.node(id)
          // The old leader stays leader of its old term but can commit nothing; nobody else on its side leads.
          if (node.volatile.role === "Leader") {
            expect(node.id).toBe(oldLeader.id)
            expect(node.persistent.currentTerm).toBe(oldLeader.persistent.currentTerm)
            expect(node.volatile.commitIndex).toBe(committedBefore)
          }
        }
      }
      // The majority side elected a leader of a newer term and went on committing.
      expect(sim.stats.leadersElected).toBeGreaterThan(electedBefore)
      expect(sim.committed.length).toBeGreaterThan(committedBefore + 50)

      sim.heal()
      sim.configure({ clientRate: 0 })
      expect(settle(sim)).toBe(true)
      expectSafe(sim)
    }
  )

  it("CrashDuringCommit: an acknowledged entry is never lost; an unacknowledged one may be (seed 18)", () => {
    const sim = cluster(18, { clientRate: 0.5, crashRate: 0.01, faults: ["crash", "drop", "reorder", "snapshot"] })
    /** acked[k]: the value a leader reported committed at index k. */
    const acked = new Map<number, string>()
    const ack = () => {
      for (const leader of leaders(sim)) {
        for (let k = 1; k <= leader.volatile.commitIndex; k++) {
          if (!acked.has(k)) acked.set(k, entryAt(leader.persistent, k).value)
        }
      }
    }
    for (let round = 0; round < 40; round++) {
      sim.run(200)
      ack()
      // Crash the leader a few steps after a client request, while the entry is being replicated.
      if (sim.submit() !== null) {
        sim.run(1 + (round % 6))
        ack()
        const leader = leaders(sim)[0]
        if (leader) sim.crash(leader.id)
      }
    }
    expect(sim.stats.crashes).toBeGreaterThan(40)
    sim.configure({ faults: new Set(["snapshot"]), clientRate: 0 })
    expect(settle(sim)).toBe(true)
    expectSafe(sim)
    expect(acked.size).toBeGreaterThan(100)
    const final = committedLog(sim.nodes[0])
    for (const [index, value] of acked) expect(final[index - 1]?.value).toBe(value)
    // Every committed value is one a client submitted, once.
    const values = final.map((entry) => entry.value)
    expect(new Set(values).size).toBe(values.length)
    for (const value of values) expect(sim.submitted).toContain(value)
    expect(lastIndex(sim.nodes[0].persistent)).toBe(final.length)
  })
})

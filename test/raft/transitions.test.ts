/**
 * The transitions of the pure core, one behaviour of the spec at a time.
 */
import { describe, expect, it } from "vitest"
import {
  type AppendEntriesRequest,
  advanceCommitIndex,
  appendEntries,
  becomeLeader,
  clientRequest,
  type InstallSnapshotRequest,
  handleAppendEntriesRequest,
  handleAppendEntriesResponse,
  handleInstallSnapshotRequest,
  handleRequestVoteRequest,
  handleRequestVoteResponse,
  installSnapshot,
  lastIndex,
  type Node,
  receive,
  type RequestVoteRequest,
  restart,
  takeSnapshot,
  timeout
} from "../../src/raft/index.ts"
import { config, e, server } from "./fixtures.ts"

const voteRequest = (source: string, term: number, lastLogTerm = 0, lastLogIndex = 0): RequestVoteRequest => ({
  type: "RequestVoteRequest",
  term,
  source,
  dest: "s1",
  lastLogTerm,
  lastLogIndex
})

const appendRequest = (fields: Partial<AppendEntriesRequest>): AppendEntriesRequest => ({
  type: "AppendEntriesRequest",
  term: 1,
  source: "s2",
  dest: "s1",
  prevLogIndex: 0,
  prevLogTerm: 0,
  entries: [],
  commitIndex: 0,
  ...fields
})

describe("election", () => {
  it("Timeout starts a new term, voting for itself, and persists both", () => {
    const result = timeout(server("s1", { term: 3 }), config)!
    expect(result.state.persistent.currentTerm).toBe(4)
    expect(result.state.persistent.votedFor).toBe("s1")
    expect(result.state.volatile.role).toBe("Candidate")
    expect(result.state.volatile.votesGranted).toEqual(["s1"])
    expect(result.trace.persist).toEqual(["currentTerm", "votedFor"])
  })

  it("a leader does not time out", () => {
    expect(timeout(server("s1", { role: "Leader" }), config)).toBeNull()
  })

  it("grants one vote per term, and records it before replying", () => {
    const first = handleRequestVoteRequest(server("s1", { term: 2 }), voteRequest("s2", 2), config)!
    expect(first.send).toEqual([{ type: "RequestVoteResponse", term: 2, source: "s1", dest: "s2", voteGranted: true }])
    expect(first.trace.persist).toEqual(["votedFor"])
    const second = handleRequestVoteRequest(first.state, voteRequest("s3", 2), config)!
    expect(second.send[0]).toMatchObject({ voteGranted: false })
    expect(second.state.persistent.votedFor).toBe("s2")
    expect(second.trace.persist).toEqual([])
  })

  it("refuses a candidate whose log is less up-to-date (§5.4.1)", () => {
    const voter = server("s1", { term: 3, log: [e(1, "a"), e(3, "b")] })
    expect(handleRequestVoteRequest(voter, voteRequest("s2", 3, 2, 5), config)!.send[0]).toMatchObject({ voteGranted: false })
    expect(handleRequestVoteRequest(voter, voteRequest("s2", 3, 3, 1), config)!.send[0]).toMatchObject({ voteGranted: false })
    expect(handleRequestVoteRequest(voter, voteRequest("s2", 3, 3, 2), config)!.send[0]).toMatchObject({ voteGranted: true })
  })

  it("a message of a newer term moves the receiver to it and stays in flight", () => {
    const leader = server("s1", { term: 2, role: "Leader", votedFor: "s1" })
    const delivery = receive(leader, voteRequest("s2", 5), config)!
    expect(delivery.trace.action).toBe("UpdateTerm")
    expect(delivery.consumed).toBe(false)
    expect(delivery.state.persistent).toMatchObject({ currentTerm: 5, votedFor: null })
    expect(delivery.state.volatile.role).toBe("Follower")
    expect(receive(delivery.state, voteRequest("s2", 5), config)!.trace.action).toBe("HandleRequestVoteRequest")
  })

  it("counts votes of the current term only, and becomes leader with a quorum", () => {
    const candidate = timeout(server("s1", { term: 1 }), config)!.state
    expect(becomeLeader(candidate, config)).toBeNull()
    const stale = handleRequestVoteResponse(candidate, { type: "RequestVoteResponse", term: 1, source: "s2", dest: "s1", voteGranted: true }, config)!
    expect(stale.state.volatile.votesGranted).toEqual(["s1"])
    const counted = handleRequestVoteResponse(candidate, { type: "RequestVoteResponse", term: 2, source: "s2", dest: "s1", voteGranted: true }, config)!
    const leader = becomeLeader(counted.state, config)!.state
    expect(leader.volatile.role).toBe("Leader")
    expect(leader.volatile.nextIndex).toEqual({ s1: 1, s2: 1, s3: 1 })
  })
})

describe("replication", () => {
  it("deletes a conflicting entry and everything after it", () => {
    const follower = server("s1", { term: 3, log: [e(1, "a"), e(1, "b"), e(2, "c")] })
    const result = handleAppendEntriesRequest(follower, appendRequest({ term: 3, prevLogIndex: 1, prevLogTerm: 1, entries: [e(3, "x")] }), config)!
    expect(result.state.persistent.log).toEqual([e(1, "a"), e(3, "x")])
    expect(result.send[0]).toMatchObject({ success: true, matchIndex: 2 })
    expect(result.trace.persist).toEqual(["log"])
  })

  it("keeps entries it already holds, so a stale copy of a request truncates nothing", () => {
    const follower = server("s1", { term: 3, log: [e(1, "a"), e(3, "b"), e(3, "c")] })
    const result = handleAppendEntriesRequest(follower, appendRequest({ term: 3, prevLogIndex: 0, entries: [e(1, "a"), e(3, "b")] }), config)!
    expect(result.state.persistent.log).toBe(follower.persistent.log)
    expect(result.send[0]).toMatchObject({ success: true, matchIndex: 2 })
  })

  it("refuses entries that do not follow an entry it holds", () => {
    const follower = server("s1", { term: 3, log: [e(1, "a")] })
    const gap = handleAppendEntriesRequest(follower, appendRequest({ term: 3, prevLogIndex: 2, prevLogTerm: 1 }), config)!
    expect(gap.send[0]).toMatchObject({ success: false, matchIndex: 0 })
    const mismatch = handleAppendEntriesRequest(follower, appendRequest({ term: 3, prevLogIndex: 1, prevLogTerm: 2 }), config)!
    expect(mismatch.send[0]).toMatchObject({ success: false })
    expect(mismatch.state.persistent.log).toEqual([e(1, "a")])
  })

  it("refuses a request of an older term and answers with its own term", () => {
    const result = handleAppendEntriesRequest(server("s1", { term: 4 }), appendRequest({ term: 3 }), config)!
    expect(result.send[0]).toMatchObject({ success: false, term: 4 })
  })

  it("a candidate steps down on a request of its own term", () => {
    const result = handleAppendEntriesRequest(server("s1", { term: 3, role: "Candidate" }), appendRequest({ term: 3 }), config)!
    expect(result.state.volatile.role).toBe("Follower")
  })

  it("commits no further than the leader's commitIndex and its last new entry", () => {
    const follower = server("s1", { term: 2, log: [e(1, "a"), e(1, "b"), e(1, "c")] })
    const result = handleAppendEntriesRequest(follower, appendRequest({ term: 2, prevLogIndex: 1, prevLogTerm: 1, commitIndex: 3 }), config)!
    expect(result.state.volatile.commitIndex).toBe(1)
  })

  it("a leader commits an entry of its own term held by a quorum", () => {
    const leader = server("s1", { term: 2, role: "Leader", log: [e(2, "a")] })
    const acked = handleAppendEntriesResponse(leader, { type: "AppendEntriesResponse", term: 2, source: "s2", dest: "s1", success: true, matchIndex: 1 }, config)!
    expect(acked.state.volatile.matchIndex.s2).toBe(1)
    expect(advanceCommitIndex(acked.state, config)!.state.volatile.commitIndex).toBe(1)
  })

  it("a leader never commits an older term's entry by counting replicas (Figure 8)", () => {
    const leader = server("s1", { term: 4, role: "Leader", log: [e(2, "a")] })
    const acked = handleAppendEntriesResponse(leader, { type: "AppendEntriesResponse", term: 4, source: "s2", dest: "s1", success: true, matchIndex: 1 }, config)!
    expect(advanceCommitIndex(acked.state, config)).toBeNull()
    const withOwn = clientRequest(acked.state, "b", config)!.state
    const ackedOwn = handleAppendEntriesResponse(withOwn, { type: "AppendEntriesResponse", term: 4, source: "s3", dest: "s1", success: true, matchIndex: 2 }, config)!
    expect(advanceCommitIndex(ackedOwn.state, config)!.state.volatile.commitIndex).toBe(2)
  })

  it("a reordered old response does not move matchIndex back; a refusal backs off one entry", () => {
    const leader = server("s1", { term: 2, role: "Leader", log: [e(2, "a"), e(2, "b")] })
    const newer = handleAppendEntriesResponse(leader, { type: "AppendEntriesResponse", term: 2, source: "s2", dest: "s1", success: true, matchIndex: 2 }, config)!
    const older = handleAppendEntriesResponse(newer.state, { type: "AppendEntriesResponse", term: 2, source: "s2", dest: "s1", success: true, matchIndex: 1 }, config)!
    expect(older.state.volatile.matchIndex.s2).toBe(2)
    expect(older.state.volatile.nextIndex.s2).toBe(3)
    const refused = handleAppendEntriesResponse(older.state, { type: "AppendEntriesResponse", term: 2, source: "s3", dest: "s1", success: false, matchIndex: 0 }, config)!
    expect(refused.state.volatile.nextIndex.s3).toBe(1)
  })

  it("AppendEntries sends every entry from nextIndex on, with the entry before them", () => {
    const leader = becomeLeader(
      { ...server("s1", { term: 2, role: "Candidate", log: [e(1, "a"), e(2, "b")] }), volatile: { ...server("s1").volatile, role: "Candidate", votesGranted: ["s1", "s2"] } },
      config
    )!.state
    const withEntry = clientRequest(leader, "c", config)!.state
    const backedOff = { ...withEntry, volatile: { ...withEntry.volatile, nextIndex: { ...withEntry.volatile.nextIndex, s2: 2 } } }
    expect(appendEntries(backedOff, "s2", config)!.send[0]).toMatchObject({ prevLogIndex: 1, prevLogTerm: 1, entries: [e(2, "b"), e(2, "c")] })
    expect(appendEntries(backedOff, "s1", config)).toBeNull()
  })
})

/** The InstallSnapshotRequest a leader sends to s2. */
const snapshotRequest = (leader: Node): InstallSnapshotRequest => {
  const request = installSnapshot(leader, "s2", config)!.send[0]
  if (request.type !== "InstallSnapshotRequest") throw new Error(`expected an InstallSnapshotRequest, got ${request.type}`)
  return request
}

describe("compaction and restart", () => {
  const committed = server("s1", { term: 2, role: "Leader", log: [e(1, "a"), e(2, "b"), e(2, "c")], commitIndex: 2 })

  it("TakeSnapshot compacts up to commitIndex; the whole log reads the same", () => {
    const after = takeSnapshot(committed, config)!.state
    expect(after.persistent.snapshot).toEqual({ index: 2, term: 2, entries: [e(1, "a"), e(2, "b")] })
    expect(after.persistent.log).toEqual([e(2, "c")])
    expect(lastIndex(after.persistent)).toBe(3)
    expect(takeSnapshot(after, config)).toBeNull()
  })

  it("a leader sends its snapshot only to a follower that needs compacted entries", () => {
    const leader = takeSnapshot(committed, config)!.state
    expect(appendEntries(leader, "s2", config)).toBeNull()
    const request = installSnapshot(leader, "s2", config)!.send[0]
    expect(request).toMatchObject({ lastIncludedIndex: 2, lastIncludedTerm: 2, snapshot: [e(1, "a"), e(2, "b")] })
    const caughtUp = { ...leader, volatile: { ...leader.volatile, nextIndex: { ...leader.volatile.nextIndex, s2: 3 } } }
    expect(installSnapshot(caughtUp, "s2", config)).toBeNull()
  })

  it("a follower holding the snapshot's last entry keeps the entries after it", () => {
    const follower = server("s2", { term: 2, log: [e(1, "a"), e(2, "b"), e(2, "c"), e(2, "d")] })
    const request = snapshotRequest(takeSnapshot(committed, config)!.state)
    const result = handleInstallSnapshotRequest(follower, request, config)!
    expect(result.state.persistent.log).toEqual([e(2, "c"), e(2, "d")])
    expect(result.state.volatile.commitIndex).toBe(2)
    expect(result.send[0]).toMatchObject({ type: "AppendEntriesResponse", success: true, matchIndex: 2 })
    expect(result.trace.persist).toEqual(["log", "snapshot"])
  })

  it("a follower whose log conflicts with the snapshot drops its log; an older snapshot is ignored", () => {
    const request = snapshotRequest(takeSnapshot(committed, config)!.state)
    const conflicting = server("s2", { term: 2, log: [e(1, "a"), e(1, "z"), e(1, "y")] })
    expect(handleInstallSnapshotRequest(conflicting, request, config)!.state.persistent.log).toEqual([])
    const ahead = takeSnapshot(server("s2", { term: 2, log: [e(1, "a"), e(2, "b"), e(2, "c")], commitIndex: 3 }), config)!.state
    const ignored = handleInstallSnapshotRequest(ahead, request, config)!
    expect(ignored.state).toBe(ahead)
    expect(ignored.send[0]).toMatchObject({ success: true, matchIndex: 2 })
  })

  it("Restart keeps persistent state and restarts commitIndex at the snapshot", () => {
    const snapshotted = takeSnapshot(committed, config)!.state
    const result = restart(snapshotted, config)
    expect(result.state.persistent).toBe(snapshotted.persistent)
    expect(result.state.volatile).toEqual({
      role: "Follower",
      commitIndex: 2,
      votesGranted: [],
      nextIndex: { s1: 1, s2: 1, s3: 1 },
      matchIndex: { s1: 0, s2: 0, s3: 0 }
    })
    expect(result.trace.persist).toEqual([])
  })
})

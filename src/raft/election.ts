/**
 * Leader election: timeouts, vote requests and replies, and moving to a newer term.
 */
import { isQuorum, type RaftConfig, type ServerId } from "./config.ts"
import type { Message, RequestVoteRequest, RequestVoteResponse } from "./message.ts"
import { indexRow, lastIndex, lastTerm, type Node } from "./state.ts"
import { type Step, step } from "./step.ts"

/**
 * A follower or candidate stands for election in a new term and votes for itself.
 * Spec: Timeout(i), spec/Raft.tla lines 115-122.
 */
export const timeout = (node: Node, _config: RaftConfig): Step | null => {
  // spec: Timeout/state[i] \in {"Follower", "Candidate"}
  if (node.volatile.role === "Leader") return null
  const after: Node = {
    id: node.id,
    // spec: Timeout/currentTerm'
    // spec: Timeout/votedFor'
    persistent: { ...node.persistent, currentTerm: node.persistent.currentTerm + 1, votedFor: node.id },
    // spec: Timeout/state'
    // spec: Timeout/votesGranted'
    volatile: { ...node.volatile, role: "Candidate", votesGranted: [node.id] }
  }
  return step("Timeout", { i: node.id }, node, after)
}

/**
 * A candidate asks server j for its vote.
 * Spec: RequestVote(i, j), spec/Raft.tla lines 125-134.
 */
export const requestVote = (node: Node, j: ServerId, _config: RaftConfig): Step | null => {
  // spec: RequestVote/i # j
  // spec: RequestVote/state[i] = "Candidate"
  if (j === node.id || node.volatile.role !== "Candidate") return null
  // spec: RequestVote/Send(
  const request: RequestVoteRequest = {
    type: "RequestVoteRequest",
    term: node.persistent.currentTerm,
    source: node.id,
    dest: j,
    lastLogTerm: lastTerm(node.persistent),
    lastLogIndex: lastIndex(node.persistent)
  }
  return step("RequestVote", { i: node.id, j }, node, node, [request])
}

/**
 * A candidate with a quorum of votes becomes leader.
 * Spec: BecomeLeader(i), spec/Raft.tla lines 137-143.
 */
export const becomeLeader = (node: Node, config: RaftConfig): Step | null => {
  // spec: BecomeLeader/state[i] = "Candidate"
  // spec: BecomeLeader/IsQuorum(votesGranted[i])
  if (node.volatile.role !== "Candidate" || !isQuorum(node.volatile.votesGranted.length, config)) return null
  const after: Node = {
    ...node,
    volatile: {
      ...node.volatile,
      // spec: BecomeLeader/state'
      role: "Leader",
      // spec: BecomeLeader/nextIndex'
      nextIndex: indexRow(config, lastIndex(node.persistent) + 1),
      // spec: BecomeLeader/matchIndex'
      matchIndex: indexRow(config, 0)
    }
  }
  return step("BecomeLeader", { i: node.id }, node, after)
}

/**
 * A message of a newer term moves the receiver to that term as a follower; the message stays in
 * flight and is handled afterwards.
 * Spec: UpdateTerm(i, j, m), spec/Raft.tla lines 212-218.
 */
export const updateTerm = (node: Node, m: Message, _config: RaftConfig): Step | null => {
  // spec: UpdateTerm/m.mterm > currentTerm[i]
  if (m.term <= node.persistent.currentTerm) return null
  const after: Node = {
    id: node.id,
    // spec: UpdateTerm/currentTerm'
    // spec: UpdateTerm/votedFor'
    persistent: { ...node.persistent, currentTerm: m.term, votedFor: null },
    // spec: UpdateTerm/state'
    volatile: { ...node.volatile, role: "Follower" }
  }
  return step("UpdateTerm", { i: node.id, j: m.source, m }, node, after)
}

/**
 * The vote goes to a candidate of the current term whose log is at least as up-to-date, unless
 * it already went to another server.
 * Spec: HandleRequestVoteRequest(i, j, m), spec/Raft.tla lines 222-238.
 */
export const handleRequestVoteRequest = (node: Node, m: RequestVoteRequest, config: RaftConfig): Step | null => {
  const p = node.persistent
  // spec: HandleRequestVoteRequest/m.mterm <= currentTerm[i]
  if (m.term > p.currentTerm) return null
  const myLastTerm = lastTerm(p)
  // spec: HandleRequestVoteRequest/logOk
  const upToDate = m.lastLogTerm > myLastTerm || (m.lastLogTerm === myLastTerm && m.lastLogIndex >= lastIndex(p))
  // Bug catalogue, vote-without-log-check: the election restriction is skipped.
  const logOk = upToDate || config.bugs.has("vote-without-log-check")
  // spec: HandleRequestVoteRequest/grant
  const grant = m.term === p.currentTerm && logOk && (p.votedFor === null || p.votedFor === m.source)
  // spec: HandleRequestVoteRequest/votedFor'
  const after: Node = grant && p.votedFor !== m.source ? { ...node, persistent: { ...p, votedFor: m.source } } : node
  // spec: HandleRequestVoteRequest/Reply(
  const response: RequestVoteResponse = {
    type: "RequestVoteResponse",
    term: p.currentTerm,
    source: node.id,
    dest: m.source,
    voteGranted: grant
  }
  return step("HandleRequestVoteRequest", { i: node.id, j: m.source, m }, node, after, [response])
}

/**
 * A vote of the current term counts; an older response is discarded.
 * Spec: HandleRequestVoteResponse(i, j, m), spec/Raft.tla lines 241-249.
 */
export const handleRequestVoteResponse = (node: Node, m: RequestVoteResponse, config: RaftConfig): Step | null => {
  // spec: HandleRequestVoteResponse/m.mterm <= currentTerm[i]
  if (m.term > node.persistent.currentTerm) return null
  // Bug catalogue, count-duplicate-votes: a second copy of the same vote is counted again.
  const fresh = !node.volatile.votesGranted.includes(m.source) || config.bugs.has("count-duplicate-votes")
  // spec: HandleRequestVoteResponse/votesGranted'
  const counts = m.term === node.persistent.currentTerm && m.voteGranted && fresh
  const after: Node = counts
    ? { ...node, volatile: { ...node.volatile, votesGranted: [...node.volatile.votesGranted, m.source] } }
    : node
  return step("HandleRequestVoteResponse", { i: node.id, j: m.source, m }, node, after)
}

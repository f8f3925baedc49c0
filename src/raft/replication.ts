/**
 * Log replication: client requests, AppendEntries in both directions, and commitment.
 */
import { isQuorum, type RaftConfig, type ServerId } from "./config.ts"
import type { AppendEntriesRequest, AppendEntriesResponse } from "./message.ts"
import { type Entry, lastIndex, type Node, termAt, type Value } from "./state.ts"
import { type Step, step } from "./step.ts"

/**
 * The leader appends a client's value to its log.
 * Spec: ClientRequest(i, v), spec/Raft.tla lines 146-150.
 */
export const clientRequest = (node: Node, v: Value, _config: RaftConfig): Step | null => {
  // spec: ClientRequest/state[i] = "Leader"
  if (node.volatile.role !== "Leader") return null
  const entry: Entry = { term: node.persistent.currentTerm, value: v }
  // spec: ClientRequest/log'
  const after: Node = { ...node, persistent: { ...node.persistent, log: [...node.persistent.log, entry] } }
  return step("ClientRequest", { i: node.id, v }, node, after)
}

/**
 * The leader commits the highest index a quorum holds, only if that entry is of its current term
 * (Raft §5.4.2, Figure 8); the entries before it are committed with it.
 * Spec: AdvanceCommitIndex(i), spec/Raft.tla lines 156-164.
 */
export const advanceCommitIndex = (node: Node, config: RaftConfig): Step | null => {
  // spec: AdvanceCommitIndex/state[i] = "Leader"
  if (node.volatile.role !== "Leader") return null
  const p = node.persistent
  // The leader agrees with itself; the others count through matchIndex. The highest index held by
  // a quorum is the (quorum - 1)-th highest matchIndex among the other servers.
  // spec: AdvanceCommitIndex/Agree
  const others: Array<number> = []
  for (const server of config.servers) if (server !== node.id) others.push(node.volatile.matchIndex[server])
  others.sort((a, b) => b - a)
  let needed = 1
  while (!isQuorum(needed, config)) needed++
  const highestHeld = needed === 1 ? lastIndex(p) : others[needed - 2]
  // spec: AdvanceCommitIndex/highest
  const highest = Math.min(highestHeld, lastIndex(p))
  // Bug catalogue, commit-previous-term: an older term's entry is committed by counting replicas.
  // spec: AdvanceCommitIndex/TermAt(i, highest) = currentTerm[i]
  const ownTerm = termAt(p, highest) === p.currentTerm || config.bugs.has("commit-previous-term")
  // spec: AdvanceCommitIndex/agreed # {}
  if (highest <= node.volatile.commitIndex || !ownTerm) return null
  // spec: AdvanceCommitIndex/commitIndex'
  const after: Node = { ...node, volatile: { ...node.volatile, commitIndex: highest } }
  return step("AdvanceCommitIndex", { i: node.id }, node, after)
}

/**
 * The leader sends j every entry from nextIndex[j] on (none: a heartbeat), if it still holds the
 * entry before them.
 * Spec: AppendEntries(i, j), spec/Raft.tla lines 168-181.
 */
export const appendEntries = (node: Node, j: ServerId, _config: RaftConfig): Step | null => {
  const p = node.persistent
  // spec: AppendEntries/prevLogIndex
  const prevLogIndex = node.volatile.nextIndex[j] - 1
  // spec: AppendEntries/i # j
  // spec: AppendEntries/state[i] = "Leader"
  // spec: AppendEntries/prevLogIndex >= snapshotIndex[i]
  if (j === node.id || node.volatile.role !== "Leader" || prevLogIndex < p.snapshot.index) return null
  // spec: AppendEntries/Send(
  const request: AppendEntriesRequest = {
    type: "AppendEntriesRequest",
    term: p.currentTerm,
    source: node.id,
    dest: j,
    prevLogIndex,
    prevLogTerm: termAt(p, prevLogIndex),
    entries: p.log.slice(prevLogIndex - p.snapshot.index),
    commitIndex: node.volatile.commitIndex
  }
  return step("AppendEntries", { i: node.id, j }, node, node, [request])
}

/** The position in m.entries (1-based) of the first entry the receiver lacks, or 0. */
const firstFresh = (node: Node, m: AppendEntriesRequest): number => {
  const p = node.persistent
  const last = lastIndex(p)
  // spec: HandleAppendEntriesRequest/fresh
  // spec: HandleAppendEntriesRequest/first
  for (let k = 1; k <= m.entries.length; k++) {
    const index = m.prevLogIndex + k
    if (index <= p.snapshot.index) continue
    if (index > last || termAt(p, index) !== m.entries[k - 1].term) return k
  }
  return 0
}

/**
 * A follower accepts entries that follow an entry it holds, deleting a conflicting entry and all
 * after it; a stale request is refused, and a candidate of the same term steps down.
 * Spec: HandleAppendEntriesRequest(i, j, m), spec/Raft.tla lines 257-295.
 */
export const handleAppendEntriesRequest = (node: Node, m: AppendEntriesRequest, config: RaftConfig): Step | null => {
  const p = node.persistent
  const v = node.volatile
  // spec: HandleAppendEntriesRequest/m.mterm <= currentTerm[i]
  if (m.term > p.currentTerm) return null
  const sameTerm = m.term === p.currentTerm
  // spec: HandleAppendEntriesRequest/m.mterm = currentTerm[i] => state[i] # "Leader"
  if (sameTerm && v.role === "Leader") return null
  const prev = m.prevLogIndex
  // spec: HandleAppendEntriesRequest/logOk
  const logOk = prev === 0 || (prev <= lastIndex(p) && m.prevLogTerm === termAt(p, prev))
  // spec: HandleAppendEntriesRequest/state'
  const role = sameTerm ? "Follower" : v.role
  const reply = (success: boolean, matchIndex: number): AppendEntriesResponse => ({
    type: "AppendEntriesResponse",
    term: p.currentTerm,
    source: node.id,
    dest: m.source,
    success,
    matchIndex
  })
  const params = { i: node.id, j: m.source, m }
  // Bug catalogue, accept-stale-term-append: a request of an older term is accepted as if current.
  const termOk = sameTerm || config.bugs.has("accept-stale-term-append")
  // spec: HandleAppendEntriesRequest/accept
  // spec: HandleAppendEntriesRequest/msuccess |-> FALSE
  if (!(termOk && logOk)) {
    let after: Node = role === v.role ? node : { ...node, volatile: { ...v, role } }
    // Bug catalogue, commit-beyond-verified-prefix: leaderCommit is trusted up to the follower's
    // own last index although the consistency check just failed.
    if (sameTerm && config.bugs.has("commit-beyond-verified-prefix")) {
      const commitIndex = Math.max(v.commitIndex, Math.min(m.commitIndex, lastIndex(p)))
      if (commitIndex !== v.commitIndex) after = { ...after, volatile: { ...after.volatile, commitIndex } }
    }
    return step("HandleAppendEntriesRequest", params, node, after, [reply(false, 0)])
  }
  const n = m.entries.length
  // spec: HandleAppendEntriesRequest/first
  const first = firstFresh(node, m)
  // Bug catalogue, truncate-only-conflict: the follower's entries after the last one sent survive.
  const stale = config.bugs.has("truncate-only-conflict") ? p.log.slice(prev + n - p.snapshot.index) : []
  // spec: HandleAppendEntriesRequest/kept
  // spec: HandleAppendEntriesRequest/log'
  const log =
    first === 0
      ? p.log
      : [...p.log.slice(0, prev + first - 1 - p.snapshot.index), ...m.entries.slice(first - 1), ...stale]
  // spec: HandleAppendEntriesRequest/commitIndex'
  const commitIndex = Math.max(v.commitIndex, Math.min(m.commitIndex, prev + n))
  const after: Node = {
    id: node.id,
    persistent: log === p.log ? p : { ...p, log },
    volatile: role === v.role && commitIndex === v.commitIndex ? v : { ...v, role, commitIndex }
  }
  // spec: HandleAppendEntriesRequest/msuccess |-> TRUE
  return step("HandleAppendEntriesRequest", params, node, after, [reply(true, prev + n)])
}

/**
 * The leader learns how far j matches its log, or backs off one entry. Reordered responses never
 * move matchIndex back.
 * Spec: HandleAppendEntriesResponse(i, j, m), spec/Raft.tla lines 299-309.
 */
export const handleAppendEntriesResponse = (node: Node, m: AppendEntriesResponse, _config: RaftConfig): Step | null => {
  const v = node.volatile
  // spec: HandleAppendEntriesResponse/m.mterm <= currentTerm[i]
  if (m.term > node.persistent.currentTerm) return null
  // spec: HandleAppendEntriesResponse/current
  const current = m.term === node.persistent.currentTerm && v.role === "Leader"
  const j = m.source
  let after = node
  if (current && m.success) {
    // spec: HandleAppendEntriesResponse/Max(@, m.mmatchIndex + 1)
    const nextIndex = Math.max(v.nextIndex[j], m.matchIndex + 1)
    // spec: HandleAppendEntriesResponse/Max(@, m.mmatchIndex)]
    const matchIndex = Math.max(v.matchIndex[j], m.matchIndex)
    if (nextIndex !== v.nextIndex[j] || matchIndex !== v.matchIndex[j]) {
      after = {
        ...node,
        volatile: { ...v, nextIndex: { ...v.nextIndex, [j]: nextIndex }, matchIndex: { ...v.matchIndex, [j]: matchIndex } }
      }
    }
  } else if (current) {
    // spec: HandleAppendEntriesResponse/Max(@ - 1, 1)
    const nextIndex = Math.max(v.nextIndex[j] - 1, 1)
    if (nextIndex !== v.nextIndex[j]) after = { ...node, volatile: { ...v, nextIndex: { ...v.nextIndex, [j]: nextIndex } } }
  }
  return step("HandleAppendEntriesResponse", { i: node.id, j, m }, node, after)
}

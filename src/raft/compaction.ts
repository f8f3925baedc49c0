/**
 * Log compaction: taking a snapshot of the committed prefix and shipping it to a lagging follower.
 */
import type { RaftConfig, ServerId } from "./config.ts"
import type { AppendEntriesResponse, InstallSnapshotRequest } from "./message.ts"
import { lastIndex, type Node, type Snapshot, termAt } from "./state.ts"
import { type Step, step } from "./step.ts"

/**
 * A server compacts its log up to its commitIndex.
 * Spec: TakeSnapshot(i), spec/Raft.tla lines 198-205.
 */
export const takeSnapshot = (node: Node, _config: RaftConfig): Step | null => {
  const p = node.persistent
  // spec: TakeSnapshot/upto
  const upto = node.volatile.commitIndex - p.snapshot.index
  // spec: TakeSnapshot/upto > 0
  if (upto <= 0) return null
  // spec: TakeSnapshot/snapshotIndex'
  // spec: TakeSnapshot/snapshotTerm'
  // spec: TakeSnapshot/snapshotLog'
  const snapshot: Snapshot = {
    index: node.volatile.commitIndex,
    term: p.log[upto - 1].term,
    // concat copies references in bulk; the compacted prefix is long and this runs often
    entries: p.snapshot.entries.concat(p.log.slice(0, upto))
  }
  // spec: TakeSnapshot/log'
  const after: Node = { ...node, persistent: { ...p, snapshot, log: p.log.slice(upto) } }
  return step("TakeSnapshot", { i: node.id }, node, after)
}

/**
 * The leader sends j its snapshot, because j needs entries the leader has compacted.
 * Spec: InstallSnapshot(i, j), spec/Raft.tla lines 184-195.
 */
export const installSnapshot = (node: Node, j: ServerId, _config: RaftConfig): Step | null => {
  const p = node.persistent
  // spec: InstallSnapshot/i # j
  // spec: InstallSnapshot/state[i] = "Leader"
  // spec: InstallSnapshot/nextIndex[i][j] <= snapshotIndex[i]
  if (j === node.id || node.volatile.role !== "Leader" || node.volatile.nextIndex[j] > p.snapshot.index) return null
  // spec: InstallSnapshot/Send(
  const request: InstallSnapshotRequest = {
    type: "InstallSnapshotRequest",
    term: p.currentTerm,
    source: node.id,
    dest: j,
    lastIncludedIndex: p.snapshot.index,
    lastIncludedTerm: p.snapshot.term,
    snapshot: p.snapshot.entries
  }
  return step("InstallSnapshot", { i: node.id, j }, node, node, [request])
}

/**
 * A follower installs a snapshot newer than its own, keeping the entries after the snapshot's
 * last entry when it holds that entry; an older snapshot is ignored. Either way it answers with
 * an AppendEntriesResponse.
 * Spec: HandleInstallSnapshotRequest(i, j, m), spec/Raft.tla lines 315-340.
 */
export const handleInstallSnapshotRequest = (node: Node, m: InstallSnapshotRequest, config: RaftConfig): Step | null => {
  const p = node.persistent
  const v = node.volatile
  // spec: HandleInstallSnapshotRequest/m.mterm <= currentTerm[i]
  if (m.term > p.currentTerm) return null
  // spec: HandleInstallSnapshotRequest/accept
  const accept = m.term === p.currentTerm
  // spec: HandleInstallSnapshotRequest/m.mterm = currentTerm[i] => state[i] # "Leader"
  if (accept && v.role === "Leader") return null
  const last = m.lastIncludedIndex
  // spec: HandleInstallSnapshotRequest/state'
  let after: Node = accept && v.role !== "Follower" ? { ...node, volatile: { ...v, role: "Follower" } } : node
  // spec: HandleInstallSnapshotRequest/newer
  if (accept && last > p.snapshot.index) {
    // Bug catalogue, stale-snapshot-install: the follower discards its whole log even when it holds
    // the snapshot's last entry, so a delayed snapshot older than its log rolls it back.
// spec: HandleInstallSnapshotRequest/holdsLast
    const holdsLast =
      last <= lastIndex(p) && termAt(p, last) === m.lastIncludedTerm && !config.bugs.has("stale-snapshot-install")
    after = {
      id: node.id,
      persistent: {
        ...p,
        // spec: HandleInstallSnapshotRequest/log'
        log: holdsLast ? p.log.slice(last - p.snapshot.index) : [],
        // spec: HandleInstallSnapshotRequest/snapshotIndex'
        // spec: HandleInstallSnapshotRequest/snapshotLog'
        snapshot: { index: last, term: m.lastIncludedTerm, entries: m.snapshot }
      },
      // spec: HandleInstallSnapshotRequest/commitIndex'
      volatile: { ...after.volatile, commitIndex: Math.max(v.commitIndex, last) }
    }
  }
  // spec: HandleInstallSnapshotRequest/Reply(
  const response: AppendEntriesResponse = {
    type: "AppendEntriesResponse",
    term: p.currentTerm,
    source: node.id,
    dest: m.source,
    success: accept,
    matchIndex: accept ? last : 0
  }
  return step("HandleInstallSnapshotRequest", { i: node.id, j: m.source, m }, node, after, [response])
}

/**
 * Delivery of a message to its destination (spec: Receive(m)), dispatched to the one handler the
 * spec enables for it.
 */
import { type BugSet, noBugs } from "./bugs.ts"
import { handleInstallSnapshotRequest } from "./compaction.ts"
import { handleRequestVoteRequest, handleRequestVoteResponse, updateTerm } from "./election.ts"
import type { Message } from "./message.ts"
import { handleAppendEntriesRequest, handleAppendEntriesResponse } from "./replication.ts"
import type { Node } from "./state.ts"
import type { Step } from "./step.ts"

export interface Delivery extends Step {
  /** False only for UpdateTerm: the message stays in flight, to be handled in the new term. */
  readonly consumed: boolean
}

/**
 * Null when no handler is enabled: only a leader receiving a request of its own term, which
 * Election Safety rules out. `bugs` reaches the handlers that the bug catalogue can change.
 */
export const receive = (node: Node, m: Message, bugs: BugSet = noBugs): Delivery | null => {
  if (m.term > node.persistent.currentTerm) {
    const moved = updateTerm(node, m)
    return moved && { ...moved, consumed: false }
  }
  let handled: Step | null
  switch (m.type) {
    case "RequestVoteRequest":
      handled = handleRequestVoteRequest(node, m, bugs)
      break
    case "RequestVoteResponse":
      handled = handleRequestVoteResponse(node, m, bugs)
      break
    case "AppendEntriesRequest":
      handled = handleAppendEntriesRequest(node, m, bugs)
      break
    case "AppendEntriesResponse":
      handled = handleAppendEntriesResponse(node, m)
      break
    case "InstallSnapshotRequest":
      handled = handleInstallSnapshotRequest(node, m, bugs)
      break
  }
  return handled && { ...handled, consumed: true }
}

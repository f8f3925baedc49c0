/**
 * Delivery of a message to its destination (spec: Receive(m)), dispatched to the one handler the
 * spec enables for it.
 */
import { handleInstallSnapshotRequest } from "./compaction.ts"
import { handleRequestVoteRequest, handleRequestVoteResponse, updateTerm } from "./election.ts"
import type { RaftConfig } from "./config.ts"
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
 * Election Safety rules out.
 */
export const receive = (node: Node, m: Message, config: RaftConfig): Delivery | null => {
  if (m.term > node.persistent.currentTerm) {
    const moved = updateTerm(node, m, config)
    return moved && { ...moved, consumed: false }
  }
  let handled: Step | null
  switch (m.type) {
    case "RequestVoteRequest":
      handled = handleRequestVoteRequest(node, m, config)
      break
    case "RequestVoteResponse":
      handled = handleRequestVoteResponse(node, m, config)
      break
    case "AppendEntriesRequest":
      handled = handleAppendEntriesRequest(node, m, config)
      break
    case "AppendEntriesResponse":
      handled = handleAppendEntriesResponse(node, m, config)
      break
    case "InstallSnapshotRequest":
      handled = handleInstallSnapshotRequest(node, m, config)
      break
  }
  return handled && { ...handled, consumed: true }
}

/**
 * Crash and recovery of one server.
 */
import type { RaftConfig } from "./config.ts"
import { freshVolatile, type Node } from "./state.ts"
import { type Step, step } from "./step.ts"

/**
 * The server crashes and comes back with its persistent state only. Its snapshot is committed, so
 * commitIndex restarts there.
 * Spec: Restart(i), spec/Raft.tla lines 105-111.
 */
export const restart = (node: Node, config: RaftConfig): Step => {
  // spec: Restart/state'
  // spec: Restart/commitIndex'
  // spec: Restart/votesGranted'
  // spec: Restart/nextIndex'
  // spec: Restart/matchIndex'
  const after: Node = { ...node, volatile: freshVolatile(node.persistent.snapshot.index, config) }
  return step("Restart", { i: node.id }, node, after)
}

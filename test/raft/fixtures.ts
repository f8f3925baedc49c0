/** Servers of a three-server cluster in a chosen state, for the core's transition tests. */
import { type Entry, initialNode, makeConfig, type Node, type RaftConfig } from "../../src/raft/index.ts"

export const config: RaftConfig = makeConfig(["s1", "s2", "s3"])

export const e = (term: number, value: string): Entry => ({ term, value })

/** A server with the given term, log and extras, built from the initial state. */
export const server = (
  id: string,
  options: { term?: number; log?: ReadonlyArray<Entry>; role?: Node["volatile"]["role"]; commitIndex?: number; votedFor?: string } = {}
): Node => {
  const node = initialNode(id, config)
  return {
    id,
    persistent: { ...node.persistent, currentTerm: options.term ?? 0, log: options.log ?? [], votedFor: options.votedFor ?? null },
    volatile: { ...node.volatile, role: options.role ?? "Follower", commitIndex: options.commitIndex ?? 0 }
  }
}

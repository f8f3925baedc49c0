/**
 * A server's state, split the way a crash splits it: persistent state survives Restart, volatile
 * state does not. The schemas decode states from traces; transitions use the plain objects.
 */
import { Schema } from "effect"
import { type RaftConfig, ServerId } from "./config.ts"

/** An opaque client command of the transaction log. */
export const Value = Schema.String
export type Value = typeof Value.Type

export const Entry = Schema.Struct({ term: Schema.Int, value: Value })
export type Entry = typeof Entry.Type

/** The compacted prefix of a log: the entries 1..index, which are all committed and applied. */
export const Snapshot = Schema.Struct({
  index: Schema.Int,
  term: Schema.Int,
  entries: Schema.Array(Entry)
})
export type Snapshot = typeof Snapshot.Type

export const PersistentState = Schema.Struct({
  currentTerm: Schema.Int,
  votedFor: Schema.NullOr(ServerId),
  /** The entries after the snapshot: entry k of the whole log is log[k - snapshot.index - 1]. */
  log: Schema.Array(Entry),
  snapshot: Snapshot
})
export type PersistentState = typeof PersistentState.Type

/** The names of the persistent fields, as a transition reports what it must make durable. */
export const PersistentField = Schema.Literals(["currentTerm", "votedFor", "log", "snapshot"])
export type PersistentField = typeof PersistentField.Type

export const Role = Schema.Literals(["Follower", "Candidate", "Leader"])
export type Role = typeof Role.Type

export const VolatileState = Schema.Struct({
  role: Role,
  commitIndex: Schema.Int,
  votesGranted: Schema.Array(ServerId),
  nextIndex: Schema.Record(ServerId, Schema.Int),
  matchIndex: Schema.Record(ServerId, Schema.Int)
})
export type VolatileState = typeof VolatileState.Type

export const Node = Schema.Struct({
  id: ServerId,
  persistent: PersistentState,
  volatile: VolatileState
})
export type Node = typeof Node.Type

/** A leader's nextIndex or matchIndex row: every server set to the same index. */
export const indexRow = (config: RaftConfig, index: number): Record<ServerId, number> => {
  const result: Record<ServerId, number> = {}
  for (const server of config.servers) result[server] = index
  return result
}

/** The volatile state a server starts with, and comes back with after a crash. */
export const freshVolatile = (snapshotIndex: number, config: RaftConfig): VolatileState => ({
  role: "Follower",
  commitIndex: snapshotIndex,
  votesGranted: [],
  nextIndex: indexRow(config, 1),
  matchIndex: indexRow(config, 0)
})

export const emptySnapshot: Snapshot = { index: 0, term: 0, entries: [] }

export const initialNode = (id: ServerId, config: RaftConfig): Node => ({
  id,
  persistent: { currentTerm: 0, votedFor: null, log: [], snapshot: emptySnapshot },
  volatile: freshVolatile(0, config)
})

// Log accessors (spec: LastIndex, LastTerm, EntryAt, TermAt). Compaction is invisible past these.

export const lastIndex = (p: PersistentState): number => p.snapshot.index + p.log.length

export const lastTerm = (p: PersistentState): number =>
  p.log.length > 0 ? p.log[p.log.length - 1].term : p.snapshot.term

/** Entry k of the whole log, 1 <= k <= lastIndex. */
export const entryAt = (p: PersistentState, k: number): Entry =>
  k <= p.snapshot.index ? p.snapshot.entries[k - 1] : p.log[k - p.snapshot.index - 1]

/** The term of entry k, 0 for the empty prefix. */
export const termAt = (p: PersistentState, k: number): number => (k === 0 ? 0 : entryAt(p, k).term)

/**
 * The first index from `from` on at which the whole logs of `a` and `b` differ (term or value), or
 * past the end of the shorter one. Not a spec operator: storage and the step log use it to find what
 * a step changed. Past both snapshots it reads the two log arrays directly, because entryAt on states
 * of many shapes costs several megamorphic property loads per entry, and logs run to thousands.
 */
export const firstDifference = (a: PersistentState, b: PersistentState, from = 1): number => {
  const common = Math.min(lastIndex(a), lastIndex(b))
  const compacted = Math.min(common, Math.max(a.snapshot.index, b.snapshot.index))
  let k = from
  for (; k <= compacted; k++) if (!sameEntry(entryAt(a, k), entryAt(b, k))) return k
  const logA = a.log
  const logB = b.log
  const offsetA = a.snapshot.index + 1
  const offsetB = b.snapshot.index + 1
  for (; k <= common; k++) if (!sameEntry(logA[k - offsetA], logB[k - offsetB])) return k
  return k
}

const sameEntry = (x: Entry, y: Entry): boolean => x === y || (x.term === y.term && x.value === y.value)

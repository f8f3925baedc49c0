/**
 * What a Raft node must keep across crashes, in storage's own words. Entry payloads are opaque bytes:
 * storage neither knows nor cares what command an entry carries.
 */

/** The vote-related state a node must never forget: the term it has seen and whom it voted for in it. */
export interface HardState {
  readonly currentTerm: number
  readonly votedFor: string | null
}

export interface LogEntry {
  readonly index: number
  readonly term: number
  readonly data: Uint8Array
}

/** A state-machine image standing in for every entry up to and including `lastIncludedIndex`. */
export interface Snapshot {
  readonly lastIncludedIndex: number
  readonly lastIncludedTerm: number
  readonly data: Uint8Array
}

/** What a node restarts from: its hard state, its latest snapshot, and the log entries after it. */
export interface Recovered {
  readonly hardState: HardState
  readonly snapshot: Snapshot | null
  /** Consecutive entries starting right after the snapshot (or at index 1 without one). */
  readonly entries: ReadonlyArray<LogEntry>
}

export const initialHardState: HardState = { currentTerm: 0, votedFor: null }

/**
 * The bug catalogue: historical Raft bugs that can be switched back on by name, one behaviour each.
 * Every flag is off in a correct run; `raft-tla audit` switches them on one at a time to show that
 * some check catches each. docs/bugs.md tells each story at length.
 *
 * A flag is tested at exactly one clearly marked place (search for its name): in this folder for
 * bugs of the protocol, in src/runtime for bugs of how a node does its I/O.
 */

export const BUG_NAMES = [
  "commit-previous-term",
  "truncate-only-conflict",
  "accept-stale-term-append",
  "vote-not-persisted",
  "vote-without-log-check",
  "commit-beyond-verified-prefix",
  "stale-snapshot-install",
  "apply-uncommitted",
  "no-client-dedup",
  "count-duplicate-votes",
  "timer-not-reset",
  "read-without-quorum"
] as const
export type BugName = (typeof BUG_NAMES)[number]

/**
 * The checks that can catch a bug. "model-checking" (of the spec mutated the same way) and
 * "trace-validation" (of a run's steps against the unmutated spec) are the seams the embedded
 * TLA+ toolkit plugs into; the others run on the runtime's own executions.
 */
export const CHECKS = ["model-checking", "trace-validation", "invariant", "linearizability", "liveness"] as const
export type CheckName = (typeof CHECKS)[number]

export interface Bug {
  readonly name: BugName
  /** What goes wrong, in one line. */
  readonly summary: string
  /** Where the rule it breaks comes from: the paper's section, or the kind of system it hit. */
  readonly source: string
  /** The file and function whose behaviour the flag changes. */
  readonly switchedIn: string
  /** The checks expected to catch it, the one available today first. */
  readonly caughtBy: ReadonlyArray<CheckName>
}

export const BUGS: ReadonlyArray<Bug> = [
  {
    name: "commit-previous-term",
    summary: "a leader commits an entry of an earlier term because a majority holds it",
    source: "Raft paper §5.4.2 and Figure 8: only entries of the leader's own term are committed by counting",
    switchedIn: "src/raft/replication.ts advanceCommitIndex",
    caughtBy: ["invariant", "model-checking", "trace-validation"]
  },
  {
    name: "truncate-only-conflict",
    summary: "a follower overwrites the conflicting entries but keeps the stale ones after them",
    source: "Raft paper Figure 2, AppendEntries receiver step 3: a conflict deletes the entry and all that follow it",
    switchedIn: "src/raft/replication.ts handleAppendEntriesRequest",
    caughtBy: ["invariant", "model-checking", "trace-validation"]
  },
  {
    name: "accept-stale-term-append",
    summary: "a follower accepts AppendEntries from a leader of an older term",
    source: "Raft paper Figure 2, AppendEntries receiver step 1: reply false if term < currentTerm",
    switchedIn: "src/raft/replication.ts handleAppendEntriesRequest",
    caughtBy: ["invariant", "model-checking", "trace-validation"]
  },
  {
    name: "vote-not-persisted",
    summary: "votedFor is not durable before the vote reply, so a crash lets the server vote twice in a term",
    source: "Raft paper Figure 2: currentTerm and votedFor are persistent state, updated on stable storage before responding",
    switchedIn: "src/runtime/node.ts (which fields a step persists)",
    caughtBy: ["invariant", "trace-validation"]
  },
  {
    name: "vote-without-log-check",
    summary: "a vote is granted without checking that the candidate's log is at least as up-to-date",
    source: "Raft paper §5.4.1, the election restriction",
    switchedIn: "src/raft/election.ts handleRequestVoteRequest",
    caughtBy: ["invariant", "model-checking", "trace-validation"]
  },
  {
    name: "commit-beyond-verified-prefix",
    summary: "a follower takes leaderCommit up to its own last index even when the consistency check failed",
    source: "Raft paper Figure 2, AppendEntries receiver step 5: commitIndex follows leaderCommit only up to the last new entry",
    switchedIn: "src/raft/replication.ts handleAppendEntriesRequest",
    caughtBy: ["invariant", "model-checking", "trace-validation"]
  },
  {
    name: "stale-snapshot-install",
    summary: "a delayed InstallSnapshot older than the follower's log wipes the entries after it",
    source: "Raft paper §7 and Figure 13, step 6: a follower holding the snapshot's last entry keeps the entries after it",
    switchedIn: "src/raft/compaction.ts handleInstallSnapshotRequest",
    caughtBy: ["invariant", "model-checking", "trace-validation"]
  },
  {
    name: "apply-uncommitted",
    summary: "entries are applied to the state machine (and answered) before they are committed",
    source: "Raft paper §5.3 and Figure 2 (lastApplied never passes commitIndex)",
    switchedIn: "src/runtime/node.ts (how far a node applies)",
    caughtBy: ["linearizability"]
  },
  {
    name: "no-client-dedup",
    summary: "a client's retried command is applied a second time",
    source: "Ongaro's thesis §6.3: client sessions make commands apply exactly once",
    switchedIn: "src/runtime/state-machine.ts (session table)",
    caughtBy: ["linearizability"]
  },
  {
    name: "count-duplicate-votes",
    summary: "a duplicated vote reply is counted twice towards a majority",
    source: "Raft paper §5.2: a candidate needs votes from a majority of distinct servers; networks duplicate messages",
    switchedIn: "src/raft/election.ts handleRequestVoteResponse",
    caughtBy: ["invariant", "model-checking", "trace-validation"]
  },
  {
    name: "timer-not-reset",
    summary: "a valid heartbeat does not reset the election timer, so followers keep unseating a healthy leader",
    source: "Raft paper §5.2: a follower stays one while it receives valid RPCs from a leader",
    switchedIn: "src/runtime/node.ts (election timer)",
    caughtBy: ["liveness"]
  },
  {
    name: "read-without-quorum",
    summary: "a leader answers a read from its own state without confirming it still leads, so a deposed leader serves stale data",
    source: "Ongaro's thesis §6.4: a read-only query waits for a heartbeat round acknowledged by a majority (ReadIndex)",
    switchedIn: "src/runtime/node.ts (when a read is confirmed)",
    caughtBy: ["linearizability"]
  }
]

export const bugNamed = (name: BugName): Bug => BUGS.find((bug) => bug.name === name)!

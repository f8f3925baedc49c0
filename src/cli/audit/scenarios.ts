/**
 * Targeted scenarios: for each catalogued bug, a short script that walks a cluster into the
 * situation where the bug does harm, found by reasoning about the bug rather than by random search.
 * They are ordinary scripts: the checks that run on them are the same as on random runs, and with
 * every flag off the same scripts pass them.
 */
import type { BugName } from "../../raft/index.ts"
import { type ClusterOptions, defaultClusterOptions } from "../../runtime/cluster/cluster.ts"
import type { Script } from "../../runtime/cluster/script.ts"

export interface Scenario {
  readonly bug: BugName
  /** What the script makes happen, for people. */
  readonly story: string
  readonly cluster: Omit<ClusterOptions, "bugs">
  readonly seed: number
  readonly healthy: boolean
  readonly script: Script
}

const three = { ...defaultClusterOptions, servers: 3 }
const five = { ...defaultClusterOptions, servers: 5 }

const everything = { do: "deliver", all: true } as const
const dropEverything = { do: "drop", all: true } as const

/**
 * Figure 8 of the Raft paper on three servers: `a` leads term 1 and appends `first`, which only it
 * keeps; `b` leads term 2 likewise with `second`; `a` returns, wins term 3 and copies its term-1
 * entry to the third server, a majority; `a` crashes; `b` returns, wins term 4 and overwrites that
 * entry on the third server.
 */
export const figure8 = (a: string, b: string, first: string, second: string): Script => [
  { do: "timeout", server: a },
  everything,
  { do: "submit", client: "c1", op: { f: "put", key: "x", value: first } },
  dropEverything,
  { do: "crash", server: a },
  { do: "timeout", server: b },
  everything,
  { do: "submit", client: "c2", op: { f: "put", key: "x", value: second } },
  dropEverything,
  { do: "crash", server: b },
  { do: "restart", server: a },
  { do: "timeout", server: a },
  everything,
  { do: "timeout", server: a },
  everything,
  { do: "crash", server: a },
  { do: "restart", server: b },
  { do: "timeout", server: b },
  everything,
  { do: "timeout", server: b },
  everything
]

export const SCENARIOS: ReadonlyArray<Scenario> = [
  {
    bug: "commit-previous-term",
    story:
      "Figure 8 on three servers: s1 (term 1) and s2 (term 2) each append an entry nobody else gets; s1 returns in term 3 and copies its term-1 entry to s3, a majority; s2 returns in term 4 with its term-2 entry, which s3 accepts over it",
    cluster: three,
    seed: 1,
    healthy: false,
    script: figure8("s1", "s2", "a", "b")
  },
  {
    bug: "truncate-only-conflict",
    story:
      "s3 holds two uncommitted entries of term 1 from s1; s2, elected in term 2 by s4 and s5, sends s3 a different entry for the first of them",
    cluster: five,
    seed: 1,
    healthy: false,
    script: [
      { do: "timeout", server: "s1" },
      everything,
      { do: "submit", client: "c1", op: { f: "put", key: "x", value: "a" } },
      everything,
      { do: "submit", client: "c1", op: { f: "put", key: "x", value: "b" } },
      { do: "deliver", select: { to: "s3" }, all: true },
      { do: "submit", client: "c1", op: { f: "put", key: "x", value: "c" } },
      { do: "deliver", select: { to: "s3" }, all: true },
      dropEverything,
      { do: "crash", server: "s1" },
      { do: "timeout", server: "s2" },
      everything,
      { do: "submit", client: "c2", op: { f: "put", key: "y", value: "d" } },
      everything
    ]
  },
  {
    bug: "accept-stale-term-append",
    story: "s1's AppendEntries of term 1 is held back while s2 commits another entry in term 2 with s3; then it reaches s3",
    cluster: three,
    seed: 1,
    healthy: false,
    script: [
      { do: "timeout", server: "s1" },
      everything,
      { do: "submit", client: "c1", op: { f: "put", key: "x", value: "a" } },
      { do: "crash", server: "s1" },
      { do: "timeout", server: "s2" },
      { do: "deliver", select: { between: ["s2", "s3"] }, all: true },
      { do: "submit", client: "c2", op: { f: "put", key: "x", value: "b" } },
      { do: "deliver", select: { between: ["s2", "s3"] }, all: true },
      { do: "deliver", select: { from: "s1", to: "s3" } }
    ]
  },
  {
    bug: "vote-not-persisted",
    story: "s2 votes for s1 in term 1 and restarts before the vote reaches its disk; s3 then asks s2 for its vote in the same term",
    cluster: three,
    seed: 1,
    healthy: false,
    script: [
      { do: "timeout", server: "s1" },
      { do: "deliver", select: { to: "s2" } },
      { do: "deliver", select: { from: "s2" } },
      { do: "restart", server: "s2" },
      { do: "timeout", server: "s3" },
      { do: "deliver", select: { between: ["s2", "s3"] }, all: true }
    ]
  },
  {
    bug: "vote-without-log-check",
    story: "an entry commits on s1 and s2 while s3 is cut off; s1 crashes and s3, with an empty log, asks s2 for its vote",
    cluster: three,
    seed: 1,
    healthy: false,
    script: [
      { do: "timeout", server: "s1" },
      everything,
      { do: "partition", groups: [["s3"]] },
      { do: "submit", client: "c1", op: { f: "put", key: "x", value: "a" } },
      everything,
      { do: "crash", server: "s1" },
      { do: "heal" },
      { do: "timeout", server: "s3" },
      everything
    ]
  },
  {
    bug: "commit-beyond-verified-prefix",
    story:
      "s3 keeps a stale entry of term 1 at index 2 while s2 commits its own entry there; s2, leader again in term 3, sends s3 a heartbeat whose consistency check fails at index 2 but carries commitIndex 3",
    cluster: five,
    seed: 1,
    healthy: false,
    script: [
      { do: "timeout", server: "s1" },
      everything,
      { do: "submit", client: "c1", op: { f: "put", key: "x", value: "a" } },
      everything,
      { do: "submit", client: "c1", op: { f: "put", key: "x", value: "b" } },
      { do: "deliver", select: { to: "s3" }, all: true },
      dropEverything,
      { do: "crash", server: "s1" },
      { do: "timeout", server: "s2" },
      everything,
      { do: "partition", groups: [["s3"]] },
      { do: "submit", client: "c2", op: { f: "put", key: "y", value: "c" } },
      everything,
      { do: "restart", server: "s2" },
      { do: "timeout", server: "s2" },
      everything,
      { do: "heal" },
      { do: "submit", client: "c2", op: { f: "put", key: "y", value: "d" } },
      { do: "deliver", select: { between: ["s2", "s4", "s5"] }, all: true },
      everything
    ]
  },
  {
    bug: "stale-snapshot-install",
    story:
      "s1 snapshots while s3's acknowledgement is delayed, so s1 sends s3 an InstallSnapshot; that is held back while s3 receives and commits a newer entry, then arrives",
    cluster: three,
    seed: 1,
    healthy: false,
    script: [
      { do: "timeout", server: "s1" },
      everything,
      { do: "submit", client: "c1", op: { f: "put", key: "x", value: "a" } },
      { do: "deliver", select: { to: "s3" }, all: true },
      { do: "deliver", select: { between: ["s1", "s2"] }, all: true },
      { do: "snapshot", server: "s1" },
      { do: "tick", ms: 60 },
      { do: "deliver", select: { from: "s3", type: "AppendEntriesResponse" } },
      { do: "submit", client: "c1", op: { f: "put", key: "x", value: "b" } },
      { do: "deliver", select: { type: "AppendEntriesRequest" }, all: true },
      { do: "deliver", select: { type: "AppendEntriesResponse" }, all: true },
      { do: "deliver", select: { type: "AppendEntriesRequest" }, all: true },
      { do: "deliver", select: { type: "InstallSnapshotRequest" } }
    ]
  },
  {
    bug: "apply-uncommitted",
    story: "s1 answers a put before replicating it and crashes; the new leader s2 never had the put and answers a later get",
    cluster: three,
    seed: 1,
    healthy: false,
    script: [
      { do: "timeout", server: "s1" },
      everything,
      { do: "submit", client: "c1", op: { f: "put", key: "x", value: "a" } },
      dropEverything,
      { do: "crash", server: "s1" },
      { do: "timeout", server: "s2" },
      everything,
      { do: "submit", client: "c2", op: { f: "get", key: "x" } },
      everything
    ]
  },
  {
    bug: "no-client-dedup",
    story: "c1's append reaches s2 but s1 crashes before answering; c1 retries at the new leader s2, which commits both copies",
    cluster: three,
    seed: 1,
    healthy: false,
    script: [
      { do: "timeout", server: "s1" },
      everything,
      { do: "submit", client: "c1", op: { f: "append", key: "x", value: "a" } },
      { do: "deliver", select: { to: "s2" }, all: true },
      { do: "crash", server: "s1" },
      { do: "timeout", server: "s2" },
      everything,
      { do: "retry", client: "c1" },
      everything,
      { do: "submit", client: "c2", op: { f: "get", key: "x" } },
      everything
    ]
  },
  {
    bug: "count-duplicate-votes",
    story: "the network duplicates s2's vote for s1; counted twice it makes a majority of five, and s3 wins the same term with s4 and s5",
    cluster: five,
    seed: 1,
    healthy: false,
    script: [
      { do: "timeout", server: "s1" },
      { do: "deliver", select: { to: "s2" } },
      { do: "duplicate", select: { from: "s2" } },
      { do: "deliver", select: { from: "s2" }, all: true },
      { do: "timeout", server: "s3" },
      { do: "deliver", select: { between: ["s3", "s4", "s5"] }, all: true }
    ]
  },
  {
    bug: "timer-not-reset",
    story: "two seconds of a healthy network: heartbeats arrive, yet followers keep standing for election",
    cluster: { ...three, network: { kind: "clocked", faults: { dropProbability: 0, duplicateProbability: 0, delay: [1, 10] } } },
    seed: 1,
    healthy: true,
    script: [
      { do: "tick", ms: 500 },
      { do: "tick", ms: 500 },
      { do: "tick", ms: 500 },
      { do: "tick", ms: 500 }
    ]
  },
  {
    bug: "read-without-quorum",
    story: "s2 leads and commits c1's x=a, then is cut off; s1 wins term 2 and commits x=b; c1 reads from s2, which still answers a",
    cluster: three,
    seed: 1,
    healthy: false,
    script: [
      { do: "timeout", server: "s2" },
      everything,
      { do: "submit", client: "c1", op: { f: "put", key: "x", value: "a" } },
      everything,
      { do: "partition", groups: [["s2"]] },
      { do: "timeout", server: "s1" },
      everything,
      { do: "submit", client: "c2", op: { f: "put", key: "x", value: "b" } },
      everything,
      { do: "read", client: "c1", key: "x" },
      everything
    ]
  }
]

export const scenarioFor = (bug: BugName): Scenario => SCENARIOS.find((scenario) => scenario.bug === bug)!

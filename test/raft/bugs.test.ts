/**
 * The bug catalogue: each flag of the core changes exactly the behaviour it names, and nothing
 * happens without it. The runtime's flags are exercised by the audit (test/cli/audit.test.ts).
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import {
  type AppendEntriesRequest,
  advanceCommitIndex,
  BUG_NAMES,
  BUGS,
  type BugName,
  handleAppendEntriesRequest,
  handleInstallSnapshotRequest,
  handleRequestVoteRequest,
  handleRequestVoteResponse,
  lastIndex,
  makeConfig,
  type Node
} from "../../src/raft/index.ts"
import { config as correct, e, server } from "./fixtures.ts"

const servers = ["s1", "s2", "s3"]
const withBug = (bug: BugName) => makeConfig(servers, new Set([bug]))

const append = (fields: Partial<AppendEntriesRequest>): AppendEntriesRequest => ({
  type: "AppendEntriesRequest",
  term: 2,
  source: "s2",
  dest: "s1",
  prevLogIndex: 0,
  prevLogTerm: 0,
  entries: [],
  commitIndex: 0,
  ...fields
})

describe("the catalogue", () => {
  it("lists every flag once, with a summary, a source, a place and a check", () => {
    expect(BUGS.map((bug) => bug.name)).toEqual([...BUG_NAMES])
    for (const bug of BUGS) {
      expect(bug.summary.length, bug.name).toBeGreaterThan(20)
      expect(bug.source.length, bug.name).toBeGreaterThan(20)
      expect(bug.switchedIn).toMatch(/^src\/(raft|runtime)\//)
      expect(bug.caughtBy.length, bug.name).toBeGreaterThan(0)
    }
  })

  it("switches each flag at exactly one marked place, in the file the catalogue names", () => {
    const root = fileURLToPath(new URL("../../", import.meta.url))
    const sources = ["src/raft", "src/runtime"].flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".ts"))
        .map((file) => ({ file: `${dir}/${file}`, text: readFileSync(join(root, dir, file), "utf8") }))
    )
    for (const bug of BUGS) {
      const marks = sources.flatMap(({ file, text }) =>
        text.split("\n").filter((line) => line.includes(`Bug catalogue, ${bug.name}:`)).map(() => file)
      )
      expect(marks, bug.name).toEqual([bug.switchedIn.split(" ")[0]])
    }
  })
})

describe("flags of the core", () => {
  it("commit-previous-term: a leader commits an older term's entry held by a majority", () => {
    const leader: Node = {
      ...server("s1", { term: 3, role: "Leader", log: [e(1, "a")] }),
      volatile: { ...server("s1").volatile, role: "Leader", matchIndex: { s1: 0, s2: 1, s3: 0 }, nextIndex: { s1: 2, s2: 2, s3: 2 } }
    }
    expect(advanceCommitIndex(leader, correct)).toBeNull()
    expect(advanceCommitIndex(leader, withBug("commit-previous-term"))!.state.volatile.commitIndex).toBe(1)
  })

  it("truncate-only-conflict: the entries after the conflicting ones survive", () => {
    const follower = server("s1", { term: 2, log: [e(1, "a"), e(1, "x"), e(1, "y")] })
    const request = append({ prevLogIndex: 1, prevLogTerm: 1, entries: [e(2, "b")] })
    expect(handleAppendEntriesRequest(follower, request, correct)!.state.persistent.log).toEqual([e(1, "a"), e(2, "b")])
    expect(handleAppendEntriesRequest(follower, request, withBug("truncate-only-conflict"))!.state.persistent.log).toEqual([
      e(1, "a"),
      e(2, "b"),
      e(1, "y")
    ])
  })

  it("truncate-only-conflict leaves a follower without a conflict as it was", () => {
    const follower = server("s1", { term: 2, log: [e(1, "a")] })
    const request = append({ prevLogIndex: 1, prevLogTerm: 1, entries: [e(2, "b")] })
    expect(handleAppendEntriesRequest(follower, request, withBug("truncate-only-conflict"))!.state.persistent.log).toEqual([
      e(1, "a"),
      e(2, "b")
    ])
  })

  it("accept-stale-term-append: a request of an older term is accepted", () => {
    const follower = server("s1", { term: 3, log: [e(2, "b")] })
    const stale = append({ term: 1, entries: [e(1, "a")] })
    const refused = handleAppendEntriesRequest(follower, stale, correct)!
    expect(refused.state.persistent.log).toEqual([e(2, "b")])
    expect(refused.send[0]).toMatchObject({ success: false, term: 3 })
    const accepted = handleAppendEntriesRequest(follower, stale, withBug("accept-stale-term-append"))!
    expect(accepted.state.persistent.log).toEqual([e(1, "a")])
    expect(accepted.send[0]).toMatchObject({ success: true })
  })

  it("commit-beyond-verified-prefix: a failed consistency check still moves commitIndex", () => {
    const follower = server("s1", { term: 3, log: [e(1, "a"), e(1, "x")] })
    const request = append({ term: 3, prevLogIndex: 2, prevLogTerm: 2, commitIndex: 3 })
    const refused = handleAppendEntriesRequest(follower, request, correct)!
    expect(refused.send[0]).toMatchObject({ success: false })
    expect(refused.state.volatile.commitIndex).toBe(0)
    const buggy = handleAppendEntriesRequest(follower, request, withBug("commit-beyond-verified-prefix"))!
    expect(buggy.send[0]).toMatchObject({ success: false })
    expect(buggy.state.volatile.commitIndex).toBe(2)
  })

  it("vote-without-log-check: a candidate with a shorter log gets the vote", () => {
    const voter = server("s1", { term: 2, log: [e(1, "a")] })
    const request = { type: "RequestVoteRequest", term: 2, source: "s3", dest: "s1", lastLogTerm: 0, lastLogIndex: 0 } as const
    expect(handleRequestVoteRequest(voter, request, correct)!.send[0]).toMatchObject({ voteGranted: false })
    const granted = handleRequestVoteRequest(voter, request, withBug("vote-without-log-check"))!
    expect(granted.send[0]).toMatchObject({ voteGranted: true })
    expect(granted.state.persistent.votedFor).toBe("s3")
  })

  it("count-duplicate-votes: a second copy of a vote counts again", () => {
    const candidate: Node = { ...server("s1", { term: 1, role: "Candidate" }), volatile: { ...server("s1").volatile, role: "Candidate", votesGranted: ["s1", "s2"] } }
    const vote = { type: "RequestVoteResponse", term: 1, source: "s2", dest: "s1", voteGranted: true } as const
    expect(handleRequestVoteResponse(candidate, vote, correct)!.state.volatile.votesGranted).toEqual(["s1", "s2"])
    expect(handleRequestVoteResponse(candidate, vote, withBug("count-duplicate-votes"))!.state.volatile.votesGranted).toEqual([
      "s1",
      "s2",
      "s2"
    ])
  })

  it("stale-snapshot-install: a snapshot the follower's log already covers wipes the entries after it", () => {
    const follower = server("s1", { term: 1, log: [e(1, "a"), e(1, "b")], commitIndex: 2 })
    const snapshot = {
      type: "InstallSnapshotRequest",
      term: 1,
      source: "s2",
      dest: "s1",
      lastIncludedIndex: 1,
      lastIncludedTerm: 1,
      snapshot: [e(1, "a")]
    } as const
    const kept = handleInstallSnapshotRequest(follower, snapshot, correct)!.state
    expect(kept.persistent.log).toEqual([e(1, "b")])
    expect(lastIndex(kept.persistent)).toBe(2)
    const wiped = handleInstallSnapshotRequest(follower, snapshot, withBug("stale-snapshot-install"))!.state
    expect(wiped.persistent.log).toEqual([])
    expect(lastIndex(wiped.persistent)).toBe(1)
    expect(wiped.volatile.commitIndex).toBe(2)
  })
})

/**
 * Every step of a simulated trace changes only what its spec action may change: the variables
 * outside the action's UNCHANGED clause, only for the server that acts, and the bag by exactly the
 * message consumed and the messages sent. This checks the core and toSpecState against the spec's
 * frame conditions. The TLA+ toolkit will later check each step against the action itself.
 */
import { describe, expect, it } from "vitest"
import { type ActionName, readTrace, type TlaJson } from "../../src/raft/index.ts"
import { defaultOptions } from "../../src/sim/options.ts"
import { Simulator } from "../../src/sim/simulator.ts"

/** The variables each action may change (spec/Raft.tla); all others are UNCHANGED. */
const mayChange: Record<ActionName, ReadonlyArray<string>> = {
  Restart: ["state", "commitIndex", "votesGranted", "nextIndex", "matchIndex"],
  Timeout: ["state", "currentTerm", "votedFor", "votesGranted"],
  RequestVote: ["messages"],
  BecomeLeader: ["state", "nextIndex", "matchIndex"],
  ClientRequest: ["log"],
  AdvanceCommitIndex: ["commitIndex"],
  AppendEntries: ["messages"],
  InstallSnapshot: ["messages"],
  TakeSnapshot: ["log", "snapshotIndex", "snapshotTerm", "snapshotLog"],
  UpdateTerm: ["currentTerm", "state", "votedFor"],
  HandleRequestVoteRequest: ["votedFor", "messages"],
  HandleRequestVoteResponse: ["votesGranted", "messages"],
  HandleAppendEntriesRequest: ["state", "log", "commitIndex", "messages"],
  HandleAppendEntriesResponse: ["nextIndex", "matchIndex", "messages"],
  HandleInstallSnapshotRequest: ["state", "log", "snapshotIndex", "snapshotTerm", "snapshotLog", "commitIndex", "messages"],
  DuplicateMessage: ["messages"],
  DropMessage: ["messages"]
}

const consumes = (action: ActionName) => action.startsWith("Handle") || action === "DropMessage"

const pairs = (value: TlaJson): ReadonlyArray<readonly [TlaJson, TlaJson]> =>
  Array.isArray(value) ? [] : (value as { $fn: ReadonlyArray<readonly [TlaJson, TlaJson]> }).$fn

const bag = (value: TlaJson): Map<string, number> => new Map(pairs(value).map(([m, count]) => [JSON.stringify(m), count as number]))

describe("trace frame conditions", () => {
  const lines: Array<string> = []
  new Simulator({ ...defaultOptions(21), crashRate: 0.005, partitionRate: 0.002 }, (line) => lines.push(line)).run(1500)
  const trace = readTrace(lines.join("\n"))

  it("covers every action", () => {
    expect(new Set(trace.steps.map((step) => step.action)).size).toBeGreaterThanOrEqual(15)
  })

  it("changes only the variables, the server and the messages the action may change", () => {
    let before = trace.header.init
    for (const step of trace.steps) {
      const after = step.state
      const where = `step ${step.seq} ${step.action}`
      const acting = JSON.stringify(step.params.i)
      for (const variable of Object.keys(after)) {
        const changed = JSON.stringify(before[variable]) !== JSON.stringify(after[variable])
        if (!changed) continue
        expect(mayChange[step.action], `${where} changed ${variable}`).toContain(variable)
        if (variable === "messages") continue
        const old = new Map(pairs(before[variable]).map(([server, value]) => [JSON.stringify(server), JSON.stringify(value)]))
        for (const [server, value] of pairs(after[variable])) {
          if (old.get(JSON.stringify(server)) !== JSON.stringify(value)) expect(JSON.stringify(server), `${where} ${variable}`).toBe(acting)
        }
      }
      const oldBag = bag(before.messages)
      const newBag = bag(after.messages)
      let removed = 0
      let added = 0
      for (const key of new Set([...oldBag.keys(), ...newBag.keys()])) {
        const delta = (newBag.get(key) ?? 0) - (oldBag.get(key) ?? 0)
        if (delta < 0) {
          removed -= delta
          expect(key, `${where} removed another message than m`).toBe(JSON.stringify(step.params.m))
        } else added += delta
      }
      // A step that consumes m and sends an equal message leaves the bag as it was.
      expect(added - removed, `${where} bag size`).toBe((step.sent?.length ?? 0) - (consumes(step.action) ? 1 : 0))
      before = after
    }
  })
})

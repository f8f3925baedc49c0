/**
 * The validator fails on bad traces, at the exact step and with the right conjunct: each test
 * takes a trace the validator accepts, changes one thing an implementation could get wrong, and
 * checks the failure's step, the conjunct's text and line in spec/Raft.tla, and the diff.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import type { Simulator } from "../../src/sim/simulator.ts"
import type { Envelope } from "../../src/sim/network.ts"
import { check, joinLines, type Line, parseLines, pointOf, raftSpec, removeStep, scripted, setPoint, simulate } from "./traces.ts"

const specLines = readFileSync(raftSpec, "utf8").split("\n")

/** The line of spec/Raft.tla where `text` starts (the conjunct the failure must name). */
const specLine = (text: string): number => {
  const n = specLines.findIndex((l) => l.includes(text))
  if (n < 0) throw new Error(`not in the spec: ${text}`)
  return n + 1
}

const base = simulate(11, 3000)
const baseLines = parseLines(base)

const firstStep = (lines: ReadonlyArray<Line>, test: (l: Line) => boolean): Line => {
  const found = lines.find((l, k) => k > 0 && test(l))
  if (found === undefined) throw new Error("the base trace has no such step")
  return found
}

const replace = (lines: ReadonlyArray<Line>, seq: number, change: (l: Line) => Line): Line[] => lines.map((l) => (l.seq === seq ? change(structuredClone(l)) : l))

describe("mutated simulator traces", () => {
  it("accepts the unmutated trace", () => {
    expect(check(base).failure).toBeUndefined()
  })

  it("a wrong term: a Timeout that moves its server two terms on", () => {
    const step = firstStep(baseLines, (l) => l.action === "Timeout")
    const i = step.params.i.$mv
    const term = pointOf(step.state.currentTerm, i)
    const r = check(joinLines(replace(baseLines, step.seq, (l) => ({ ...l, state: { ...l.state, currentTerm: setPoint(l.state.currentTerm, i, term + 1) } }))))
    const f = r.failure!
    expect(f.seq).toBe(step.seq)
    expect(f.line).toBe(step.seq + 1)
    expect(f.action).toBe("Timeout")
    expect(f.conjunct?.text).toBe("currentTerm' = [currentTerm EXCEPT ![i] = currentTerm[i] + 1]")
    expect(f.conjunct?.line).toBe(specLine("/\\ currentTerm' = [currentTerm EXCEPT ![i] = currentTerm[i] + 1]"))
    expect(f.diffs.flatMap((d) => d.details)).toEqual([`currentTerm[${i}]: expected ${term}, logged ${term + 1}`])
    expect(r.steps).toBe(step.seq - 1)
  })

  it("an action name swapped: an AppendEntries response handled as a vote response", () => {
    const step = firstStep(baseLines, (l) => l.action === "HandleAppendEntriesResponse")
    const r = check(joinLines(replace(baseLines, step.seq, (l) => ({ ...l, action: "HandleRequestVoteResponse" }))))
    const f = r.failure!
    expect(f.seq).toBe(step.seq)
    expect(f.action).toBe("HandleRequestVoteResponse")
    expect(f.enabled).toBe(false)
    expect(f.conjunct?.text).toBe('m.mtype = "RequestVoteResponse"')
    expect(f.conjunct?.line).toBe(specLine('/\\ m.mtype = "RequestVoteResponse"'))
  })

  it("a line removed, the later steps renumbered: the next step does not follow", () => {
    const step = firstStep(baseLines, (l) => l.action === "ClientRequest")
    const r = check(joinLines(removeStep(baseLines, step.seq, true)))
    const f = r.failure!
    // The step that now carries the removed step's number starts from a state without its entry.
    expect(f.seq).toBe(step.seq)
    expect(f.line).toBe(step.seq + 1)
    expect(f.diffs.map((d) => d.variable)).toContain("log")
  })

  it("a line removed, numbers kept: the gap is named", () => {
    const step = firstStep(baseLines, (l) => l.action === "ClientRequest")
    const f = check(joinLines(removeStep(baseLines, step.seq, false))).failure!
    expect(f.kind).toBe("order")
    expect(f.seq).toBe(step.seq + 1)
    expect(f.headline).toBe(`step ${step.seq} missing: the trace goes from step ${step.seq - 1} to step ${step.seq + 1}`)
  })

  it("unlogged drops are guessed under --max-gap, and reported as guesses", () => {
    const drops = baseLines.filter((l) => l.action === "DropMessage").slice(0, 2)
    expect(drops).toHaveLength(2)
    // The later one first, so that renumbering does not move the earlier one.
    let partial = baseLines
    for (const d of [...drops].reverse()) partial = removeStep(partial, d.seq, true)
    expect(check(joinLines(partial)).failure).toBeDefined()
    const r = check(joinLines(partial), { maxGap: 1 })
    expect(r.failure).toBeUndefined()
    expect(r.guessedSteps).toBe(2)
    expect(r.guesses.map((g) => g.actions)).toEqual([["\\E m \\in DOMAIN messages : DropMessage(m)"], ["\\E m \\in DOMAIN messages : DropMessage(m)"]])
  })

  it("a message delivered twice that was sent once, while the bag holds an equal copy", () => {
    // A duplicated message: both copies are in flight, equal records, different ids.
    let found: { original: number; consumedAt: number; copyStep: Line } | undefined
    for (const dup of baseLines.filter((l) => l.action === "DuplicateMessage")) {
      const original = dup.msgId
      const copy = dup.sent[0]
      const consumed = baseLines.find((l) => l.seq > dup.seq && l.msgId === original && l.action !== "UpdateTerm" && l.action !== "DuplicateMessage")
      const copyStep = baseLines.find((l) => consumed !== undefined && l.seq > consumed.seq && l.msgId === copy && l.action.startsWith("Handle"))
      if (consumed !== undefined && copyStep !== undefined) {
        found = { original, consumedAt: consumed.seq, copyStep }
        break
      }
    }
    expect(found).toBeDefined()
    const { original, consumedAt, copyStep } = found!
    // Without ids the step is valid: the bag still holds an equal record.
    const withoutIds = baseLines.map((l) => {
      const { msgId: _m, sent: _s, ...rest } = l
      return rest
    })
    expect(check(joinLines(withoutIds)).failure).toBeUndefined()
    const f = check(joinLines(replace(baseLines, copyStep.seq, (l) => ({ ...l, msgId: original })))).failure!
    expect(f.kind).toBe("message")
    expect(f.seq).toBe(copyStep.seq)
    expect(f.headline).toBe(`message ${original} was already consumed at step ${consumedAt} (line ${consumedAt + 1})`)
  })

  it("a message received that was never sent", () => {
    const step = firstStep(baseLines, (l) => l.action === "HandleRequestVoteRequest")
    const f = check(joinLines(replace(baseLines, step.seq, (l) => ({ ...l, msgId: 999_999 })))).failure!
    expect(f.kind).toBe("message")
    expect(f.headline).toBe("message 999999 was never sent")
  })

  it("a message received that is not in the bag", () => {
    const step = firstStep(baseLines, (l) => l.action === "HandleRequestVoteRequest")
    const f = check(
      joinLines(replace(baseLines, step.seq, (l) => ({ ...l, msgId: undefined, params: { ...l.params, m: { ...l.params.m, mterm: l.params.m.mterm + 7 } } })))
    ).failure!
    expect(f.kind).toBe("message")
    expect(f.seq).toBe(step.seq)
    expect(f.headline).toBe("m is not in messages: the step receives a message that is not in flight")
  })
})

const to = (dest: string, type: Envelope["message"]["type"]) => (e: Envelope) => e.message.dest === dest && e.message.type === type

const elect = (sim: Simulator, candidate: string, voters: ReadonlyArray<string>, timeouts = 1) => {
  for (let k = 0; k < timeouts; k++) expect(sim.act("Timeout", candidate)).toBe(true)
  for (const voter of voters) {
    expect(sim.act("RequestVote", candidate, voter)).toBe(true)
    while (sim.deliver(to(voter, "RequestVoteRequest")));
    while (sim.deliver(to(candidate, "RequestVoteResponse")));
  }
  expect(sim.act("BecomeLeader", candidate)).toBe(true)
}

const exchange = (sim: Simulator, leader: string, follower: string) => {
  expect(sim.act("AppendEntries", leader, follower)).toBe(true)
  while (sim.deliver(to(follower, "AppendEntriesRequest")));
  while (sim.deliver(to(leader, "AppendEntriesResponse")));
}

describe("mutated scripted traces", () => {
  /**
   * s1 leads term 1 and gives s2 two entries; s5 leads term 2 with one entry of its own and
   * overwrites s2's log: the entry at index 1 conflicts, and the entry after it must go too.
   */
  const conflict = scripted(5, (sim) => {
    elect(sim, "s1", ["s2", "s3"])
    expect(sim.submit("a")).toBe("a")
    expect(sim.submit("c")).toBe("c")
    exchange(sim, "s1", "s2")
    sim.dropAll(() => true)
    sim.crash("s1")
    elect(sim, "s5", ["s3", "s4"], 2)
    expect(sim.submit("b")).toBe("b")
    exchange(sim, "s5", "s2") // refused: s2's entry 1 is of term 1
    exchange(sim, "s5", "s2") // accepted from index 1
  })
  const conflictLines = parseLines(conflict)

  it("accepts the scripted conflict", () => {
    expect(check(conflict).failure).toBeUndefined()
    const last = conflictLines[conflictLines.length - 1]
    expect(pointOf(last.state.log, "s2")).toEqual([{ term: 2, value: "b" }])
  })

  it("a follower keeping the stale suffix after a conflict", () => {
    const step = [...conflictLines].reverse().find((l) => l.action === "HandleAppendEntriesRequest" && l.params.i.$mv === "s2")!
    const stale = [{ term: 2, value: "b" }, { term: 1, value: "c" }]
    const f = check(joinLines(replace(conflictLines, step.seq, (l) => ({ ...l, state: { ...l.state, log: setPoint(l.state.log, "s2", stale) } })))).failure!
    expect(f.seq).toBe(step.seq)
    expect(f.action).toBe("HandleAppendEntriesRequest")
    expect(f.enabled).toBe(true)
    expect(f.conjunct?.text.split("\n")[0]).toBe("log' = [log EXCEPT ![i] = IF fresh = {}")
    expect(f.conjunct?.line).toBe(specLine("THEN /\\ log' = [log EXCEPT ![i] = IF fresh = {}"))
    expect(f.diffs.flatMap((d) => d.details)).toEqual([
      'log[s2]: expected 1 elements, logged 2 (logged, not expected, from index 2: <<[term |-> 1, value |-> "c"]>>)'
    ])
  })

  /**
   * s1 leads term 1 and replicates an entry to everyone, then crashes before committing it; s2
   * leads term 2 and learns that s3 holds the entry. A quorum holds it, but it is of term 1.
   */
  const previousTerm = scripted(3, (sim) => {
    elect(sim, "s1", ["s2"])
    expect(sim.submit("a")).toBe("a")
    exchange(sim, "s1", "s2")
    exchange(sim, "s1", "s3")
    sim.dropAll(() => true)
    sim.crash("s1")
    elect(sim, "s2", ["s3"])
    exchange(sim, "s2", "s3")
    expect(sim.act("AdvanceCommitIndex", "s2")).toBe(false)
  })
  const previousLines = parseLines(previousTerm)

  it("a commitIndex advanced over a previous-term entry", () => {
    const last = previousLines[previousLines.length - 1]
    expect(check(previousTerm).failure).toBeUndefined()
    const commit: Line = {
      seq: last.seq + 1,
      action: "AdvanceCommitIndex",
      params: { i: { $mv: "s2" } },
      state: { ...last.state, commitIndex: setPoint(last.state.commitIndex, "s2", 1) }
    }
    const f = check(joinLines([...previousLines, commit])).failure!
    expect(f.seq).toBe(last.seq + 1)
    expect(f.line).toBe(previousLines.length + 1)
    expect(f.enabled).toBe(false)
    expect(f.conjunct?.text).toBe("TermAt(i, highest) = currentTerm[i]")
    expect(f.conjunct?.line).toBe(specLine("/\\ TermAt(i, highest) = currentTerm[i]"))
    expect(f.headline).toBe("AdvanceCommitIndex(i) is not enabled in the state before this step: TermAt(i, highest) = currentTerm[i] is FALSE")
  })
})

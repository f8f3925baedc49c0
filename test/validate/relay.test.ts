/**
 * The validator on a spec that is not Raft (specs/Relay.tla): traces written by hand, accepted
 * and rejected, full and delta states, partial traces (missing steps and variables), coverage,
 * and bad input.
 */
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { Coverage, type ValidateFileOptions, validateTrace, ValidationInputError } from "../../src/validate/index.ts"
import { joinLines, type Line, removeStep } from "./traces.ts"

const spec = fileURLToPath(new URL("./specs/Relay.tla", import.meta.url))

const mv = ($mv: string) => ({ $mv })
const totals = (a: number, b: number) => ({ $fn: [[mv("a"), a], [mv("b"), b]] })
const msg = (to: string, amount: number) => ({ to: mv(to), amount })
const bag = (...entries: Array<[unknown, number]>) => (entries.length === 0 ? [] : { $fn: entries })

const header: Line = {
  format: "tla-trace",
  version: 1,
  spec: "Relay.tla",
  constants: { Node: { $set: [mv("a"), mv("b")] } },
  init: { total: totals(0, 0), inbox: [] },
  bag: { variable: "inbox", param: "m" }
}

/** a sends b 2 twice; b receives both copies; a sends b 1 and it is lost. */
const good: Line[] = [
  header,
  { seq: 1, action: "Send", params: { from: mv("a"), to: mv("b"), amount: 2 }, sent: [1], state: { total: totals(0, 0), inbox: bag([msg("b", 2), 1]) } },
  { seq: 2, action: "Send", params: { from: mv("a"), to: mv("b"), amount: 2 }, sent: [2], state: { total: totals(0, 0), inbox: bag([msg("b", 2), 2]) } },
  { seq: 3, action: "Receive", params: { m: msg("b", 2) }, msgId: 1, state: { total: totals(0, 2), inbox: bag([msg("b", 2), 1]) } },
  { seq: 4, action: "Receive", params: { m: msg("b", 2) }, msgId: 2, state: { total: totals(0, 4), inbox: bag() } },
  { seq: 5, action: "Send", params: { from: mv("b"), to: mv("a"), amount: 1 }, sent: [3], state: { total: totals(0, 4), inbox: bag([msg("a", 1), 1]) } }
]

const run = (lines: ReadonlyArray<Line>, options: ValidateFileOptions = {}) => validateTrace("trace.ndjson", { spec, ...options }, joinLines(lines))

const change = (lines: ReadonlyArray<Line>, seq: number, f: (l: Line) => Line): Line[] => lines.map((l) => (l.seq === seq ? f(structuredClone(l)) : l))

describe("a spec that is not Raft", () => {
  it("accepts a good trace, checking the cfg's invariant, and counts coverage", () => {
    let coverage: Coverage | undefined
    const { result, model } = run(good, { coverage: (m) => (coverage = new Coverage(m.spec.nextDisjuncts())) })
    expect(result.failure).toBeUndefined()
    expect(result.steps).toBe(5)
    expect(model.invariants).toEqual(["Bounded"])
    const report = coverage!.report()
    expect(report.disjuncts.map((d) => d.count)).toEqual([3, 2])
    expect(report.disjuncts[1].text).toBe("\\E m \\in DOMAIN inbox : Receive(m) \\/ Lose(m)")
    expect(report.actions).toEqual([
      { action: "Send", count: 3 },
      { action: "Receive", count: 2 },
      { action: "Lose", count: 0 }
    ])
    expect(report.neverTaken).toEqual(["Lose"])
  })

  it("names the failing conjunct and the differing point when a receiver adds the wrong amount", () => {
    const f = run(change(good, 3, (l) => ({ ...l, state: { ...l.state, total: totals(0, 3) } }))).result.failure!
    expect(f.seq).toBe(3)
    expect(f.conjunct?.text).toBe("total' = [total EXCEPT ![m.to] = @ + m.amount]")
    expect(f.conjunct?.line).toBe(28)
    expect(f.diffs.flatMap((d) => d.details)).toEqual(["total[b]: expected 2, logged 3"])
    expect(f.recent.map((s) => s.seq)).toEqual([1, 2])
  })

  it("reports an invariant broken by a step the spec allows", () => {
    const more: Line[] = [
      ...good,
      { seq: 6, action: "Send", params: { from: mv("a"), to: mv("b"), amount: 2 }, sent: [4], state: { total: totals(0, 4), inbox: bag([msg("a", 1), 1], [msg("b", 2), 1]) } },
      { seq: 7, action: "Receive", params: { m: msg("b", 2) }, msgId: 4, state: { total: totals(0, 6), inbox: bag([msg("a", 1), 1]) } }
    ]
    const f = run(more).result.failure!
    expect(f.kind).toBe("invariant")
    expect(f.seq).toBe(7)
    expect(f.headline).toBe("invariant Bounded is violated by the state after step 7")
    expect(run(more, { invariants: "none" }).result.failure).toBeUndefined()
  })

  it("catches a copy received twice by its id", () => {
    const f = run(change(good, 4, (l) => ({ ...l, msgId: 1 }))).result.failure!
    expect(f.kind).toBe("message")
    expect(f.headline).toBe("message 1 was already consumed at step 3 (line 4)")
  })

  it("rejects an action Next does not take, and one the spec does not define", () => {
    expect(run(change(good, 5, (l) => ({ ...l, action: "Put" }))).result.failure!.headline).toBe("Put is not an action of Next")
    expect(run(change(good, 5, (l) => ({ ...l, action: "Shout" }))).result.failure!.headline).toBe("the spec has no action Shout")
    expect(run(change(good, 5, (l) => ({ ...l, params: { from: mv("b"), amount: 1 } }))).result.failure!.headline).toBe(
      "Send takes (from, to, amount); the step gives (from, amount)"
    )
  })

  it("rejects an initial state Init does not allow", () => {
    const f = run([{ ...header, init: { total: totals(1, 0), inbox: [] } }, ...good.slice(1)]).result.failure!
    expect(f.kind).toBe("init")
    expect(f.conjunct?.text).toBe("total = [n \\in Node |-> 0]")
    expect(f.diffs.flatMap((d) => d.details)).toEqual(["total[a]: expected 0, logged 1"])
  })

  describe("partial traces", () => {
    it("guesses a missing step within --max-gap, and fails without it", () => {
      const gap = removeStep(good, 2, false)
      expect(run(gap).result.failure!.kind).toBe("order")
      const r = run(gap, { maxGap: 1 }).result
      expect(r.failure).toBeUndefined()
      expect(r.guessedSteps).toBe(1)
      expect(r.guesses).toEqual([{ beforeSeq: 3, line: 3, actions: ["Send(a,b,2)"] }])
    })

    it("guesses unlogged steps even where the numbering does not show them", () => {
      const unnumbered = removeStep(good, 2, true)
      expect(run(unnumbered).result.failure!.seq).toBe(2)
      const r = run(unnumbered, { maxGap: 2 }).result
      expect(r.failure).toBeUndefined()
      expect(r.guessedSteps).toBe(1)
    })

    it("fills in variables a step does not log, and still catches a wrong one", () => {
      const partial = change(good, 1, (l) => ({ ...l, state: { total: l.state.total } }))
      const r = run(partial).result
      expect(r.failure).toBeUndefined()
      expect(r.ambiguousSteps).toBe(0)
      const wrong = change(partial, 1, (l) => ({ ...l, state: { total: totals(1, 0) } }))
      expect(run(wrong).result.failure!.seq).toBe(1)
    })
  })

  it("reads delta states, with messages named by id", () => {
    const delta: Line[] = [
      { ...header, stateMode: "delta" },
      { seq: 1, action: "Send", params: { from: mv("a"), to: mv("b"), amount: 2 }, sent: [1], delta: { inbox: bag([msg("b", 2), 1]) } },
      { seq: 2, action: "Send", params: { from: mv("a"), to: mv("b"), amount: 1 }, sent: [2], delta: { inbox: { $update: [[msg("b", 1), 1]] } } },
      { seq: 3, action: "Receive", params: { m: { $msg: 1 } }, msgId: 1, delta: { total: { $update: [[mv("b"), 2]] }, inbox: { $remove: [{ $msg: 1 }] } } },
      { seq: 4, action: "Lose", params: { m: { $msg: 2 } }, msgId: 2, delta: { inbox: [] } }
    ]
    const r = run(delta).result
    expect(r.failure).toBeUndefined()
    expect(r.stateMode).toBe("delta")
    const wrong = change(delta, 3, (l) => ({ ...l, delta: { ...l.delta, total: { $update: [[mv("a"), 2]] } } }))
    expect(run(wrong).result.failure!.diffs.flatMap((d) => d.details)).toEqual(["total[a]: expected 0, logged 2", "total[b]: expected 2, logged 0"])
    const unknown = change(delta, 4, (l) => ({ ...l, params: { m: { $msg: 1 } } }))
    expect(() => run(unknown)).toThrow("trace.ndjson:5:1: params.m.$msg: message 1 is not in flight, or its content is unknown (give it in full)")
  })

  describe("bad input names the file, line and column", () => {
    const text = (lines: ReadonlyArray<string>) => lines.join("\n") + "\n"
    const fails = (t: string, message: string, options: ValidateFileOptions = {}) => {
      expect(() => validateTrace("trace.ndjson", { spec, ...options }, t)).toThrow(ValidationInputError)
      expect(() => validateTrace("trace.ndjson", { spec, ...options }, t)).toThrow(message)
    }
    const lines = joinLines(good).trimEnd().split("\n")

    it("a line that is not JSON", () => {
      fails(text([lines[0], lines[1], '{"seq": 2, "action": "Send",']), "trace.ndjson:3:")
      fails(text([lines[0], lines[1], '{"seq": 2, "action": "Send",']), "not JSON")
    })

    it("a step without a state, a bad value, an unknown variable", () => {
      fails(text([lines[0], '{"seq":1,"action":"Send","params":{}}']), 'trace.ndjson:2:1: bad step: no "state" object')
      fails(text([lines[0], lines[1].replace('"amount":2}', '"amount":2.5}')]), "trace.ndjson:2:")
      fails(text([lines[0], lines[1].replace('"total":', '"totals":')]), "state.totals: the spec has no variable totals")
    })

    it("a bad header, a missing spec, an unknown invariant", () => {
      fails(text(['{"format":"x","version":2}']), "trace.ndjson:1:1: bad header")
      fails(text([lines[0]]), "nowhere.tla: no such spec", { spec: "nowhere.tla" })
      fails(text([lines[0]]), "--invariants: the spec has no operator Nope", { invariants: ["Nope"] })
      fails("", "trace.ndjson:1:1: empty trace")
    })
  })
})

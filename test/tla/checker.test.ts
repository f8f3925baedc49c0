/**
 * The model checker's counts and verdicts on small specs whose results are known from
 * TLC-FACTS.md (each checked there against TLC) or worked out by hand in the comments.
 */
import { describe, expect, it } from "vitest"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { runCheck } from "../../src/tla/index.ts"
import { check, moduleText, tempDir, writeSpec } from "./harness.ts"

const counts = (r: { generated: number; distinct: number; queue: number; depth: number }) => [r.generated, r.distinct, r.queue, r.depth]

describe("breadth-first search with TLC's counts", () => {
  it("stops at the first violating successor: x' = x + 2 \\/ x' = x + 1 with x < 3 (TLC: 4 generated, 4 distinct, 1 left, depth 3)", () => {
    const r = check("C1inv", "VARIABLE x\nInit == x = 0\nNext == x' = x + 2 \\/ x' = x + 1\nInv == x < 3", "INIT Init NEXT Next INVARIANT Inv").result
    expect(r.outcome).toBe("invariant")
    expect(r.violated).toBe("Inv")
    expect(counts(r)).toEqual([4, 4, 1, 3])
    // 0 expands to 2 then 1; 2 expands to 4, the first violation: a shortest trace
    expect(r.trace.map((s) => s.state[0])).toEqual([0, 2, 4])
  })

  it("counts duplicate initial states as generated (TLC: 6 generated, 2 distinct)", () => {
    const r = check("C1dup", "VARIABLE x\nInit == \\E i \\in 1..4 : x = i % 2\nNext == x' = x", "INIT Init NEXT Next").result
    expect(r.outcome).toBe("ok")
    expect(counts(r)).toEqual([6, 2, 0, 1])
  })

  it("counts constraint-rejected states as generated, not distinct (TLC: 5 generated, 3 distinct, depth 3)", () => {
    expect(() => check("C2con", "VARIABLE x\nInit == x \\in {0, 7}\nNext == x' = x + 1", "INIT Init NEXT Next CONSTRAINT Small")).toThrow(
      "The constraint Small is not defined in the spec."
    )
    const ok = check("C2con", "VARIABLE x\nInit == x \\in {0, 7}\nNext == x' = x + 1\nSmall == x < 3", "INIT Init NEXT Next CONSTRAINT Small").result
    expect(ok.outcome).toBe("ok")
    expect(counts(ok)).toEqual([5, 3, 0, 3])
  })

  it("still checks invariants on states outside the constraint (TLC: x # 3 fails with 3 distinct, 4-state trace)", () => {
    const r = check("C2con3", "VARIABLE x\nInit == x \\in {0, 7}\nNext == x' = x + 1\nSmall == x < 3\nInvNot3 == x # 3", "INIT Init NEXT Next CONSTRAINT Small INVARIANT InvNot3").result
    expect(r.outcome).toBe("invariant")
    expect(r.distinct).toBe(3)
    expect(r.trace.length).toBe(4)
  })

  it("reports a deadlock when a state has no successor at all: 0 -> 1 -> 2 (by hand: 3 generated, 3 distinct)", () => {
    const r = check("Dead", "VARIABLE x\nInit == x = 0\nNext == x < 2 /\\ x' = x + 1", "INIT Init NEXT Next").result
    expect(r.outcome).toBe("deadlock")
    expect(counts(r)).toEqual([3, 3, 0, 3])
    expect(r.trace.length).toBe(3)
    const off = check("Dead", "VARIABLE x\nInit == x = 0\nNext == x < 2 /\\ x' = x + 1", "INIT Init NEXT Next CHECK_DEADLOCK FALSE").result
    expect(off.outcome).toBe("ok")
  })

  it("checks action properties on every transition, also back to seen states (TLC: 5 generated, 4 distinct)", () => {
    const r = check("L10act", "VARIABLE x\nInit == x = 0\nNext == x' = (x + 1) % 4\nSpec == Init /\\ [][Next]_x\nUp == [][x' > x]_x", "SPECIFICATION Spec PROPERTY Up").result
    expect(r.outcome).toBe("property")
    expect(r.violated).toBe("Up")
    expect([r.generated, r.distinct]).toEqual([5, 4])
    expect(r.tlcExit).toBe(13)
  })

  it("reports an invariant violated by an initial state without statistics", () => {
    const r = check("Init", "VARIABLE x\nInit == x \\in {1, 5}\nNext == x' = x\nInv == x < 3", "INIT Init NEXT Next INVARIANT Inv")
    expect(r.result.outcome).toBe("invariant")
    expect(r.result.noStats).toBe(true)
    expect(r.lines).toContain("Error: Invariant Inv is violated by the initial state:")
    expect(r.lines.some((l) => l.includes("states generated"))).toBe(false)
  })

  it("turns an evaluation error in Next into TLC's error report with the trace so far", () => {
    const r = check("Eq", 'VARIABLE x\nInit == x = 0\nNext == x\' = x + 1 /\\ (x < 2 \\/ x = "a")', "INIT Init NEXT Next")
    expect(r.result.outcome).toBe("error")
    expect(r.result.tlcExit).toBe(75)
    expect(r.lines.join("\n")).toContain("Attempted to check equality of integer 2 with non-integer:")
    expect(r.lines).toContain("Error: The error occurred when TLC was evaluating the nested")
  })

  it("reports a false ASSUME by its location", () => {
    const r = check("As", "ASSUME 1 + 1 = 3\nVARIABLE x\nInit == x = 0\nNext == x' = x", "INIT Init NEXT Next")
    expect(r.result.outcome).toBe("assume")
    expect(r.lines[r.lines.length - 1]).toBe("Error: Assumption line 3, col 8 to line 3, col 16 of module As is false.")
  })

  it("announces 2, 4 and 8 computed initial states as TLC does (9 initial states)", () => {
    const r = check("C1many", "VARIABLE x\nInit == x \\in 1..9\nNext == x' = x", "INIT Init NEXT Next")
    expect(r.lines.filter((l) => l.startsWith("Computed"))).toEqual(["Computed 2 initial states...", "Computed 4 initial states...", "Computed 8 initial states..."])
  })

  it("prints TLC's success lines", () => {
    const r = check("T1", "VARIABLE x\nInit == x = 0\nNext == x' = (x + 1) % 3", "INIT Init NEXT Next")
    expect(r.lines).toContain("Model checking completed. No error has been found.")
    expect(r.lines).toContain("4 states generated, 3 distinct states found, 0 states left on queue.")
    expect(r.lines).toContain("The depth of the complete state graph search is 3.")
    expect(r.lines).toContain("Finished computing initial states: 1 distinct state generated at " + r.lines.find((l) => l.startsWith("Finished"))!.slice(-20))
  })
})

describe("traces", () => {
  it("print variables in TLC's order (TLC C6varorder3: msgs, counter, aa, b, x, pc)", () => {
    const r = check("C6varorder3", "VARIABLES b, aa, counter, x, pc, msgs\nInit == b = 0 /\\ aa = 0 /\\ counter = 0 /\\ x = 0 /\\ pc = 0 /\\ msgs = 0\nNext == UNCHANGED <<b, aa, counter, x, pc, msgs>>\nInv == x > 0", "INIT Init NEXT Next INVARIANT Inv")
    const i = r.lines.indexOf("Error: Invariant Inv is violated by the initial state:")
    expect(r.lines.slice(i + 1, i + 7)).toEqual(["/\\ msgs = 0", "/\\ counter = 0", "/\\ aa = 0", "/\\ b = 0", "/\\ x = 0", "/\\ pc = 0"])
  })
})

describe("VIEW and unassigned variables", () => {
  it("VIEW merges states with the same view (TLC C3view: 4 generated, 3 distinct)", () => {
    const r = check("V", "VARIABLES x, y\nInit == x = 0 /\\ y = 0\nNext == x < 2 /\\ x' = x + 1 /\\ y' = y + 1\nView == x", "INIT Init NEXT Next VIEW View CHECK_DEADLOCK FALSE").result
    expect([r.generated, r.distinct, r.depth]).toEqual([3, 3, 3])
  })
  it("an action that leaves a variable unassigned is an error naming it", () => {
    const r = check("U", "VARIABLES x, y\nInit == x = 0 /\\ y = 0\nNext == x' = x + 1", "INIT Init NEXT Next")
    expect(r.result.outcome).toBe("error")
    expect(r.result.message).toContain("The following variable is not defined: y.")
  })
})

describe("POSTCONDITION and ALIAS", () => {
  const units = `VARIABLE x
Init == x = 0
Next == x' = x + 1
Small == TLCGet("level") < 4
Post == LET s == TLCGet("stats") IN s.distinct = 3 /\\ s.generated = 4 /\\ s.diameter = 3 /\\ s.initial = 1 /\\ s.queue = 0
Wrong == TLCGet("stats").distinct = 4
Alias == [x |-> x, lvl |-> TLCGet("level"), dbl |-> 2 * x]
Inv == x < 2`
  it("evaluates POSTCONDITION with TLCGet(\"stats\") after the search (TLC V9get: 4 generated, 3 distinct, depth 3)", () => {
    const ok = check("V9get", units, "INIT Init NEXT Next CONSTRAINT Small POSTCONDITION Post").result
    expect(ok.outcome).toBe("ok")
    expect([ok.generated, ok.distinct, ok.depth]).toEqual([4, 3, 3])
    const bad = check("V9get", units, "INIT Init NEXT Next CONSTRAINT Small POSTCONDITION Wrong")
    expect(bad.result.tlcExit).toBe(10)
    expect(bad.lines).toContain("Error: Postcondition Wrong at line 8, col 10 to line 8, col 37 of module V9get is false.")
  })
  it("prints the ALIAS record's fields instead of the variables in traces", () => {
    const r = check("V9getalias", units, "INIT Init NEXT Next INVARIANT Inv ALIAS Alias")
    expect(r.result.outcome).toBe("invariant")
    const i = r.lines.indexOf("State 2: <Next line 5, col 9 to line 5, col 18 of module V9getalias>")
    expect(r.lines.slice(i + 1, i + 4)).toEqual(["/\\ x = 1", "/\\ lvl = 2", "/\\ dbl = 2"])
  })
})

describe("trace files", () => {
  it("hold the counterexample in the project's JSON codec", () => {
    const file = join(tempDir(), "trace.json")
    const spec = writeSpec("Tr", moduleText("Tr", "CONSTANT P\nVARIABLE s\nInit == s = {}\nNext == \\E p \\in P : s' = s \\cup {p}\nInv == s = {}"), "CONSTANT P = {a}\nINIT Init NEXT Next INVARIANT Inv")
    const r = runCheck({ specPath: spec, traceFile: file, out: () => {} })
    expect(r.traceFile).toBe(file)
    const trace = JSON.parse(readFileSync(file, "utf8"))
    expect(trace.violated).toBe("Inv")
    expect(trace.states.map((x: { state: unknown }) => x.state)).toEqual([{ s: { $set: [] } }, { s: { $set: [{ $mv: "a" }] } }])
  })
})


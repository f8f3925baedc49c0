/**
 * TLC's output texts against the lines quoted in TLC-FACTS (§1, §4, §5, §6, §10).
 */
import { describe, expect, it } from "vitest"
import {
  actionLabel,
  actionPropertyViolated,
  assertFailed,
  assumptionFailed,
  assumptionFalse,
  backToStateLines,
  cannotBeConstant,
  checkingTemporalProperties,
  deadlockReached,
  depthLine,
  duration,
  equalsConstant,
  finishedTemporalProperties,
  hashtableCapacity,
  impliedTemporalBranches,
  INITIAL_PREDICATE,
  initialEvaluationError,
  initialStatesLine,
  initialStatesProgress,
  invariantEvaluationFailed,
  invariantViolated,
  invariantViolatedInitially,
  javaStringHashCode,
  nestedPositions,
  OutdegreeStatistics,
  postconditionFalse,
  probabilityText,
  progressLine,
  stateBlock,
  stateLines,
  stutteringLine,
  successLines,
  successorNotSpecified,
  summaryLine,
  symmetryWithLivenessWarning,
  temporalViolated,
  TlcExitCode,
  traceExplorationLine,
  unexpectedException,
  variablePrintOrder,
  warning,
  withThousands,
  type SourceRange
} from "../../../src/tla/report/index.ts"
import { int, record, setOf, str, tuple } from "../../../src/tla/values/index.ts"

// A local-time date, so the expected timestamp does not depend on the machine's time zone.
const AT = new Date(2026, 10, 27, 4, 35, 7)
const TIME = "2026-11-27 04:35:07"

const range = (beginLine: number, beginColumn: number, endLine: number, endColumn: number, module: string): SourceRange => ({
  beginLine,
  beginColumn,
  endLine,
  endColumn,
  module
})

describe("§1 statistics lines", () => {
  it("the initial-states line in its two forms (T1, C1inv, C2con)", () => {
    expect(initialStatesLine(2, 2, AT)).toBe(`Finished computing initial states: 2 distinct states generated at ${TIME}.`)
    expect(initialStatesLine(1, 1, AT)).toBe(`Finished computing initial states: 1 distinct state generated at ${TIME}.`)
    expect(initialStatesLine(2, 1, AT)).toBe(`Finished computing initial states: 2 states generated, with 1 of them distinct at ${TIME}.`)
    expect(initialStatesLine(4, 2, AT)).toBe(`Finished computing initial states: 4 states generated, with 2 of them distinct at ${TIME}.`)
  })

  it("'Computed 2^k initial states...' before state 2^k+1 (C1manyinit: 9 states print 2, 4, 8)", () => {
    const printed: string[] = []
    for (let processed = 0; processed < 9; processed++) {
      const line = initialStatesProgress(processed)
      if (line !== undefined) printed.push(line)
    }
    expect(printed).toEqual(["Computed 2 initial states...", "Computed 4 initial states...", "Computed 8 initial states..."])
  })

  it("progress lines use thousands separators, the summary does not (C1big)", () => {
    expect(progressLine({ depth: 1501, generated: 1501, distinct: 1501, queue: 0, at: AT })).toBe(
      `Progress(1501) at ${TIME}: 1,501 states generated, 1,501 distinct states found, 0 states left on queue.`
    )
    expect(summaryLine(1501, 1501, 0)).toBe("1501 states generated, 1501 distinct states found, 0 states left on queue.")
    expect(
      progressLine({ depth: 7, generated: 1234567, distinct: 89012, queue: 345, at: AT, perMinute: { generated: 2469134, distinct: 178024 } })
    ).toBe(
      `Progress(7) at ${TIME}: 1,234,567 states generated (2,469,134 s/min), 89,012 distinct states found (178,024 ds/min), 345 states left on queue.`
    )
    expect([withThousands(0), withThousands(999), withThousands(1000), withThousands(-1234)]).toEqual(["0", "999", "1,000", "-1,234"])
  })

  it("'states' stays plural (C1inv)", () => {
    expect(summaryLine(4, 4, 1)).toBe("4 states generated, 4 distinct states found, 1 states left on queue.")
    expect(depthLine(3)).toBe("The depth of the complete state graph search is 3.")
  })

  it("the success message and its probability lines (T1, C1dupsucc, G = D)", () => {
    expect(successLines(5, 3)).toEqual([
      "Model checking completed. No error has been found.",
      "  Estimates of the probability that TLC did not check all reachable states",
      "  because two distinct states had the same fingerprint:",
      "  calculated (optimistic):  val = 3.3E-19"
    ])
    expect(successLines(7, 2)[3]).toBe("  calculated (optimistic):  val = 5.4E-19")
    expect(successLines(4, 4)[3]).toBe("  calculated (optimistic):  val = 0.0")
  })

  it("probabilities keep two significant digits, rounding on the third", () => {
    expect([1e-8, 3.14159e-12, 9.96e-19, 0.5, 4.85].map((p) => probabilityText(p))).toEqual(["1.0E-8", "3.1E-12", "10.0E-19", ".5", "4.9"])
  })

  it("the outdegree line (T1), capped at 31 (C1outdeg), absent without expansions (C1noinit)", () => {
    const t1 = new OutdegreeStatistics()
    for (const n of [1, 0, 0]) t1.record(n)
    expect(t1.line()).toBe(
      "The average outdegree of the complete state graph is 0 (minimum is 0, the maximum 1 and the 95th percentile is 1)."
    )
    const wide = new OutdegreeStatistics()
    wide.record(40)
    expect(wide.line()).toBe(
      "The average outdegree of the complete state graph is 31 (minimum is 31, the maximum 31 and the 95th percentile is 31)."
    )
    expect(new OutdegreeStatistics().line()).toBeUndefined()
  })

  it("the 95th percentile is the first outdegree whose cumulative count exceeds floor(0.95 n)", () => {
    const s = new OutdegreeStatistics()
    for (let i = 0; i < 19; i++) s.record(2)
    s.record(9)
    // n = 20, floor(19) = 19: nineteen 2s are not more than 19, the 9 makes 20.
    expect(s.percentile(0.95)).toBe(9)
    s.record(2)
    expect(s.percentile(0.95)).toBe(2)
  })
})

describe("§4-§6 error texts", () => {
  it("invariants, deadlock and action properties", () => {
    expect(invariantViolated("Inv")).toEqual(["Error: Invariant Inv is violated.", "Error: The behavior up to this point is:"])
    expect(invariantViolatedInitially("Inv")).toBe("Error: Invariant Inv is violated by the initial state:")
    expect(deadlockReached).toEqual(["Error: Deadlock reached.", "Error: The behavior up to this point is:"])
    expect(actionPropertyViolated("ActProp")[0]).toBe("Error: Action property ActProp is violated.")
    expect(actionPropertyViolated("line 23, col 23 to line 23, col 37 of module Buffer")[0]).toBe(
      "Error: Action property line 23, col 23 to line 23, col 37 of module Buffer is violated."
    )
  })

  it("assumptions (E6assume, V8)", () => {
    expect(assumptionFalse(range(5, 8, 5, 12, "E6assume"))).toBe(
      "Error: Assumption line 5, col 8 to line 5, col 12 of module E6assume is false."
    )
    expect(assumptionFailed(range(3, 8, 3, 20, "V8"), "Attempted to compute cardinality of the value\n3")).toEqual([
      "Error: Evaluating assumption line 3, col 8 to line 3, col 20 of module V8 failed.",
      "Attempted to compute cardinality of the value",
      "3"
    ])
  })

  it("evaluation errors in Next, with the nested positions (E6eq)", () => {
    expect(unexpectedException('Attempted to check equality of integer 1 with non-integer:\n"a"').join("\n")).toBe(
      [
        "Error: TLC threw an unexpected exception.",
        "This was probably caused by an error in the spec or model.",
        "See the User Output or TLC Console for clues to what happened.",
        "The exception was a java.lang.RuntimeException",
        ": Attempted to check equality of integer 1 with non-integer:",
        '"a"'
      ].join("\n")
    )
    expect(nestedPositions([range(5, 9, 5, 67, "E6eq")])).toEqual([
      "Error: The error occurred when TLC was evaluating the nested",
      "expressions at the following positions:",
      "0. Line 5, column 9 to line 5, column 67 in E6eq"
    ])
    expect(initialEvaluationError("Attempted to apply Head to the empty sequence.")).toEqual([
      "Error: Attempted to apply Head to the empty sequence."
    ])
  })

  it("invariant evaluation, Assert, unassigned variables, postconditions (E6invfail, E6assert, E6unspec, V9get)", () => {
    expect(invariantEvaluationFailed("Inv", "msg")).toEqual(["Error: Evaluating invariant Inv failed.", "msg"])
    expect(assertFailed('"x got too big"')).toEqual([
      "Error: The first argument of Assert evaluated to FALSE; the second argument was:",
      '"x got too big"'
    ])
    expect(successorNotSpecified(["y"])).toBe(
      "Error: Successor state is not completely specified by the next-state action. The following variable is not defined: y."
    )
    expect(successorNotSpecified(["x", "y"])).toMatch(/The following variables are not defined: x, y\.$/)
    expect(postconditionFalse("Post", range(10, 9, 10, 70, "V9get"))).toBe(
      "Error: Postcondition Post at line 10, col 9 to line 10, col 70 of module V9get is false."
    )
  })

  it("specs rejected before the search", () => {
    expect(cannotBeConstant("next state action", "Next")).toBe("Error: The next state action Next cannot be a constant.")
    expect(equalsConstant("invariant", "Inv", "FALSE")).toBe("Error: The invariant of Inv is equal to FALSE")
    expect(traceExplorationLine("C1inv", 1764213307)).toBe("Trace exploration spec path: ./C1inv_TTrace_1764213307.tla")
  })

  it("exit codes", () => {
    expect([TlcExitCode.assumption, TlcExitCode.deadlock, TlcExitCode.invariant, TlcExitCode.property, TlcExitCode.assert]).toEqual([
      10, 11, 12, 13, 14
    ])
    expect([TlcExitCode.evaluation, TlcExitCode.invariantEvaluation, TlcExitCode.semantic, TlcExitCode.configSyntax]).toEqual([
      75, 76, 151, 255
    ])
  })
})

describe("§6 trace states", () => {
  it("labels name the sub-action, its arguments and its body (C1inv, C6trace)", () => {
    expect(actionLabel("Next", [], range(5, 9, 5, 18, "C1inv"))).toBe("<Next line 5, col 9 to line 5, col 18 of module C1inv>")
    expect(actionLabel("IncX", [int(1)], range(5, 12, 5, 31, "C6trace"))).toBe(
      "<IncX(1) line 5, col 12 to line 5, col 31 of module C6trace>"
    )
    expect(actionLabel("Send", [int(1), str("a")], range(2, 1, 2, 9, "M"))).toBe('<Send(1,"a") line 2, col 1 to line 2, col 9 of module M>')
  })

  it("one variable prints as 'x = v', several as '/\\ v = val', each state then a blank line (C1inv, C4dead)", () => {
    expect(stateBlock(1, INITIAL_PREDICATE, [["x", int(0)]])).toEqual(["State 1: <Initial predicate>", "x = 0", ""])
    expect(stateLines([["x", int(1)], ["y", setOf([int(2)])]])).toEqual(["/\\ x = 1", "/\\ y = {2}"])
  })

  it("an unassigned variable prints as null (E6unspec)", () => {
    expect(stateLines([["x", int(3)], ["y", undefined]])).toEqual(["/\\ x = 3", "/\\ y = null"])
  })

  it("ALIAS fields print like variables (V9getalias)", () => {
    expect(stateLines([["x", int(1)], ["lvl", int(2)], ["dbl", int(2)]])).toEqual(["/\\ x = 1", "/\\ lvl = 2", "/\\ dbl = 2"])
  })

  it("long values are broken one element per line (C6long)", () => {
    const s = tuple(Array.from({ length: 30 }, (_, i) => int(i + 1)))
    const [line] = stateLines([["s", s], ["t", int(0)]])
    const rows = line.split("\n")
    expect(rows[0]).toBe("/\\ s = << 1,")
    expect(rows[1]).toBe("   2,")
    expect(rows[29]).toBe("   30 >>")
    const r = (i: number) => record([["owner", str("customer" + i)], ["num", int(i)]])
    const [setLine] = stateLines([["w", setOf([r(1), r(2), r(3)])], ["n", int(0)]])
    expect(setLine.split("\n").map((l) => l.slice(0, 8))).toEqual(["/\\ w = {", "  [owner", "  [owner"])
    expect(setLine.endsWith("] }")).toBe(true)
  })

  it("liveness endings (L10live, L10livebad)", () => {
    expect(stutteringLine(3)).toBe("State 3: Stuttering")
    expect(backToStateLines(1, "<Next line 5, col 9 to line 5, col 18 of module L>")).toEqual([
      "Back to state 1: <Next line 5, col 9 to line 5, col 18 of module L>",
      ""
    ])
  })
})

describe("§6 the order of variables in printed states", () => {
  it("is the hashtable bucket order for capacity 191 (C6varorder3)", () => {
    expect(variablePrintOrder(["b", "aa", "counter", "x", "pc", "msgs"], 191)).toEqual(["msgs", "counter", "aa", "b", "x", "pc"])
  })

  it("and for capacity 383 (C6varorder5)", () => {
    expect(variablePrintOrder(["b", "aa", "counter", "x", "pc", "msgs"], 383)).toEqual(["aa", "b", "x", "counter", "pc", "msgs"])
  })

  it("uses Java's String.hashCode and Hashtable growth", () => {
    expect([javaStringHashCode(""), javaStringHashCode("a"), javaStringHashCode("hello"), javaStringHashCode("polygenelubricants")]).toEqual([
      0, 97, 99162322, -2147483648
    ])
    expect([hashtableCapacity(0), hashtableCapacity(72), hashtableCapacity(143), hashtableCapacity(144), hashtableCapacity(287)]).toEqual([
      11, 191, 191, 383, 383
    ])
  })
})

describe("§10 liveness and warnings", () => {
  it("prints the liveness lines", () => {
    expect(impliedTemporalBranches(1)).toBe("Implied-temporal checking--satisfiability problem has 1 branches.")
    expect(checkingTemporalProperties(4, AT)).toBe(
      `Checking temporal properties for the complete state space with 4 total distinct states at (${TIME})`
    )
    expect(finishedTemporalProperties(300, AT)).toBe(`Finished checking temporal properties in 00s at ${TIME}`)
    expect(temporalViolated(["Live"])).toEqual([
      "Error: Temporal property Live was violated.",
      "",
      "Error: The following behavior constitutes a counter-example:",
      ""
    ])
  })

  it("adds the -nowarning hint to the first warning only (C3symlive)", () => {
    expect(warning(symmetryWithLivenessWarning, true)).toEqual([
      "Warning: Declaring symmetry during liveness checking is dangerous. It might cause TLC to miss violations of the stated liveness properties. Please check liveness without symmetry defined.",
      "(Use the -nowarning option to disable this warning.)"
    ])
    expect(warning("second", false)).toEqual(["Warning: second"])
  })

  it("writes durations as TLC does", () => {
    expect([0, 59000, 60000, 65000, 3599000, 86340000, 169200000, 8636400000].map(duration)).toEqual([
      "00s",
      "59s",
      "00s",
      "01min 05s",
      "59min 59s",
      "23h 59min",
      "1d 23h",
      "99d 23h"
    ])
  })
})

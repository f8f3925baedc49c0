/** The semantics TLC users rely on (issue 3, section 3), each pinned by a test. */
import { describe, expect, it } from "vitest"
import { EvalError, parseModule, SyntaxError, values } from "../../src/tla/index.ts"
import { evalTla, load } from "./harness.ts"

const { equals, FcnValue, setOf, tuple, valueToString: printValue } = values

describe("canonical values", () => {
  it("a function with domain 1..n is a sequence", () => {
    expect(evalTla("[i \\in 1..3 |-> i * 10] = <<10, 20, 30>>")).toBe(true)
    expect(printValue(evalTla("[i \\in 1..3 |-> i * 10]") as never)).toBe("<<10, 20, 30>>")
    expect(evalTla("Append([i \\in 1..2 |-> i], 3) = <<1, 2, 3>>")).toBe(true)
  })

  it("a function with a string domain is a record", () => {
    expect(evalTla('[x \\in {"a", "b"} |-> IF x = "a" THEN 1 ELSE 2] = [a |-> 1, b |-> 2]')).toBe(true)
    expect(evalTla('[x \\in {"f"} |-> 1].f')).toBe(1)
  })

  it("records whose fields are written in another order are equal", () => {
    expect(evalTla("[a |-> 1, b |-> 2] = [b |-> 2, a |-> 1]")).toBe(true)
    expect(evalTla("[a |-> 1, b |-> 2] = [b |-> 1, a |-> 2]")).toBe(false)
  })

  it("sets are equal however they were written", () => {
    expect(evalTla("{1, 2, 2, 3} = {3, 2, 1} /\\ 1..3 = {1, 2, 3} /\\ {} = 1..0")).toBe(true)
    expect(evalTla("{x * 2 : x \\in 1..3} = {y \\in 1..6 : y % 2 = 0}")).toBe(true)
  })

  it("comparing values TLC cannot compare is an evaluation error with TLC's message", () => {
    expect(() => evalTla('5 = "a"')).toThrow(EvalError)
    expect(() => evalTla('5 = "a"')).toThrow(/Attempted to check equality of integer 5 with non-integer:\n"a"/)
    expect(() => evalTla("{} = <<>>")).toThrow(/Attempted to check equality of the set \{\} with the value/)
    // model values are unequal to everything else, without error
    expect(load("MV", "CONSTANT m", "CONSTANT m = m").evalExpression("m = 1 \\/ m = {} \\/ m \\in Nat")).toBe(false)
  })

  it("equality is structural, never by hash alone", () => {
    const a = new FcnValue([0, 2], [10, 20])
    const b = new FcnValue([0, 2], [10, 21])
    const s = tuple([10, 20])
    const t = tuple([10, 21])
    // force identical cached fingerprints: equality must still look at the elements
    for (const f of [a, b, s, t]) {
      f.fpHi = 7
      f.fpLo = 9
      f.fpState = 1
    }
    expect(equals(a, b)).toBe(false)
    expect(equals(s, t)).toBe(false)
    expect(equals(setOf([a]), setOf([b]))).toBe(false)
  })

  it("orders strings by TLC's intern table (first appearance in the text), not alphabetically", () => {
    const spec = load("Str", 'First == "zq"\nSecond == "yq"\nWords == {"xq", "yq", "zq"}')
    expect(printValue(spec.evalExpression("Words"))).toBe('{"zq", "yq", "xq"}')
    expect(printValue(spec.evalExpression("CHOOSE w \\in Words : TRUE"))).toBe('"zq"')
  })

  it("CHOOSE is deterministic and independent of how the set was written", () => {
    const forms = ["{3, 1, 2}", "{1, 2, 3, 3}", "1..3", "{x \\in 0..5 : x > 0 /\\ x < 4}", "{x - 1 : x \\in 2..4}", "{1} \\cup {3, 2}"]
    const picks = forms.map((s) => evalTla(`CHOOSE x \\in ${s} : x > 1`))
    expect(new Set(picks)).toEqual(new Set([2]))
    expect(evalTla("CHOOSE x \\in {3, -1, 2} : TRUE")).toBe(-1)
    expect(() => evalTla("CHOOSE x \\in 1..3 : x > 5")).toThrow(/no element of S satisfied P/)
  })

  it("EXCEPT applies its clauses in order, so the same point twice adds twice", () => {
    expect(evalTla("[f EXCEPT ![1] = @ + 1, ![1] = @ + 1][1]", "f == <<5, 6>>")).toBe(7)
    expect(evalTla("[r EXCEPT !.a.b = @ * 2].a.b", "r == [a |-> [b |-> 21]]")).toBe(42)
    expect(evalTla("[f EXCEPT ![7] = 0] = f", "f == <<5, 6>>")).toBe(true)
  })

  it("/\\ \\/ => and IF short-circuit from the left, as in TLC", () => {
    expect(evalTla('FALSE /\\ 5 = "a"')).toBe(false)
    expect(evalTla('TRUE \\/ 5 = "a"')).toBe(true)
    expect(evalTla('FALSE => 5 = "a"')).toBe(true)
    expect(evalTla('IF TRUE THEN 1 ELSE CHOOSE x \\in {} : TRUE')).toBe(1)
    expect(() => evalTla('TRUE /\\ 5 = "a"')).toThrow(EvalError)
  })

  it("integer division and modulus round down, and prefix minus binds looser than \\div", () => {
    expect(evalTla("<<(-7) \\div 2, (-7) % 2, 7 \\div (-2), -17 \\div 5>>")).toEqual(evalTla("<<-4, 1, -4, -3>>"))
  })
})

describe("actions in enumeration mode", () => {
  const spec = load(
    "Act",
    `VARIABLE x
Init == x = 0
Contradict == x' = x + 1 /\\ UNCHANGED x
AllValues == \\A i \\in {1, 2} : x' = i
Pick == x' \\in {3, 1, 2}
Either == \\E i \\in {1, 2} : x' = i \\/ x' = i
Next == Pick`,
    "INIT Init NEXT Next"
  )
  it("x' = x + 1 /\\ UNCHANGED x has no successor", () => {
    expect(spec.successors("Contradict", [], [0])).toEqual([])
  })
  it("\\A i \\in {1, 2} : x' = i has no successor", () => {
    expect(spec.successors("AllValues", [], [0])).toEqual([])
  })
  it("x' \\in S yields each element once, in TLC's order", () => {
    expect(spec.successors("Pick", [], [0])).toEqual([[1], [2], [3]])
  })
  it("every witness and every true disjunct counts, duplicates included", () => {
    expect(spec.successors("Either", [], [0])).toEqual([[1], [1], [2], [2]])
  })
  it("boolean mode agrees: the step holds or it does not", () => {
    expect(spec.actionHolds("Pick", [], [0], [2])).toBe(true)
    expect(spec.actionHolds("Pick", [], [0], [4])).toBe(false)
    expect(spec.actionHolds("Contradict", [], [0], [1])).toBe(false)
  })
})

describe("parse errors, as in SANY", () => {
  const parse = (body: string) => () => parseModule(`---- MODULE P ----\n${body}\n====\n`, "P.tla")
  it("a \\/ b /\\ c without bullets is an error naming the position", () => {
    expect(parse("X == TRUE \\/ FALSE /\\ TRUE")).toThrow(SyntaxError)
    expect(parse("X == TRUE \\/ FALSE /\\ TRUE")).toThrow(/^P\.tla:2:20: conflicting precedence/)
  })
  it("a = b = c is an error", () => {
    expect(parse("X == 1 = 1 = TRUE")).toThrow(/P\.tla:2:12: conflicting precedence/)
  })
  it("the same formulas are fine with bullets or parentheses", () => {
    expect(parse("X == \\/ TRUE\n     \\/ /\\ FALSE\n        /\\ TRUE\nY == (1 = 1) = TRUE")).not.toThrow()
  })
  it("a missing definition body reports where", () => {
    expect(parse("X ==")).toThrow(/P\.tla:3:1: expected an expression/)
  })
})

describe("LET definitions", () => {
  const spec = load(
    "LetCache",
    `VARIABLES x, y
Init == LET a == x + 1 IN x \\in {0, 1} /\\ y = a
Next == LET a == x IN x' = a + 1 /\\ y' = a'`,
    "INIT Init NEXT Next"
  )
  it("are re-evaluated while Init assigns the variables they read", () => {
    expect(spec.initialStates()).toEqual([
      [0, 1],
      [1, 2]
    ])
  })
  it("read the next state when primed, and the current one otherwise", () => {
    expect(spec.nextStates([4, 0] as never).map((t) => t.state)).toEqual([[5, 5]])
  })
})


/** The toolkit API the trace validator uses: actions on given states, successors, diagnosis. */
import { describe, expect, it } from "vitest"
import { values } from "../../src/tla/index.ts"
import { loadTlaSpec } from "../../src/tla/index.ts"
import { load, moduleText, writeSpec } from "./harness.ts"

const spec = load(
  "Api",
  `CONSTANT Limit
VARIABLES x, log
Init == x = 0 /\\ log = <<>>
Guarded(n) == /\\ n > 0
              /\\ x + n <= Limit
              /\\ x' = x + n
              /\\ log' = Append(log, n)
Step == \\E n \\in 1..2 : Guarded(n)
Next == Step
Small == x <= Limit
Short == Len(log) <= 2`,
  "CONSTANT Limit = 3\nINIT Init\nNEXT Next\nINVARIANT Small"
)

describe("toolkit API", () => {
  it("lists the initial states and the successors of a named action with parameters", () => {
    expect(spec.vars).toEqual(["x", "log"])
    const [init] = spec.initialStates()
    expect(spec.successors("Guarded", [2], init).map((s) => s[0])).toEqual([2])
    expect(spec.nextStates(init).map((t) => t.action)).toEqual(["Guarded(1)", "Guarded(2)"])
  })

  it("decides a step in boolean mode and names the smallest failing conjunct with its text and line", () => {
    const [init] = spec.initialStates()
    const to = (x: number, log: number[]) => [x, spec.evalExpression(`<<${log.join(", ")}>>`)] as never
    expect(spec.actionHolds("Guarded", [1], init, to(1, [1]))).toBe(true)
    expect(spec.actionHolds("Guarded", [1], init, to(1, [2]))).toBe(false)
    const why = spec.failingConjunct("Guarded", [1], init, to(1, [2]))
    expect(why?.text).toBe("log' = Append(log, n)")
    expect(why?.loc.line).toBe(9)
    // through an operator application inside the action
    expect(spec.failingConjunct("Step", [], init, to(3, [3]))?.text).toBe("\\E n \\in 1..2 : Guarded(n)")
  })

  it("evaluates invariants and operators on a given state", () => {
    expect(spec.violatedInvariants([4, spec.evalExpression("<<>>")] as never)).toEqual(["Small"])
    expect(spec.violatedInvariants([3, spec.evalExpression("<<>>")] as never)).toEqual([])
    expect(spec.evalOperator("Small", [], [9, spec.evalExpression("<<>>")] as never)).toBe(false)
  })
})

describe("stateOperator: an invariant that skips states whose variables it read are unchanged", () => {
  const empty = spec.evalExpression("<<>>")
  const log12 = spec.evalExpression("<<1, 2>>")

  it("agrees with evalOperator along a sequence that changes read and unread variables", () => {
    const small = spec.stateOperator("Small")
    const short = spec.stateOperator("Short")
    // x is read by Small, log by Short; objects are kept between states as a trace reader keeps them
    const states = [
      [1, empty],
      [1, empty],
      [1, log12],
      [9, log12],
      [9, empty],
      [2, empty],
      [2, spec.evalExpression("<<>>")],
      [2, spec.evalExpression("<<1, 2, 3>>")]
    ] as never[]
    for (const state of states) {
      expect(small(state)).toBe(spec.evalOperator("Small", [], state))
      expect(short(state)).toBe(spec.evalOperator("Short", [], state))
    }
    expect(states.map((state) => small(state))).toEqual([true, true, true, false, false, true, true, true])
    expect(states.map((state) => short(state))).toEqual([true, true, true, true, true, true, true, false])
  })

  it("evaluates an operator with effects (PrintT) on every call", () => {
    const printed: string[] = []
    const loud = loadTlaSpec(
      writeSpec("Loud", moduleText("Loud", "VARIABLE x\nInit == x = 0\nNext == x' = x\nLoud == PrintT(x) /\\ x < 5"), "INIT Init\nNEXT Next"),
      { print: (line) => void printed.push(line) }
    )
    const check = loud.stateOperator("Loud")
    const state = [3] as never
    expect([check(state), check(state), check([7] as never)]).toEqual([true, true, false])
    expect(printed).toEqual(["3", "3", "7"])
  })
})

describe("one value module (src/tla/values) for the evaluator and the API", () => {
  it("evaluates to the value module's values, and checks a trace state decoded from JSON as it is", () => {
    const v = spec.evalExpression('[a |-> <<1, 2>>, b |-> {"x", "y"}, c |-> (3 :> TRUE @@ 5 :> FALSE)]')
    expect(values.valueToString(v)).toBe('[a |-> <<1, 2>>, b |-> {"x", "y"}, c |-> (3 :> TRUE @@ 5 :> FALSE)]')
    expect(values.equals(values.fromJson(values.toJson(v)), v)).toBe(true)
    // a state as a trace file would carry it, decoded by the JSON codec
    const [init] = spec.initialStates()
    expect(spec.actionHolds("Guarded", [2], init, [values.fromJson(2), values.fromJson([2])])).toBe(true)
    expect(spec.actionHolds("Guarded", [2], init, [values.fromJson(2), values.fromJson([1])])).toBe(false)
  })
})

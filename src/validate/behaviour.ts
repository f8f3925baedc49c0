/**
 * A behaviour of a spec (the states of a model checker's counterexample) written as the steps of
 * a trace (docs/trace-format.md): each step named by the action of the next-state relation that
 * takes it, with its parameters, so that the behaviour can be read, diffed and validated like any
 * implementation trace.
 *
 * The model checker knows which disjunct of Next produced a state, not the action inside it
 * (`\E m \in DOMAIN messages : Receive(m)` dispatches to six handlers), so each step is named by
 * trying the actions of Next on the pair of states: the first action and arguments that hold.
 * Which arguments to try is the caller's knowledge of the spec, given as a TLA+ expression per
 * action: the set of argument tuples, evaluated in the state before the step.
 */
import { EvalError, type LoadedSpec, type State } from "../tla/index.ts"
import { elementsOf, elementsOfSet, encodeValue, type Value } from "./values.ts"

export interface NamedStep {
  readonly action: string
  /** The action's parameters by name, as trace JSON. */
  readonly params: Readonly<Record<string, unknown>>
}

/** The set of argument tuples to try for an action with these parameters, as a TLA+ expression. */
export type ArgumentsOf = (action: string, params: ReadonlyArray<string>) => string

/** A state as the `state` of a trace line: every variable by name, as trace JSON. */
export const stateJson = (spec: LoadedSpec, state: State): Record<string, unknown> =>
  Object.fromEntries(spec.vars.map((name, k) => [name, encodeValue(state[k])]))

/** The trace JSON of a constant-level expression, e.g. a constant of the model. */
export const constantJson = (spec: LoadedSpec, expression: string): unknown => encodeValue(spec.evalExpression(expression))

/**
 * Names every step of `states` (states[k - 1] to states[k]); throws when no action of `next`
 * takes a step, which means the caller's arguments missed it.
 */
export const nameSteps = (spec: LoadedSpec, states: ReadonlyArray<State>, argumentsOf: ArgumentsOf, next = "Next"): NamedStep[] => {
  const actions = [...new Set(spec.nextDisjuncts(next).flatMap((d) => d.actions))]
  const candidates = actions.map((action) => {
    const params = spec.actionParams(action) ?? []
    return { action, params, tuples: spec.compileExpression(argumentsOf(action, params)) }
  })
  const named: NamedStep[] = []
  for (let k = 1; k < states.length; k++) {
    const before = states[k - 1]
    const after = states[k]
    const step = nameStep(spec, candidates, before, after)
    if (step === undefined) throw new Error(`no action of ${next} takes step ${k} of the behaviour`)
    named.push(step)
  }
  return named
}

interface Candidate {
  readonly action: string
  readonly params: ReadonlyArray<string>
  readonly tuples: (state: State) => Value
}

const nameStep = (spec: LoadedSpec, candidates: ReadonlyArray<Candidate>, before: State, after: State): NamedStep | undefined => {
  for (const { action, params, tuples } of candidates) {
    for (const tuple of elementsOfSet(tuples(before)) ?? []) {
      const args = elementsOf(tuple) ?? []
      if (args.length !== params.length || !holds(() => spec.actionHolds(action, args, before, after))) continue
      return { action, params: Object.fromEntries(params.map((p, k) => [p, encodeValue(args[k])])) }
    }
  }
  return undefined
}

/** A wrong argument can make an action fail to evaluate (a function applied outside its domain). */
const holds = (test: () => boolean): boolean => {
  try {
    return test()
  } catch (error) {
    if (error instanceof EvalError) return false
    throw error
  }
}

/**
 * The reference the checker is cross-checked against: tries every order of the operations that
 * respects real time (a before b whenever a returns strictly before b is called), branching on
 * every state a nondeterministic model may reach. Shares no code with the search.
 */
import type { Model, Operation } from "../../src/lincheck/index.ts"

export const bruteForceLinearizable = <S, I, O>(model: Model<S, I, O>, history: ReadonlyArray<Operation<I, O>>): boolean => {
  const n = history.length
  const placed = new Array<boolean>(n).fill(false)
  const mayGoNext = (i: number): boolean =>
    history.every((other, j) => placed[j] || j === i || !(other.return < history[i].call))
  const extend = (state: S, count: number): boolean => {
    if (count === n) return true
    for (let i = 0; i < n; i++) {
      if (placed[i] || !mayGoNext(i)) continue
      placed[i] = true
      for (const next of model.step(state, history[i].input, history[i].output)) {
        if (extend(next, count + 1)) return true
      }
      placed[i] = false
    }
    return false
  }
  return extend(model.init(), 0)
}

/**
 * Why `order` is not a legal (partial) linearization of `history`; undefined when it is: every
 * operation that returned before a placed one was called is placed before it, and some sequence
 * of states lets the model take every step.
 */
export const linearizationProblem = <S, I, O>(
  model: Model<S, I, O>,
  history: ReadonlyArray<Operation<I, O>>,
  order: ReadonlyArray<number>
): string | undefined => {
  if (new Set(order).size !== order.length) return "an operation appears twice"
  const position = new Map(order.map((op, at) => [op, at]))
  for (const [at, op] of order.entries()) {
    for (const [other, candidate] of history.entries()) {
      if (candidate.return < history[op].call && !((position.get(other) ?? Infinity) < at)) {
        return `operation ${op} is placed before operation ${other}, which returned before it was called`
      }
    }
  }
  let states: Array<S> = [model.init()]
  for (const op of order) {
    states = states.flatMap((state) => [...model.step(state, history[op].input, history[op].output)])
    if (states.length === 0) return `operation ${op} cannot take effect there`
  }
  return undefined
}

/**
 * Sets of model states: how the search carries a nondeterministic model.
 *
 * After a prefix of a linearization the object may be in any of several states; the search keeps
 * them all as one value (porcupine does the same with its power-set model). A deterministic model
 * only ever sees sets of one, and stays on the fast path below.
 */
import type { Outcome } from "./history.ts"
import type { Model } from "./model.ts"

export type StateSet<S> = ReadonlyArray<S>

export interface StateSets<S, I, O> {
  readonly initial: StateSet<S>
  /** The states reachable from any of `set` by this operation; `undefined` when none is. */
  readonly step: (set: StateSet<S>, input: I, output: Outcome<O>) => StateSet<S> | undefined
  readonly hash: (set: StateSet<S>) => number
  readonly equal: (a: StateSet<S>, b: StateSet<S>) => boolean
  readonly describe: (set: StateSet<S>) => string
}

export const stateSetsOf = <S, I, O>(model: Model<S, I, O>): StateSets<S, I, O> => {
  const has = (set: ReadonlyArray<S>, state: S): boolean => set.some((member) => model.equal(member, state))
  const union = (into: Array<S>, states: ReadonlyArray<S>): void => {
    for (const state of states) if (!has(into, state)) into.push(state)
  }
  const step = (set: StateSet<S>, input: I, output: Outcome<O>): StateSet<S> | undefined => {
    if (set.length === 1) {
      const next = model.step(set[0], input, output)
      if (next.length === 0) return undefined
      if (next.length === 1) return next
      const distinct: Array<S> = []
      union(distinct, next)
      return distinct
    }
    const reached: Array<S> = []
    for (const state of set) union(reached, model.step(state, input, output))
    return reached.length === 0 ? undefined : reached
  }
  // Order-free, so that the same set reached in another order hashes alike.
  const hash = (set: StateSet<S>): number => {
    if (set.length === 1) return model.hash(set[0])
    let sum = 0
    for (const state of set) sum = (sum + model.hash(state)) | 0
    return sum
  }
  const equal = (a: StateSet<S>, b: StateSet<S>): boolean => {
    if (a.length !== b.length) return false
    if (a.length === 1) return model.equal(a[0], b[0])
    return a.every((state) => has(b, state))
  }
  const describeOne = (state: S): string => (model.describeState ? model.describeState(state) : JSON.stringify(state))
  const describe = (set: StateSet<S>): string =>
    set.length === 1 ? describeOne(set[0]) : `one of {${set.map(describeOne).join(", ")}}`
  const initial: Array<S> = []
  union(initial, [model.init()])
  return { initial, step, hash, equal, describe }
}

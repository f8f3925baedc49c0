/**
 * Replays a (partial) linearization through the model to say what state each step leaves, for
 * reports and the timeline.
 */
import type { Operation } from "./history.ts"
import type { Model } from "./model.ts"
import { stateSetsOf } from "./state-set.ts"

export interface Replay {
  /** The state before any operation. */
  readonly initial: string
  /** For each operation of the order, the state it leaves. */
  readonly after: ReadonlyArray<string>
}

export const replay = <S, I, O>(
  model: Model<S, I, O>,
  operations: ReadonlyArray<Operation<I, O>>,
  order: ReadonlyArray<number>
): Replay => {
  const sets = stateSetsOf(model)
  let state = sets.initial
  const after: Array<string> = []
  for (const op of order) {
    const next = sets.step(state, operations[op].input, operations[op].output)
    if (next === undefined) throw new RangeError(`operation ${op} cannot take effect at step ${after.length}`)
    state = next
    after.push(sets.describe(state))
  }
  return { initial: sets.describe(sets.initial), after }
}

export const describeOperation = <S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): string =>
  model.describeOperation ? model.describeOperation(op.input, op.output) : JSON.stringify(op.input)

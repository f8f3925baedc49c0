/**
 * Whether a proposed order of a (sub-)history's operations is a linearization: each operation
 * once, no operation before one that returned before it was called, and every step one the model
 * takes with the answer the client got. A model's proposal (Model.witness) is believed only after
 * this, so the verdict never rests on the proposer being right.
 */
import type { Operation } from "./history.ts"
import type { StateSets } from "./state-set.ts"

export const isLinearization = <S, I, O>(
  sets: StateSets<S, I, O>,
  operations: ReadonlyArray<Operation<I, O>>,
  order: ReadonlyArray<number>
): boolean => {
  const n = operations.length
  if (order.length !== n) return false
  const placed = new Uint8Array(n)
  for (const op of order) {
    if (!Number.isInteger(op) || op < 0 || op >= n || placed[op] === 1) return false
    placed[op] = 1
  }
  // Real time, back to front: an operation may not come after one that returned before its call
  // (touching operations are concurrent, as in the search's entry list).
  let earliestReturnAfter = Infinity
  for (let position = n - 1; position >= 0; position--) {
    const operation = operations[order[position]]
    if (earliestReturnAfter < operation.call) return false
    earliestReturnAfter = Math.min(earliestReturnAfter, operation.return)
  }
  let state = sets.initial
  for (const op of order) {
    const next = sets.step(state, operations[op].input, operations[op].output)
    if (next === undefined) return false
    state = next
  }
  return true
}

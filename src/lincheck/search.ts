/**
 * The decision procedure for one (sub-)history: Wing & Gong's backtracking search for a
 * linearization, with Lowe's just-in-time linearization and a cache of visited configurations,
 * as porcupine implements it.
 *
 * The search walks the time-ordered entry list. At a call it tries to linearize that operation
 * next: if the model accepts it and the configuration (set of linearized operations, state) has not
 * been seen before, the operation is lifted out of the list and the walk restarts from the front.
 * At a return it has met an operation that had to be linearized already but could not be: it
 * backtracks by undoing the last linearized operation and tries the next candidate after it.
 */
import type { Operation } from "./history.ts"
import { EntryList } from "./entry-list.ts"
import { LinearizedSet } from "./linearized-set.ts"
import type { StateSet, StateSets } from "./state-set.ts"

/** A prefix of a linearization that cannot be extended, and the operation it gets stuck on. */
export interface PartialLinearization {
  /** Indices of the operations, in linearization order. */
  readonly order: ReadonlyArray<number>
  /** The operation that had to come next but could not. */
  readonly stuck: number
}

export type SearchOutcome =
  | { readonly verdict: "ok"; readonly linearization: ReadonlyArray<number> }
  | { readonly verdict: "illegal"; readonly partials: ReadonlyArray<PartialLinearization> }
  | { readonly verdict: "unknown" }

export interface SearchBudget {
  /** True once the time budget is spent; polled every few thousand steps. */
  readonly expired: () => boolean
}

/** How many longest partial linearizations (ending at different stuck operations) to keep in verbose mode. */
const partialsKept = 3
const pollEvery = 0x3ff

interface CacheEntry<S> {
  readonly linearized: Uint32Array
  readonly state: StateSet<S>
}

export const searchLinearization = <S, I, O>(
  sets: StateSets<S, I, O>,
  operations: ReadonlyArray<Operation<I, O>>,
  budget: SearchBudget,
  verbose: boolean
): SearchOutcome => {
  const n = operations.length
  const list = new EntryList(
    operations.map((op) => op.call),
    operations.map((op) => op.return)
  )
  const linearized = new LinearizedSet(n)
  const cache = new Map<number, Array<CacheEntry<S>>>()
  // The stack of linearized operations and the state before each.
  const stackOp = new Int32Array(n)
  const stackState: Array<StateSet<S>> = new Array(n)
  let depth = 0
  let state = sets.initial
  // Verbose mode: the longest prefix seen so far, kept up to date from the lowest depth the stack
  // has fallen to since it was taken, so that recording costs what the search has changed since.
  const longest = verbose ? new Int32Array(n) : undefined
  let longestDepth = -1
  let lowWater = 0
  const partials: Array<PartialLinearization> = []
  let steps = 0

  const seenBefore = (key: number, next: StateSet<S>): boolean => {
    const bucket = cache.get(key)
    if (bucket !== undefined) {
      for (const entry of bucket) {
        if (linearized.equals(entry.linearized) && sets.equal(entry.state, next)) return true
      }
      bucket.push({ linearized: linearized.snapshot(), state: next })
    } else {
      cache.set(key, [{ linearized: linearized.snapshot(), state: next }])
    }
    return false
  }

  const recordPartial = (stuck: number): void => {
    if (longest === undefined || depth < longestDepth) return
    if (depth > longestDepth) {
      longest.set(stackOp.subarray(lowWater, depth), lowWater)
      lowWater = depth
      longestDepth = depth
      partials.length = 0
      partials.push({ order: [], stuck }) // its order is read from `longest` at the end
    } else if (partials.length < partialsKept && partials.every((p) => p.stuck !== stuck)) {
      partials.push({ order: Array.from(stackOp.subarray(0, depth)), stuck })
    }
  }
  const finishPartials = (): ReadonlyArray<PartialLinearization> =>
    partials.map((p, i) => (i === 0 ? { order: Array.from(longest?.subarray(0, longestDepth) ?? []), stuck: p.stuck } : p))

  let entry = list.first()
  while (entry !== -1) {
    if ((++steps & pollEvery) === 0 && budget.expired()) return { verdict: "unknown" }
    const op = entry >> 1
    if ((entry & 1) === 0) {
      const operation = operations[op]
      const next = sets.step(state, operation.input, operation.output)
      if (next !== undefined) {
        linearized.add(op)
        const key = (linearized.hash ^ Math.imul(sets.hash(next), 0x9e3779b1)) | 0
        if (!seenBefore(key, next)) {
          stackOp[depth] = op
          stackState[depth] = state
          depth++
          state = next
          list.lift(op)
          entry = list.first()
          continue
        }
        linearized.remove(op)
      }
      entry = list.next[entry]
      continue
    }
    // A return whose operation is not linearized yet: this prefix is a dead end.
    if (verbose) recordPartial(op)
    if (depth === 0) return { verdict: "illegal", partials: finishPartials() }
    depth--
    if (depth < lowWater) lowWater = depth
    const undone = stackOp[depth]
    state = stackState[depth]
    stackState[depth] = undefined as unknown as StateSet<S>
    linearized.remove(undone)
    list.unlift(undone)
    entry = list.next[2 * undone]
  }
  return { verdict: "ok", linearization: Array.from(stackOp.subarray(0, depth)) }
}

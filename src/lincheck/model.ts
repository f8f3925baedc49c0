/**
 * A sequential specification the checker tests a history against.
 *
 * The shape follows porcupine's Model (init, step, equality, partition, descriptions), with two
 * choices of ours: `step` returns every possible next state, so nondeterministic specifications
 * need no wrapper, and `hash` is required, because the search caches visited states by hash.
 */
import type { Operation, Outcome } from "./history.ts"

export interface Model<S, I, O> {
  /** The initial state. */
  readonly init: () => S
  /**
   * The states the object may be in after applying `input` in `state` and answering `output`.
   * An empty result means the answer is impossible there. When `output` is `Unknown`, the answer
   * must be accepted, so the result names the states the operation may leave behind.
   */
  readonly step: (state: S, input: I, output: Outcome<O>) => ReadonlyArray<S>
  readonly equal: (a: S, b: S) => boolean
  /** Equal states must hash alike; a 32-bit integer. */
  readonly hash: (state: S) => number
  /**
   * Splits a history into sub-histories whose linearizability implies that of the whole
   * (P-compositionality, e.g. one per key). Absent: the history is checked as one piece.
   */
  readonly partition?: (history: ReadonlyArray<Operation<I, O>>) => ReadonlyArray<ReadonlyArray<Operation<I, O>>>
  /**
   * A linearization the model proposes for a (sub-)history from what it knows of its operations
   * (indices into it, in order), or null; e.g. reads that spell out the order of appends. The
   * checker replays it before believing it, and searches when it does not hold, so a wrong
   * proposal costs time, never a wrong verdict.
   */
  readonly witness?: (history: ReadonlyArray<Operation<I, O>>) => ReadonlyArray<number> | null
  readonly describeOperation?: (input: I, output: Outcome<O>) => string
  readonly describeState?: (state: S) => string
}

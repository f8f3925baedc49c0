/**
 * Checking a successor only for what its step changed.
 *
 * Evaluation is deterministic, and it reads the state only through its variables, each read
 * recorded in the context's read mask (eval/runtime.ts). So a predicate that read only
 * variables a successor shares with its parent (the very same value objects) follows the same
 * path on the successor and has the same value. The checker exploits this in two places:
 *
 * - State predicates (CONSTRAINTs, invariant conjuncts): every stored state passed all of them,
 *   and we keep, per stored state, the variables each one read. On a successor they are
 *   skipped when none of those variables changed.
 * - Action predicates (action properties, ACTION_CONSTRAINTs): for the state being expanded,
 *   each is evaluated once on the stuttering step (s, s), noting the primed variables it read.
 *   On a step (s, t) that leaves those variables unchanged its value is the same.
 *
 * Only predicates whose value depends on the variables alone qualify (no Print, no TLCGet: the
 * level differs between a state and its successor). The results, counts and errors are those
 * of evaluating everything; only the work differs.
 */
import { Ctx, readBit, type Ev } from "../eval/runtime.ts"
import type { Value } from "../values/index.ts"

export interface CheckedPredicate {
  readonly ev: Ev
  readonly stateOnly: boolean
}

/** The variables whose values are different objects in `s` and `t`, as a read mask. */
export const changedVariables = (s: ReadonlyArray<Value | undefined>, t: ReadonlyArray<Value | undefined>): number => {
  let mask = 0
  for (let i = 0; i < s.length; i++) if (s[i] !== t[i]) mask |= readBit(i)
  return mask
}

const CHUNK = 4096

/**
 * A row of integers per stored state, in chunks, so that the rows of states no longer needed
 * (those before a watermark that only moves forward) can be dropped.
 */
export class StateRows {
  readonly #width: number
  readonly #chunks: Array<Int32Array | undefined> = []
  #kept = 0

  constructor(width: number) {
    this.#width = width
  }

  get(index: number, k: number): number {
    return this.#chunks[Math.floor(index / CHUNK)]![(index % CHUNK) * this.#width + k]
  }

  set(index: number, k: number, value: number): void {
    const c = Math.floor(index / CHUNK)
    const chunk = (this.#chunks[c] ??= new Int32Array(CHUNK * this.#width))
    chunk[(index % CHUNK) * this.#width + k] = value
  }

  /** Row `index` becomes `values`. */
  setRow(index: number, values: Int32Array): void {
    const c = Math.floor(index / CHUNK)
    const chunk = (this.#chunks[c] ??= new Int32Array(CHUNK * this.#width))
    chunk.set(values, (index % CHUNK) * this.#width)
  }

  /** The rows of states before `index` will not be read again. */
  forgetBelow(index: number): void {
    const below = Math.floor(index / CHUNK)
    for (; this.#kept < below; this.#kept++) this.#chunks[this.#kept] = undefined
  }
}

/** State predicates with the variables each read on every stored state. */
export class StatePredicates {
  readonly #preds: ReadonlyArray<CheckedPredicate>
  readonly #count: number
  /** Row i: the read masks of stored state i, one per predicate (until it is expanded). */
  readonly #masks: StateRows
  /** The read masks of the state being checked, kept when it is stored. */
  readonly #pending: Int32Array

  constructor(preds: ReadonlyArray<CheckedPredicate>) {
    this.#preds = preds
    this.#count = preds.length
    this.#masks = new StateRows(this.#count)
    this.#pending = new Int32Array(this.#count)
  }

  /**
   * Predicate k on state `c.s`, a successor of stored state `parent` (-1 for an initial state)
   * differing from it in the `changed` variables.
   */
  value(k: number, c: Ctx, parent: number, changed: number): Value {
    if (parent >= 0 && this.#preds[k].stateOnly) {
      const read = this.#masks.get(parent, k)
      if ((read & changed) === 0) {
        this.#pending[k] = read
        return true
      }
    }
    c.reads = 0
    const v = this.#preds[k].ev(c, null)
    this.#pending[k] = c.reads
    return v
  }

  /** The state just checked (every predicate TRUE) is stored as number `index`. */
  keep(index: number): void {
    if (this.#count > 0) this.#masks.setRow(index, this.#pending)
  }

  /** States before `index` are expanded: their successors are all checked. */
  expanded(index: number): void {
    this.#masks.forgetBelow(index)
  }
}

/** Action predicates, with their value on the stuttering step of the state being expanded. */
export class ActionPredicates {
  readonly #preds: ReadonlyArray<CheckedPredicate>
  /** 0: not evaluated on the stutter yet, 1: evaluated (value and mask known), 2: failed there. */
  readonly #status: Uint8Array
  readonly #values: Value[]
  readonly #primedReads: Int32Array
  #state: ReadonlyArray<Value | undefined> = []
  #level = 0

  constructor(preds: ReadonlyArray<CheckedPredicate>) {
    this.#preds = preds
    this.#status = new Uint8Array(preds.length)
    this.#values = new Array(preds.length)
    this.#primedReads = new Int32Array(preds.length)
  }

  /** A new state is expanded. */
  expand(state: ReadonlyArray<Value | undefined>, level: number): void {
    this.#state = state
    this.#level = level
    this.#status.fill(0)
  }

  /** Predicate k on the step `c` (from the expanded state) that changed the `changed` variables. */
  value(k: number, c: Ctx, changed: number): Value {
    const p = this.#preds[k]
    if (p.stateOnly) {
      if (this.#status[k] === 0) this.#stutter(k)
      if (this.#status[k] === 1 && (this.#primedReads[k] & changed) === 0) return this.#values[k]
    }
    return p.ev(c, null)
  }

  #stutter(k: number): void {
    const c = new Ctx(this.#state as Value[], this.#state as Value[], this.#level)
    const primed = c.primed()!
    try {
      this.#values[k] = this.#preds[k].ev(c, null)
      this.#primedReads[k] = primed.reads
      this.#status[k] = 1
    } catch {
      // Whatever went wrong is for the real steps to report, if it happens there.
      this.#status[k] = 2
    }
  }
}

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
import { FingerprintSet, stepKey, VariableKeys, type Fingerprint, type Value } from "../values/index.ts"

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

/** How many read masks of one predicate the result memo tries before evaluating it. */
const MEMO_MASKS = 4

/**
 * State predicates with the variables each read on every stored state, and a memo of the
 * variable values each was TRUE for.
 */
export class StatePredicates {
  readonly #preds: ReadonlyArray<CheckedPredicate>
  readonly #count: number
  /** Row i: the read masks of stored state i, one per predicate (until it is expanded). */
  readonly #masks: StateRows
  /** The read masks of the state being checked, kept when it is stored. */
  readonly #pending: Int32Array
  /** Per predicate: keys (variablesKey) of the values of the variables it read where it was TRUE. */
  readonly #trueFor: FingerprintSet[]
  /** Per predicate: the read masks seen with a TRUE result, latest first (at most MEMO_MASKS). */
  readonly #seenMasks: number[][]
  readonly #key: Fingerprint = { hi: 0, lo: 0 }
  readonly #keys = new VariableKeys()

  constructor(preds: ReadonlyArray<CheckedPredicate>) {
    this.#preds = preds
    this.#count = preds.length
    this.#masks = new StateRows(this.#count)
    this.#pending = new Int32Array(this.#count)
    this.#trueFor = preds.map(() => new FingerprintSet(1024))
    this.#seenMasks = preds.map(() => [])
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
    const p = this.#preds[k]
    const keys = this.#keys.of(c.s as Value[])
    if (p.stateOnly) {
      // Evaluated TRUE before on the same values of the variables it read: TRUE again.
      const key = this.#key
      for (const mask of this.#seenMasks[k]) {
        keys.key(mask, key)
        if (this.#trueFor[k].has(key.hi, key.lo)) {
          this.#pending[k] = mask
          return true
        }
      }
    }
    c.reads = 0
    const v = p.ev(c, null)
    const read = c.reads
    this.#pending[k] = read
    if (v === true && p.stateOnly) {
      const masks = this.#seenMasks[k]
      if (!masks.includes(read)) {
        masks.unshift(read)
        if (masks.length > MEMO_MASKS) masks.pop()
      }
      keys.key(read, this.#key)
      this.#trueFor[k].add(this.#key.hi, this.#key.lo)
    }
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
  /** Per predicate: keys (stepKey) of the values of the variables it read on steps where it was TRUE. */
  readonly #trueFor: FingerprintSet[]
  /** Per predicate: the (unprimed, primed) read masks seen with a TRUE result, latest first. */
  readonly #seenMasks: Array<Array<readonly [number, number]>>
  readonly #key: Fingerprint = { hi: 0, lo: 0 }
  readonly #unprimedKeys = new VariableKeys()
  readonly #primedKeys = new VariableKeys()

  constructor(preds: ReadonlyArray<CheckedPredicate>) {
    this.#preds = preds
    this.#status = new Uint8Array(preds.length)
    this.#values = new Array(preds.length)
    this.#primedReads = new Int32Array(preds.length)
    this.#trueFor = preds.map(() => new FingerprintSet(1024))
    this.#seenMasks = preds.map(() => [])
  }

  /** A new state is expanded. */
  expand(state: ReadonlyArray<Value | undefined>, level: number): void {
    this.#state = state
    this.#level = level
    this.#status.fill(0)
  }

  /**
   * Predicate k on the step `c` from the expanded state to `next` (its values, a fresh array
   * per step), which changed the `changed` variables.
   */
  value(k: number, c: Ctx, next: readonly Value[], changed: number): Value {
    const p = this.#preds[k]
    if (!p.stateOnly) return p.ev(c, null)
    if (this.#status[k] === 0) this.#stutter(k)
    if (this.#status[k] === 1 && (this.#primedReads[k] & changed) === 0) return this.#values[k]
    return this.#evaluate(k, c, next)
  }

  /** Predicate k on the stuttering step of the expanded state, with the primed variables it read. */
  #stutter(k: number): void {
    const c = new Ctx(this.#state as Value[], this.#state as Value[], this.#level)
    try {
      this.#values[k] = this.#evaluate(k, c, this.#state as Value[])
      this.#primedReads[k] = this.#lastPrimedReads
      this.#status[k] = 1
    } catch {
      // Whatever went wrong is for the real steps to report, if it happens there.
      this.#status[k] = 2
    }
  }

  /** The primed variables read by the latest #evaluate (those of the memo entry when it hit). */
  #lastPrimedReads = 0

  /** Predicate k on step `c` to `next`: TRUE when it was TRUE before on the same values of what it read. */
  #evaluate(k: number, c: Ctx, next: readonly Value[]): Value {
    const primed = c.primed()!
    const s = this.#unprimedKeys.of(c.s as Value[])
    const t = this.#primedKeys.of(next)
    const key = this.#key
    for (const [unprimedMask, primedMask] of this.#seenMasks[k]) {
      stepKey(s, unprimedMask, t, primedMask, key)
      if (this.#trueFor[k].has(key.hi, key.lo)) {
        this.#lastPrimedReads = primedMask
        return true
      }
    }
    c.reads = 0
    primed.reads = 0
    const v = this.#preds[k].ev(c, null)
    const u = c.reads
    const m = primed.reads
    this.#lastPrimedReads = m
    if (v === true) {
      const masks = this.#seenMasks[k]
      if (!masks.some(([a, b]) => a === u && b === m)) {
        masks.unshift([u, m])
        if (masks.length > MEMO_MASKS) masks.pop()
      }
      stepKey(s, u, t, m, key)
      this.#trueFor[k].add(key.hi, key.lo)
    }
    return v
  }
}

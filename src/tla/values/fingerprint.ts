/**
 * 64-bit fingerprints of values and states, as two 32-bit halves computed by two independent
 * MurmurHash3-style mixes (Austin Appleby's public-domain mixing steps). Equal values get equal
 * fingerprints however they were built: `1..3` and `{3, 2, 1}`, `<<1, 2>>` and
 * `[i \in {1, 2} |-> i]`, `[f |-> 1]` and `[v \in {"f"} |-> 1]` (TLC-FACTS §3).
 *
 * Sequences hash their elements in order. Sets and other functions (records too) add up the
 * hashes of their elements (of their argument/value pairs), so their fingerprint does not
 * depend on the order of the parts. That is what makes SYMMETRY cheap: the fingerprint of a value renamed
 * by a permutation of model values is computed from its renamed parts, without building the
 * renamed value and sorting it again (the idea of the evaluator's first value module). A
 * value's fingerprint, and its fingerprint under each permutation of the model, are cached on
 * the value object, so a successor state, which shares most of its parts with its parent,
 * costs only its new parts.
 */
import { EvalError } from "./errors.ts"
import { show } from "./pretty.ts"
import { isInfinite, setElements } from "./sets.ts"
import { Kind, type ModelValue, type ObjectValue, type Value } from "./value.ts"

export interface Fingerprint {
  hi: number
  lo: number
}

// Word tags of the stream (arbitrary distinct constants).
const TAG_BOOL = 0x1b0011
const TAG_INT = 0x2c0022
const TAG_STR = 0x3d0033
const TAG_MODEL_VALUE = 0x4e0044
const TAG_SET = 0x5f0055
const TAG_FUNCTION = 0x600066
const TAG_INFINITE = 0x710077
const TAG_STATE = 0x820088
const TAG_TUPLE = 0x930099

function mixA(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51)
  k = (k << 15) | (k >>> 17)
  k = Math.imul(k, 0x1b873593)
  h ^= k
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}

function mixB(h: number, k: number): number {
  k = Math.imul(k, 0x85ebca6b)
  k = (k << 17) | (k >>> 15)
  k = Math.imul(k, 0xc2b2ae35)
  h ^= k
  h = (h << 11) | (h >>> 21)
  return (Math.imul(h, 9) + 0x7b7d159c) | 0
}

function finish(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h | 0
}

const SEED_A = 0x2545f491
const SEED_B = 0x6c8e9cf5

// The fingerprint most recently computed by `load`: callers read it before the next call.
let lastHi = 0
let lastLo = 0

/** Set while a value's own fingerprint is computed: a model value occurs inside it. */
let sawModelValue = false

/** The permutation `loadPermuted` applies: the image of each model value, by intern id. */
let image: ReadonlyArray<ModelValue | undefined> = []
/** Which permutation that is, in the current symmetry's list. */
let permIndex = 0

/**
 * The fingerprints of sets and functions under the current symmetry's permutations, in one
 * table: a value's slot (its fpSym) holds a (hi, lo) pair per permutation. Slot numbers grow
 * across tables, so a slot below the current table's first one belongs to an older table.
 */
let table = new Int32Array(0)
let tableOwner = 0
let firstSlot = 0
let nextSlot = 0
/** Numbers per slot: two per permutation. */
let slotWidth = 0
/** A pair not computed yet (a real fingerprint equal to it is only computed again). */
const UNSET = 0x5bd1e995

function useTable(owner: number, permutations: number): void {
  if (owner === tableOwner) return
  tableOwner = owner
  slotWidth = 2 * permutations
  firstSlot = nextSlot
  table = new Int32Array(Math.max(slotWidth, 2) * 1024).fill(UNSET)
}

/**
 * The most numbers the table holds. Slots are never freed (most values fingerprinted are
 * successors that turn out to be seen before, and die), so a full table is started afresh
 * instead of growing: it is only a cache, and the values still alive get new slots when next
 * fingerprinted.
 */
const TABLE_LIMIT = 1 << 23

/** A fresh slot in the current table. */
function newSlot(): number {
  const at = (nextSlot - firstSlot) * slotWidth
  if (at + slotWidth > table.length) {
    if (table.length * 2 > TABLE_LIMIT && at >= slotWidth) {
      firstSlot = nextSlot
      table.fill(UNSET)
    } else {
      const grown = new Int32Array(table.length * 2).fill(UNSET, table.length)
      grown.set(table)
      table = grown
    }
  }
  return nextSlot++
}

function hashInt(n: number): void {
  lastHi = finish(mixA(mixA(mixA(SEED_A, TAG_INT), n), 2))
  lastLo = finish(mixB(mixB(mixB(SEED_B, TAG_INT), n), 2))
}

const FALSE_HI = finish(mixA(mixA(SEED_A, TAG_BOOL), 0) ^ 2)
const FALSE_LO = finish(mixB(mixB(SEED_B, TAG_BOOL), 0) ^ 2)
const TRUE_HI = finish(mixA(mixA(SEED_A, TAG_BOOL), 1) ^ 2)
const TRUE_LO = finish(mixB(mixB(SEED_B, TAG_BOOL), 1) ^ 2)

function hashText(tag: number, s: string): void {
  let a = mixA(mixA(SEED_A, tag), s.length)
  let b = mixB(mixB(SEED_B, tag), s.length)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = mixA(a, c)
    b = mixB(b, c)
  }
  lastHi = finish(a ^ (s.length + 2))
  lastLo = finish(b ^ (s.length + 2))
}

/** Put v's fingerprint in (lastHi, lastLo): computed for booleans and integers, cached on objects. */
function load(v: Value): void {
  if (typeof v === "number") return hashInt(v)
  if (typeof v === "boolean") {
    lastHi = v ? TRUE_HI : FALSE_HI
    lastLo = v ? TRUE_LO : FALSE_LO
    return
  }
  if (v.fpState === 0) computeAndCache(v)
  else if (v.fpState === 2) sawModelValue = true
  lastHi = v.fpHi
  lastLo = v.fpLo
}

function computeAndCache(v: ObjectValue): void {
  const outer = sawModelValue
  sawModelValue = v.kind === Kind.ModelValue
  hashParts(v, false)
  v.fpHi = lastHi
  v.fpLo = lastLo
  v.fpState = sawModelValue ? 2 : 1
  sawModelValue = outer || sawModelValue
}

/** v's fingerprint under the current permutation, into (lastHi, lastLo). */
function loadPermuted(v: Value): void {
  if (typeof v !== "object") return load(v)
  if (v.kind === Kind.ModelValue) return load(image[v.id] ?? v)
  if (v.fpState === 0) computeAndCache(v)
  if (v.fpState === 1) {
    lastHi = v.fpHi
    lastLo = v.fpLo
    return
  }
  switch (v.kind) {
    case Kind.Set:
    case Kind.Tuple:
    case Kind.Record:
    case Kind.Fcn: {
      if (v.fpSym < firstSlot) v.fpSym = newSlot()
      let at = (v.fpSym - firstSlot) * slotWidth + 2 * permIndex
      if (table[at] === UNSET && table[at + 1] === UNSET) {
        hashParts(v, true)
        // The table may have grown (and moved), or been started afresh, while the parts were hashed.
        if (v.fpSym < firstSlot) v.fpSym = newSlot()
        at = (v.fpSym - firstSlot) * slotWidth + 2 * permIndex
        table[at] = lastHi
        table[at + 1] = lastLo
      } else {
        lastHi = table[at]
        lastLo = table[at + 1]
      }
      return
    }
    case Kind.Subset:
    case Kind.FcnSet:
    case Kind.RecordSet:
    case Kind.Product:
    case Kind.SeqSet:
      // Finite here (an infinite one holds no model value): its enumeration carries the cache.
      setElements(v)
      return loadPermuted(v.enumerated!)
    default:
      hashParts(v, true)
  }
}

/** Accumulators of the order-independent sums (sets, functions). */
let sumA = 0
let sumB = 0

function addElement(permuted: boolean, e: Value): void {
  if (permuted) loadPermuted(e)
  else load(e)
  sumA = (sumA + finish(lastHi ^ 0x68e31da4)) | 0
  sumB = (sumB + finish(lastLo ^ 0x1b56c4e9)) | 0
}

function addPair(permuted: boolean, arg: Value, value: Value): void {
  if (permuted) loadPermuted(arg)
  else load(arg)
  const argHi = lastHi
  const argLo = lastLo
  if (permuted) loadPermuted(value)
  else load(value)
  sumA = (sumA + finish(mixA(mixA(0x3c6ef372, argHi), lastHi))) | 0
  sumB = (sumB + finish(mixB(mixB(0x510e527f, argLo), lastLo))) | 0
}

function endSum(tag: number, n: number): void {
  lastHi = finish(mixA(mixA(mixA(SEED_A, tag), n), sumA))
  lastLo = finish(mixB(mixB(mixB(SEED_B, tag), n), sumB))
}

/** The fingerprint of v from its parts (renamed by the current permutation when `permuted`). */
function hashParts(v: ObjectValue, permuted: boolean): void {
  switch (v.kind) {
    case Kind.Str:
      return hashText(TAG_STR, v.value)
    case Kind.ModelValue:
      return hashText(TAG_MODEL_VALUE, v.name)
    case Kind.Tuple: {
      const n = v.elems.length
      let a = mixA(mixA(SEED_A, TAG_TUPLE), n)
      let b = mixB(mixB(SEED_B, TAG_TUPLE), n)
      for (let i = 0; i < n; i++) {
        if (permuted) loadPermuted(v.elems[i])
        else load(v.elems[i])
        a = mixA(mixA(a, lastHi), lastLo)
        b = mixB(mixB(b, lastHi), lastLo)
      }
      lastHi = finish(a)
      lastLo = finish(b)
      return
    }
    case Kind.Record:
    // Records are added up like other functions: the order of field names depends on the intern table.
    case Kind.Fcn: {
      const domain: readonly Value[] = v.kind === Kind.Record ? v.names : v.domain
      const saveA = sumA
      const saveB = sumB
      sumA = 0
      sumB = 0
      for (let i = 0; i < domain.length; i++) addPair(permuted, domain[i], v.values[i])
      endSum(TAG_FUNCTION, domain.length)
      sumA = saveA
      sumB = saveB
      return
    }
    case Kind.Interval: {
      const saveA = sumA
      const saveB = sumB
      sumA = 0
      sumB = 0
      for (let i = 0; i < v.size; i++) addElement(false, v.lo + i)
      endSum(TAG_SET, v.size)
      sumA = saveA
      sumB = saveB
      return
    }
    case Kind.Nat:
    case Kind.IntSet:
    case Kind.StringSet:
    case Kind.AnySet:
      lastHi = finish(mixA(mixA(SEED_A, TAG_INFINITE), v.kind))
      lastLo = finish(mixB(mixB(SEED_B, TAG_INFINITE), v.kind))
      return
    case Kind.LazyFcn:
      throw new EvalError(`TLC cannot fingerprint the function ${v.name}, which is defined over an infinite domain.`)
    default: {
      if (v.kind === Kind.SeqSet && isInfinite(v)) {
        load(v.base)
        lastHi = finish(mixA(mixA(mixA(SEED_A, TAG_INFINITE), v.kind), lastHi))
        lastLo = finish(mixB(mixB(mixB(SEED_B, TAG_INFINITE), v.kind), lastLo))
        return
      }
      if (isInfinite(v)) throw new EvalError(`TLC cannot fingerprint the infinite set ${show(v)}.`)
      const elems = setElements(v)
      const saveA = sumA
      const saveB = sumB
      sumA = 0
      sumB = 0
      for (let i = 0; i < elems.length; i++) addElement(permuted, elems[i])
      endSum(TAG_SET, elems.length)
      sumA = saveA
      sumB = saveB
    }
  }
}

/** v's fingerprint (cached on objects). */
export function fingerprint(v: Value): Fingerprint {
  load(v)
  return { hi: lastHi, lo: lastLo }
}

/** v's fingerprint as one unsigned 64-bit number, for display and tests. */
export function fingerprint64(v: Value): bigint {
  load(v)
  return toBigInt(lastHi, lastLo)
}

export const toBigInt = (hi: number, lo: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)

/**
 * A state's fingerprint adds up one term per variable (its position mixed with its value's
 * fingerprint), so a successor's fingerprint follows from its parent's by replacing the terms of
 * the variables the step changed.
 */
function termHi(i: number, hi: number): number {
  return finish(mixA(mixA(0x1f83d9ab, i), hi))
}
function termLo(i: number, lo: number): number {
  return finish(mixB(mixB(0x5be0cd19, i), lo))
}
function endState(n: number, a: number, b: number): void {
  lastHi = finish(mixA(mixA(mixA(SEED_A, TAG_STATE), n), a))
  lastLo = finish(mixB(mixB(mixB(SEED_B, TAG_STATE), n), b))
}

/** The state fingerprint from its variables' values, renamed by the current permutation or not. */
function hashState(values: readonly Value[], permuted: boolean): void {
  let a = 0
  let b = 0
  for (let i = 0; i < values.length; i++) {
    if (permuted) loadPermuted(values[i])
    else load(values[i])
    a = (a + termHi(i, lastHi)) | 0
    b = (b + termLo(i, lastLo)) | 0
  }
  endState(values.length, a, b)
}

/**
 * The fingerprint of a state given as its variables' values in a fixed variable order. Writes
 * into `out` when given, so a model checker can avoid allocating per state.
 */
export function stateFingerprint(values: readonly Value[], out: Fingerprint = { hi: 0, lo: 0 }): Fingerprint {
  hashState(values, false)
  out.hi = lastHi
  out.lo = lastLo
  return out
}

/**
 * 64-bit keys of the values of some of a state's variables, given as a mask (bit i for
 * variable i < 31, bit 31 for all the others): equal values give equal keys. Each variable's
 * term is computed once per state, so keys of several masks cost a few additions.
 */
export class VariableKeys {
  #values: readonly Value[] = []
  readonly #hi: number[] = []
  readonly #lo: number[] = []
  /** Which variables' terms are computed (bit i for variable i; the others are always recomputed). */
  #known = 0

  /** The state keys are taken of next. */
  of(values: readonly Value[]): this {
    if (values !== this.#values) {
      this.#values = values
      this.#known = 0
    }
    return this
  }

  #sums(mask: number): void {
    let a = 0
    let b = 0
    const values = this.#values
    for (let i = 0; i < values.length; i++) {
      const bit = i < 31 ? 1 << i : 1 << 31
      if ((mask & bit) === 0) continue
      if (i >= 31 || (this.#known & bit) === 0) {
        load(values[i])
        this.#hi[i] = termHi(i, lastHi)
        this.#lo[i] = termLo(i, lastLo)
        if (i < 31) this.#known |= bit
      }
      a = (a + this.#hi[i]) | 0
      b = (b + this.#lo[i]) | 0
    }
    sumA = a
    sumB = b
  }

  /** The key of the variables in `mask`. */
  key(mask: number, out: Fingerprint): Fingerprint {
    const saveA = sumA
    const saveB = sumB
    this.#sums(mask)
    out.hi = finish(mixA(mixA(SEED_A, 0x6a09e667 ^ mask), sumA))
    out.lo = finish(mixB(mixB(SEED_B, 0x3c6ef372 ^ mask), sumB))
    sumA = saveA
    sumB = saveB
    return out
  }
}

/** A 64-bit key of the values of some variables of both states of a step (see VariableKeys). */
export function stepKey(s: VariableKeys, maskS: number, t: VariableKeys, maskT: number, out: Fingerprint): Fingerprint {
  s.key(maskS, out)
  const hi = out.hi
  const lo = out.lo
  t.key(maskT, out)
  out.hi = finish(mixA(mixA(SEED_A ^ 0x510e527f, hi), out.hi))
  out.lo = finish(mixB(mixB(SEED_B ^ 0x1f83d9ab, lo), out.lo))
  return out
}

let generations = 0

/** Whether fingerprint (hi, lo) is below (bestHi, bestLo), both read as unsigned. */
const below = (hi: number, lo: number, bestHi: number, bestLo: number): boolean =>
  hi >>> 0 < bestHi >>> 0 || (hi === bestHi && lo >>> 0 < bestLo >>> 0)

/**
 * Fingerprints of states and of their images under the permutations of a SYMMETRY group (none:
 * just the state's own). Each permutation maps model values to model values; those it does not
 * mention map to themselves.
 *
 * For the successors of one state (`expand`), the parent's per-variable terms under every
 * permutation are kept, so a successor costs only the variables its step changed.
 */
export class StateFingerprints {
  readonly #images: Array<Array<ModelValue | undefined>>
  readonly #generation = ++generations
  /** The state whose successors are fingerprinted, and its terms: [permutation][variable], identity first. */
  #parent: readonly Value[] = []
  #termsHi: Int32Array = new Int32Array(0)
  #termsLo: Int32Array = new Int32Array(0)
  #sumsHi: Int32Array
  #sumsLo: Int32Array

  constructor(permutations: ReadonlyArray<ReadonlyMap<ModelValue, ModelValue>> = []) {
    this.#images = permutations.map((perm) => {
      const byId: Array<ModelValue | undefined> = []
      for (const [from, to] of perm) byId[from.id] = to
      return byId
    })
    this.#sumsHi = new Int32Array(this.#images.length + 1)
    this.#sumsLo = new Int32Array(this.#images.length + 1)
  }

  get size(): number {
    return this.#images.length
  }

  /** Makes permutation k (-1: none) the one loadPermuted applies. */
  #use(k: number): void {
    if (k < 0) return
    useTable(this.#generation, this.#images.length)
    image = this.#images[k]
    permIndex = k
  }

  /**
   * The smallest fingerprint (unsigned, hi then lo) among the state's and its images' under
   * every permutation: one value per orbit when the permutations form a group.
   */
  smallest(values: readonly Value[], out: Fingerprint): Fingerprint {
    hashState(values, false)
    let bestHi = lastHi
    let bestLo = lastLo
    for (let k = 0; k < this.#images.length; k++) {
      this.#use(k)
      hashState(values, true)
      if (below(lastHi, lastLo, bestHi, bestLo)) {
        bestHi = lastHi
        bestLo = lastLo
      }
    }
    out.hi = bestHi
    out.lo = bestLo
    return out
  }

  /** The state whose successors `smallestOfSuccessor` fingerprints next. */
  expand(parent: readonly Value[]): void {
    const n = parent.length
    const perms = this.#images.length + 1
    if (this.#termsHi.length !== perms * n) {
      this.#termsHi = new Int32Array(perms * n)
      this.#termsLo = new Int32Array(perms * n)
    }
    this.#parent = parent
    for (let k = -1; k < this.#images.length; k++) {
      this.#use(k)
      let a = 0
      let b = 0
      const row = (k + 1) * n
      for (let i = 0; i < n; i++) {
        if (k < 0) load(parent[i])
        else loadPermuted(parent[i])
        const th = termHi(i, lastHi)
        const tl = termLo(i, lastLo)
        this.#termsHi[row + i] = th
        this.#termsLo[row + i] = tl
        a = (a + th) | 0
        b = (b + tl) | 0
      }
      this.#sumsHi[k + 1] = a
      this.#sumsLo[k + 1] = b
    }
  }

  /** `smallest` for a successor of the expanded state, from the variables that changed. */
  smallestOfSuccessor(values: readonly Value[], out: Fingerprint): Fingerprint {
    const parent = this.#parent
    const n = values.length
    if (parent.length !== n) return this.smallest(values, out)
    let bestHi = 0
    let bestLo = 0
    for (let k = -1; k < this.#images.length; k++) {
      this.#use(k)
      const row = (k + 1) * n
      let a = this.#sumsHi[k + 1]
      let b = this.#sumsLo[k + 1]
      for (let i = 0; i < n; i++) {
        const v = values[i]
        if (v === parent[i]) continue
        if (k < 0) load(v)
        else loadPermuted(v)
        a = (a - this.#termsHi[row + i] + termHi(i, lastHi)) | 0
        b = (b - this.#termsLo[row + i] + termLo(i, lastLo)) | 0
      }
      endState(n, a, b)
      if (k < 0 || below(lastHi, lastLo, bestHi, bestLo)) {
        bestHi = lastHi
        bestLo = lastLo
      }
    }
    out.hi = bestHi
    out.lo = bestLo
    return out
  }

  /** The fingerprint of the state's image under permutation k (for tests). */
  under(k: number, values: readonly Value[]): Fingerprint {
    this.#use(k)
    hashState(values, true)
    return { hi: lastHi, lo: lastLo }
  }
}

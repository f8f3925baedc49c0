/**
 * 64-bit fingerprints of values and states, as two 32-bit halves computed by two independent
 * MurmurHash3-style mixes (Austin Appleby's public-domain mixing steps) over a canonical word
 * stream. Equal values get equal fingerprints however they were built: `1..3` and `{3, 2, 1}`,
 * `<<1, 2>>` and `[i \in {1, 2} |-> i]`, `[f |-> 1]` and `[v \in {"f"} |-> 1]` (TLC-FACTS §3).
 *
 * The stream: a kind word, then for sets the size and each element's fingerprint in TLC's order,
 * for functions the size and each (argument, value) pair's fingerprints, for scalars their
 * contents. A value's fingerprint is computed once and cached on the value object.
 */
import { EvalError } from "./errors.ts"
import { show } from "./pretty.ts"
import { isInfinite, setElements } from "./sets.ts"
import { Kind, type ObjectValue, type Value } from "./value.ts"

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

function hashInt(n: number): void {
  const a = mixA(mixA(SEED_A, TAG_INT), n)
  const b = mixB(mixB(SEED_B, TAG_INT), n)
  lastHi = finish(a ^ 2)
  lastLo = finish(b ^ 2)
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
  if (!v.fpReady) computeAndCache(v)
  lastHi = v.fpHi
  lastLo = v.fpLo
}

function computeAndCache(v: ObjectValue): void {
  let a = 0
  let b = 0
  let words = 0
  switch (v.kind) {
    case Kind.Str:
    case Kind.ModelValue:
      hashText(v.kind === Kind.Str ? TAG_STR : TAG_MODEL_VALUE, v.kind === Kind.Str ? v.value : v.name)
      v.fpHi = lastHi
      v.fpLo = lastLo
      v.fpReady = true
      return
    case Kind.Tuple: {
      const n = v.elems.length
      a = mixA(mixA(SEED_A, TAG_FUNCTION), n)
      b = mixB(mixB(SEED_B, TAG_FUNCTION), n)
      for (let i = 0; i < n; i++) {
        hashInt(i + 1)
        a = mixA(mixA(a, lastHi), lastLo)
        b = mixB(mixB(b, lastHi), lastLo)
        load(v.elems[i])
        a = mixA(mixA(a, lastHi), lastLo)
        b = mixB(mixB(b, lastHi), lastLo)
      }
      words = 2 + 4 * n
      break
    }
    case Kind.Record:
    case Kind.Fcn: {
      const keys = v.kind === Kind.Record ? v.names : v.domain
      const n = keys.length
      a = mixA(mixA(SEED_A, TAG_FUNCTION), n)
      b = mixB(mixB(SEED_B, TAG_FUNCTION), n)
      for (let i = 0; i < n; i++) {
        load(keys[i])
        a = mixA(mixA(a, lastHi), lastLo)
        b = mixB(mixB(b, lastHi), lastLo)
        load(v.values[i])
        a = mixA(mixA(a, lastHi), lastLo)
        b = mixB(mixB(b, lastHi), lastLo)
      }
      words = 2 + 4 * n
      break
    }
    case Kind.Interval: {
      const n = v.size
      a = mixA(mixA(SEED_A, TAG_SET), n)
      b = mixB(mixB(SEED_B, TAG_SET), n)
      for (let i = 0; i < n; i++) {
        hashInt(v.lo + i)
        a = mixA(mixA(a, lastHi), lastLo)
        b = mixB(mixB(b, lastHi), lastLo)
      }
      words = 2 + 2 * n
      break
    }
    case Kind.Nat:
    case Kind.IntSet:
    case Kind.StringSet:
      a = mixA(mixA(SEED_A, TAG_INFINITE), v.kind)
      b = mixB(mixB(SEED_B, TAG_INFINITE), v.kind)
      words = 2
      break
    default: {
      if (v.kind === Kind.SeqSet && isInfinite(v)) {
        load(v.base)
        a = mixA(mixA(mixA(SEED_A, TAG_INFINITE), v.kind), lastHi)
        b = mixB(mixB(mixB(SEED_B, TAG_INFINITE), v.kind), lastLo)
        words = 3
        break
      }
      if (isInfinite(v)) throw new EvalError(`TLC cannot fingerprint the infinite set ${show(v)}.`)
      const elems = setElements(v)
      const n = elems.length
      a = mixA(mixA(SEED_A, TAG_SET), n)
      b = mixB(mixB(SEED_B, TAG_SET), n)
      for (let i = 0; i < n; i++) {
        load(elems[i])
        a = mixA(mixA(a, lastHi), lastLo)
        b = mixB(mixB(b, lastHi), lastLo)
      }
      words = 2 + 2 * n
    }
  }
  v.fpHi = finish(a ^ words)
  v.fpLo = finish(b ^ words)
  v.fpReady = true
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
 * The fingerprint of a state given as its variables' values in a fixed variable order. Writes
 * into `out` when given, so a model checker can avoid allocating per state.
 */
export function stateFingerprint(values: readonly Value[], out: Fingerprint = { hi: 0, lo: 0 }): Fingerprint {
  let a = mixA(SEED_A, TAG_STATE)
  let b = mixB(SEED_B, TAG_STATE)
  for (let i = 0; i < values.length; i++) {
    load(values[i])
    a = mixA(mixA(a, lastHi), lastLo)
    b = mixB(mixB(b, lastHi), lastLo)
  }
  out.hi = finish(a ^ values.length)
  out.lo = finish(b ^ values.length)
  return out
}

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
import { Kind, type Value } from "./value.ts"

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

// Scalars are hashed without recursion, so they may share these scratch results.
let scalarHi = 0
let scalarLo = 0

function hashInt(n: number): void {
  let a = mixA(SEED_A, TAG_INT)
  let b = mixB(SEED_B, TAG_INT)
  a = mixA(a, n)
  b = mixB(b, n)
  scalarHi = finish(a ^ 2)
  scalarLo = finish(b ^ 2)
}

function hashText(tag: number, s: string): void {
  let a = mixA(mixA(SEED_A, tag), s.length)
  let b = mixB(mixB(SEED_B, tag), s.length)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = mixA(a, c)
    b = mixB(b, c)
  }
  scalarHi = finish(a ^ (s.length + 2))
  scalarLo = finish(b ^ (s.length + 2))
}

/** Compute and cache v's fingerprint. */
function ensure(v: Value): void {
  if (v.fpReady) return
  let a = 0
  let b = 0
  let words = 0
  switch (v.kind) {
    case Kind.Bool:
      a = mixA(mixA(SEED_A, TAG_BOOL), v.value ? 1 : 0)
      b = mixB(mixB(SEED_B, TAG_BOOL), v.value ? 1 : 0)
      words = 2
      break
    case Kind.Int:
    case Kind.Str:
    case Kind.ModelValue:
      if (v.kind === Kind.Int) hashInt(v.value)
      else hashText(v.kind === Kind.Str ? TAG_STR : TAG_MODEL_VALUE, v.kind === Kind.Str ? v.value : v.name)
      v.fpHi = scalarHi
      v.fpLo = scalarLo
      v.fpReady = true
      return
    case Kind.Tuple: {
      const n = v.elems.length
      a = mixA(mixA(SEED_A, TAG_FUNCTION), n)
      b = mixB(mixB(SEED_B, TAG_FUNCTION), n)
      for (let i = 0; i < n; i++) {
        hashInt(i + 1)
        a = mixA(mixA(a, scalarHi), scalarLo)
        b = mixB(mixB(b, scalarHi), scalarLo)
        const e = v.elems[i]
        ensure(e)
        a = mixA(mixA(a, e.fpHi), e.fpLo)
        b = mixB(mixB(b, e.fpHi), e.fpLo)
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
        const k = keys[i]
        const e = v.values[i]
        ensure(k)
        ensure(e)
        a = mixA(mixA(mixA(mixA(a, k.fpHi), k.fpLo), e.fpHi), e.fpLo)
        b = mixB(mixB(mixB(mixB(b, k.fpHi), k.fpLo), e.fpHi), e.fpLo)
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
        a = mixA(mixA(a, scalarHi), scalarLo)
        b = mixB(mixB(b, scalarHi), scalarLo)
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
        ensure(v.base)
        a = mixA(mixA(mixA(SEED_A, TAG_INFINITE), v.kind), v.base.fpHi)
        b = mixB(mixB(mixB(SEED_B, TAG_INFINITE), v.kind), v.base.fpLo)
        words = 3
        break
      }
      if (isInfinite(v)) throw new EvalError(`TLC cannot fingerprint the infinite set ${show(v)}.`)
      const elems = setElements(v)
      const n = elems.length
      a = mixA(mixA(SEED_A, TAG_SET), n)
      b = mixB(mixB(SEED_B, TAG_SET), n)
      for (let i = 0; i < n; i++) {
        const e = elems[i]
        ensure(e)
        a = mixA(mixA(a, e.fpHi), e.fpLo)
        b = mixB(mixB(b, e.fpHi), e.fpLo)
      }
      words = 2 + 2 * n
    }
  }
  v.fpHi = finish(a ^ words)
  v.fpLo = finish(b ^ words)
  v.fpReady = true
}

/** v's fingerprint (cached on v). */
export function fingerprint(v: Value): Fingerprint {
  ensure(v)
  return { hi: v.fpHi, lo: v.fpLo }
}

/** v's fingerprint as one unsigned 64-bit number, for display and tests. */
export function fingerprint64(v: Value): bigint {
  ensure(v)
  return toBigInt(v.fpHi, v.fpLo)
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
    const v = values[i]
    ensure(v)
    a = mixA(mixA(a, v.fpHi), v.fpLo)
    b = mixB(mixB(b, v.fpHi), v.fpLo)
  }
  out.hi = finish(a ^ values.length)
  out.lo = finish(b ^ values.length)
  return out
}

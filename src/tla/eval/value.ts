/**
 * TLA+ values as the evaluator uses them, canonical so that equal values are built equal:
 * a function with domain 1..n IS a sequence, a function with a string domain IS a record,
 * sets are sorted in TLC's order and deduplicated, and lazy sets (intervals, SUBSET, [S -> T],
 * Seq(S), Nat...) enumerate to the same canonical form.
 *
 * Booleans and integers are JS booleans and numbers (the fast path); strings and model values
 * are interned objects whose rank is their position in TLC's intern table, which is what orders
 * them (TLC does not sort strings alphabetically).
 *
 * Note: src/tla/values is the project's shared value module (from branch tla-values). The
 * evaluator still runs on this one, written before that landed; its sets and functions hash in
 * an order-independent way that SYMMETRY relies on (see fingerprintPermuted). Moving the
 * evaluator onto src/tla/values is planned; everything value-related goes through this file.
 */
import { EvalError } from "./errors.ts"

export type Value = boolean | number | Str | ModelValue | SetValue | LazySet | Fcn

// ---- interned atoms -----------------------------------------------------------------------

export class Str {
  h1 = 0
  h2 = 0
  constructor(
    readonly s: string,
    public rank: number
  ) {}
}

export class ModelValue {
  constructor(
    readonly name: string,
    public rank: number
  ) {}
}

let interned = new Map<string, number>()
let strs = new Map<string, Str>()
let models = new Map<string, ModelValue>()

/** Starts a fresh intern table, seeded with names in TLC's order (builtins, cfg tokens, identifiers). */
export const resetInterns = (order: Iterable<string>): void => {
  interned = new Map()
  strs = new Map()
  models = new Map()
  for (const s of order) internRank(s)
}

export const internRank = (s: string): number => {
  let r = interned.get(s)
  if (r === undefined) {
    r = interned.size
    interned.set(s, r)
  }
  return r
}

export const str = (s: string): Str => {
  let v = strs.get(s)
  if (v === undefined) {
    v = new Str(s, internRank(s))
    strs.set(s, v)
  }
  return v
}

export const modelValue = (name: string): ModelValue => {
  let v = models.get(name)
  if (v === undefined) {
    v = new ModelValue(name, internRank(name))
    models.set(name, v)
  }
  return v
}

// ---- sets -----------------------------------------------------------------------------------

/** A finite set in canonical form: elements sorted in TLC's order, no duplicates. */
export class SetValue {
  h1 = 0
  h2 = 0
  hashed = false
  /** Hashes under the model's symmetry permutations: (h1, h2) at 2*id, 2*id+1. */
  sym: number[] | undefined = undefined
  /** Whether a model value occurs inside (0 unknown, 1 no, 2 yes); set while hashing. */
  mv = 0
  constructor(readonly elems: ReadonlyArray<Value>) {}
  static of(items: Value[]): SetValue {
    return new SetValue(normalizeElems(items))
  }
}

export const EMPTY_SET = new SetValue([])

/** A set kept symbolically until someone needs its elements. */
export abstract class LazySet {
  private cached: SetValue | undefined
  abstract member(v: Value): boolean
  abstract build(): SetValue
  /** Whether the set can be enumerated at all (Nat, Seq(S) cannot). */
  finite(): boolean {
    return true
  }
  describe(): string {
    return printValue(this.enumerate())
  }
  enumerate(): SetValue {
    if (this.cached === undefined) {
      if (!this.finite()) throw new EvalError(`Attempted to enumerate an infinite set: ${this.describe()}`)
      this.cached = this.build()
    }
    return this.cached
  }
  size(): number {
    return this.enumerate().elems.length
  }
}

export class Interval extends LazySet {
  constructor(
    readonly lo: number,
    readonly hi: number
  ) {
    super()
  }
  member(v: Value): boolean {
    if (typeof v !== "number") {
      // An empty domain (DOMAIN of an empty function) contains nothing, whatever is asked.
      if (v instanceof ModelValue || this.lo > this.hi) return false
      throw new EvalError(`Attempted to check if the value:\n${printValue(v)}\nis in the integer interval ${this.lo}..${this.hi}`)
    }
    return v >= this.lo && v <= this.hi
  }
  build(): SetValue {
    const out: number[] = []
    for (let i = this.lo; i <= this.hi; i++) out.push(i)
    return new SetValue(out)
  }
  override size(): number {
    return Math.max(0, this.hi - this.lo + 1)
  }
  override describe(): string {
    return `${this.lo}..${this.hi}`
  }
}

export class InfiniteSet extends LazySet {
  constructor(
    readonly name: "Nat" | "Int" | "STRING",
    private readonly test: (v: Value) => boolean
  ) {
    super()
  }
  member(v: Value): boolean {
    return this.test(v)
  }
  build(): SetValue {
    throw new EvalError(`Attempted to enumerate ${this.name}`)
  }
  override finite(): boolean {
    return false
  }
  override describe(): string {
    return this.name
  }
}

export const NAT = new InfiniteSet("Nat", (v) => typeof v === "number" && v >= 0)
export const INT = new InfiniteSet("Int", (v) => typeof v === "number")
export const STRING_SET = new InfiniteSet("STRING", (v) => v instanceof Str)

export class SubsetSet extends LazySet {
  constructor(readonly base: Value) {
    super()
  }
  member(v: Value): boolean {
    const s = asSet(v, "SUBSET")
    return s.elems.every((e) => isMember(e, this.base))
  }
  build(): SetValue {
    const elems = toSet(this.base).elems
    if (elems.length > 24) throw new EvalError("Attempted to enumerate SUBSET of a set with more than 24 elements")
    const out: SetValue[] = []
    for (let mask = 0; mask < 1 << elems.length; mask++) {
      const sub: Value[] = []
      for (let i = 0; i < elems.length; i++) if (mask & (1 << i)) sub.push(elems[i])
      out.push(new SetValue(sub))
    }
    return SetValue.of(out)
  }
}

export class FcnSet extends LazySet {
  constructor(
    readonly domain: Value,
    readonly range: Value
  ) {
    super()
  }
  member(v: Value): boolean {
    if (!(v instanceof Fcn)) return false
    const dom = toSet(this.domain)
    if (!equals(new SetValue(v.dom), dom)) return false
    return v.vals.every((x) => isMember(x, this.range))
  }
  build(): SetValue {
    const dom = toSet(this.domain).elems
    const rng = toSet(this.range).elems
    const out: Fcn[] = []
    if (dom.length === 0) return new SetValue([new Fcn([], [])])
    if (rng.length === 0) return EMPTY_SET
    const idx = new Array<number>(dom.length).fill(0)
    for (;;) {
      out.push(new Fcn(dom, idx.map((i) => rng[i])))
      let k = dom.length - 1
      while (k >= 0 && ++idx[k] === rng.length) idx[k--] = 0
      if (k < 0) break
    }
    return SetValue.of(out)
  }
}

export class RecordSet extends LazySet {
  constructor(
    readonly names: ReadonlyArray<Str>,
    readonly sets: ReadonlyArray<Value>
  ) {
    super()
  }
  member(v: Value): boolean {
    if (!(v instanceof Fcn) || v.dom.length !== this.names.length) return false
    return this.names.every((n, i) => {
      const j = v.dom.indexOf(n)
      return j >= 0 && isMember(v.vals[j], this.sets[i])
    })
  }
  build(): SetValue {
    const sets = this.sets.map((s) => toSet(s).elems)
    const out: Fcn[] = []
    const rec = (i: number, acc: Value[]): void => {
      if (i === sets.length) {
        out.push(makeRecord(this.names, acc))
        return
      }
      for (const e of sets[i]) rec(i + 1, [...acc, e])
    }
    rec(0, [])
    return SetValue.of(out)
  }
}

export class ProductSet extends LazySet {
  constructor(readonly sets: ReadonlyArray<Value>) {
    super()
  }
  member(v: Value): boolean {
    if (!(v instanceof Fcn) || !v.isSeq() || v.vals.length !== this.sets.length) return false
    return v.vals.every((x, i) => isMember(x, this.sets[i]))
  }
  build(): SetValue {
    const sets = this.sets.map((s) => toSet(s).elems)
    const out: Fcn[] = []
    const rec = (i: number, acc: Value[]): void => {
      if (i === sets.length) {
        out.push(tuple(acc))
        return
      }
      for (const e of sets[i]) rec(i + 1, [...acc, e])
    }
    rec(0, [])
    return SetValue.of(out)
  }
}

export class SeqSet extends LazySet {
  constructor(readonly base: Value) {
    super()
  }
  member(v: Value): boolean {
    if (!(v instanceof Fcn) || !v.isSeq()) return false
    return v.vals.every((x) => isMember(x, this.base))
  }
  build(): SetValue {
    throw new EvalError("Attempted to enumerate Seq(S), which is infinite")
  }
  override finite(): boolean {
    return false
  }
  override describe(): string {
    return `Seq(${printValue(this.base)})`
  }
}

// ---- functions --------------------------------------------------------------------------------

// Domains 1..n are shared for short sequences only: caching every length up to the longest
// sequence ever built would take memory quadratic in that length (a long log in a trace).
// Longer ones are copied from one array 1..max.
const SHARED_SEQ_DOMS = 256
const seqDoms: number[][] = [[]]
let longSeqDom: number[] = []
const seqDom = (n: number): number[] => {
  if (n > SHARED_SEQ_DOMS) {
    if (longSeqDom.length < n) longSeqDom = Array.from({ length: Math.max(n, 2 * longSeqDom.length) }, (_, i) => i + 1)
    return longSeqDom.slice(0, n)
  }
  while (seqDoms.length <= n) {
    const prev = seqDoms[seqDoms.length - 1]
    seqDoms.push([...prev, prev.length + 1])
  }
  return seqDoms[n]
}

/** A function: its domain sorted in TLC's order and the values at those points. */
export class Fcn {
  h1 = 0
  h2 = 0
  hashed = false
  /** Hashes under the model's symmetry permutations: (h1, h2) at 2*id, 2*id+1. */
  sym: number[] | undefined = undefined
  /** Whether a model value occurs inside (0 unknown, 1 no, 2 yes); set while hashing. */
  mv = 0
  private seq: boolean | undefined
  constructor(
    readonly dom: ReadonlyArray<Value>,
    readonly vals: ReadonlyArray<Value>
  ) {}
  isSeq(): boolean {
    if (this.seq === undefined) {
      const d = this.dom
      let ok = true
      for (let i = 0; i < d.length; i++) {
        if (d[i] !== i + 1) {
          ok = false
          break
        }
      }
      this.seq = ok
    }
    return this.seq
  }
  isRecord(): boolean {
    return this.dom.length > 0 && this.dom.every((d) => d instanceof Str)
  }
  /** Index of `arg` in the domain, or -1. */
  indexOf(arg: Value): number {
    if (typeof arg === "number" && this.isSeq()) return arg >= 1 && arg <= this.dom.length ? arg - 1 : -1
    const d = this.dom
    // Atoms are interned (or primitive), so an equal atom is the identical one.
    if (typeof arg !== "object" || arg instanceof Str || arg instanceof ModelValue) {
      if (d.length <= 16) {
        for (let i = 0; i < d.length; i++) if (d[i] === arg) return i
        return -1
      }
    }
    if (d.length <= 8) {
      for (let i = 0; i < d.length; i++) if (equals(d[i], arg)) return i
      return -1
    }
    let lo = 0
    let hi = d.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const c = compare(d[mid], arg)
      if (c === 0) return mid
      if (c < 0) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }
  apply(arg: Value): Value {
    const i = this.indexOf(arg)
    if (i < 0) {
      throw new EvalError(
        `Attempted to apply function:\n${printValue(this)}\nto argument ${printValue(arg)}, which is not in the domain of the function.`
      )
    }
    return this.vals[i]
  }
}

export const tuple = (vals: ReadonlyArray<Value>): Fcn => new Fcn(seqDom(vals.length), vals)

/** A record: field names are sorted into TLC's order so field order in the text never matters. */
export const makeRecord = (names: ReadonlyArray<Str>, vals: ReadonlyArray<Value>): Fcn => {
  const idx = names.map((_, i) => i).sort((a, b) => names[a].rank - names[b].rank)
  return new Fcn(
    idx.map((i) => names[i]),
    idx.map((i) => vals[i])
  )
}

/** A function from an arbitrary domain (given in any order, without duplicates). */
export const makeFcn = (dom: ReadonlyArray<Value>, vals: ReadonlyArray<Value>): Fcn => {
  if (dom.length <= 1) return new Fcn(dom, vals)
  let sorted = true
  for (let i = 1; i < dom.length; i++) {
    if (compare(dom[i - 1], dom[i]) >= 0) {
      sorted = false
      break
    }
  }
  if (sorted) return new Fcn(dom, vals)
  const idx = dom.map((_, i) => i).sort((a, b) => compare(dom[a], dom[b]))
  return new Fcn(
    idx.map((i) => dom[i]),
    idx.map((i) => vals[i])
  )
}

// ---- kinds, coercions ---------------------------------------------------------------------------

export const isSet = (v: Value): v is SetValue | LazySet => v instanceof SetValue || v instanceof LazySet

export const toSet = (v: Value): SetValue => {
  if (v instanceof SetValue) return v
  if (v instanceof LazySet) return v.enumerate()
  throw new EvalError(`Attempted to enumerate a value that is not a set:\n${printValue(v)}`)
}

const asSet = (v: Value, what: string): SetValue => {
  if (!isSet(v)) throw new EvalError(`Attempted to apply ${what} to a non-set:\n${printValue(v)}`)
  return toSet(v)
}

export const isMember = (v: Value, s: Value): boolean => {
  if (s instanceof LazySet) return s.member(v)
  if (!(s instanceof SetValue)) throw new EvalError(`Attempted to check if the value:\n${printValue(v)}\nis an element of the non-set:\n${printValue(s)}`)
  const e = s.elems
  if (typeof v !== "object" || v instanceof Str) {
    if (e.length <= 16) {
      for (let i = 0; i < e.length; i++) if (e[i] === v) return true
      // an atom of another kind may still be comparable only by error (TLC: 1 \in {"a"})
      if (e.length === 0 || typeof e[0] === typeof v || e[0] instanceof ModelValue || (v instanceof Str && e[0] instanceof Str)) return false
    }
  }
  if (e.length <= 8 || v instanceof ModelValue) {
    for (let i = 0; i < e.length; i++) if (equals(e[i], v)) return true
    return false
  }
  let lo = 0
  let hi = e.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const c = compare(e[mid], v)
    if (c === 0) return true
    if (c < 0) lo = mid + 1
    else hi = mid - 1
  }
  return false
}

const kindName = (v: Value): string => {
  if (typeof v === "boolean") return "boolean"
  if (typeof v === "number") return "integer"
  if (v instanceof Str) return "string"
  if (v instanceof ModelValue) return "model value"
  if (isSet(v)) return "set"
  if (v instanceof Fcn) return v.isRecord() ? "record" : "function"
  return "value"
}

// ---- equality and order -------------------------------------------------------------------------

/** Structural equality with TLC's errors for values it cannot compare (e.g. `5 = "a"`). */
export const equals = (a: Value, b: Value): boolean => {
  if (a === b) return true
  const ta = typeof a
  if (ta === "number" || ta === "boolean") {
    if (typeof b === ta) return false
    if (b instanceof ModelValue) return false
    throw new EvalError(`Attempted to check equality of ${kindName(a)} ${printValue(a)} with non-${kindName(a)}:\n${printValue(b)}`)
  }
  if (a instanceof ModelValue || b instanceof ModelValue) return false
  if (a instanceof Str) {
    if (b instanceof Str) return false
    throw new EvalError(`Attempted to check equality of string ${printValue(a)} with non-string:\n${printValue(b)}`)
  }
  if (isSet(a)) {
    if (!isSet(b)) throw new EvalError(`Attempted to check equality of the set ${printValue(a)} with the value:\n${printValue(b)}`)
    if (a instanceof Interval && b instanceof Interval) return a.size() === b.size() && (a.size() === 0 || (a.lo === b.lo && a.hi === b.hi))
    if (a instanceof LazySet && !a.finite()) return a === b
    if (b instanceof LazySet && !b.finite()) return false
    const x = toSet(a).elems
    const y = toSet(b).elems
    if (x.length !== y.length) return false
    for (let i = 0; i < x.length; i++) if (!equals(x[i], y[i])) return false
    return true
  }
  if (a instanceof Fcn) {
    if (!(b instanceof Fcn)) {
      throw new EvalError(`Attempted to check equality of the ${a.isRecord() ? "record" : "function"} ${printValue(a)} with the value:\n${printValue(b)}`)
    }
    if (a.dom.length !== b.dom.length) return false
    if (a.isRecord() !== b.isRecord() && a.dom.length > 0) {
      throw new EvalError(`Attempted to check equality of ${a.isRecord() ? "record" : "function"}:\n${printValue(a)}\nwith the value:\n${printValue(b)}`)
    }
    for (let i = 0; i < a.dom.length; i++) if (!equals(a.dom[i], b.dom[i])) return false
    for (let i = 0; i < a.vals.length; i++) if (!equals(a.vals[i], b.vals[i])) return false
    return true
  }
  return false
}

const order = (v: Value): number => (v instanceof ModelValue ? 0 : 1)

/** TLC's normalized value order (used for set order, CHOOSE and enumeration). */
export const compare = (a: Value, b: Value): number => {
  if (a === b) return 0
  if (typeof a === "number") {
    if (typeof b === "number") return a < b ? -1 : 1
  } else if (typeof a === "boolean") {
    if (typeof b === "boolean") return a ? 1 : -1
  } else if (a instanceof Str) {
    if (b instanceof Str) return a.rank - b.rank
  } else if (a instanceof ModelValue) {
    if (b instanceof ModelValue) return a.rank - b.rank
  } else if (isSet(a)) {
    if (isSet(b)) {
      const x = toSet(a).elems
      const y = toSet(b).elems
      if (x.length !== y.length) return x.length - y.length
      for (let i = 0; i < x.length; i++) {
        const c = compare(x[i], y[i])
        if (c !== 0) return c
      }
      return 0
    }
  } else if (a instanceof Fcn && b instanceof Fcn) {
    if (a.dom.length !== b.dom.length) return a.dom.length - b.dom.length
    for (let i = 0; i < a.dom.length; i++) {
      const c = compare(a.dom[i], b.dom[i])
      if (c !== 0) return c
    }
    for (let i = 0; i < a.vals.length; i++) {
      const c = compare(a.vals[i], b.vals[i])
      if (c !== 0) return c
    }
    return 0
  }
  const oa = order(a)
  const ob = order(b)
  if (oa !== ob) return oa - ob
  throw new EvalError(`Attempted to compare ${kindName(a)} ${printValue(a)} with non-${kindName(a)}:\n${printValue(b)}`)
}

const normalizeElems = (items: Value[]): Value[] => {
  if (items.length <= 1) return items
  let allInts = true
  for (const v of items) {
    if (typeof v !== "number") {
      allInts = false
      break
    }
  }
  const sorted = allInts ? (items as number[]).slice().sort((a, b) => a - b) : items.slice().sort(compare)
  const out: Value[] = [sorted[0]]
  for (let i = 1; i < sorted.length; i++) {
    if (allInts ? sorted[i] !== sorted[i - 1] : compare(sorted[i], out[out.length - 1]) !== 0) out.push(sorted[i])
  }
  return out
}

// ---- fingerprints -------------------------------------------------------------------------------

// Two independent 32-bit hashes make one 64-bit fingerprint; results land in these scratch cells.
let H1 = 0
let H2 = 0

const mix = (h: number, x: number): number => {
  h = Math.imul(h ^ x, 0x5bd1e995)
  return (h ^ (h >>> 15)) | 0
}
const mix2 = (h: number, x: number): number => {
  h = Math.imul(h + x, 0x27d4eb2f) ^ 0x165667b1
  return Math.imul(h ^ (h >>> 13), 0x85ebca77) | 0
}
const fmix = (h: number): number => {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) | 0
}

const hashString = (s: string, tag: number): void => {
  let a = 0x811c9dc5 ^ tag
  let b = 0x9747b28c + tag
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = mix(a, c)
    b = mix2(b, c)
  }
  H1 = fmix(a ^ s.length)
  H2 = fmix(b + s.length)
}

/**
 * Sets and functions combine their elements' hashes with addition, which does not depend on
 * order. That makes the hash of a permuted value (SYMMETRY) computable without building and
 * re-sorting the permuted value.
 */
const hashInto = (v: Value): void => {
  if (typeof v === "number") {
    const lo = v | 0
    const hi = Math.floor(v / 4294967296) | 0
    H1 = fmix(mix(0x1234567, lo) ^ hi)
    H2 = fmix(mix2(0x7654321, lo) + hi)
    return
  }
  if (typeof v === "boolean") {
    H1 = v ? 0x3c6ef372 : 0x1b873593
    H2 = v ? 0x6a09e667 : 0x510e527f
    return
  }
  if (v instanceof Str) {
    if (v.h1 === 0 && v.h2 === 0) {
      hashString(v.s, 1)
      v.h1 = H1
      v.h2 = H2
    }
    H1 = v.h1
    H2 = v.h2
    return
  }
  if (v instanceof ModelValue) {
    hashString((PERM?.get(v) ?? v).name, 2)
    MV_SEEN = true
    return
  }
  if (v instanceof LazySet) {
    hashInto(v.enumerate())
    return
  }
  if (PERM !== null) {
    if (!v.hashed) hashPlain(v)
    if (v.mv === 1) {
      H1 = v.h1
      H2 = v.h2
      return
    }
    const cache = (v.sym ??= [])
    const k = 2 * PERM_ID
    if (cache[k] === undefined) {
      combine(v)
      cache[k] = H1
      cache[k + 1] = H2
    }
    H1 = cache[k]
    H2 = cache[k + 1]
    return
  }
  if (!v.hashed) hashPlain(v)
  else if (v.mv === 2) MV_SEEN = true
  H1 = v.h1
  H2 = v.h2
}

/** Hashes a set or function without permutation, caching the result and the model-value flag. */
const hashPlain = (v: SetValue | Fcn): void => {
  const savedPerm = PERM
  const savedSeen = MV_SEEN
  PERM = null
  MV_SEEN = false
  combine(v)
  v.h1 = H1
  v.h2 = H2
  v.hashed = true
  v.mv = MV_SEEN ? 2 : 1
  PERM = savedPerm
  MV_SEEN = savedSeen || MV_SEEN
}

const combine = (v: SetValue | Fcn): void => {
  let a = 0
  let b = 0
  if (v instanceof SetValue) {
    for (const e of v.elems) {
      hashInto(e)
      a = (a + fmix(H1 ^ 0x2545f491)) | 0
      b = (b + fmix(H2 + 0x4f6cdd1d)) | 0
    }
    H1 = fmix(mix(a, v.elems.length ^ 0x51ed27))
    H2 = fmix(mix2(b, v.elems.length))
    return
  }
  for (let i = 0; i < v.dom.length; i++) {
    hashInto(v.dom[i])
    const d1 = H1
    const d2 = H2
    hashInto(v.vals[i])
    // The pair (point, value) must hash asymmetrically: (1, 2) and (2, 1) differ.
    a = (a + fmix((Math.imul(d1, 0x9e3779b1) + fmix(H1 ^ 0x85ebca6b)) | 0)) | 0
    b = (b + fmix((Math.imul(d2 ^ 0x27d4eb2f, 0xcc9e2d51) ^ fmix(H2 + 0x1b873593)) | 0)) | 0
  }
  H1 = fmix(mix(a, v.dom.length ^ 0x68e31da4))
  H2 = fmix(mix2(b, v.dom.length ^ 0xb5297a4))
}

let PERM: ReadonlyMap<ModelValue, ModelValue> | null = null
let PERM_ID = 0
let MV_SEEN = false

/** The 64-bit fingerprint of a sequence of values (a state, or a view), as two 32-bit halves. */
export const fingerprintOf = (vals: ReadonlyArray<Value>, out: Uint32Array): void => {
  let a = 0x9e3779b9
  let b = 0x7f4a7c15
  for (const v of vals) {
    hashInto(v)
    a = mix(a, H1)
    b = mix2(b, H2)
  }
  out[0] = fmix(a) >>> 0
  out[1] = fmix(b ^ vals.length) >>> 0
}

/**
 * The fingerprint of the state after renaming model values by `map` (permutation number `id`
 * of the model), computed without building the renamed state.
 */
export const fingerprintPermuted = (vals: ReadonlyArray<Value>, map: ReadonlyMap<ModelValue, ModelValue>, id: number, out: Uint32Array): void => {
  PERM = map
  PERM_ID = id
  try {
    fingerprintOf(vals, out)
  } finally {
    PERM = null
  }
}

// ---- printing -------------------------------------------------------------------------------------

const escape = (s: string): string =>
  s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t").replace(/\r/g, "\\r").replace(/\f/g, "\\f")

/** TLC's printed form of a value on one line. */
export const printValue = (v: Value): string => {
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE"
  if (typeof v === "number") return String(v)
  if (v instanceof Str) return `"${escape(v.s)}"`
  if (v instanceof ModelValue) return v.name
  if (v instanceof Interval) return v.describe()
  if (v instanceof LazySet && !v.finite()) return v.describe()
  if (isSet(v)) return `{${toSet(v).elems.map(printValue).join(", ")}}`
  return printFcn(v, printValue)
}

const printFcn = (f: Fcn, p: (v: Value) => string): string => {
  if (f.isSeq()) return `<<${f.vals.map(p).join(", ")}>>`
  if (f.isRecord()) return `[${f.dom.map((d, i) => `${(d as Str).s} |-> ${p(f.vals[i])}`).join(", ")}]`
  return `(${f.dom.map((d, i) => `${p(d)} :> ${p(f.vals[i])}`).join(" @@ ")})`
}

/**
 * TLC's printed form, broken one element per line when the one-line form exceeds 80 columns.
 * `indent` is the column the value starts at.
 */
export const prettyValue = (v: Value, indent = 0): string => {
  const flat = printValue(v)
  if (flat.length + indent <= 80) return flat
  const pad = " ".repeat(indent)
  const block = (open: string, close: string, parts: string[]): string => {
    if (parts.length === 0) return open + close
    return open + " " + parts.join(`,\n${pad}${" ".repeat(open.length + 1)}`) + " " + close
  }
  if (isSet(v) && !(v instanceof Interval) && !(v instanceof LazySet && !v.finite())) {
    return block("{", "}", toSet(v).elems.map((e) => prettyValue(e, indent + 2)))
  }
  if (v instanceof Fcn) {
    if (v.isSeq()) return block("<<", ">>", v.vals.map((e) => prettyValue(e, indent + 3)))
    if (v.isRecord()) {
      return block(
        "[",
        "]",
        v.dom.map((d, i) => {
          const head = `${(d as Str).s} |-> `
          return head + prettyValue(v.vals[i], indent + 2 + head.length)
        })
      )
    }
    return `(${v.dom.map((d, i) => `${prettyValue(d, indent + 1)} :> ${prettyValue(v.vals[i], indent + 1)}`).join(` @@\n${pad} `)})`
  }
  return flat
}

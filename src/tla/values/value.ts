/**
 * The TLA+ values TLC computes with, one class per kind, plus the factories that build them.
 *
 * Invariants the rest of the toolkit relies on:
 * - Strings and model values are interned: one object per name, so `===` is equality and their
 *   `id` is their position in the current InternTable (TLC's order for them).
 * - Every finite function has exactly one representation: `<<>>` or a TupleValue when its domain
 *   is 1..n, a RecordValue when its domain is a non-empty set of strings, a FcnValue otherwise.
 *   Build functions with `makeFunction` (functions.ts), records with `record`, tuples with `tuple`.
 * - A SetValue may hold its elements unsorted and with duplicates; `setElements` (sets.ts) sorts
 *   them once into TLC's normalized order. Lazy sets (Interval, SUBSET, [S -> T], ...) answer
 *   membership without enumerating and enumerate to a canonical SetValue on demand.
 * - Integers are 32-bit, like TLC's: `int` rejects anything else, arithmetic (arith.ts) raises
 *   TLC's overflow error.
 * - Values are immutable once built, except for caches (normalization, fingerprint, enumeration).
 */
import { EvalError } from "./errors.ts"
import { InternTable, TLC_STARTUP_NAMES } from "./intern.ts"

export const Kind = {
  Bool: 0,
  Int: 1,
  Str: 2,
  ModelValue: 3,
  Set: 4,
  Interval: 5,
  Subset: 6,
  FcnSet: 7,
  RecordSet: 8,
  Product: 9,
  SeqSet: 10,
  Nat: 11,
  IntSet: 12,
  StringSet: 13,
  Tuple: 14,
  Record: 15,
  Fcn: 16
} as const
export type Kind = (typeof Kind)[keyof typeof Kind]

/** Per-value fingerprint cache, filled by fingerprint.ts (two 32-bit halves of a 64-bit hash). */
abstract class Fingerprinted {
  fpHi = 0
  fpLo = 0
  fpReady = false
}

export class BoolValue extends Fingerprinted {
  readonly kind = Kind.Bool
  constructor(readonly value: boolean) {
    super()
  }
}

export class IntValue extends Fingerprinted {
  readonly kind = Kind.Int
  constructor(readonly value: number) {
    super()
  }
}

export class StrValue extends Fingerprinted {
  readonly kind = Kind.Str
  constructor(
    readonly value: string,
    readonly id: number
  ) {
    super()
  }
}

export class ModelValue extends Fingerprinted {
  readonly kind = Kind.ModelValue
  /** "" when untyped; else the type letter of a name like `A_1` (TLC: one character, then "_"). */
  readonly type: string
  constructor(
    readonly name: string,
    readonly id: number
  ) {
    super()
    this.type = name.length > 2 && name[1] === "_" ? name[0] : ""
  }
}

/** An enumerated set. `elems` is canonical once `normalized` is true (see sets.ts). */
export class SetValue extends Fingerprinted {
  readonly kind = Kind.Set
  constructor(
    public elems: Value[],
    public normalized: boolean
  ) {
    super()
  }
}

/** `lo..hi`; empty when hi < lo. TLC prints it as `lo..hi` (or `{}` when empty). */
export class IntervalValue extends Fingerprinted {
  readonly kind = Kind.Interval
  constructor(
    readonly lo: number,
    readonly hi: number
  ) {
    super()
  }
  get size(): number {
    return this.hi < this.lo ? 0 : this.hi - this.lo + 1
  }
}

/** Lazy sets keep the canonical enumeration once computed. */
abstract class LazySet extends Fingerprinted {
  enumerated: SetValue | undefined = undefined
}

/** SUBSET base */
export class SubsetValue extends LazySet {
  readonly kind = Kind.Subset
  constructor(readonly base: SetLike) {
    super()
  }
}

/** [domain -> range] */
export class FcnSetValue extends LazySet {
  readonly kind = Kind.FcnSet
  constructor(
    readonly domain: SetLike,
    readonly range: SetLike
  ) {
    super()
  }
}

/** [a : S, b : T]; `names` sorted in TLC's order (by intern id), `sets` aligned with them. */
export class RecordSetValue extends LazySet {
  readonly kind = Kind.RecordSet
  constructor(
    readonly names: readonly StrValue[],
    readonly sets: readonly SetLike[]
  ) {
    super()
  }
}

/** S1 \X S2 \X ... */
export class ProductValue extends LazySet {
  readonly kind = Kind.Product
  constructor(readonly factors: readonly SetLike[]) {
    super()
  }
}

/** Seq(base): infinite unless base is empty; membership only. */
export class SeqSetValue extends LazySet {
  readonly kind = Kind.SeqSet
  constructor(readonly base: SetLike) {
    super()
  }
}

export class NatValue extends Fingerprinted {
  readonly kind = Kind.Nat
}
export class IntSetValue extends Fingerprinted {
  readonly kind = Kind.IntSet
}
export class StringSetValue extends Fingerprinted {
  readonly kind = Kind.StringSet
}

/** A function with domain 1..n (n >= 0): a sequence. `<<>>` is also the empty function. */
export class TupleValue extends Fingerprinted {
  readonly kind = Kind.Tuple
  constructor(readonly elems: readonly Value[]) {
    super()
  }
}

/** A function whose domain is a non-empty set of strings; `names` sorted by intern id. */
export class RecordValue extends Fingerprinted {
  readonly kind = Kind.Record
  constructor(
    readonly names: readonly StrValue[],
    readonly values: readonly Value[]
  ) {
    super()
  }
}

/** Any other finite function; `domain` is canonical (sorted, no duplicates), `values` aligned. */
export class FcnValue extends Fingerprinted {
  readonly kind = Kind.Fcn
  constructor(
    readonly domain: readonly Value[],
    readonly values: readonly Value[]
  ) {
    super()
  }
}

export type SetLike =
  | SetValue
  | IntervalValue
  | SubsetValue
  | FcnSetValue
  | RecordSetValue
  | ProductValue
  | SeqSetValue
  | NatValue
  | IntSetValue
  | StringSetValue
export type FunctionLike = TupleValue | RecordValue | FcnValue
export type Value = BoolValue | IntValue | StrValue | ModelValue | SetLike | FunctionLike

export const isSet = (v: Value): v is SetLike => v.kind >= Kind.Set && v.kind <= Kind.StringSet
export const isFunction = (v: Value): v is FunctionLike => v.kind >= Kind.Tuple

// ---------------------------------------------------------------------------------------------
// Interning

let table = new InternTable(TLC_STARTUP_NAMES)
let strings = new Map<string, StrValue>()
let modelValues = new Map<string, ModelValue>()

/**
 * Start a fresh intern table holding TLC's startup names, for a new model. Strings and model
 * values built before this call must not be mixed with those built after it.
 */
export function beginInterning(): InternTable {
  table = new InternTable(TLC_STARTUP_NAMES)
  strings = new Map()
  modelValues = new Map()
  return table
}

/** The table strings and model values are currently interned in. */
export const internTable = (): InternTable => table

/** Intern `name` (the loader calls this in TLC's order, see intern.ts). */
export const intern = (name: string): number => table.intern(name)

// ---------------------------------------------------------------------------------------------
// Factories

export const TRUE = new BoolValue(true)
export const FALSE = new BoolValue(false)
export const bool = (b: boolean): BoolValue => (b ? TRUE : FALSE)

const SMALL_MIN = -128
const SMALL_MAX = 1024
const smallInts: IntValue[] = []
for (let n = SMALL_MIN; n <= SMALL_MAX; n++) smallInts.push(new IntValue(n))

export const isInt32 = (n: number): boolean => (n | 0) === n

/** A TLC integer. Callers computing arithmetic check overflow first (arith.ts). */
export function int(n: number): IntValue {
  if (n >= SMALL_MIN && n <= SMALL_MAX && (n | 0) === n) return smallInts[n - SMALL_MIN]
  if (!isInt32(n)) throw new EvalError(`TLC can't handle a number this big.\n${n}`)
  return new IntValue(n)
}

export function str(s: string): StrValue {
  let v = strings.get(s)
  if (v === undefined) {
    v = new StrValue(s, table.intern(s))
    strings.set(s, v)
  }
  return v
}

export function modelValue(name: string): ModelValue {
  let v = modelValues.get(name)
  if (v === undefined) {
    v = new ModelValue(name, table.intern(name))
    modelValues.set(name, v)
  }
  return v
}

export const EMPTY_SET = new SetValue([], true)
export const EMPTY_TUPLE = new TupleValue([])
export const NAT = new NatValue()
export const INT = new IntSetValue()
export const STRING = new StringSetValue()
export const BOOLEAN = new SetValue([FALSE, TRUE], true)

/** `{e1, e2, ...}` as written: duplicates and any order are fine (normalized on first use). */
export const setOf = (elems: Value[]): SetValue => (elems.length === 0 ? EMPTY_SET : new SetValue(elems, false))

/** A set whose elements are already sorted in TLC's order and free of duplicates. */
export const setFromCanonical = (elems: Value[]): SetValue =>
  elems.length === 0 ? EMPTY_SET : new SetValue(elems, true)

export const interval = (lo: number, hi: number): IntervalValue => new IntervalValue(lo, hi)

export const tuple = (elems: readonly Value[]): TupleValue => (elems.length === 0 ? EMPTY_TUPLE : new TupleValue(elems))

/** `[a |-> 1, b |-> 2]`, fields in any order. The empty record is `<<>>`. */
export function record(fields: Iterable<readonly [string | StrValue, Value]>): RecordValue | TupleValue {
  const pairs: [StrValue, Value][] = []
  for (const [name, value] of fields) pairs.push([typeof name === "string" ? str(name) : name, value])
  if (pairs.length === 0) return EMPTY_TUPLE
  pairs.sort((a, b) => a[0].id - b[0].id)
  for (let i = 1; i < pairs.length; i++) {
    if (pairs[i][0] === pairs[i - 1][0]) {
      throw new EvalError(`Field name ${pairs[i][0].value} occurs multiple times in record.`)
    }
  }
  return new RecordValue(
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1])
  )
}

export const subsetOf = (base: SetLike): SubsetValue => new SubsetValue(base)
export const functionSet = (domain: SetLike, range: SetLike): FcnSetValue => new FcnSetValue(domain, range)
export const seqSet = (base: SetLike): SeqSetValue => new SeqSetValue(base)
export const product = (factors: readonly SetLike[]): ProductValue => new ProductValue(factors)

/** `[a : S, b : T]`, fields in any order. */
export function recordSet(fields: Iterable<readonly [string | StrValue, SetLike]>): RecordSetValue {
  const pairs: [StrValue, SetLike][] = []
  for (const [name, set] of fields) pairs.push([typeof name === "string" ? str(name) : name, set])
  pairs.sort((a, b) => a[0].id - b[0].id)
  for (let i = 1; i < pairs.length; i++) {
    if (pairs[i][0] === pairs[i - 1][0]) {
      throw new EvalError(`Field name ${pairs[i][0].value} occurs multiple times in record.`)
    }
  }
  return new RecordSetValue(
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1])
  )
}

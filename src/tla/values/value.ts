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
 * - Booleans and integers are plain JavaScript booleans and numbers (no allocation); integers
 *   are 32-bit, like TLC's: `int` rejects anything else, arithmetic (arith.ts) raises TLC's
 *   overflow error. Every other value is an object with a numeric `kind`; `kindOf` covers all.
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
  AnySet: 14,
  SetOp: 15,
  Tuple: 16,
  Record: 17,
  Fcn: 18,
  LazyFcn: 19
} as const
export type Kind = (typeof Kind)[keyof typeof Kind]

/**
 * Every value object carries its fingerprint cache (fpHi, fpLo, fpState), filled by
 * fingerprint.ts; sets and functions also have a slot (fpSym) in fingerprint.ts's table of
 * fingerprints under SYMMETRY permutations.
 *
 * Why each class is standalone and assigns all its fields in its own constructor: values are
 * built by the million, and V8 builds such objects in a few nanoseconds. A shared base class
 * made construction 100 to 1000 times slower: base-class field initializers shared by many
 * subclasses go megamorphic (~1.2 us per object), and under tsx, which redefines every class's
 * `name`, any derived class constructs ~10x slower (measured 280 ns against 25 ns).
 */
export class StrValue {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  declare readonly kind: typeof Kind.Str
  declare readonly value: string
  /** Position in the intern table: TLC's order of strings. */
  declare readonly id: number
  constructor(value: string, id: number) {
    this.kind = Kind.Str
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
    this.value = value
    this.id = id
  }
}

export class ModelValue {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  declare readonly kind: typeof Kind.ModelValue
  declare readonly name: string
  declare readonly id: number
  /** "" when untyped; else the type letter of a name like `A_1` (TLC: one character, then "_"). */
  declare readonly type: string
  constructor(name: string, id: number) {
    this.kind = Kind.ModelValue
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
    this.name = name
    this.id = id
    this.type = name.length > 2 && name[1] === "_" ? name[0] : ""
  }
}

/** An enumerated set. `elems` is canonical once `normalized` is true (see sets.ts). */
export class SetValue {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  declare fpSym: number
  declare readonly kind: typeof Kind.Set
  declare elems: Value[]
  declare normalized: boolean
  constructor(elems: Value[], normalized: boolean) {
    this.kind = Kind.Set
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
    this.fpSym = -1
    this.elems = elems
    this.normalized = normalized
  }
}

/** `lo..hi`; empty when hi < lo. TLC prints it as `lo..hi` (or `{}` when empty). */
export class IntervalValue {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  declare readonly kind: typeof Kind.Interval
  declare readonly lo: number
  declare readonly hi: number
  constructor(lo: number, hi: number) {
    this.kind = Kind.Interval
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
    this.lo = lo
    this.hi = hi
  }
  get size(): number {
    return this.hi < this.lo ? 0 : this.hi - this.lo + 1
  }
}

/** SUBSET base */
export class SubsetValue {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  /** The canonical enumeration, once computed. */
  declare enumerated: SetValue | undefined
  declare readonly kind: typeof Kind.Subset
  declare readonly base: SetLike
  constructor(base: SetLike) {
    this.kind = Kind.Subset
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
    this.enumerated = undefined
    this.base = base
  }
}

/** [domain -> range] */
export class FcnSetValue {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  /** The canonical enumeration, once computed. */
  declare enumerated: SetValue | undefined
  declare readonly kind: typeof Kind.FcnSet
  declare readonly domain: SetLike
  declare readonly range: SetLike
  constructor(domain: SetLike, range: SetLike) {
    this.kind = Kind.FcnSet
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
    this.enumerated = undefined
    this.domain = domain
    this.range = range
  }
}

/** [a : S, b : T]; `names` sorted in TLC's order (by intern id), `sets` aligned with them. */
export class RecordSetValue {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  /** The canonical enumeration, once computed. */
  declare enumerated: SetValue | undefined
  declare readonly kind: typeof Kind.RecordSet
  declare readonly names: readonly StrValue[]
  declare readonly sets: readonly SetLike[]
  constructor(names: readonly StrValue[], sets: readonly SetLike[]) {
    this.kind = Kind.RecordSet
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
    this.enumerated = undefined
    this.names = names
    this.sets = sets
  }
}

/** S1 \X S2 \X ... */
export class ProductValue {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  /** The canonical enumeration, once computed. */
  declare enumerated: SetValue | undefined
  declare readonly kind: typeof Kind.Product
  declare readonly factors: readonly SetLike[]
  constructor(factors: readonly SetLike[]) {
    this.kind = Kind.Product
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
    this.enumerated = undefined
    this.factors = factors
  }
}

/** Seq(base): infinite unless base is empty. */
export class SeqSetValue {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  /** The canonical enumeration, once computed. */
  declare enumerated: SetValue | undefined
  declare readonly kind: typeof Kind.SeqSet
  declare readonly base: SetLike
  constructor(base: SetLike) {
    this.kind = Kind.SeqSet
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
    this.enumerated = undefined
    this.base = base
  }
}

/** Nat, Int, STRING and the TLC module's Any (which contains every value). */
export class InfiniteSetValue<K extends typeof Kind.Nat | typeof Kind.IntSet | typeof Kind.StringSet | typeof Kind.AnySet> {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  declare readonly kind: K
  constructor(kind: K) {
    this.kind = kind
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
  }
}
export type NatValue = InfiniteSetValue<typeof Kind.Nat>
export type IntSetValue = InfiniteSetValue<typeof Kind.IntSet>
export type StringSetValue = InfiniteSetValue<typeof Kind.StringSet>
export type AnySetValue = InfiniteSetValue<typeof Kind.AnySet>

/**
 * `left \cup right`, `left \cap right` or `left \ right` when an operand is infinite (e.g.
 * `Nat \ {0}`): kept symbolic, since only membership can be asked of it (sets.ts builds these).
 */
export class SetOpValue {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  declare readonly kind: typeof Kind.SetOp
  declare readonly op: "\\cup" | "\\cap" | "\\"
  declare readonly left: SetLike
  declare readonly right: SetLike
  constructor(op: "\\cup" | "\\cap" | "\\", left: SetLike, right: SetLike) {
    this.kind = Kind.SetOp
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
    this.op = op
    this.left = left
    this.right = right
  }
}

/** A function with domain 1..n (n >= 0): a sequence. `<<>>` is also the empty function. */
export class TupleValue {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  declare fpSym: number
  declare readonly kind: typeof Kind.Tuple
  declare readonly elems: readonly Value[]
  constructor(elems: readonly Value[]) {
    this.kind = Kind.Tuple
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
    this.fpSym = -1
    this.elems = elems
  }
}

/** A function whose domain is a non-empty set of strings; `names` sorted by intern id. */
export class RecordValue {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  declare fpSym: number
  declare readonly kind: typeof Kind.Record
  declare readonly names: readonly StrValue[]
  declare readonly values: readonly Value[]
  constructor(names: readonly StrValue[], values: readonly Value[]) {
    this.kind = Kind.Record
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
    this.fpSym = -1
    this.names = names
    this.values = values
  }
}

/** Any other finite function; `domain` is canonical (sorted, no duplicates), `values` aligned. */
export class FcnValue {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  declare fpSym: number
  declare readonly kind: typeof Kind.Fcn
  declare readonly domain: readonly Value[]
  declare readonly values: readonly Value[]
  constructor(domain: readonly Value[], values: readonly Value[]) {
    this.kind = Kind.Fcn
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
    this.fpSym = -1
    this.domain = domain
    this.values = values
  }
}

/**
 * A function defined by `f[x \in S] == body` that can only be applied: over an infinite domain
 * (`fact[n \in Nat] == ...`), or while its finite table is still being built (a recursive
 * definition applies itself). Points are computed on demand and remembered. It has no
 * equality, order, fingerprint or enumeration (TLC cannot compute those either).
 */
export class LazyFunctionValue {
  declare fpHi: number
  declare fpLo: number
  declare fpState: number
  declare readonly kind: typeof Kind.LazyFcn
  /** The function's name, for messages and printing. */
  declare readonly name: string
  declare readonly domain: SetLike
  declare readonly compute: (arg: Value) => Value
  declare readonly memo: Map<Value, Value>
  constructor(name: string, domain: SetLike, compute: (arg: Value) => Value) {
    this.kind = Kind.LazyFcn
    this.fpHi = 0
    this.fpLo = 0
    this.fpState = 0
    this.name = name
    this.domain = domain
    this.compute = compute
    this.memo = new Map()
  }
}

export type SetLike =
  | SetValue
  | AnySetValue
  | SetOpValue
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
export type Value = boolean | number | StrValue | ModelValue | SetLike | FunctionLike | LazyFunctionValue
/** The values that are objects (all but booleans and integers). */
export type ObjectValue = StrValue | ModelValue | SetLike | FunctionLike | LazyFunctionValue

export const kindOf = (v: Value): Kind =>
  typeof v === "number" ? Kind.Int : typeof v === "boolean" ? Kind.Bool : v.kind

export const isModelValue = (v: Value): v is ModelValue => typeof v === "object" && v.kind === Kind.ModelValue
export const isStr = (v: Value): v is StrValue => typeof v === "object" && v.kind === Kind.Str

export const isSet = (v: Value): v is SetLike => typeof v === "object" && v.kind >= Kind.Set && v.kind <= Kind.SetOp
/** A finite function (tuple, record or other); a LazyFunctionValue is not one: it can only be applied. */
export const isFunction = (v: Value): v is FunctionLike => typeof v === "object" && v.kind >= Kind.Tuple && v.kind <= Kind.Fcn

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

export const TRUE = true
export const FALSE = false
export const bool = (b: boolean): boolean => b

export const isInt32 = (n: number): boolean => (n | 0) === n

/** A TLC integer: a 32-bit JavaScript number. Arithmetic checks overflow first (arith.ts). */
export function int(n: number): number {
  if (!isInt32(n)) throw new EvalError(`TLC can't handle a number this big.\n${n}`)
  return n
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
export const NAT: NatValue = new InfiniteSetValue(Kind.Nat)
export const INT: IntSetValue = new InfiniteSetValue(Kind.IntSet)
export const STRING: StringSetValue = new InfiniteSetValue(Kind.StringSet)
export const ANY: AnySetValue = new InfiniteSetValue(Kind.AnySet)
export const BOOLEAN = new SetValue([false, true], true)

/** `{e1, e2, ...}` as written: duplicates and any order are fine (normalized on first use). */
export const setOf = (elems: Value[]): SetValue => (elems.length === 0 ? EMPTY_SET : new SetValue(elems, false))

/** A set whose elements are already sorted in TLC's order and free of duplicates. */
export const setFromCanonical = (elems: Value[]): SetValue =>
  elems.length === 0 ? EMPTY_SET : new SetValue(elems, true)

export const interval = (lo: number, hi: number): IntervalValue => new IntervalValue(lo, hi)

export const tuple = (elems: readonly Value[]): TupleValue => (elems.length === 0 ? EMPTY_TUPLE : new TupleValue(elems))

/** `[a |-> 1, b |-> 2]`, fields in any order. The empty record is `<<>>`. */
export function record(fields: Iterable<readonly [string | StrValue, Value]>): RecordValue | TupleValue {
  const { names, items } = sortedFields(fields)
  return names.length === 0 ? EMPTY_TUPLE : new RecordValue(names, items)
}

/**
 * Interned field names with their items, in TLC's order of names (insertion sort: records are
 * small); a repeated name is TLC's error.
 */
function sortedFields<T>(fields: Iterable<readonly [string | StrValue, T]>): { names: StrValue[]; items: T[] } {
  const names: StrValue[] = []
  const items: T[] = []
  for (const [field, item] of fields) {
    const name = typeof field === "string" ? str(field) : field
    let j = names.length
    names.push(name)
    items.push(item)
    while (j > 0 && names[j - 1].id > name.id) {
      names[j] = names[j - 1]
      items[j] = items[j - 1]
      j--
    }
    if (j > 0 && names[j - 1].id === name.id) throw new EvalError(`Field name ${name.value} occurs multiple times in record.`)
    names[j] = name
    items[j] = item
  }
  return { names, items }
}

export const subsetOf = (base: SetLike): SubsetValue => new SubsetValue(base)
export const functionSet = (domain: SetLike, range: SetLike): FcnSetValue => new FcnSetValue(domain, range)
export const seqSet = (base: SetLike): SeqSetValue => new SeqSetValue(base)
export const product = (factors: readonly SetLike[]): ProductValue => new ProductValue(factors)

/** `[a : S, b : T]`, fields in any order. */
export function recordSet(fields: Iterable<readonly [string | StrValue, SetLike]>): RecordSetValue {
  const { names, items } = sortedFields(fields)
  return new RecordSetValue(names, items)
}

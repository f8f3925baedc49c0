/**
 * Finite functions: building them in their one canonical representation (tuple, record or
 * general function), applying them, their domain, and EXCEPT.
 */
import { EvalError } from "./errors.ts"
import { compare, domainAt, equals, orderFor } from "./order.ts"
import { show } from "./pretty.ts"
import { contains } from "./sets.ts"
import {
  EMPTY_SET,
  EMPTY_TUPLE,
  FcnValue,
  interval,
  isFunction,
  isStr,
  Kind,
  RecordValue,
  setFromCanonical,
  TupleValue,
  type FunctionLike,
  type LazyFunctionValue,
  type SetLike,
  type StrValue,
  type Value
} from "./value.ts"

const duplicateInDomain = (d: Value): EvalError =>
  new EvalError(`The value\n${show(d)}\noccurs multiple times in the function domain.`)

/**
 * The function mapping domain[i] to values[i], in any domain order. A domain 1..n gives a tuple,
 * a domain of strings a record; a repeated domain element is TLC's error.
 */
export function makeFunction(domain: readonly Value[], values: readonly Value[]): FunctionLike {
  const n = domain.length
  if (n !== values.length) throw new RangeError("makeFunction: domain and values differ in length")
  if (n === 0) return EMPTY_TUPLE
  const d = domain.slice()
  const v = values.slice()
  const cmp = orderFor(d)
  if (n <= 16) {
    // Insertion sort: functions are mostly small, and often already in order.
    for (let i = 1; i < n; i++) {
      const di = d[i]
      const vi = v[i]
      let j = i
      while (j > 0 && cmp(d[j - 1], di) > 0) {
        d[j] = d[j - 1]
        v[j] = v[j - 1]
        j--
      }
      d[j] = di
      v[j] = vi
    }
  } else {
    const order = Array.from({ length: n }, (_, i) => i)
    order.sort((a, b) => cmp(domain[a], domain[b]))
    for (let i = 0; i < n; i++) {
      d[i] = domain[order[i]]
      v[i] = values[order[i]]
    }
  }
  for (let i = 1; i < n; i++) if (cmp(d[i - 1], d[i]) === 0) throw duplicateInDomain(d[i])
  return functionBuilder(d)(v)
}

/**
 * For a canonical (sorted, duplicate-free) domain, a builder of the functions on it: used to
 * enumerate [S -> T] without re-examining the domain for every function.
 */
export function functionBuilder(domain: readonly Value[]): (values: Value[]) => FunctionLike {
  const n = domain.length
  if (n === 0) return () => EMPTY_TUPLE
  const first = domain[0]
  const last = domain[n - 1]
  if (first === 1 && last === n && domain.every((d) => typeof d === "number")) {
    // Sorted distinct integers from 1 to n: exactly 1..n.
    return (values) => new TupleValue(values)
  }
  if (domain.every(isStr)) {
    const names = domain as readonly StrValue[]
    return (values) => new RecordValue(names, values)
  }
  return (values) => new FcnValue(domain, values)
}

const notInDomain = (f: FunctionLike, arg: Value): EvalError =>
  new EvalError(
    `Attempted to apply function:\n${show(f)}\nto argument ${show(arg)}, which is not in the domain of the function.`
  )

/** Index of `arg` in f's canonical domain, or -1. */
export function indexInDomain(f: FunctionLike, arg: Value): number {
  switch (f.kind) {
    case Kind.Tuple:
      return typeof arg === "number" && arg >= 1 && arg <= f.elems.length ? arg - 1 : -1
    case Kind.Record:
      if (!isStr(arg)) return -1
      return binarySearch(f.names.length, (i) => arg.id - f.names[i].id)
    case Kind.Fcn: {
      const domain = f.domain
      // Like TLC: small domains by equality, large ones by binary search in the canonical order.
      if (domain.length < 32) {
        for (let i = 0; i < domain.length; i++) if (equals(domain[i], arg)) return i
        return -1
      }
      return binarySearch(domain.length, (i) => compare(arg, domain[i]))
    }
  }
}

/**
 * Where `arg` is, or would go, in a canonical domain (sorted in TLC's order): its index, and
 * whether it is there. Raises what `compare` raises for values that do not compare.
 */
export function positionInDomain(domain: readonly Value[], arg: Value): { readonly at: number; readonly found: boolean } {
  let low = 0
  let high = domain.length
  while (low < high) {
    const mid = (low + high) >> 1
    const c = domain[mid] === arg ? 0 : compare(arg, domain[mid])
    if (c === 0) return { at: mid, found: true }
    if (c < 0) high = mid
    else low = mid + 1
  }
  return { at: low, found: false }
}

function binarySearch(n: number, cmp: (i: number) => number): number {
  let low = 0
  let high = n
  while (low < high) {
    const mid = (low + high) >> 1
    const c = cmp(mid)
    if (c === 0) return mid
    if (c < 0) high = mid
    else low = mid + 1
  }
  return -1
}

/** f's values, aligned with its canonical domain. */
export const valuesOf = (f: FunctionLike): readonly Value[] => (f.kind === Kind.Tuple ? f.elems : f.values)

/** Whether `arg \in DOMAIN f`. */
export function inDomain(f: FunctionLike, arg: Value): boolean {
  return indexInDomain(f, arg) >= 0
}

/** `f[arg]` */
export function apply(f: Value, arg: Value): Value {
  if (typeof f === "object" && f.kind === Kind.LazyFcn) return applyLazy(f, arg)
  if (!isFunction(f)) throw new EvalError(`A non-function (${show(f)}) was applied as a function.`)
  const i = indexInDomain(f, arg)
  if (i < 0) throw notInDomain(f, arg)
  return valuesOf(f)[i]
}

/** A point of a function that can only be applied: computed once, then remembered. */
function applyLazy(f: LazyFunctionValue, arg: Value): Value {
  let v = f.memo.get(arg)
  if (v === undefined) {
    if (!contains(f.domain, arg)) {
      throw new EvalError(`Attempted to apply function ${f.name} to argument ${show(arg)}, which is not in the domain of the function.`)
    }
    v = f.compute(arg)
    f.memo.set(arg, v)
  }
  return v
}

/** `r.field` */
export function selectField(r: Value, field: string): Value {
  if (!isFunction(r)) throw new EvalError(`Attempted to select field "${field}" from the non-record value\n${show(r)}`)
  if (r.kind === Kind.Record) {
    for (let i = 0; i < r.names.length; i++) if (r.names[i].value === field) return r.values[i]
  }
  if (r.kind === Kind.Record || (r.kind === Kind.Tuple && r.elems.length === 0)) {
    throw new EvalError(`Attempted to select nonexistent field "${field}" from the record\n${show(r)}`)
  }
  throw new EvalError(`Attempted to select field "${field}" from the non-record value\n${show(r)}`)
}

/** `DOMAIN f` (a function that can only be applied has its defining set as domain) */
export function domainOf(f: Value): SetLike {
  if (typeof f === "object" && f.kind === Kind.LazyFcn) return f.domain
  if (!isFunction(f)) throw new EvalError(`Attempted to compute the domain of the non-function\n${show(f)}`)
  // Values are immutable, so the domain set shares the function's canonical domain array.
  switch (f.kind) {
    case Kind.Tuple:
      // The empty function is also EmptyBag, whose domain TLC holds as an enumerated {}:
      // asking it whether it contains a record is FALSE, not an interval's error.
      return f.elems.length === 0 ? EMPTY_SET : interval(1, f.elems.length)
    case Kind.Record:
      return setFromCanonical(f.names as Value[])
    case Kind.Fcn:
      return setFromCanonical(f.domain as Value[])
  }
}

/** f with the value at canonical domain position i replaced (f itself when it is the same). */
export function withValueAt(f: FunctionLike, i: number, value: Value): FunctionLike {
  const old = valuesOf(f)
  if (old[i] === value) return f
  const values = old.slice()
  values[i] = value
  switch (f.kind) {
    case Kind.Tuple:
      return new TupleValue(values)
    case Kind.Record:
      return new RecordValue(f.names, values)
    case Kind.Fcn:
      return new FcnValue(f.domain, values)
  }
}

/**
 * `[f EXCEPT ![arg] = value]`. Like TLC, an `arg` outside DOMAIN f leaves f unchanged
 * (TLC only warns).
 */
export function except(f: Value, arg: Value, value: Value): Value {
  if (!isFunction(f)) throw new EvalError(`Attempted to apply EXCEPT to the non-function\n${show(f)}`)
  const i = indexInDomain(f, arg)
  return i < 0 ? f : withValueAt(f, i, value)
}

/** The (argument, value) pairs of f in canonical domain order. */
export function* entries(f: FunctionLike): Generator<[Value, Value]> {
  const values = valuesOf(f)
  for (let i = 0; i < values.length; i++) yield [domainAt(f, i), values[i]]
}

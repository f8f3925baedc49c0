/**
 * Equality and TLC's normalized order (TLC-FACTS §7, §8).
 *
 * `equals` is structural and raises TLC's error where TLC refuses to compare (an integer with a
 * string, a set with a tuple, a record with a sequence, differently-typed model values, ...).
 * Untyped model values are simply unequal to every non-model value.
 *
 * `compare` is the order TLC sorts sets in, enumerates `\E`/`\in` in and takes CHOOSE witnesses
 * from: model values first, integers ascending, FALSE < TRUE, strings by intern position, sets
 * by size then element by element, functions by domain size, then domain, then values.
 * It raises TLC's error for values of different types. Only its sign is meaningful.
 */
import { EvalError } from "./errors.ts"
import { show } from "./pretty.ts"
import { isInfinite, setElements, setSize } from "./sets.ts"
import {
  isFunction,
  isModelValue,
  isStr,
  kindOf,
  isSet,
  Kind,
  type FunctionLike,
  type LazyFunctionValue,
  type ModelValue,
  type SetLike,
  type Value
} from "./value.ts"

export function equals(a: Value, b: Value): boolean {
  if (a === b) return true
  if (typeof a === "number") {
    if (typeof b === "number") return false
    if (isModelValue(b)) return modelValueEqualsOther(b, a)
    throw new EvalError(`Attempted to check equality of integer ${show(a)} with non-integer:\n${show(b)}`)
  }
  if (typeof a === "boolean") {
    if (typeof b === "boolean") return false
    if (isModelValue(b)) return modelValueEqualsOther(b, a)
    throw new EvalError(`Attempted to compare equality of boolean ${show(a)} with non-boolean:\n${show(b)}`)
  }
  switch (a.kind) {
    case Kind.Str:
      if (isStr(b)) return a.value === b.value
      if (isModelValue(b)) return modelValueEqualsOther(b, a)
      throw new EvalError(`Attempted to check equality of string ${show(a)} with non-string:\n${show(b)}`)
    case Kind.ModelValue:
      return modelValueEquals(a, b)
    case Kind.Tuple:
    case Kind.Record:
    case Kind.Fcn:
      return functionEquals(a, b)
    case Kind.LazyFcn:
      throw lazyFunctionUsed(a)
    default:
      return setEquals(a, b)
  }
}

/** A function that can only be applied (LazyFunctionValue) was compared. */
export const lazyFunctionUsed = (f: LazyFunctionValue): EvalError =>
  new EvalError(`The function ${f.name} is defined over an infinite domain: TLC can only apply it, not compare, enumerate or fingerprint it.`)

function modelValueEquals(a: ModelValue, b: Value): boolean {
  if (a.type === "") return isModelValue(b) && a.name === b.name
  if (isModelValue(b)) {
    if (b.type === a.type || b.type === "") return a.name === b.name
    throw new EvalError(`Attempted to check equality of the differently-typed model values ${a.name} and ${b.name}`)
  }
  throw new EvalError(`Attempted to check equality of typed model value ${a.name} and non-model value\n${show(b)}`)
}

/** `other = mv` for a non-model value `other`: FALSE, or TLC's error when `mv` is typed. */
function modelValueEqualsOther(mv: ModelValue, other: Value): boolean {
  if (mv.type !== "") {
    throw new EvalError(
      `Attempted to check equality of the typed model value ${mv.name} and the non-model value\n${show(other)}`
    )
  }
  return false
}

function setEquals(a: SetLike, b: Value): boolean {
  if (!isSet(b)) {
    if (isModelValue(b)) return modelValueEqualsOther(b, a)
    throw new EvalError(`Attempted to check equality of the set ${show(a)} with the value:\n${show(b)}`)
  }
  if (a.kind === Kind.Interval && b.kind === Kind.Interval) {
    const n = a.size
    return n === b.size && (n === 0 || a.lo === b.lo)
  }
  const infiniteA = isInfinite(a)
  const infiniteB = isInfinite(b)
  if (infiniteA || infiniteB) {
    if (infiniteA !== infiniteB || a.kind !== b.kind) return false
    if (a.kind === Kind.SeqSet && b.kind === Kind.SeqSet) return equals(a.base, b.base)
    if (a.kind === Kind.Nat || a.kind === Kind.IntSet || a.kind === Kind.StringSet) return true
    throw new EvalError(`TLC cannot decide whether the infinite sets ${show(a)} and ${show(b)} are equal.`)
  }
  const ea = setElements(a)
  const eb = setElements(b)
  if (ea.length !== eb.length) return false
  for (let i = 0; i < ea.length; i++) if (!equals(ea[i], eb[i])) return false
  return true
}

// ---------------------------------------------------------------------------------------------
// Functions: a uniform view over the three representations.

export function functionSize(f: FunctionLike): number {
  return f.kind === Kind.Tuple ? f.elems.length : f.values.length
}

function functionValueAt(f: FunctionLike, i: number): Value {
  return f.kind === Kind.Tuple ? f.elems[i] : f.values[i]
}

/** The i-th element of a function's canonical domain. */
export function domainAt(f: FunctionLike, i: number): Value {
  return f.kind === Kind.Tuple ? i + 1 : f.kind === Kind.Record ? f.names[i] : f.domain[i]
}

function recordMismatch(rcd: FunctionLike, other: Value, verb: string): EvalError {
  return new EvalError(`Attempted to ${verb} record:\n${show(rcd)}\nwith non-record\n${show(other)}`)
}

function functionEquals(a: FunctionLike, b: Value): boolean {
  if (!isFunction(b)) {
    if (isModelValue(b)) return modelValueEqualsOther(b, a)
    if (a.kind === Kind.Record) throw recordMismatch(a, b, "check equality of")
    throw new EvalError(`Attempted to check equality of the function ${show(a)} with the value:\n${show(b)}`)
  }
  const n = functionSize(a)
  if (a.kind === Kind.Record) {
    if (b.kind !== Kind.Record) {
      if (functionSize(b) === 0) return false
      throw recordMismatch(a, b, "check equality of")
    }
    if (b.values.length !== n) return false
    for (let i = 0; i < n; i++) if (a.names[i] !== b.names[i]) return false
    for (let i = 0; i < n; i++) if (!equals(a.values[i], b.values[i])) return false
    return true
  }
  if (functionSize(b) !== n) return false
  if (a.kind === Kind.Tuple || b.kind === Kind.Tuple) {
    // One side has domain 1..n: the other's domain must be exactly that.
    const other = a.kind === Kind.Tuple ? b : a
    if (other.kind !== Kind.Tuple) {
      for (let i = 0; i < n; i++) {
        const d = domainAt(other, i)
        if (typeof d !== "number") throw new EvalError(`Attempted to compare an integer with non-integer:\n${show(d)}.`)
        if (d !== i + 1) return false
      }
    }
  } else {
    for (let i = 0; i < n; i++) if (!equals(a.domain[i], domainAt(b, i))) return false
  }
  for (let i = 0; i < n; i++) if (!equals(functionValueAt(a, i), functionValueAt(b, i))) return false
  return true
}

// ---------------------------------------------------------------------------------------------
// Order

export function compare(a: Value, b: Value): number {
  if (a === b) return 0
  if (typeof a === "number") {
    if (typeof b === "number") return a < b ? -1 : 1
    if (isModelValue(b)) return 1
    throw new EvalError(`Attempted to compare integer ${show(a)} with non-integer:\n${show(b)}`)
  }
  if (typeof a === "boolean") {
    if (typeof b === "boolean") return a ? 1 : -1
    if (isModelValue(b)) return 1
    throw new EvalError(`Attempted to compare boolean ${show(a)} with non-boolean:\n${show(b)}`)
  }
  switch (a.kind) {
    case Kind.Str:
      if (isStr(b)) return a.id - b.id
      if (isModelValue(b)) return 1
      throw new EvalError(`Attempted to compare string ${show(a)} with non-string:\n${show(b)}`)
    case Kind.ModelValue:
      return isModelValue(b) ? a.id - b.id : -1
    case Kind.Tuple:
    case Kind.Record:
    case Kind.Fcn:
      return compareFunctions(a, b)
    case Kind.LazyFcn:
      throw lazyFunctionUsed(a)
    default:
      return compareSets(a, b)
  }
}

/**
 * `compare`, or a faster equivalent when all `values` are integers, or all strings, or all
 * model values (these compare by value or intern position alone).
 */
export function orderFor(values: readonly Value[]): (a: Value, b: Value) => number {
  const kind = kindOf(values[0])
  for (let i = 1; i < values.length; i++) if (kindOf(values[i]) !== kind) return compare
  if (kind === Kind.Int) return byIntValue
  if (kind === Kind.Str || kind === Kind.ModelValue) return byInternId
  return compare
}

const byIntValue = (a: Value, b: Value): number => (a as number) - (b as number)
const byInternId = (a: Value, b: Value): number => (a as { id: number }).id - (b as { id: number }).id

function compareSets(a: SetLike, b: Value): number {
  if (!isSet(b)) {
    if (isModelValue(b)) return 1
    throw new EvalError(`Attempted to compare the set ${show(a)} with the value:\n${show(b)}`)
  }
  if (a.kind === Kind.Interval && b.kind === Kind.Interval) {
    const bySize = a.size - b.size
    return bySize !== 0 || a.size === 0 ? bySize : a.lo - b.lo
  }
  const bySize = setSize(a) - setSize(b)
  if (bySize !== 0) return bySize
  const ea = setElements(a)
  const eb = setElements(b)
  for (let i = 0; i < ea.length; i++) {
    const c = compare(ea[i], eb[i])
    if (c !== 0) return c
  }
  return 0
}

function compareFunctions(a: FunctionLike, b: Value): number {
  if (!isFunction(b)) {
    if (isModelValue(b)) return 1
    if (a.kind === Kind.Record) throw recordMismatch(a, b, "compare")
    throw new EvalError(`Attempted to compare the function ${show(a)} with the value:\n${show(b)}`)
  }
  const n = functionSize(a)
  const bySize = n - functionSize(b)
  if (bySize !== 0) return bySize
  if (a.kind === Kind.Record && b.kind !== Kind.Record) throw recordMismatch(a, b, "compare")
  const byDomain = compareDomains(a, b, n)
  if (byDomain !== 0) return byDomain
  for (let i = 0; i < n; i++) {
    const c = compare(functionValueAt(a, i), functionValueAt(b, i))
    if (c !== 0) return c
  }
  return 0
}

/** Domains of two equal-sized functions, element by element (a tuple's domain is 1..n). */
function compareDomains(a: FunctionLike, b: FunctionLike, n: number): number {
  if (a.kind === Kind.Tuple && b.kind === Kind.Tuple) return 0
  for (let i = 0; i < n; i++) {
    let c: number
    if (a.kind === Kind.Tuple) {
      const d = domainAt(b, i)
      if (typeof d !== "number") throw new EvalError(`Attempted to compare integer with non-integer:\n${show(d)}.`)
      c = i + 1 - d
    } else if (b.kind === Kind.Tuple) {
      // TLC's message in this direction lacks the colon.
      const d = domainAt(a, i)
      if (typeof d !== "number") throw new EvalError(`Attempted to compare integer with non-integer\n${show(d)}.`)
      c = d - (i + 1)
    } else {
      c = compare(domainAt(a, i), domainAt(b, i))
    }
    if (c !== 0) return c
  }
  return 0
}

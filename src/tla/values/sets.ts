/**
 * Set semantics: TLC's normalized element order, membership without enumeration for the lazy
 * sets (intervals, SUBSET, [S -> T], record sets, products, Seq, Nat, Int, STRING), enumeration
 * to canonical sets, and the set operators the evaluator needs.
 */
import { EvalError } from "./errors.ts"
import { functionBuilder } from "./functions.ts"
import { compare, domainAt, equals, functionSize, orderFor } from "./order.ts"
import { show } from "./pretty.ts"
import {
  EMPTY_SET,
  EMPTY_TUPLE,
  isFunction,
  isModelValue,
  isSet,
  isStr,
  Kind,
  RecordValue,
  SetOpValue,
  setFromCanonical,
  TupleValue,
  type ModelValue,
  type SetLike,
  type SetValue,
  type Value
} from "./value.ts"

/** TLC refuses to build sets larger than this (its default -maxSetSize). */
export const MAX_SET_SIZE = 1_000_000

const tooLarge = (): EvalError =>
  new EvalError(`Attempted to construct a set with too many elements (>${MAX_SET_SIZE}).`)

/**
 * `elems` sorted in TLC's order with duplicates removed (a fresh array). When two elements
 * cannot be compared, the error is the one TLC's own insertion sort meets first.
 */
export function canonicalOrder(elems: readonly Value[]): Value[] {
  const n = elems.length
  if (n < 2) return elems.slice()
  const sorted = elems.slice()
  try {
    const cmp = orderFor(elems)
    if (n <= 16) {
      // Insertion sort: most sets are small, and often already in order.
      for (let i = 1; i < n; i++) {
        const e = sorted[i]
        let j = i
        while (j > 0 && cmp(sorted[j - 1], e) > 0) {
          sorted[j] = sorted[j - 1]
          j--
        }
        sorted[j] = e
      }
    } else if (!isStrictlyAscending(sorted, cmp)) {
      sorted.sort(cmp)
    }
    let w = 1
    for (let r = 1; r < n; r++) if (cmp(sorted[w - 1], sorted[r]) !== 0) sorted[w++] = sorted[r]
    sorted.length = w
  } catch (e) {
    if (e instanceof EvalError) tlcInsertionSort(elems)
    throw e
  }
  return sorted
}

function isStrictlyAscending(elems: readonly Value[], cmp: (a: Value, b: Value) => number): boolean {
  for (let i = 1; i < elems.length; i++) if (cmp(elems[i - 1], elems[i]) >= 0) return false
  return true
}

/**
 * TLC's ValueVec.sort (binary insertion, new element compared against the sorted prefix), run
 * only to reproduce which comparison TLC reports when a set cannot be normalized.
 */
function tlcInsertionSort(elems: readonly Value[]): void {
  const out: Value[] = [elems[0]]
  for (let i = 1; i < elems.length; i++) {
    const elem = elems[i]
    let low = 0
    let high = out.length
    let cmp = 0
    let idx = 0
    while (low < high) {
      idx = (low + high) >> 1
      cmp = compare(elem, out[idx])
      if (cmp === 0) break
      if (cmp < 0) high = idx
      else low = idx + 1
    }
    if (cmp !== 0) out.splice(cmp < 0 ? idx : idx + 1, 0, elem)
  }
}

/** Whether a set value is infinite (decided without enumerating it). */
export function isInfinite(s: SetLike): boolean {
  switch (s.kind) {
    case Kind.Nat:
    case Kind.IntSet:
    case Kind.StringSet:
    case Kind.AnySet:
      return true
    case Kind.SetOp:
      // Built only when an operand is infinite (see union, intersection, difference).
      return true
    case Kind.SeqSet:
      return !isEmptySet(s.base)
    case Kind.Subset:
      return isInfinite(s.base)
    case Kind.FcnSet:
      return (isInfinite(s.domain) && !isEmptySet(s.range)) || (isInfinite(s.range) && !isEmptySet(s.domain))
    case Kind.RecordSet:
      return s.sets.some(isInfinite) && !s.sets.some(isEmptySet)
    case Kind.Product:
      return s.factors.some(isInfinite) && !s.factors.some(isEmptySet)
    default:
      return false
  }
}

function isEmptySet(s: SetLike): boolean {
  switch (s.kind) {
    case Kind.Set:
      return s.elems.length === 0
    case Kind.Interval:
      return s.size === 0
    case Kind.Nat:
    case Kind.IntSet:
    case Kind.StringSet:
    case Kind.AnySet:
    case Kind.SetOp:
    case Kind.Subset:
    case Kind.SeqSet:
      return false
    case Kind.FcnSet:
      return isEmptySet(s.range) && !isEmptySet(s.domain)
    case Kind.RecordSet:
      return s.sets.some(isEmptySet)
    case Kind.Product:
      return s.factors.some(isEmptySet)
  }
}

/** The elements of a finite set in TLC's order (cached; do not mutate the result). */
export function setElements(s: SetLike): readonly Value[] {
  switch (s.kind) {
    case Kind.Set:
      if (!s.normalized) {
        s.elems = canonicalOrder(s.elems)
        s.normalized = true
      }
      return s.elems
    case Kind.Interval: {
      const n = s.size
      if (n > MAX_SET_SIZE) throw tooLarge()
      const out: Value[] = new Array(n)
      for (let i = 0; i < n; i++) out[i] = s.lo + i
      return out
    }
    case Kind.Subset:
    case Kind.FcnSet:
    case Kind.RecordSet:
    case Kind.Product:
    case Kind.SeqSet:
      if (s.enumerated === undefined) s.enumerated = enumerateLazy(s)
      return s.enumerated.elems
    default:
      throw new EvalError(`TLC cannot enumerate the infinite set ${show(s)}.`)
  }
}

/** The set as a canonical enumerated SetValue. */
export function enumerate(s: SetLike): SetValue {
  if (s.kind === Kind.Set) {
    setElements(s)
    return s
  }
  return setFromCanonical(setElements(s).slice())
}

export function setSize(s: SetLike): number {
  switch (s.kind) {
    case Kind.Set:
      return setElements(s).length
    case Kind.Interval:
      return s.size
    case Kind.Subset:
      return sizeCheck(2 ** setSize(s.base))
    case Kind.FcnSet:
      return sizeCheck(setSize(s.range) ** setSize(s.domain))
    case Kind.RecordSet:
      return sizeCheck(s.sets.reduce((n, set) => n * setSize(set), 1))
    case Kind.Product:
      return sizeCheck(s.factors.reduce((n, set) => n * setSize(set), 1))
    case Kind.SeqSet:
      if (setSize(s.base) === 0) return 1
      throw new EvalError(`Attempted to compute cardinality of the value\n${show(s)}`)
    default:
      throw new EvalError(`Attempted to compute cardinality of the value\n${show(s)}`)
  }
}

function sizeCheck(n: number): number {
  if (n > 2147483647) throw new EvalError(`Overflow when computing the number of elements in a set of ${n}`)
  return n
}

/** Cardinality(v), with TLC's error when v is not a finite set. */
export function cardinality(v: Value): number {
  if (!isSet(v)) throw new EvalError(`Attempted to compute cardinality of the value\n${show(v)}`)
  return setSize(v)
}

// ---------------------------------------------------------------------------------------------
// Membership

const notCheckable = (v: Value, s: SetLike): EvalError =>
  new EvalError(`Attempted to check if the value:\n${show(v)}\nis an element of ${show(s)}.`)

/** `mv \in S` for a set S of non-model values: FALSE, or TLC's error when mv is typed. */
function modelValueMember(mv: ModelValue, s: SetLike): boolean {
  if (mv.type !== "") {
    throw new EvalError(`Attempted to check if the typed model value ${mv.name} is an element of\n${show(s)}`)
  }
  return false
}

/** `v \in s` for any value s, with TLC's error when s is not a set. */
export function member(v: Value, s: Value): boolean {
  if (!isSet(s)) throw new EvalError(`Attempted to check if the value:\n${show(v)}\nis an element of the non-set:\n${show(s)}`)
  return contains(s, v)
}

/** The elements of a finite set value in TLC's order, with an error when v is not a set. */
export function elementsOf(v: Value): readonly Value[] {
  if (!isSet(v)) throw new EvalError(`Attempted to enumerate a value that is not a set:\n${show(v)}`)
  return setElements(v)
}

/** `v \in s` */
export function contains(s: SetLike, v: Value): boolean {
  switch (s.kind) {
    case Kind.Set: {
      const elems = setElements(s)
      let low = 0
      let high = elems.length
      while (low < high) {
        const mid = (low + high) >> 1
        const c = compare(v, elems[mid])
        if (c === 0) return true
        if (c < 0) high = mid
        else low = mid + 1
      }
      return false
    }
    case Kind.Interval:
      if (typeof v === "number") return v >= s.lo && v <= s.hi
      if (isModelValue(v)) return modelValueMember(v, s)
      throw notCheckable(v, s)
    case Kind.Nat:
      if (typeof v === "number") return v >= 0
      if (isModelValue(v)) return modelValueMember(v, s)
      throw notCheckable(v, s)
    case Kind.IntSet:
      if (typeof v === "number") return true
      if (isModelValue(v)) return modelValueMember(v, s)
      throw notCheckable(v, s)
    case Kind.StringSet:
      if (isStr(v)) return true
      if (isModelValue(v)) return modelValueMember(v, s)
      return false
    case Kind.AnySet:
      return true
    case Kind.SetOp:
      switch (s.op) {
        case "\\cup":
          return contains(s.left, v) || contains(s.right, v)
        case "\\cap":
          return contains(s.left, v) && contains(s.right, v)
        case "\\":
          return contains(s.left, v) && !contains(s.right, v)
      }
    case Kind.Subset:
      if (isSet(v)) {
        for (const e of setElements(v)) if (!contains(s.base, e)) return false
        return true
      }
      if (isModelValue(v)) return modelValueMember(v, s)
      throw notCheckable(v, s)
    case Kind.FcnSet: {
      if (!isFunction(v)) {
        if (isModelValue(v)) return modelValueMember(v, s)
        throw notCheckable(v, s)
      }
      const n = functionSize(v)
      if (isInfinite(s.domain) || setSize(s.domain) !== n) return false
      const domain = setElements(s.domain)
      for (let i = 0; i < n; i++) {
        if (!equals(domainAt(v, i), domain[i])) return false
      }
      const values = v.kind === Kind.Tuple ? v.elems : v.values
      for (const x of values) if (!contains(s.range, x)) return false
      return true
    }
    case Kind.RecordSet: {
      if (!isFunction(v)) {
        if (isModelValue(v)) return modelValueMember(v, s)
        throw notCheckable(v, s)
      }
      if (v.kind !== Kind.Record || v.names.length !== s.names.length) return false
      for (let i = 0; i < s.names.length; i++) if (v.names[i] !== s.names[i]) return false
      for (let i = 0; i < s.sets.length; i++) if (!contains(s.sets[i], v.values[i])) return false
      return true
    }
    case Kind.Product: {
      if (!isFunction(v)) {
        if (isModelValue(v)) return modelValueMember(v, s)
        throw notCheckable(v, s)
      }
      if (v.kind !== Kind.Tuple || v.elems.length !== s.factors.length) return false
      for (let i = 0; i < s.factors.length; i++) if (!contains(s.factors[i], v.elems[i])) return false
      return true
    }
    case Kind.SeqSet: {
      if (!isFunction(v)) {
        if (isModelValue(v)) return modelValueMember(v, s)
        throw notCheckable(v, s)
      }
      if (v.kind !== Kind.Tuple) return false
      for (const x of v.elems) if (!contains(s.base, x)) return false
      return true
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Operators on finite sets (the left operand of \cap and \ may be the only finite one)

const asSet = (v: Value, op: string): SetLike => {
  if (!isSet(v)) throw new EvalError(`Attempted to apply ${op} to the non-set value:\n${show(v)}`)
  return v
}

/** `a \cup b` by merging the two canonical element lists (kept symbolic when one is infinite). */
export function union(a: Value, b: Value): SetLike {
  const sa = asSet(a, "\\cup")
  const sb = asSet(b, "\\cup")
  if (isInfinite(sa) || isInfinite(sb)) return new SetOpValue("\\cup", sa, sb)
  const ea = setElements(sa)
  const eb = setElements(sb)
  if (ea.length === 0) return sb
  if (eb.length === 0) return sa
  const out: Value[] = []
  let i = 0
  let j = 0
  while (i < ea.length && j < eb.length) {
    const c = compare(ea[i], eb[j])
    if (c < 0) out.push(ea[i++])
    else if (c > 0) out.push(eb[j++])
    else {
      out.push(ea[i++])
      j++
    }
  }
  while (i < ea.length) out.push(ea[i++])
  while (j < eb.length) out.push(eb[j++])
  if (out.length > MAX_SET_SIZE) throw tooLarge()
  return setFromCanonical(out)
}

/** `a \cap b` (kept symbolic when both are infinite) */
export function intersection(a: Value, b: Value): SetLike {
  const sa = asSet(a, "\\cap")
  const sb = asSet(b, "\\cap")
  if (isInfinite(sa)) {
    if (isInfinite(sb)) return new SetOpValue("\\cap", sa, sb)
    return setFromCanonical(setElements(sb).filter((e) => contains(sa, e)))
  }
  return setFromCanonical(setElements(sa).filter((e) => contains(sb, e)))
}

/** `a \ b` (kept symbolic when a is infinite) */
export function difference(a: Value, b: Value): SetLike {
  const sa = asSet(a, "\\")
  const sb = asSet(b, "\\")
  if (isInfinite(sa)) return new SetOpValue("\\", sa, sb)
  return setFromCanonical(setElements(sa).filter((e) => !contains(sb, e)))
}

/** `a \subseteq b` */
export function isSubset(a: Value, b: Value): boolean {
  const sb = asSet(b, "\\subseteq")
  if (typeof a === "object" && a.kind === Kind.Interval && sb.kind === Kind.Interval) return a.size === 0 || (a.lo >= sb.lo && a.hi <= sb.hi)
  for (const e of setElements(asSet(a, "\\subseteq"))) if (!contains(sb, e)) return false
  return true
}

/** `UNION s` */
export function bigUnion(s: Value): SetLike {
  const all: Value[] = []
  for (const member of setElements(asSet(s, "UNION"))) {
    for (const e of setElements(asSet(member, "UNION"))) all.push(e)
  }
  return setFromCanonical(canonicalOrder(all))
}

// ---------------------------------------------------------------------------------------------
// Enumeration of the lazy finite sets, directly in canonical order

function enumerateLazy(s: SetLike): SetValue {
  switch (s.kind) {
    case Kind.Subset:
      return enumerateSubsets(setElements(s.base))
    case Kind.FcnSet: {
      const domain = setElements(s.domain)
      const build = functionBuilder(domain)
      return odometer(domain.map(() => setElements(s.range)), build)
    }
    case Kind.RecordSet:
      return odometer(
        s.sets.map((set) => setElements(set)),
        (values) => new RecordValue(s.names, values)
      )
    case Kind.Product:
      return odometer(
        s.factors.map((set) => setElements(set)),
        (values) => new TupleValue(values)
      )
    case Kind.SeqSet:
      if (setSize(s.base) === 0) return setFromCanonical([EMPTY_TUPLE])
      throw new EvalError(`TLC cannot enumerate the infinite set ${show(s)}.`)
    default:
      throw new EvalError(`TLC cannot enumerate the infinite set ${show(s)}.`)
  }
}

/** Subsets by size, each size in lexicographic order of element positions: TLC's order. */
function enumerateSubsets(base: readonly Value[]): SetValue {
  const n = base.length
  if (2 ** n > MAX_SET_SIZE) throw tooLarge()
  const out: Value[] = [EMPTY_SET]
  for (let k = 1; k <= n; k++) {
    const idx = Array.from({ length: k }, (_, i) => i)
    for (;;) {
      out.push(setFromCanonical(idx.map((i) => base[i])))
      let p = k - 1
      while (p >= 0 && idx[p] === n - k + p) p--
      if (p < 0) break
      idx[p]++
      for (let q = p + 1; q < k; q++) idx[q] = idx[q - 1] + 1
    }
  }
  return setFromCanonical(out)
}

/**
 * Every choice of one element per position, the first position most significant: for
 * functions, records and tuples of equal domain this is TLC's order.
 */
function odometer(positions: readonly (readonly Value[])[], build: (values: Value[]) => Value): SetValue {
  let total = 1
  for (const p of positions) total *= p.length
  if (total > MAX_SET_SIZE) throw tooLarge()
  if (total === 0) return EMPTY_SET
  const k = positions.length
  const idx = new Array<number>(k).fill(0)
  const out: Value[] = new Array(total)
  for (let n = 0; n < total; n++) {
    const values: Value[] = new Array(k)
    for (let i = 0; i < k; i++) values[i] = positions[i][idx[i]]
    out[n] = build(values)
    for (let i = k - 1; i >= 0; i--) {
      if (++idx[i] < positions[i].length) break
      idx[i] = 0
    }
  }
  return setFromCanonical(out)
}

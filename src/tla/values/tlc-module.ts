/**
 * The value-level operators of TLC's TLC module (TLC-FACTS §9): `d :> e`, `f @@ g` (the left
 * function wins where both are defined), Permutations, SortSeq, ToString, and the lines Print
 * and PrintT write.
 */
import { EvalError } from "./errors.ts"
import { entries, functionBuilder, inDomain, makeFunction, positionInDomain, valuesOf } from "./functions.ts"
import { domainAt, equals, functionSize } from "./order.ts"
import { prettyValue, show } from "./pretty.ts"
import { valueToString } from "./print.ts"
import { setElements } from "./sets.ts"
import { type FunctionLike, isFunction, isSet, Kind, setFromCanonical, str, tuple, type StrValue, type Value } from "./value.ts"

/** `d :> e` */
export const colonGreater = (d: Value, e: Value): Value => makeFunction([d], [e])

/** `f @@ g` */
export function atAt(f: Value, g: Value): Value {
  if (!isFunction(f)) throw new EvalError(`The first argument of @@ should be a function, but instead it is:\n${show(f)}`)
  if (!isFunction(g)) throw new EvalError(`The second argument of @@ should be a function, but instead it is:\n${show(g)}`)
  const placed = functionSize(g) <= FEW_POINTS ? withFewPoints(f, g) : undefined
  return placed ?? mergedBySorting(f, g)
}

/** Above this many points of g, `f @@ g` sorts the union instead of placing g's points one by one. */
const FEW_POINTS = 8

/**
 * `f @@ g` for a small g (a bag gaining a message: `msgs @@ (m :> 1)`): each new point is placed in
 * f's canonical domain by binary search, so a large f is not sorted again. Undefined when g's
 * arguments do not compare with f's; sorting then reports the same error TLC gives.
 */
function withFewPoints(f: FunctionLike, g: FunctionLike): Value | undefined {
  const domain = Array.from({ length: functionSize(f) }, (_, i) => domainAt(f, i))
  const values = [...valuesOf(f)]
  for (const [d, v] of entries(g)) {
    let place: { readonly at: number; readonly found: boolean }
    try {
      place = positionInDomain(domain, d)
    } catch {
      return undefined
    }
    // Where both define the point, f's value wins.
    if (place.found) continue
    domain.splice(place.at, 0, d)
    values.splice(place.at, 0, v)
  }
  return functionBuilder(domain)(values)
}

function mergedBySorting(f: FunctionLike, g: FunctionLike): Value {
  const domain: Value[] = []
  const values: Value[] = []
  for (const [d, v] of entries(f)) {
    domain.push(d)
    values.push(v)
  }
  for (const [d, v] of entries(g)) {
    if (inDomain(f, d)) continue
    domain.push(d)
    values.push(v)
  }
  return makeFunction(domain, values)
}

/** `Permutations(S)`: the set of bijections of S onto itself, as functions. */
export function permutations(s: Value): Value {
  if (!isSet(s)) throw new EvalError(`The argument of Permutations should be a finite set, but instead it is:\n${show(s)}`)
  const elems = setElements(s)
  const out: Value[] = []
  const used = new Array<boolean>(elems.length).fill(false)
  const image: Value[] = []
  const extend = (): void => {
    if (image.length === elems.length) {
      out.push(makeFunction(elems, image.slice()))
      return
    }
    for (let i = 0; i < elems.length; i++) {
      if (used[i]) continue
      used[i] = true
      image.push(elems[i])
      extend()
      image.pop()
      used[i] = false
    }
  }
  extend()
  // Generated in lexicographic order of images over a canonical domain: already TLC's order.
  return setFromCanonical(out)
}

/** `SortSeq(s, Op)`, with Op given as a JavaScript predicate "a sorts before b". */
export function sortSeq(s: Value, before: (a: Value, b: Value) => boolean): Value {
  if (typeof s !== "object" || s.kind !== Kind.Tuple) throw new EvalError(`The first argument of SortSeq should be a sequence, but instead it is:\n${show(s)}`)
  // Array.prototype.sort is stable, so equal elements keep their order.
  return tuple(s.elems.slice().sort((a, b) => (equals(a, b) ? 0 : before(a, b) ? -1 : 1)))
}

/** `ToString(v)`: v's one-line printed form as a string. */
export const toStringValue = (v: Value): StrValue => str(valueToString(v))

/** The line `Print(out, val)` writes: both values, two spaces apart. */
export const printLine = (out: Value, val: Value): string => `${prettyValue(out)}  ${prettyValue(val)}`

/** The line `PrintT(v)` writes. */
export const printTLine = (v: Value): string => prettyValue(v)

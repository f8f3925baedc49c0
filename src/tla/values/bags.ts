/**
 * The Bags module: a bag is a function from its elements to positive integers (their copies),
 * and prints as such: SetToBag({"a", "b"}) is [a |-> 1, b |-> 1], EmptyBag is <<>>.
 */
import { EvalError } from "./errors.ts"
import { apply, domainOf, entries, inDomain, makeFunction } from "./functions.ts"
import { show } from "./pretty.ts"
import { setElements } from "./sets.ts"
import { EMPTY_TUPLE, isFunction, isSet, setOf, type FunctionLike, type Value } from "./value.ts"

export const EMPTY_BAG = EMPTY_TUPLE

export function isABag(b: Value): boolean {
  if (!isFunction(b)) return false
  for (const [, copies] of entries(b)) if (typeof copies !== "number" || copies <= 0) return false
  return true
}

function asBag(b: Value, position: string, op: string): FunctionLike {
  if (!isFunction(b) || !isABag(b)) {
    throw new EvalError(`The ${position} argument of ${op} should be a bag, but instead it is:\n${show(b)}`)
  }
  return b
}

const copies = (b: FunctionLike, e: Value): number => (inDomain(b, e) ? (apply(b, e) as number) : 0)

/** A bag from (element, copies) pairs, dropping elements with no copies. */
function bagOf(counts: Iterable<readonly [Value, number]>): Value {
  const domain: Value[] = []
  const values: Value[] = []
  for (const [e, n] of counts) {
    if (n <= 0) continue
    domain.push(e)
    values.push(n)
  }
  return makeFunction(domain, values)
}

export function setToBag(s: Value): Value {
  if (!isSet(s)) throw new EvalError(`The argument of SetToBag should be a set, but instead it is:\n${show(s)}`)
  return bagOf(setElements(s).map((e) => [e, 1] as const))
}

export const bagToSet = (b: Value): Value => domainOf(asBag(b, "first", "BagToSet"))

export const bagIn = (e: Value, b: Value): boolean => inDomain(asBag(b, "second", "BagIn"), e)

export const copiesIn = (e: Value, b: Value): number => copies(asBag(b, "second", "CopiesIn"), e)

/** `a (+) b` */
export function bagAdd(a: Value, b: Value): Value {
  const x = asBag(a, "first", "(+)")
  const y = asBag(b, "second", "(+)")
  const counts: [Value, number][] = [...entries(x)].map(([e]) => [e, copies(x, e) + copies(y, e)])
  for (const [e, n] of entries(y)) if (!inDomain(x, e)) counts.push([e, n as number])
  return bagOf(counts)
}

/** `a (-) b` */
export function bagSub(a: Value, b: Value): Value {
  const x = asBag(a, "first", "(-)")
  const y = asBag(b, "second", "(-)")
  return bagOf([...entries(x)].map(([e]) => [e, copies(x, e) - copies(y, e)] as const))
}

/** `BagUnion(S)`: the sum of a set of bags. */
export function bagUnion(s: Value): Value {
  if (!isSet(s)) throw new EvalError(`The argument of BagUnion should be a set, but instead it is:\n${show(s)}`)
  let sum: Value = EMPTY_BAG
  for (const b of setElements(s)) {
    if (!isABag(b)) {
      throw new EvalError(`Attempted to apply BagUnion to the following set, whose\nelement is not a bag:\n${show(s)}`)
    }
    sum = bagAdd(sum, b)
  }
  return sum
}

/** `a \sqsubseteq b` */
export function isSubBag(a: Value, b: Value): boolean {
  const x = asBag(a, "first", "\\sqsubseteq")
  const y = asBag(b, "second", "\\sqsubseteq")
  for (const [e] of entries(x)) if (copies(x, e) > copies(y, e)) return false
  return true
}

export function bagCardinality(b: Value): number {
  let n = 0
  for (const [, c] of entries(asBag(b, "first", "BagCardinality"))) n += c as number
  return n
}

/** `BagOfAll(F, B)`: the bag of F(e) for each copy of each e in B. */
export function bagOfAll(f: (e: Value) => Value, b: Value): Value {
  let sum: Value = EMPTY_BAG
  for (const [e, c] of entries(asBag(b, "second", "BagOfAll"))) {
    sum = bagAdd(sum, makeFunction([f(e)], [c]))
  }
  return sum
}

/** `SubBag(B)`: every bag below B, enumerated. */
export function subBags(b: Value): Value {
  const bag = asBag(b, "first", "SubBag")
  const elems = [...entries(bag)]
  const out: Value[] = []
  const counts = new Array<number>(elems.length).fill(0)
  for (;;) {
    out.push(bagOf(elems.map(([e], i) => [e, counts[i]] as const)))
    let i = elems.length - 1
    while (i >= 0 && counts[i] === (elems[i][1] as number)) counts[i--] = 0
    if (i < 0) break
    counts[i]++
  }
  return setOf(out)
}

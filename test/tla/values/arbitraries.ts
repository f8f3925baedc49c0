/**
 * fast-check generators of TLA+ values. A value is drawn from a random *type* first, so any two
 * values of one type are comparable in TLC (mixing integers and strings in one set is an error,
 * which other tests cover). `rebuilt` constructs an equal value a different way.
 */
import fc from "fast-check"
import {
  bool,
  int,
  interval,
  Kind,
  makeFunction,
  modelValue,
  record,
  setElements,
  setOf,
  str,
  tuple,
  type Value
} from "../../../src/tla/values/index.ts"

export type Type =
  | { readonly k: "int" }
  | { readonly k: "bool" }
  | { readonly k: "str" }
  | { readonly k: "mv" }
  | { readonly k: "set"; readonly of: Type }
  | { readonly k: "seq"; readonly of: Type }
  | { readonly k: "fcn"; readonly of: Type }
  | { readonly k: "rec"; readonly fields: readonly string[]; readonly of: Type }

const STRINGS = ["zq", "a", "b", "xq", "", 'q"uote', "tab\t"]
const MODEL_VALUES = ["m1", "m2", "m3"]
const FIELDS = ["f", "g", "h"]

export const typeArb: fc.Arbitrary<Type> = fc.letrec<{ type: Type }>((tie) => ({
  type: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant<Type>({ k: "int" }),
    fc.constant<Type>({ k: "bool" }),
    fc.constant<Type>({ k: "str" }),
    fc.constant<Type>({ k: "mv" }),
    tie("type").map((of): Type => ({ k: "set", of })),
    tie("type").map((of): Type => ({ k: "seq", of })),
    tie("type").map((of): Type => ({ k: "fcn", of })),
    fc
      .tuple(fc.subarray(FIELDS, { minLength: 1 }), tie("type"))
      .map(([fields, of]): Type => ({ k: "rec", fields, of }))
  )
})).type

export function valueArb(t: Type): fc.Arbitrary<Value> {
  switch (t.k) {
    case "int":
      return fc.integer({ min: -20, max: 20 }).map(int)
    case "bool":
      return fc.boolean().map(bool)
    case "str":
      return fc.constantFrom(...STRINGS).map(str)
    case "mv":
      return fc.constantFrom(...MODEL_VALUES).map(modelValue)
    case "set":
      return fc.array(valueArb(t.of), { maxLength: 4 }).map(setOf)
    case "seq":
      return fc.array(valueArb(t.of), { maxLength: 4 }).map(tuple)
    case "fcn":
      // Functions on small integer domains: sometimes 1..n (a tuple), sometimes not.
      return fc
        .uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 4 })
        .chain((domain) => fc.array(valueArb(t.of), { minLength: domain.length, maxLength: domain.length }).map((values) => makeFunction(domain.map(int), values)))
    case "rec":
      return fc.array(valueArb(t.of), { minLength: t.fields.length, maxLength: t.fields.length }).map((values) =>
        record(t.fields.map((f, i) => [f, values[i]] as const))
      )
  }
}

/** A value and a second value of the same type. */
export const sameTypePair: fc.Arbitrary<[Value, Value]> = typeArb.chain((t) => fc.tuple(valueArb(t), valueArb(t)))
export const sameTypeTriple: fc.Arbitrary<[Value, Value, Value]> = typeArb.chain((t) => fc.tuple(valueArb(t), valueArb(t), valueArb(t)))
export const anyValue: fc.Arbitrary<Value> = typeArb.chain(valueArb)

/**
 * An equal value built another way: shuffled, duplicated, as a function, and (unless
 * `intervals` is false) as an interval, which TLC prints differently (`1..3`).
 */
export function rebuilt(v: Value, intervals = true): Value {
  const again = (w: Value): Value => rebuilt(w, intervals)
  if (typeof v !== "object") return v
  switch (v.kind) {
    case Kind.Set:
    case Kind.Interval: {
      const elems = setElements(v).map(again)
      const ints = elems.every((e) => typeof e === "number") ? (elems as number[]) : undefined
      if (intervals && ints !== undefined && ints.length > 0 && ints[ints.length - 1] - ints[0] === ints.length - 1) {
        return interval(ints[0], ints[ints.length - 1])
      }
      return setOf([...elems].reverse().concat(elems.slice(0, 1)))
    }
    case Kind.Tuple:
      return makeFunction(
        v.elems.map((_, i) => int(v.elems.length - i)),
        v.elems.map((_, i) => again(v.elems[v.elems.length - 1 - i]))
      )
    case Kind.Record:
      return makeFunction([...v.names].reverse(), [...v.values].reverse().map(again))
    case Kind.Fcn:
      return makeFunction([...v.domain].reverse(), [...v.values].reverse().map(again))
    default:
      return v
  }
}

/** Runs and seed of property tests: RAFT_TLA_RUNS (default 200) and RAFT_TLA_SEED to replay. */
export function propertyParameters(name: string): { numRuns: number; seed: number } {
  const numRuns = Number(process.env.RAFT_TLA_RUNS ?? 200)
  const seed = process.env.RAFT_TLA_SEED !== undefined ? Number(process.env.RAFT_TLA_SEED) : (Date.now() ^ (Math.random() * 2 ** 31)) | 0
  console.log(`[${name}] RAFT_TLA_SEED=${seed} RAFT_TLA_RUNS=${numRuns}`)
  return { numRuns, seed }
}

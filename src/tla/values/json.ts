/**
 * The JSON form of TLA+ values used by trace files:
 *
 *   integer -> number          string -> string          boolean -> true/false
 *   sequence (incl. <<>>) -> array
 *   record -> object            (only when no field name starts with "$")
 *   set -> {"$set": [...]}      (elements in TLC's order)
 *   any other function -> {"$fn": [[arg, value], ...]}   (arguments in TLC's order)
 *   model value -> {"$mv": "name"}
 *
 * Object keys starting with "$" are reserved for the tagged forms, so a record whose field names
 * start with "$" is written with "$fn". `fromJson` names the JSON path of anything it rejects.
 */
import { EvalError } from "./errors.ts"
import { entries, makeFunction } from "./functions.ts"
import { setElements } from "./sets.ts"
import { bool, int, isInt32, isSet, Kind, modelValue, record, setOf, str, tuple, type Value } from "./value.ts"

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export function toJson(v: Value): Json {
  if (typeof v === "number" || typeof v === "boolean") return v
  switch (v.kind) {
    case Kind.Str:
      return v.value
    case Kind.ModelValue:
      return { $mv: v.name }
    case Kind.Tuple:
      return v.elems.map(toJson)
    case Kind.Record:
      if (!v.names.some((n) => n.value.startsWith("$"))) {
        const out: { [key: string]: Json } = {}
        for (let i = 0; i < v.names.length; i++) out[v.names[i].value] = toJson(v.values[i])
        return out
      }
      return { $fn: [...entries(v)].map(([k, x]) => [toJson(k), toJson(x)]) }
    case Kind.Fcn:
      return { $fn: [...entries(v)].map(([k, x]) => [toJson(k), toJson(x)]) }
    default:
      if (isSet(v)) return { $set: setElements(v).map(toJson) }
      throw new EvalError("unreachable value kind")
  }
}

/** A JSON value that is not the encoding of a TLA+ value; `path` locates it (`$.a[2]`). */
export class JsonValueError extends Error {
  override readonly name = "JsonValueError"
  constructor(
    readonly path: string,
    readonly reason: string
  ) {
    super(`${path}: ${reason}`)
  }
}

/** What a JSON value is, in a few words, for error messages ("an array", "string \"x\""). */
export const describeJson = (j: unknown): string =>
  j === null ? "null" : Array.isArray(j) ? "an array" : typeof j === "object" ? "an object" : `${typeof j} ${JSON.stringify(j)}`

const keyPath = (path: string, key: string): string =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`

export function fromJson(j: unknown, path = "$"): Value {
  if (typeof j === "boolean") return bool(j)
  if (typeof j === "number") {
    if (!Number.isInteger(j) || !isInt32(j)) throw new JsonValueError(path, `expected a 32-bit integer, got ${j}`)
    return int(j)
  }
  if (typeof j === "string") return str(j)
  if (Array.isArray(j)) return tuple(j.map((x, i) => fromJson(x, `${path}[${i}]`)))
  if (j === null || typeof j !== "object") throw new JsonValueError(path, `expected a TLA+ value, got ${describeJson(j)}`)
  const keys = Object.keys(j)
  const obj = j as { [key: string]: unknown }
  const tagged = keys.filter((k) => k.startsWith("$"))
  if (tagged.length === 0) {
    return record(keys.map((k) => [k, fromJson(obj[k], keyPath(path, k))] as const))
  }
  if (keys.length !== 1) {
    throw new JsonValueError(path, `a tagged value has exactly one key ("$set", "$fn" or "$mv"), got ${keys.join(", ")}`)
  }
  const tag = tagged[0]
  const body = obj[tag]
  const at = `${path}.${tag}`
  switch (tag) {
    case "$mv":
      if (typeof body !== "string" || body === "") throw new JsonValueError(at, `expected a model value name, got ${describeJson(body)}`)
      return modelValue(body)
    case "$set":
      if (!Array.isArray(body)) throw new JsonValueError(at, `expected an array of elements, got ${describeJson(body)}`)
      return checked(at, () => {
        const set = setOf(body.map((x, i) => fromJson(x, `${at}[${i}]`)))
        setElements(set)
        return set
      })
    case "$fn": {
      if (!Array.isArray(body)) throw new JsonValueError(at, `expected an array of [argument, value] pairs, got ${describeJson(body)}`)
      const domain: Value[] = []
      const values: Value[] = []
      body.forEach((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new JsonValueError(`${at}[${i}]`, `expected an [argument, value] pair, got ${describeJson(pair)}`)
        }
        domain.push(fromJson(pair[0], `${at}[${i}][0]`))
        values.push(fromJson(pair[1], `${at}[${i}][1]`))
      })
      return checked(at, () => makeFunction(domain, values))
    }
    default:
      throw new JsonValueError(path, `unknown tag ${JSON.stringify(tag)} (expected "$set", "$fn" or "$mv")`)
  }
}

/** Run `build`, reporting TLC's evaluation errors (e.g. a set mixing integers and strings) at `path`. */
function checked(path: string, build: () => Value): Value {
  try {
    return build()
  } catch (e) {
    if (e instanceof EvalError) throw new JsonValueError(path, e.message.replace(/\n/g, " "))
    throw e
  }
}

/**
 * The validator's view of TLA+ values: trace JSON (docs/trace-format.md) to the toolkit's
 * values and back, and the few operations a state delta needs (points of a function, slices of
 * a sequence).
 *
 * Decoding is plain: the reader of full states (./state-text.ts) keeps the value of each part of
 * a line it decoded, so a state that shares parts with the previous one shares their values too
 * (not decoded again, compared by identity by the evaluator); delta states keep the previous
 * values themselves (./state-delta.ts).
 *
 * This is the one module of src/validate that looks inside values; it uses the toolkit's value
 * module (`values` of src/tla/index.ts) and `valueToJson`, so a change of value representation
 * in the toolkit is absorbed here.
 */
import { values, valueToJson, type State } from "../tla/index.ts"

export type Value = State[number]

/**
 * A JSON value that does not encode a TLA+ value; `path` locates it (`state.log[2]`). The
 * toolkit's own error for its JSON decoding, so that both read the same.
 */
export const ValueJsonError = values.JsonValueError
export type ValueJsonError = values.JsonValueError

const describe = values.describeJson

/**
 * What a delta trace may point at instead of repeating it (docs/trace-format.md): a message in
 * flight by its id (`{"$msg": 7}`), a part of the state before the step (`{"$at": [variable,
 * argument, ...]}`).
 */
export interface References {
  message(id: number): Value | undefined
  at(variable: string, args: ReadonlyArray<Value>): Value | undefined
}

export const decodeValue = (j: unknown, path: string, refs?: References): Value => {
  if (typeof j === "number") {
    if (!Number.isInteger(j) || j > 2147483647 || j < -2147483648) throw new ValueJsonError(path, `expected a 32-bit integer, got ${j}`)
    return j
  }
  if (typeof j === "string") return values.str(j)
  if (typeof j === "boolean") return j
  if (j === null || typeof j !== "object") throw new ValueJsonError(path, `expected a TLA+ value, got ${describe(j)}`)
  return decodeObject(j, path, refs)
}

/**
 * The sequence `json` (an array), which extends the sequence `base` was decoded from by
 * appending elements (a log that grew, ./state-text.ts): only the appended elements are decoded.
 */
export const decodeExtended = (base: Value, json: ReadonlyArray<unknown>, path: string): Value => {
  const kept = elementsOf(base)
  if (kept === undefined) return decodeValue(json, path)
  return values.tuple([...kept, ...json.slice(kept.length).map((x, i) => decodeValue(x, `${path}[${kept.length + i + 1}]`))])
}

/** The function with these decoded points, as a `{"$fn": ...}` at `path` decodes to (its errors named there). */
export const functionOfPoints = (domain: ReadonlyArray<Value>, range: ReadonlyArray<Value>, path: string): Value =>
  // makeFunction rejects an argument that appears twice, with TLC's message.
  guarded(path, () => values.makeFunction(domain, range))

const decodeObject = (j: object, path: string, refs: References | undefined): Value => {
  if (Array.isArray(j)) return values.tuple(j.map((x, i) => decodeValue(x, `${path}[${i + 1}]`, refs)))
  const o = j as Record<string, unknown>
  const keys = Object.keys(o)
  if (keys.length === 1 && keys[0].startsWith("$")) {
    const tag = keys[0]
    const body = o[tag]
    const at = `${path}.${tag}`
    switch (tag) {
      case "$mv":
        if (typeof body !== "string" || body === "") throw new ValueJsonError(at, `expected a model value name, got ${describe(body)}`)
        return values.modelValue(body)
      case "$set":
        if (!Array.isArray(body)) throw new ValueJsonError(at, `expected an array of elements, got ${describe(body)}`)
        // Normalized here, so that elements TLC cannot compare are reported at this path.
        return guarded(at, () => values.enumerate(values.setOf(body.map((x, i) => decodeValue(x, `${at}[${i}]`, refs)))))
      case "$fn":
        return decodeFunction(body, at, refs)
      case "$msg":
      case "$at":
        if (refs !== undefined) return reference(tag, body, at, refs)
        throw new ValueJsonError(path, `${tag} references are allowed in delta traces only`)
    }
    throw new ValueJsonError(path, `unknown tag ${JSON.stringify(tag)} (expected "$set", "$fn" or "$mv")`)
  }
  if (keys.length === 0) throw new ValueJsonError(path, "an empty object encodes no value (the empty sequence and the empty function are [])")
  const bad = keys.find((k) => k.startsWith("$"))
  if (bad !== undefined) throw new ValueJsonError(path, `a record field cannot start with "$" (${JSON.stringify(bad)}); tagged values have exactly one key`)
  const flat = flatKey(o, keys)
  if (flat !== undefined) {
    const known = flatRecords.get(flat)
    if (known !== undefined) return known
  }
  const record = values.record(keys.map((k) => [k, decodeValue(o[k], `${path}.${k}`, refs)] as const))
  if (flat !== undefined) {
    // Bounded: the table is only a shortcut, so it is simply started again when full.
    if (flatRecords.size >= FLAT_RECORDS) flatRecords.clear()
    flatRecords.set(flat, record)
  }
  return record
}

/**
 * Records of scalars (log entries, say) recur on every line that mentions them; one value per
 * distinct record saves decoding them again and lets equal ones compare by identity.
 */
const flatRecords = new Map<string, Value>()
const FLAT_RECORDS = 1 << 16

/** Forgets shared records: a newly loaded spec interns strings afresh. */
export const forgetDecodedRecords = (): void => flatRecords.clear()

const flatKey = (o: Record<string, unknown>, keys: ReadonlyArray<string>): string | undefined => {
  let key = ""
  for (const k of keys) {
    const v = o[k]
    const t = typeof v
    if (t === "string") key += `${k}\u0000s${v as string}\u0000`
    else if (t === "number" && Number.isInteger(v) && (v as number) <= 2147483647 && (v as number) >= -2147483648) key += `${k}\u0000n${v as number}\u0000`
    else if (t === "boolean") key += `${k}\u0000b${v as boolean}\u0000`
    else return undefined
  }
  return key
}

const reference = (tag: string, body: unknown, at: string, refs: References): Value => {
  if (tag === "$msg") {
    if (!Number.isInteger(body)) throw new ValueJsonError(at, "expected a message id")
    const m = refs.message(body as number)
    if (m === undefined) throw new ValueJsonError(at, `message ${body as number} is not in flight, or its content is unknown (give it in full)`)
    return m
  }
  if (!Array.isArray(body) || body.length === 0 || typeof body[0] !== "string") throw new ValueJsonError(at, "expected [variable, argument, ...]")
  const v = refs.at(body[0], body.slice(1).map((x, i) => decodeValue(x, `${at}[${i + 1}]`)))
  if (v === undefined) throw new ValueJsonError(at, `the state before the step has no ${body[0]}${body.length > 1 ? " at these arguments" : ""}`)
  return v
}

const decodeFunction = (body: unknown, at: string, refs: References | undefined): Value => {
  if (!Array.isArray(body)) throw new ValueJsonError(at, `expected an array of [argument, value] pairs, got ${describe(body)}`)
  const domain: Value[] = []
  const range: Value[] = []
  body.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new ValueJsonError(`${at}[${i}]`, `expected an [argument, value] pair, got ${describe(pair)}`)
    domain.push(decodeValue(pair[0], `${at}[${i}][0]`, refs))
    range.push(decodeValue(pair[1], `${at}[${i}][1]`, refs))
  })
  return functionOfPoints(domain, range, at)
}

/** Runs a constructor, reporting the toolkit's errors (e.g. a set mixing integers and strings) at `path`. */
const guarded = (path: string, build: () => Value): Value => {
  try {
    return build()
  } catch (error) {
    if (error instanceof ValueJsonError) throw error
    throw new ValueJsonError(path, (error as Error).message.replace(/\n/g, " "))
  }
}

/** The trace JSON of a value, for reports and diffs. */
export const encodeValue = (v: Value): unknown => valueToJson(v)

export const valuesEqual = (a: Value, b: Value): boolean => {
  try {
    return values.equals(a, b)
  } catch {
    return false
  }
}

/** TLC's one-line form of a value. */
export const printValue = (v: Value): string => values.valueToString(v)

// ---- what a state delta needs ---------------------------------------------------------------------

/** A function's points (a record's fields, a sequence's elements) or undefined for other values. */
/** The value of function `f` at `arg`, or undefined outside its domain (or for a non-function). */
export const applyFunction = (f: Value, arg: Value): Value | undefined => {
  if (!values.isFunction(f)) return undefined
  let k: number
  try {
    // The toolkit's lookup: a binary search in a large domain, which a bag of messages is.
    k = values.indexInDomain(f, arg)
  } catch {
    // `arg` does not compare with the domain's elements (an integer against strings, say).
    return undefined
  }
  return k < 0 ? undefined : values.valuesOf(f)[k]
}

/**
 * Where `key` is, or would go, in a domain in TLC's order (a function's canonical domain):
 * undefined when the values do not compare with each other, and the caller must search by
 * equality instead.
 */
export const placeInDomain = (domain: ReadonlyArray<Value>, key: Value): { readonly at: number; readonly found: boolean } | undefined => {
  try {
    return values.positionInDomain(domain, key)
  } catch {
    return undefined
  }
}

/**
 * The arguments at which `after` is a new point or a larger number than in `before`: the messages
 * a step added to a bag. Both domains are in TLC's order, so one walk along them finds the
 * difference, and the points the step did not touch are the same objects, passed at a glance.
 * Undefined when either is not a function or their arguments do not compare.
 */
export const grownPoints = (before: Value, after: Value): Value[] | undefined => {
  const was = pointsOf(before)
  const now = pointsOf(after)
  if (was === undefined || now === undefined) return undefined
  const grown: Value[] = []
  let i = 0
  try {
    for (let j = 0; j < now.domain.length; j++) {
      const key = now.domain[j]
      let c = 1
      while (i < was.domain.length && (c = was.domain[i] === key ? 0 : values.compare(was.domain[i], key)) < 0) i++
      if (i >= was.domain.length || c > 0) grown.push(key)
      else {
        const old = was.range[i]
        const count = now.range[j]
        if (typeof old === "number" && typeof count === "number" && count > old) grown.push(key)
        i++
      }
    }
  } catch {
    return undefined
  }
  return grown
}

export const pointsOf = (v: Value): { readonly domain: ReadonlyArray<Value>; readonly range: ReadonlyArray<Value> } | undefined =>
  values.isFunction(v) ? { domain: Array.from({ length: values.functionSize(v) }, (_, i) => values.domainAt(v, i)), range: values.valuesOf(v) } : undefined

/** The function with these points (any order, no duplicates). */
export const functionOf = (domain: ReadonlyArray<Value>, range: ReadonlyArray<Value>): Value => values.makeFunction(domain, range)

/** The function with these points, its domain already in TLC's order without duplicates: not sorted again. */
export const functionOfOrdered = (domain: ReadonlyArray<Value>, range: ReadonlyArray<Value>): Value => values.functionBuilder(domain)([...range])

/** The elements of a sequence, or undefined when the value is not one. */
export const elementsOf = (v: Value): ReadonlyArray<Value> | undefined => (values.isFunction(v) && v.kind === values.Kind.Tuple ? v.elems : undefined)

export const sequenceOf = (elements: ReadonlyArray<Value>): Value => values.tuple(elements)

// ---- which intern table values belong to --------------------------------------------------------

/**
 * A token of the toolkit's current intern table. Loading a spec starts a new table, and values
 * built in an older one (a loaded model's constants) no longer compare with new ones, so a
 * loaded model may be reused only while the token is the same.
 */
export const internEpoch = (): object => values.internTable()

/** The elements of a finite set, or undefined when the value is not one. */
export const elementsOfSet = (v: Value): ReadonlyArray<Value> | undefined => (values.isSet(v) ? values.setElements(v) : undefined)

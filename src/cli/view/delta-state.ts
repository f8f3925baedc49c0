/**
 * Rebuilds whole states from a delta trace (`stateMode: "delta"`), where a step gives, for each
 * variable it changed, either the whole new value or a patch of the previous one: changed points
 * of a function (`$update`, `$remove`) or a kept slice of a sequence plus what was appended
 * (`$keep`, `$append`). Inside, `{"$msg": id}` stands for a message in flight and
 * `{"$at": [variable, arg, ...]}` for a part of the previous state. Unchanged parts of the state
 * stay the same objects, so later steps compare them by reference.
 */
import type { TlaJson } from "../../raft/index.ts"
import { isTagged } from "./tla-text.ts"

type State = Readonly<Record<string, TlaJson>>

/** A patch or reference the viewer cannot apply, named by its path in the step. */
export class PatchError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string
  ) {
    super(`${path}: ${detail}`)
  }
}

const PATCH_KEYS = new Set(["$update", "$remove", "$keep", "$append"])

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

const isPatch = (v: unknown): v is Record<string, unknown> => isObject(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => PATCH_KEYS.has(k))

/** A value's text with record fields in a fixed order, to match function arguments. */
export const canonical = (v: TlaJson): string => {
  if (typeof v !== "object" || v === null) return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`
  const record = v as Readonly<Record<string, TlaJson>>
  return `{${Object.keys(record)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`)
    .join(",")}}`
}

export interface References {
  /** The record of a message in flight, by id. */
  readonly message: (id: number) => TlaJson | undefined
  /** The state before the step. */
  readonly previous: State
}

/** `json` with every `$msg` and `$at` reference replaced by what it stands for. */
export const resolveReferences = (json: unknown, path: string, refs: References): TlaJson => {
  if (Array.isArray(json)) return json.map((item, k) => resolveReferences(item, `${path}[${k}]`, refs))
  if (!isObject(json)) return json as TlaJson
  if ("$msg" in json) {
    const record = typeof json.$msg === "number" ? refs.message(json.$msg) : undefined
    if (record === undefined) throw new PatchError(path, `{"$msg": ${JSON.stringify(json.$msg)}} is no message in flight`)
    return record
  }
  if ("$at" in json) {
    const [variable, ...args] = Array.isArray(json.$at) ? json.$at : []
    let value = typeof variable === "string" ? refs.previous[variable] : undefined
    args.forEach((arg, k) => {
      value = value === undefined ? undefined : applied(value, resolveReferences(arg, `${path}.$at[${k + 1}]`, refs))
    })
    if (value === undefined || args.length === 0) throw new PatchError(path, `${JSON.stringify(json)} names no value of the previous state`)
    return value
  }
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, resolveReferences(v, `${path}.${k}`, refs)])) as TlaJson
}

/** `f[arg]` for a function, record or sequence, or undefined when arg is not in its domain. */
const applied = (f: TlaJson, arg: TlaJson): TlaJson | undefined => {
  if (Array.isArray(f)) return typeof arg === "number" ? f[arg - 1] : undefined
  if (isTagged(f, "$fn")) return f.$fn.find(([k]) => canonical(k) === canonical(arg))?.[1]
  return isObject(f) && typeof arg === "string" ? (f as Record<string, TlaJson>)[arg] : undefined
}

/** A sequence as the function it is: 1 :> s[1] @@ 2 :> s[2] ... */
const asFunction = (old: TlaJson): TlaJson => (Array.isArray(old) ? { $fn: old.map((v, k) => [k + 1, v] as const) } : old)

/** A function whose domain is 1..n is the sequence of its values (docs/trace-format.md). */
const asSequenceIfItIsOne = (points: ReadonlyArray<readonly [TlaJson, TlaJson]>): TlaJson => {
  const byIndex = new Map(points.map(([k, v]) => [k, v] as const))
  const n = points.length
  if (points.every(([k]) => typeof k === "number" && Number.isInteger(k) && k >= 1 && k <= n)) {
    return Array.from({ length: n }, (_, k) => byIndex.get(k + 1)!)
  }
  return { $fn: points }
}

const patchPoints = (old: TlaJson, patch: Record<string, unknown>, path: string, refs: References): TlaJson => {
  const fn = asFunction(old)
  const record = isObject(fn) && !isTagged(fn, "$fn") && !isTagged(fn, "$set") && !isTagged(fn, "$mv")
  if (!record && !isTagged(fn, "$fn")) throw new PatchError(path, "$update and $remove apply to a function, a record or a sequence")
  const points = new Map<string, readonly [TlaJson, TlaJson]>(
    record ? Object.entries(fn as Record<string, TlaJson>).map(([k, v]) => [JSON.stringify(k), [k, v] as const]) : (fn as { $fn: ReadonlyArray<readonly [TlaJson, TlaJson]> }).$fn.map(([k, v]) => [canonical(k), [k, v] as const])
  )
  const updates = patch.$update ?? []
  const removals = patch.$remove ?? []
  if (!Array.isArray(updates) || !Array.isArray(removals)) throw new PatchError(path, "$update and $remove must be arrays")
  updates.forEach((pair, n) => {
    const at = `${path}.$update[${n}]`
    if (!Array.isArray(pair) || pair.length !== 2) throw new PatchError(at, "expected an [argument, patch] pair")
    const key = resolveReferences(pair[0], `${at}[0]`, refs)
    const id = record ? JSON.stringify(key) : canonical(key)
    const previous = points.get(id)
    points.set(id, [key, applyPatch(previous?.[1], pair[1], `${at}[1]`, refs)])
  })
  removals.forEach((argument, n) => {
    const key = resolveReferences(argument, `${path}.$remove[${n}]`, refs)
    const id = record ? JSON.stringify(key) : canonical(key)
    if (!points.delete(id)) throw new PatchError(`${path}.$remove[${n}]`, "not in the domain of the previous value")
  })
  if (record) return Object.fromEntries([...points.values()].map(([k, v]) => [k as string, v]))
  return asSequenceIfItIsOne([...points.values()])
}

const patchSequence = (old: TlaJson, patch: Record<string, unknown>, path: string, refs: References): TlaJson => {
  if (!Array.isArray(old)) throw new PatchError(path, "$keep and $append apply to a sequence")
  let kept: ReadonlyArray<TlaJson> = old
  if (patch.$keep !== undefined) {
    const keep = patch.$keep
    if (!Array.isArray(keep) || keep.length !== 2 || !keep.every(Number.isInteger)) throw new PatchError(`${path}.$keep`, "expected [from, to], 1-based and inclusive")
    const [from, to] = keep as [number, number]
    if (from < 1 || to > old.length) throw new PatchError(`${path}.$keep`, `[${from}, ${to}] is outside 1..${old.length}`)
    kept = old.slice(from - 1, Math.max(from - 1, to))
  }
  const appended = patch.$append ?? []
  if (!Array.isArray(appended)) throw new PatchError(`${path}.$append`, "expected an array of elements")
  return [...kept, ...appended.map((item, n) => resolveReferences(item, `${path}.$append[${n}]`, refs))]
}

/** The value after `patch` (a patch, or a whole value) is applied to `old`. */
const applyPatch = (old: TlaJson | undefined, patch: unknown, path: string, refs: References): TlaJson => {
  if (!isPatch(patch)) return resolveReferences(patch, path, refs)
  if (old === undefined) throw new PatchError(path, "a patch needs a previous value")
  const points = "$update" in patch || "$remove" in patch
  if (points && ("$keep" in patch || "$append" in patch)) throw new PatchError(path, "a patch either updates points or slices a sequence, not both")
  return points ? patchPoints(old, patch, path, refs) : patchSequence(old, patch, path, refs)
}

/** The state after a delta step: the previous state with each changed variable patched. */
export const applyDelta = (delta: Readonly<Record<string, unknown>>, refs: References): State => {
  const next: Record<string, TlaJson> = { ...refs.previous }
  for (const [variable, patch] of Object.entries(delta)) next[variable] = applyPatch(refs.previous[variable], patch, `delta.${variable}`, refs)
  return next
}

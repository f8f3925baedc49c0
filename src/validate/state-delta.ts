/**
 * Delta traces (docs/trace-format.md, "Delta states"): a step gives only the variables it
 * changed, and for a function only the changed points, for a sequence only what was kept and
 * what was appended. This module applies such a patch to the previous value. Unchanged parts
 * stay the same values, so they are neither decoded nor compared again. Inside a patch, a message
 * in flight or a part of the previous state may be referenced instead of repeated (References).
 */
import {
  decodeValue,
  elementsOf,
  functionOf,
  functionOfOrdered,
  placeInDomain,
  pointsOf,
  type References,
  sequenceOf,
  type Value,
  ValueJsonError,
  valuesEqual
} from "./values.ts"

const PATCH_KEYS = new Set(["$update", "$remove", "$keep", "$append"])

/** Whether a JSON value is a patch rather than a whole new value. */
const isPatch = (j: unknown): j is Record<string, unknown> => {
  if (j === null || typeof j !== "object" || Array.isArray(j)) return false
  const keys = Object.keys(j)
  return keys.length > 0 && keys.every((k) => PATCH_KEYS.has(k))
}

/** The value after applying `patch` (a patch or a whole value) to `old`; `path` names it in errors. */
export const applyPatch = (old: Value | undefined, patch: unknown, path: string, refs: References): Value => {
  if (!isPatch(patch)) return decodeValue(patch, path, refs)
  if (old === undefined) throw new ValueJsonError(path, "a patch needs a previous value; give the whole value instead")
  const hasPoints = "$update" in patch || "$remove" in patch
  const hasSlice = "$keep" in patch || "$append" in patch
  if (hasPoints && hasSlice) throw new ValueJsonError(path, "a patch either updates points ($update, $remove) or slices a sequence ($keep, $append), not both")
  return hasPoints ? patchPoints(old, patch, path, refs) : patchSequence(old, patch, path, refs)
}

const patchPoints = (old: Value, patch: Record<string, unknown>, path: string, refs: References): Value => {
  const points = pointsOf(old)
  if (points === undefined) throw new ValueJsonError(path, "$update/$remove apply to a function, record or sequence")
  const domain = [...points.domain]
  const range = [...points.range]
  // The domain stays in TLC's order (a point is found by binary search and inserted in its place),
  // so a bag of thousands of messages is neither searched end to end nor sorted again per step.
  // Arguments that do not compare with the others are searched by equality, and the function is
  // then sorted once at the end.
  let ordered = true
  const find = (key: Value): { readonly at: number; readonly found: boolean } => {
    const place = ordered ? placeInDomain(domain, key) : undefined
    if (place !== undefined) return place
    ordered = false
    const k = domain.findIndex((d) => d === key || valuesEqual(d, key))
    return k >= 0 ? { at: k, found: true } : { at: domain.length, found: false }
  }
  const updates = patch.$update ?? []
  if (!Array.isArray(updates)) throw new ValueJsonError(`${path}.$update`, "expected an array of [argument, patch] pairs")
  updates.forEach((pair, n) => {
    const at = `${path}.$update[${n}]`
    if (!Array.isArray(pair) || pair.length !== 2) throw new ValueJsonError(at, "expected an [argument, patch] pair")
    const key = decodeValue(pair[0], `${at}[0]`, refs)
    const place = find(key)
    if (place.found) range[place.at] = applyPatch(range[place.at], pair[1], `${at}[1]`, refs)
    else {
      domain.splice(place.at, 0, key)
      range.splice(place.at, 0, applyPatch(undefined, pair[1], `${at}[1]`, refs))
    }
  })
  const removals = patch.$remove ?? []
  if (!Array.isArray(removals)) throw new ValueJsonError(`${path}.$remove`, "expected an array of arguments")
  removals.forEach((j, n) => {
    const place = find(decodeValue(j, `${path}.$remove[${n}]`, refs))
    if (!place.found) throw new ValueJsonError(`${path}.$remove[${n}]`, "not in the domain of the previous value")
    domain.splice(place.at, 1)
    range.splice(place.at, 1)
  })
  return ordered ? functionOfOrdered(domain, range) : functionOf(domain, range)
}

const patchSequence = (old: Value, patch: Record<string, unknown>, path: string, refs: References): Value => {
  const elements = elementsOf(old)
  if (elements === undefined) throw new ValueJsonError(path, "$keep/$append apply to a sequence")
  let kept = elements
  if ("$keep" in patch) {
    const keep = patch.$keep
    if (!Array.isArray(keep) || keep.length !== 2 || !keep.every((x) => Number.isInteger(x))) {
      throw new ValueJsonError(`${path}.$keep`, "expected [from, to], 1-based and inclusive")
    }
    const [from, to] = keep as [number, number]
    if (from < 1 || to > elements.length) throw new ValueJsonError(`${path}.$keep`, `[${from}, ${to}] is outside 1..${elements.length}`)
    kept = elements.slice(from - 1, Math.max(from - 1, to))
  }
  const appended = patch.$append ?? []
  if (!Array.isArray(appended)) throw new ValueJsonError(`${path}.$append`, "expected an array of elements")
  if (appended.length === 0 && kept === elements) return old
  return sequenceOf([...kept, ...appended.map((j, n) => decodeValue(j, `${path}.$append[${n}]`, refs))])
}

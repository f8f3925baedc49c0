/**
 * What a step changed in the spec's variables, down to the point that changed: `log[s2]` gained
 * two entries, `commitIndex[s1]` went from 3 to 5. A log or bag that grew is shown as what was
 * added, not as two long values, so that a diff stays short however long the logs are.
 */
import type { TlaJson } from "../../raft/index.ts"
import { isTagged, tlaText } from "./tla-text.ts"

export interface Change {
  /** Where, in TLA+ notation: `currentTerm[s1]`, `log[s2]`, `messages[...]`. */
  readonly path: string
  readonly before?: string
  readonly after?: string
  /** How a sequence or set changed, when that says it better than before/after. */
  readonly note?: string
}

const keyLimit = 90
const valueLimit = 240

const same = (a: TlaJson, b: TlaJson): boolean => a === b || JSON.stringify(a) === JSON.stringify(b)

const isRecord = (v: TlaJson): v is { readonly [field: string]: TlaJson } =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !isTagged(v, "$fn") && !isTagged(v, "$set") && !isTagged(v, "$mv")

const diffSequences = (path: string, a: ReadonlyArray<TlaJson>, b: ReadonlyArray<TlaJson>, out: Array<Change>): void => {
  let common = 0
  while (common < a.length && common < b.length && same(a[common], b[common])) common++
  if (common === a.length) {
    out.push({ path, note: `appended ${b.length - common} at ${common + 1}: ${tlaText(b.slice(common), valueLimit)}` })
  } else if (common === b.length) {
    out.push({ path, note: `cut to length ${b.length}, removing ${tlaText(a.slice(common), valueLimit)}` })
  } else {
    out.push({
      path,
      note: `differs from index ${common + 1}`,
      before: tlaText(a.slice(common), valueLimit),
      after: tlaText(b.slice(common), valueLimit)
    })
  }
}

const diffInto = (path: string, a: TlaJson | undefined, b: TlaJson | undefined, out: Array<Change>): void => {
  if (a !== undefined && b !== undefined && same(a, b)) return
  if (a === undefined || b === undefined) {
    out.push({ path, ...(a === undefined ? {} : { before: tlaText(a, valueLimit) }), ...(b === undefined ? {} : { after: tlaText(b, valueLimit) }) })
    return
  }
  // An empty sequence is also the empty function (and bag): compare it with a function as one.
  const asFn = (v: TlaJson) => (Array.isArray(v) && v.length === 0 ? { $fn: [] } : v)
  const fa = asFn(a)
  const fb = asFn(b)
  if (isTagged(fa, "$fn") && isTagged(fb, "$fn")) {
    const before = new Map(fa.$fn.map(([k, v]) => [JSON.stringify(k), { k, v }] as const))
    const after = new Map(fb.$fn.map(([k, v]) => [JSON.stringify(k), { k, v }] as const))
    // In key order: the order of a function's points in a trace carries no meaning.
    for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const point = (before.get(key) ?? after.get(key))!.k
      diffInto(`${path}[${tlaText(point, keyLimit)}]`, before.get(key)?.v, after.get(key)?.v, out)
    }
    return
  }
  if (Array.isArray(a) && Array.isArray(b)) return diffSequences(path, a, b, out)
  if (isTagged(a, "$set") && isTagged(b, "$set")) {
    const before = new Set(a.$set.map((v) => JSON.stringify(v)))
    const after = new Set(b.$set.map((v) => JSON.stringify(v)))
    const added = b.$set.filter((v) => !before.has(JSON.stringify(v)))
    const removed = a.$set.filter((v) => !after.has(JSON.stringify(v)))
    const parts = [added.length > 0 ? `added ${tlaText({ $set: added }, valueLimit)}` : "", removed.length > 0 ? `removed ${tlaText({ $set: removed }, valueLimit)}` : ""]
    out.push({ path, note: parts.filter((p) => p !== "").join(", ") })
    return
  }
  if (isRecord(a) && isRecord(b)) {
    const ra = a as Readonly<Record<string, TlaJson>>
    const rb = b as Readonly<Record<string, TlaJson>>
    for (const field of new Set([...Object.keys(ra), ...Object.keys(rb)])) diffInto(`${path}.${field}`, ra[field], rb[field], out)
    return
  }
  out.push({ path, before: tlaText(a, valueLimit), after: tlaText(b, valueLimit) })
}

/** The changes from one state of the spec's variables to the next, variable by variable. */
export const diffStates = (before: Readonly<Record<string, TlaJson>>, after: Readonly<Record<string, TlaJson>>): Array<Change> => {
  const out: Array<Change> = []
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) diffInto(name, before[name], after[name], out)
  return out
}

/**
 * A readable difference between two TLA+ values in trace JSON: only the parts that differ, each
 * with its path (`log[s2][3].term: expected 2, logged 1`). Functions and records are compared
 * point by point, sequences element by element up to where they diverge, sets by what is
 * missing and what is extra.
 */

const MAX_TEXT = 160

type Json = unknown

const isObject = (j: Json): j is Record<string, Json> => j !== null && typeof j === "object" && !Array.isArray(j)
const isTagged = (j: Json, tag: string): boolean => isObject(j) && Object.keys(j).length === 1 && tag in j
const isRecord = (j: Json): j is Record<string, Json> => isObject(j) && Object.keys(j).every((k) => !k.startsWith("$"))

/** A value as TLA+ text, shortened when long. */
export const showValue = (j: Json): string => {
  const text = show(j)
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…`
}

const show = (j: Json): string => {
  if (typeof j === "boolean") return j ? "TRUE" : "FALSE"
  if (typeof j === "number") return String(j)
  if (typeof j === "string") return JSON.stringify(j)
  if (Array.isArray(j)) return `<<${j.map(show).join(", ")}>>`
  if (isObject(j)) {
    if (isTagged(j, "$mv")) return String(j.$mv)
    if (isTagged(j, "$set")) return `{${(j.$set as Json[]).map(show).join(", ")}}`
    if (isTagged(j, "$fn")) {
      const pairs = j.$fn as Array<[Json, Json]>
      return pairs.length === 0 ? "<<>>" : `(${pairs.map(([k, v]) => `${show(k)} :> ${show(v)}`).join(" @@ ")})`
    }
    return `[${Object.entries(j).map(([k, v]) => `${k} |-> ${show(v)}`).join(", ")}]`
  }
  return String(j)
}

const same = (a: Json, b: Json): boolean => {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]))
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    if (ka.length !== kb.length) return false
    if (isTagged(a, "$set") && isTagged(b, "$set")) return sameMembers(a.$set as Json[], b.$set as Json[])
    if (isTagged(a, "$fn") && isTagged(b, "$fn")) return sameMembers(a.$fn as Json[], b.$fn as Json[])
    return ka.every((k) => k in b && same(a[k], b[k]))
  }
  return false
}

const sameMembers = (a: Json[], b: Json[]): boolean => a.length === b.length && a.every((x) => b.some((y) => same(x, y)))

/** The points of a function-like value (function, record, sequence) as [key, value] pairs. */
const points = (j: Json): Array<[Json, Json]> | undefined => {
  if (Array.isArray(j)) return j.map((v, i) => [i + 1, v])
  if (isTagged(j, "$fn")) return (j as { $fn: Array<[Json, Json]> }).$fn
  if (isRecord(j)) return Object.entries(j)
  return undefined
}

const pointPath = (path: string, key: Json, record: boolean): string =>
  record && typeof key === "string" ? `${path}.${key}` : `${path}[${showValue(key)}]`

/** The lines that describe how `logged` differs from `expected`, at most `limit` of them. */
export const diffValues = (path: string, expected: Json, logged: Json, limit = 12): string[] => {
  const out: string[] = []
  walk(path, expected, logged, out)
  return out.length <= limit ? out : [...out.slice(0, limit), `… ${out.length - limit} more differences`]
}

const walk = (path: string, expected: Json, logged: Json, out: string[]): void => {
  if (same(expected, logged)) return
  if (Array.isArray(expected) && Array.isArray(logged)) return walkSequences(path, expected, logged, out)
  if (isTagged(expected, "$set") && isTagged(logged, "$set")) {
    const e = (expected as { $set: Json[] }).$set
    const l = (logged as { $set: Json[] }).$set
    const missing = e.filter((x) => !l.some((y) => same(x, y)))
    const extra = l.filter((y) => !e.some((x) => same(x, y)))
    const parts = [...(missing.length > 0 ? [`missing ${missing.map(showValue).join(", ")}`] : []), ...(extra.length > 0 ? [`extra ${extra.map(showValue).join(", ")}`] : [])]
    out.push(`${path}: expected ${showValue(expected)}, logged ${showValue(logged)} (${parts.join("; ")})`)
    return
  }
  const pe = points(expected)
  const pl = points(logged)
  if (pe !== undefined && pl !== undefined && !Array.isArray(expected) && !Array.isArray(logged)) {
    const record = isRecord(expected) && isRecord(logged)
    for (const [k, v] of pe) {
      const match = pl.find(([k2]) => same(k, k2))
      if (match === undefined) out.push(`${pointPath(path, k, record)}: expected ${showValue(v)}, logged nothing (not in the domain)`)
      else walk(pointPath(path, k, record), v, match[1], out)
    }
    for (const [k, v] of pl) {
      if (!pe.some(([k2]) => same(k, k2))) out.push(`${pointPath(path, k, record)}: expected nothing (not in the domain), logged ${showValue(v)}`)
    }
    return
  }
  out.push(`${path}: expected ${showValue(expected)}, logged ${showValue(logged)}`)
}

const walkSequences = (path: string, expected: Json[], logged: Json[], out: string[]): void => {
  const common = Math.min(expected.length, logged.length)
  let first = 0
  while (first < common && same(expected[first], logged[first])) first++
  if (first < common) walk(`${path}[${first + 1}]`, expected[first], logged[first], out)
  if (expected.length !== logged.length) {
    const longer = expected.length > logged.length ? expected : logged
    const rest = longer.slice(common)
    const which = longer === expected ? "expected, not logged," : "logged, not expected,"
    out.push(
      `${path}: expected ${expected.length} elements, logged ${logged.length} (${which} from index ${common + 1}: ${showValue(rest)})`
    )
  } else if (first < common) {
    const differing = expected.filter((x, i) => !same(x, logged[i])).length
    if (differing > 1) out.push(`${path}: ${differing} of ${expected.length} elements differ, the first at index ${first + 1}`)
  }
}

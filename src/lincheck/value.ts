/**
 * The data the built-in models store and clients read: JSON's scalars and arrays. EDN keywords
 * arrive as strings with their colon (`:timed-out`), EDN vectors and lists as arrays.
 */
export type Value = null | boolean | number | string | ReadonlyArray<Value>

export const isValue = (x: unknown): x is Value => {
  if (x === null) return true
  switch (typeof x) {
    case "boolean":
    case "string":
      return true
    case "number":
      return Number.isFinite(x)
    case "object":
      return Array.isArray(x) && x.every(isValue)
    default:
      return false
  }
}

export const valueEquals = (a: Value, b: Value): boolean => {
  if (a === b) return true
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
  return a.every((x, i) => valueEquals(x, b[i]))
}

/** EDN-like and short: `nil`, `3`, `"x"`, `[1 2]`. */
export const describeValue = (value: Value): string => {
  if (value === null) return "nil"
  if (Array.isArray(value)) return `[${value.map(describeValue).join(" ")}]`
  return typeof value === "string" && !value.startsWith(":") ? JSON.stringify(value) : String(value)
}

/** FNV-1a over a canonical text, with a shortcut for small integers, the common case. */
export const hashValue = (value: Value): number => {
  if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) < 2 ** 31) {
    return Math.imul(value ^ 0x5bd1e995, 0x27d4eb2d)
  }
  const text = typeof value === "string" ? `s${value}` : JSON.stringify(value)
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h | 0
}

/**
 * TLA+ values of a trace (JSON, see docs/trace-format.md) written back in TLA+ notation, as the
 * spec writes them, cut off at a length so that a huge log or message bag stays readable.
 */
import type { TlaJson } from "../../raft/index.ts"

const isArray = (v: TlaJson): v is ReadonlyArray<TlaJson> => Array.isArray(v)

export const isTagged = <K extends "$set" | "$fn" | "$mv">(v: TlaJson, tag: K): v is Extract<TlaJson, Record<K, unknown>> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && tag in v

/** Writes pieces until the budget is spent; past it everything is dropped and "…" marks the cut. */
class Budgeted {
  private readonly parts: Array<string> = []
  private used = 0
  full = false
  constructor(private readonly limit: number) {}
  put(text: string): void {
    if (this.full) return
    if (this.used + text.length > this.limit) {
      this.parts.push(text.slice(0, Math.max(0, this.limit - this.used)), "…")
      this.full = true
      return
    }
    this.parts.push(text)
    this.used += text.length
  }
  toString(): string {
    return this.parts.join("")
  }
}

const write = (v: TlaJson, out: Budgeted): void => {
  if (out.full) return
  if (typeof v === "number") return out.put(String(v))
  if (typeof v === "boolean") return out.put(v ? "TRUE" : "FALSE")
  if (typeof v === "string") return out.put(JSON.stringify(v))
  const list = (open: string, items: ReadonlyArray<TlaJson>, close: string) => {
    out.put(open)
    items.forEach((item, k) => {
      if (k > 0) out.put(", ")
      write(item, out)
    })
    out.put(close)
  }
  if (isArray(v)) return list("<<", v, ">>")
  if (isTagged(v, "$mv")) return out.put(v.$mv)
  if (isTagged(v, "$set")) return list("{", v.$set, "}")
  if (isTagged(v, "$fn")) {
    out.put("(")
    v.$fn.forEach(([key, value], k) => {
      if (k > 0) out.put(" @@ ")
      write(key, out)
      out.put(" :> ")
      write(value, out)
    })
    return out.put(")")
  }
  out.put("[")
  Object.entries(v).forEach(([field, value], k) => {
    if (k > 0) out.put(", ")
    out.put(`${field} |-> `)
    write(value as TlaJson, out)
  })
  out.put("]")
}

/** `v` in TLA+ notation, at most about `limit` characters. */
export const tlaText = (v: TlaJson, limit = 240): string => {
  const out = new Budgeted(limit)
  write(v, out)
  return out.toString()
}

/** The value of a function of servers (or any $fn) at the point written `key`, e.g. "s1". */
export const pointsOf = (fn: TlaJson | undefined): Map<string, TlaJson> => {
  const points = new Map<string, TlaJson>()
  if (fn === undefined) return points
  if (isTagged(fn, "$fn")) for (const [key, value] of fn.$fn) points.set(tlaText(key, 10_000), value)
  return points
}

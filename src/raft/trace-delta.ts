/**
 * Delta states for traces (docs/trace-format.md, "Delta states"): instead of the whole state,
 * a step gives a patch per changed variable. For a function (per-server variables, the message
 * bag) the patch lists only the changed points; for a sequence (a log) what was kept and what
 * was appended. A full trace grows with steps x state size; a delta trace with steps x change.
 */
import type { TlaJson } from "./tla-json.ts"

/** A variable's patch: a whole new value, or one of the forms below. */
export type TlaPatch =
  | TlaJson
  | { readonly $update?: ReadonlyArray<readonly [TlaJson, TlaPatch]>; readonly $remove?: ReadonlyArray<TlaJson> }
  | { readonly $keep?: readonly [number, number]; readonly $append?: ReadonlyArray<TlaJson> }

type Fn = { readonly $fn: ReadonlyArray<readonly [TlaJson, TlaJson]> }

const isFn = (j: TlaJson): j is Fn => typeof j === "object" && j !== null && !Array.isArray(j) && "$fn" in j
const isRecord = (j: TlaJson): j is { readonly [field: string]: TlaJson } =>
  typeof j === "object" && j !== null && !Array.isArray(j) && Object.keys(j).every((k) => !k.startsWith("$"))

/**
 * Whether two values are equal. States share unchanged parts (spec-state.ts encodes servers,
 * entries, logs and messages once each), so identity settles most comparisons; the rest stop at
 * the first difference.
 */
const same = (a: TlaJson, b: TlaJson): boolean => {
  if (a === b) return true
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]))
  if (Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = b as Record<string, TlaJson>
  return ka.length === Object.keys(b).length && ka.every((k) => k in kb && same((a as Record<string, TlaJson>)[k], kb[k]))
}

/** The patch turning `before` into `after`, or undefined when they are equal. */
export const patchOf = (before: TlaJson, after: TlaJson): TlaPatch | undefined => {
  if (before === after) return undefined
  if (typeof before !== "object" || typeof after !== "object") return after
  if (Array.isArray(before) && Array.isArray(after)) return sequencePatch(before, after)
  if (isFn(before) && isFn(after)) return pointsPatch(before.$fn, after.$fn)
  if (isRecord(before) && isRecord(after)) return pointsPatch(Object.entries(before), Object.entries(after))
  return same(before, after) ? undefined : after
}

const pointsPatch = (before: ReadonlyArray<readonly [TlaJson, TlaJson]>, after: ReadonlyArray<readonly [TlaJson, TlaJson]>): TlaPatch | undefined => {
  // Arguments are found by identity (or by value for atoms), then among the unmatched ones by value.
  const byId = new Map<unknown, number>()
  before.forEach(([k], i) => byId.set(typeof k === "object" ? k : JSON.stringify(k), i))
  const matched = before.map(() => false)
  const find = (k: TlaJson): number => {
    const i = byId.get(typeof k === "object" ? k : JSON.stringify(k))
    if (i !== undefined && !matched[i]) return i
    return before.findIndex(([old], j) => !matched[j] && same(old, k))
  }
  const update: Array<readonly [TlaJson, TlaPatch]> = []
  for (const [k, v] of after) {
    const i = find(k)
    if (i < 0) update.push([k, v])
    else {
      matched[i] = true
      const p = patchOf(before[i][1], v)
      if (p !== undefined) update.push([k, p])
    }
  }
  const remove = before.filter((_, i) => !matched[i]).map(([k]) => k)
  if (update.length === 0 && remove.length === 0) return undefined
  return { ...(update.length > 0 ? { $update: update } : {}), ...(remove.length > 0 ? { $remove: remove } : {}) }
}

/**
 * A sequence as a kept slice of the old one plus appended elements: covers appending, cutting
 * a conflicting suffix, and compacting a prefix away. Anything else is given whole.
 */
const sequencePatch = (before: ReadonlyArray<TlaJson>, after: ReadonlyArray<TlaJson>): TlaPatch | undefined => {
  // The slice of `before` starting at `from` (0-based) that `after` begins with.
  const matched = (from: number): number => {
    let n = 0
    while (from + n < before.length && n < after.length && same(before[from + n], after[n])) n++
    return n
  }
  let from = 0
  let kept = matched(0)
  if (kept === before.length && kept === after.length) return undefined
  if (kept === 0 && after.length > 0) {
    // A compacted prefix: `after` starts somewhere inside `before`.
    const start = before.findIndex((e) => same(e, after[0]))
    if (start > 0) {
      from = start
      kept = matched(start)
    }
  }
  if (kept === 0) return after.length === 0 && before.length === 0 ? undefined : after
  const appended = after.slice(kept)
  const keepAll = from === 0 && kept === before.length
  return {
    ...(keepAll ? {} : { $keep: [from + 1, from + kept] as const }),
    ...(appended.length > 0 ? { $append: appended } : {})
  }
}

/** Arrays shorter than this are repeated rather than referenced. */
const SHARED_LENGTH = 16

/**
 * Remembers the last state written and gives each new state as patches of the changed variables.
 * Two kinds of references keep repeated content out of the trace: a message in flight is named
 * by its id (`{"$msg": id}`) in the bag's patch, and an array that the previous state holds at a
 * point of a function variable (a log sent in a snapshot, say) is named by that place
 * (`{"$at": [variable, argument]}`).
 */
export class DeltaWriter {
  private previous: Record<string, TlaJson>
  private places = new Map<object, TlaJson>()

  constructor(
    initial: Record<string, TlaJson>,
    /** The variable holding the message bag, whose arguments may be given by message id. */
    private readonly bag?: string
  ) {
    this.previous = initial
    this.index()
  }

  /**
   * The patches from the previous state to `state`. `messageId(message)` gives the id of a copy
   * of that message in flight, when there is one the reader knows.
   */
  next(state: Record<string, TlaJson>, messageId: (message: TlaJson) => number | undefined = () => undefined): Record<string, TlaPatch> {
    const delta: Record<string, TlaPatch> = {}
    for (const [name, value] of Object.entries(state)) {
      const p = name in this.previous ? patchOf(this.previous[name], value) : value
      if (p === undefined) continue
      delta[name] = name === this.bag ? this.namedMessages(p, messageId) : this.shared(p)
    }
    this.previous = state
    this.index()
    return delta
  }

  /** The arrays of the state, by identity, with their places. */
  private index(): void {
    this.places = new Map()
    for (const [name, value] of Object.entries(this.previous)) {
      if (!isFn(value)) continue
      for (const [arg, v] of value.$fn) {
        if (Array.isArray(v) && v.length >= SHARED_LENGTH) this.places.set(v, { $at: [name, arg] })
      }
    }
  }

  /** The patch with arrays of the previous state replaced by their places. */
  private shared(p: TlaPatch): TlaPatch {
    const walk = (j: unknown): unknown => {
      if (typeof j !== "object" || j === null) return j
      const place = this.places.get(j)
      if (place !== undefined) return place
      if (Array.isArray(j)) return j.map(walk)
      return Object.fromEntries(Object.entries(j).map(([k, v]) => [k, walk(v)]))
    }
    return walk(p) as TlaPatch
  }

  private namedMessages(p: TlaPatch, messageId: (message: TlaJson) => number | undefined): TlaPatch {
    const name = (key: TlaJson): TlaJson => {
      const id = messageId(key)
      return id === undefined ? (this.shared(key) as TlaJson) : { $msg: id }
    }
    if (typeof p !== "object" || p === null || !("$update" in p || "$remove" in p)) return this.shared(p)
    const points = p as { $update?: ReadonlyArray<readonly [TlaJson, TlaPatch]>; $remove?: ReadonlyArray<TlaJson> }
    return {
      ...(points.$update ? { $update: points.$update.map(([k, v]) => [name(k), v] as const) } : {}),
      ...(points.$remove ? { $remove: points.$remove.map(name) } : {})
    }
  }
}

/**
 * Reading the full states of a trace from text, line after line, without parsing again what the
 * previous line already had. A variable whose text is unchanged keeps its value. A changed
 * function variable ({"$fn": [[argument, value], ...]}) is read point by point, and each
 * argument or value whose text appeared on an earlier line is taken from there, decoded value
 * included: when one message is added to a bag, or one server's log grows, only that part is
 * parsed and decoded.
 *
 * A changed function is mostly the previous one with a point changed, added or removed, so each
 * part is first compared with the part at the same place on the previous line (or one point
 * further or back); only a part that moved further, or a parameter, is looked up by its first
 * characters. Comparisons are string equality of a slice, which the engine does as a memory
 * comparison (much faster than `startsWith` on long text), so an unchanged part costs a
 * comparison, not a parse.
 */
import { closeContainer, objectMembers, skipValue } from "./json-text.ts"
import type { Value } from "./values.ts"

/** A part of a line (a function's argument or value, a parameter): its text and its parsed JSON. */
export interface Part {
  readonly text: string
  readonly json: unknown
  /**
   * The decoded value, set by the reader of the state (./step-reader.ts) the first time the part
   * is decoded; a part met again on a later line is not decoded again, and its value is the
   * same object, which the evaluator compares by identity.
   */
  value?: Value
  /**
   * A sequence read as an earlier part with elements appended (a log that grew): that part,
   * whose decoded elements are kept. Dropped once this part is decoded, so that a log's earlier
   * versions are not all kept alive.
   */
  grownFrom?: Part
}

/** A variable of a state line: where its text is and, when it changed, its parts or its JSON. */
export interface VariableText {
  readonly name: string
  readonly start: number
  readonly end: number
  /** False when the text equals the previous line's. */
  readonly changed: boolean
  /** A changed function written compactly: its points' parts, argument and value alternating. */
  readonly points?: ReadonlyArray<Part>
  /** Any other changed variable: its parsed JSON. */
  readonly json?: unknown
}

type Parse = (json: string, start: number) => unknown

/**
 * A copy of a slice of a line, for a part kept beyond the line: the engine's slice refers to the
 * whole line, which would then outlive the line by many steps and be copied by every collection
 * of the young generation on its way to the old one (most of the collector's time otherwise).
 */
const own = (slice: string): string => (" " + slice).slice(1)

const FUNCTION_OPEN = '{"$fn":['

const isContainer = (c: number): boolean => c === 123 || c === 91

/** Whether a value can start with this character (a space may only stand before it in JSON that is not compact). */
const startsValue = (c: number): boolean => c !== 32 && c !== 10 && c !== 13 && c !== 9

const endsValue = (text: string, at: number): boolean => {
  const c = text.charCodeAt(at)
  return c === 44 || c === 93 || c === 125 || c === 32 || Number.isNaN(c)
}

/** Whether `text` has part `p` at `at` (and the value ends there). */
const hasAt = (text: string, at: number, p: Part | undefined): p is Part =>
  p !== undefined && text.slice(at, at + p.text.length) === p.text && endsValue(text, at + p.text.length)

/**
 * A sequence at `at` that extends part `p` by appending elements: its text, sharing `p`'s
 * elements. Only the appended text is scanned and parsed.
 */
function grownFrom(text: string, at: number, p: Part, parse: Parse): Part | undefined {
  const open = p.text.length - 1
  if (open < 2 || !Array.isArray(p.json) || text.charCodeAt(at + open) !== 44) return undefined
  if (text.slice(at, at + open) !== p.text.slice(0, open)) return undefined
  // The shared text is balanced but for the outer '[', so the sequence closes where its appended text does.
  const end = closeContainer(text, at, at + open)
  // The ',' before the appended elements stands where the '[' of the parsed text does.
  const appended = parse("[" + text.slice(at + open + 1, end), at + open) as unknown[]
  return { text: own(text.slice(at, end)), json: (p.json as unknown[]).concat(appended), grownFrom: p }
}

/** How many leading characters index a part. */
const PREFIX = 128

/**
 * Parts of recent lines by their first characters, for the parts that the in-place comparison
 * misses: a parameter (a message of the bag, say), a point that moved. Any part whose text is
 * equal will do, so the index may keep parts of older lines; it starts again from the parts in
 * use once it holds several lines' worth of text more, which keeps memory bounded.
 */
class PartIndex {
  private byPrefix = new Map<string, Part[]>()
  private chars = 0

  find(text: string, at: number): Part | undefined {
    const candidates = this.byPrefix.get(text.slice(at, at + PREFIX))
    if (candidates === undefined) return undefined
    for (const p of candidates) if (hasAt(text, at, p)) return p
    return undefined
  }

  /** A part that the sequence at `at` extends (see grownFrom). */
  grown(text: string, at: number, parse: Parse): Part | undefined {
    if (text.charCodeAt(at) !== 91) return undefined
    for (const p of this.byPrefix.get(text.slice(at, at + PREFIX)) ?? []) {
      const grown = grownFrom(text, at, p, parse)
      if (grown !== undefined) return grown
    }
    return undefined
  }

  add(part: Part): void {
    const prefix = part.text.slice(0, PREFIX)
    const list = this.byPrefix.get(prefix)
    if (list === undefined) this.byPrefix.set(prefix, [part])
    else if (!list.includes(part)) list.push(part)
    this.chars += part.text.length
  }

  /** Whether the index holds much more text than a line of `lineLength` characters (parts no longer in use). */
  full(lineLength: number): boolean {
    return this.chars > 4 * lineLength + (1 << 16)
  }

  /** Starts again from the parts in use. */
  restart(inUse: Iterable<{ readonly parts: ReadonlyArray<Part> | undefined }>): void {
    this.byPrefix = new Map()
    this.chars = 0
    for (const { parts } of inUse) for (const p of parts ?? []) if (isContainer(p.text.charCodeAt(0))) this.add(p)
  }
}

/** Reads one compact function's points, comparing each part with the previous line's parts of the same variable. */
class PointReader {
  readonly parts: Part[] = []
  /** Where the next part is expected among the previous parts. */
  private expected = 0

  constructor(
    private readonly text: string,
    private readonly parse: Parse,
    private readonly previous: ReadonlyArray<Part>,
    private readonly index: PartIndex
  ) {}

  /** The part at `at`: the previous line's, when it had it, or a newly parsed one. */
  part(at: number): Part {
    const { text, previous } = this
    const k = this.expected
    // In place, then one point (two parts) further (a point removed) or back (a point added).
    const near = hasAt(text, at, previous[k]) ? k : hasAt(text, at, previous[k + 2]) ? k + 2 : hasAt(text, at, previous[k - 2]) ? k - 2 : -1
    let p: Part
    if (near >= 0) {
      p = previous[near]
      this.expected = near + 1
    } else if (isContainer(text.charCodeAt(at))) {
      const known = this.index.find(text, at)
      if (known !== undefined) {
        p = known
        // Resume after it if it moved within this function; otherwise expect the next place.
        const moved = previous.indexOf(known)
        this.expected = moved >= 0 ? moved + 1 : k + 1
      } else {
        p = (previous[k] === undefined ? undefined : grownFrom(text, at, previous[k], this.parse)) ?? this.index.grown(text, at, this.parse) ?? this.parsed(at)
        this.index.add(p)
        this.expected = k + 1
      }
    } else {
      p = this.parsed(at)
      this.expected = k + 1
    }
    this.parts.push(p)
    return p
  }

  private parsed(at: number): Part {
    const end = skipValue(this.text, at)
    const raw = this.text.slice(at, end)
    return { text: own(raw), json: this.parse(raw, at) }
  }
}

/** A member whose text equals the previous line's. */
const UNCHANGED = "unchanged"

export class StateText {
  /**
   * Each variable as the latest line that gave it wrote it: where its text is on that line and,
   * for a compact function, its parts. An unchanged variable is moved to the newer line, so that
   * no line is kept beyond the next one (and the text is not copied).
   */
  private readonly latest = new Map<string, { line: string; start: number; end: number; readonly parts: ReadonlyArray<Part> | undefined }>()
  private readonly index = new PartIndex()

  /**
   * Reads the state object at `at` (a `{`); `parse` parses a JSON text that starts at a given
   * position (and reports its errors there).
   */
  read(text: string, at: number, parse: Parse): { variables: VariableText[]; end: number } {
    // What the scan found for each member, in the members' order.
    const scanned: Array<typeof UNCHANGED | Part[] | undefined> = []
    const { members, end } = objectMembers(text, at, (name, start) => {
      const before = this.latest.get(name)
      const end = before === undefined ? 0 : start + before.end - before.start
      if (before !== undefined && text.slice(start, end) === before.line.slice(before.start, before.end) && endsValue(text, end)) {
        before.line = text
        before.start = start
        before.end = end
        scanned.push(UNCHANGED)
        return end
      }
      const fn = this.functionAt(text, start, parse, before?.parts ?? [])
      scanned.push(fn?.parts)
      return fn?.end
    })
    const variables = members.map((m, k): VariableText => {
      const found = scanned[k]
      if (found === UNCHANGED) return { name: m.key, start: m.start, end: m.end, changed: false }
      this.latest.set(m.key, { line: text, start: m.start, end: m.end, parts: found })
      if (found !== undefined) return { name: m.key, start: m.start, end: m.end, changed: true, points: found }
      return { name: m.key, start: m.start, end: m.end, changed: true, json: parse(text.slice(m.start, m.end), m.start) }
    })
    if (this.index.full(end - at)) this.index.restart(this.latest.values())
    return { variables, end }
  }

  /** The JSON value at `at` (a parameter, say), taken from recent lines when they had it. */
  value(text: string, at: number, parse: Parse): Part {
    const container = isContainer(text.charCodeAt(at))
    const known = container ? this.index.find(text, at) : undefined
    if (known !== undefined) return known
    const end = skipValue(text, at)
    const raw = text.slice(at, end)
    // A part shorter than the prefix is indexed under its whole text.
    const short = container && raw.length < PREFIX ? this.index.find(raw, 0) : undefined
    // Not kept beyond the step, so the slice need not be copied.
    return short ?? { text: raw, json: parse(raw, at) }
  }

  /** A function written compactly, read point by point; undefined for any other text. */
  private functionAt(text: string, at: number, parse: Parse, previous: ReadonlyArray<Part>): { parts: Part[]; end: number } | undefined {
    if (text.slice(at, at + FUNCTION_OPEN.length) !== FUNCTION_OPEN) return undefined
    const points = new PointReader(text, parse, previous, this.index)
    let i = at + FUNCTION_OPEN.length
    if (text.charCodeAt(i) !== 93) {
      for (;;) {
        // Only the compact form is read this way; anything else is parsed whole by the caller.
        if (text.charCodeAt(i) !== 91 || !startsValue(text.charCodeAt(i + 1))) return undefined
        i += 1 + points.part(i + 1).text.length
        if (text.charCodeAt(i) !== 44 || !startsValue(text.charCodeAt(i + 1))) return undefined
        i += 1 + points.part(i + 1).text.length
        if (text.charCodeAt(i) !== 93) return undefined
        i++
        if (text.charCodeAt(i) !== 44) break
        i++
      }
    }
    if (text.charCodeAt(i) !== 93 || text.charCodeAt(i + 1) !== 125) return undefined
    return { parts: points.parts, end: i + 2 }
  }
}

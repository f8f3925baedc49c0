/**
 * Reading the full states of a trace from text, line after line, without parsing again what the
 * previous line already had. A variable whose text is unchanged keeps its value. A changed
 * function variable ({"$fn": [[argument, value], ...]}) is read point by point, and each
 * argument or value whose text appeared on the previous line is taken from there: when one
 * message is added to a bag, or one server's log grows, only that part is parsed.
 *
 * Parts are recognised by their first characters, then compared whole (string equality, which
 * the engine does with a memory comparison), so the cost of an unchanged part is a comparison,
 * not a parse.
 */
import { objectMembers, skipValue } from "./json-text.ts"
import { extendedFrom } from "./values.ts"

/** A part of a line: its text and its parsed JSON. */
interface Part {
  readonly text: string
  readonly json: unknown
}

/** How many leading characters index a part. */
const PREFIX = 40

const FUNCTION_OPEN = '{"$fn":['

/** Parts of the previous line and of the current one, indexed by their first characters. */
class RecentParts {
  private previous = new Map<string, Part[]>()
  private current = new Map<string, Part[]>()

  /** The part of the previous (or current) line that `text` has at `at`, if any. */
  find(text: string, at: number): Part | undefined {
    const prefix = text.slice(at, at + PREFIX)
    const same = matching(this.current.get(prefix), text, at)
    if (same !== undefined) return same
    const earlier = matching(this.previous.get(prefix), text, at)
    if (earlier !== undefined) this.keep(prefix, earlier)
    return earlier
  }

  /**
   * A part of the previous line that the text at `at` extends by appending elements (a log
   * that grew): the shared elements keep their JSON, so they are neither parsed nor decoded.
   */
  grown(text: string, at: number): Part | undefined {
    if (text.charCodeAt(at) !== 91) return undefined
    const candidates = this.previous.get(text.slice(at, at + PREFIX))
    if (candidates === undefined) return undefined
    for (const p of candidates) {
      const open = p.text.length - 1
      if (open < 2 || !Array.isArray(p.json) || text.charCodeAt(at + open) !== 44) continue
      if (text.slice(at, at + open) !== p.text.slice(0, open)) continue
      const end = skipValue(text, at)
      const appended = JSON.parse("[" + text.slice(at + open + 1, end)) as unknown[]
      const json = (p.json as unknown[]).concat(appended)
      extendedFrom.set(json, p.json as unknown[])
      return { text: text.slice(at, end), json }
    }
    return undefined
  }

  add(part: Part): void {
    this.keep(part.text.slice(0, PREFIX), part)
  }

  nextLine(): void {
    this.previous = this.current
    this.current = new Map()
  }

  private keep(prefix: string, part: Part): void {
    const list = this.current.get(prefix)
    if (list === undefined) this.current.set(prefix, [part])
    else if (!list.includes(part)) list.push(part)
  }
}

/** The part among `parts` that `text` has at `at`. */
function matching(parts: Part[] | undefined, text: string, at: number): Part | undefined {
  if (parts === undefined) return undefined
  for (const p of parts) {
    if (text.slice(at, at + p.text.length) === p.text && endsValue(text, at + p.text.length)) return p
  }
  return undefined
}

const endsValue = (text: string, at: number): boolean => {
  const c = text.charCodeAt(at)
  return c === 44 || c === 93 || c === 125 || c === 32 || Number.isNaN(c)
}

/** A variable of a state line: where its text is and, when it changed, its JSON. */
export interface VariableText {
  readonly name: string
  readonly start: number
  readonly end: number
  /** False when the text equals the previous line's. */
  readonly changed: boolean
  /** The parsed JSON of a changed variable. */
  readonly json?: unknown
}

export class StateText {
  /** Each variable's text on the latest line that gave it. */
  private readonly texts = new Map<string, string>()
  private readonly parts = new RecentParts()
  /** The parts each variable was read in, kept while the variable stays unchanged. */
  private readonly partsOf = new Map<string, Part[]>()

  /**
   * Reads the state object at `at` (a `{`); `parse` parses a JSON text that starts at a given
   * position (and reports its errors there).
   */
  read(text: string, at: number, parse: (json: string, start: number) => unknown): { variables: VariableText[]; end: number } {
    const read = new Map<string, { changed: boolean; json?: unknown }>()
    const { members, end } = objectMembers(text, at, (name, start) => {
      const before = this.texts.get(name)
      if (before !== undefined && text.slice(start, start + before.length) === before && endsValue(text, start + before.length)) {
        read.set(name, { changed: false })
        for (const p of this.partsOf.get(name) ?? []) this.parts.add(p)
        return start + before.length
      }
      const parts: Part[] = []
      const fn = this.functionAt(text, start, parse, parts)
      this.partsOf.set(name, parts)
      if (fn !== undefined) {
        read.set(name, { changed: true, json: fn.json })
        return fn.end
      }
      return undefined
    })
    const variables = members.map((m): VariableText => {
      const seen = read.get(m.key)
      if (seen !== undefined && !seen.changed) return { name: m.key, start: m.start, end: m.end, changed: false }
      const raw = text.slice(m.start, m.end)
      this.texts.set(m.key, raw)
      return { name: m.key, start: m.start, end: m.end, changed: true, json: seen?.json ?? parse(raw, m.start) }
    })
    this.parts.nextLine()
    return { variables, end }
  }

  /** The JSON value at `at` (a parameter, say), taken from recent lines when they had it. */
  value(text: string, at: number, parse: (json: string, start: number) => unknown): { json: unknown; end: number } {
    const c = text.charCodeAt(at)
    const known = c === 123 || c === 91 ? this.parts.find(text, at) : undefined
    if (known !== undefined) return { json: known.json, end: at + known.text.length }
    const end = skipValue(text, at)
    return { json: parse(text.slice(at, end), at), end }
  }

  /** The argument or value of a function's point at `at`, from recent lines when they had it. */
  private part(text: string, at: number, parse: (json: string, start: number) => unknown, parts: Part[]): { json: unknown; end: number } {
    const c = text.charCodeAt(at)
    if (c !== 123 && c !== 91) {
      const end = skipValue(text, at)
      return { json: parse(text.slice(at, end), at), end }
    }
    let p = this.parts.find(text, at) ?? this.parts.grown(text, at)
    if (p === undefined) {
      const end = skipValue(text, at)
      const raw = text.slice(at, end)
      p = { text: raw, json: parse(raw, at) }
    }
    this.parts.add(p)
    parts.push(p)
    return { json: p.json, end: at + p.text.length }
  }

  /** A function written compactly, read point by point; undefined for any other text. */
  private functionAt(
    text: string,
    at: number,
    parse: (json: string, start: number) => unknown,
    parts: Part[]
  ): { json: unknown; end: number } | undefined {
    if (!text.startsWith(FUNCTION_OPEN, at)) return undefined
    const pairs: unknown[] = []
    let i = at + FUNCTION_OPEN.length
    if (text.charCodeAt(i) !== 93) {
      for (;;) {
        // Only the compact form is read this way; anything else is parsed whole by the caller.
        if (text.charCodeAt(i) !== 91) return undefined
        const argument = this.part(text, i + 1, parse, parts)
        i = argument.end
        if (text.charCodeAt(i) !== 44) return undefined
        const value = this.part(text, i + 1, parse, parts)
        i = value.end
        if (text.charCodeAt(i) !== 93) return undefined
        i++
        pairs.push([argument.json, value.json])
        if (text.charCodeAt(i) !== 44) break
        i++
      }
    }
    if (text.charCodeAt(i) !== 93 || text.charCodeAt(i + 1) !== 125) return undefined
    return { json: { $fn: pairs }, end: i + 2 }
  }
}

/**
 * Finding the parts of a JSON text without parsing them. A full-state trace repeats every
 * variable on every line, mostly unchanged; cutting a line into the raw text of each variable
 * (and of each point of a function) lets the decoder compare text with the previous line and
 * parse only what changed.
 *
 * The scanner checks the structure it walks over (brackets, commas, colons, strings); the parts
 * it hands out are checked by JSON.parse when they are parsed, or are equal to text that was.
 */

/** A malformed JSON text: `offset` is the 0-based position of the problem. */
export class JsonTextError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string
  ) {
    super(reason)
  }
}

const QUOTE = 34
const BACKSLASH = 92
const COMMA = 44
const COLON = 58
const OPEN_BRACE = 123
const CLOSE_BRACE = 125
const OPEN_BRACKET = 91
const CLOSE_BRACKET = 93

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9

const skipSpace = (text: string, at: number): number => {
  while (at < text.length && isSpace(text.charCodeAt(at))) at++
  return at
}

/** The position after the string that starts at `at` (a quote). */
const skipString = (text: string, at: number): number => {
  let i = at + 1
  for (;;) {
    const q = text.indexOf('"', i)
    if (q < 0) throw new JsonTextError(at, "unterminated string")
    // A quote preceded by an odd number of backslashes is escaped.
    let slashes = 0
    for (let k = q - 1; k > at && text.charCodeAt(k) === BACKSLASH; k--) slashes++
    if (slashes % 2 === 0) return q + 1
    i = q + 1
  }
}

/** The position after the JSON value that starts at `at` (after any spaces). */
export const skipValue = (text: string, at: number): number => {
  const c = text.charCodeAt(at)
  if (c === QUOTE) return skipString(text, at)
  if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
    // number, true, false, null: runs to the next delimiter; JSON.parse checks it later.
    let i = at
    while (i < text.length) {
      const d = text.charCodeAt(i)
      if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isSpace(d)) break
      i++
    }
    if (i === at) throw new JsonTextError(at, "expected a value")
    return i
  }
  return closeContainer(text, at, at + 1)
}

/**
 * The position after the container whose opening bracket is at `at`, scanning from `from`:
 * the text between them must be balanced (a sequence's text minus its closing bracket, say).
 */
export const closeContainer = (text: string, at: number, from: number): number => {
  // Match brackets, stepping over strings.
  const c = text.charCodeAt(at)
  const stack: number[] = [c]
  let i = from
  while (stack.length > 0) {
    if (i >= text.length) throw new JsonTextError(at, "unterminated " + (c === OPEN_BRACE ? "object" : "array"))
    const d = text.charCodeAt(i)
    if (d === QUOTE) {
      i = skipString(text, i)
      continue
    }
    if (d === OPEN_BRACE || d === OPEN_BRACKET) stack.push(d)
    else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
      const open = stack.pop()
      if ((open === OPEN_BRACE) !== (d === CLOSE_BRACE)) throw new JsonTextError(i, "mismatched bracket")
    }
    i++
  }
  return i
}

/** A member of an object: its key and where its value's text lies. */
export interface Member {
  readonly key: string
  readonly start: number
  readonly end: number
}

/**
 * The members of the object whose `{` is at `at`; `end` is the position after `}`.
 * `scan(key, start)` may read a member's value itself (returning the position after it), or
 * leave it to the scanner by returning undefined.
 */
export const objectMembers = (
  text: string,
  at: number,
  scan?: (key: string, start: number) => number | undefined
): { members: Member[]; end: number } => {
  if (text.charCodeAt(at) !== OPEN_BRACE) throw new JsonTextError(at, "expected an object")
  const members: Member[] = []
  let i = skipSpace(text, at + 1)
  if (text.charCodeAt(i) === CLOSE_BRACE) return { members, end: i + 1 }
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) throw new JsonTextError(i, "expected a member name")
    const keyEnd = skipString(text, i)
    const raw = text.slice(i + 1, keyEnd - 1)
    const key = raw.includes("\\") ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw
    i = skipSpace(text, keyEnd)
    if (text.charCodeAt(i) !== COLON) throw new JsonTextError(i, "expected ':'")
    const start = skipSpace(text, i + 1)
    const end = scan?.(key, start) ?? skipValue(text, start)
    members.push({ key, start, end })
    i = skipSpace(text, end)
    const d = text.charCodeAt(i)
    if (d === CLOSE_BRACE) return { members, end: i + 1 }
    if (d !== COMMA) throw new JsonTextError(i, "expected ',' or '}'")
    i = skipSpace(text, i + 1)
  }
}

/** Whether the rest of the text after `at` is only spaces. */
export const onlySpaceAfter = (text: string, at: number): boolean => skipSpace(text, at) === text.length

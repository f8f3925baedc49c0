/**
 * A JSON reader that remembers where each object and array starts, so that a history's semantic
 * errors (a missing field, a return before its call) can name the line, not just the syntax ones.
 */
import { positionsIn, SyntaxProblem, type Position } from "./source.ts"

export interface JsonDocument {
  readonly value: unknown
  /** Where an object or array of the document starts. */
  readonly positionOf: (node: object) => Position | undefined
}

export const readJson = (text: string): JsonDocument => {
  const at = positionsIn(text)
  const positions = new WeakMap<object, Position>()
  let i = 0
  const fail = (reason: string, offset = i): never => {
    throw new SyntaxProblem(at(offset), reason)
  }
  const skipSpace = (): void => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++
  }
  const expect = (char: string): void => {
    skipSpace()
    if (text[i] !== char) fail(i >= text.length ? `expected '${char}' but the file ended` : `expected '${char}'`)
    i++
  }
  const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" }
  // Runs of plain characters are copied as slices, not character by character: a string built by
  // += of single characters is a chain as long as the string, and every later comparison of it
  // (a long read of an appended-to key) would flatten it again.
  const readString = (): string => {
    const start = i
    i++
    let out = ""
    let run = i
    for (;;) {
      if (i >= text.length) fail("unterminated string", start)
      const c = text[i]
      if (c === '"') {
        out += text.slice(run, i++)
        return out
      }
      if (c === "\n") fail("unterminated string", start)
      if (c !== "\\") {
        i++
        continue
      }
      out += text.slice(run, i)
      i++
      const e = text[i++]
      if (e in ESCAPES) out += ESCAPES[e]
      else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) {
        out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16))
        i += 4
      } else fail("bad escape in string", i - 2)
      run = i
    }
  }
  const readValue = (): unknown => {
    skipSpace()
    const start = i
    const c = text[i]
    if (c === "{") {
      i++
      const object: Record<string, unknown> = {}
      positions.set(object, at(start))
      skipSpace()
      if (text[i] === "}") {
        i++
        return object
      }
      for (;;) {
        skipSpace()
        if (text[i] !== '"') fail("expected a quoted field name")
        const key = readString()
        expect(":")
        object[key] = readValue()
        skipSpace()
        if (text[i] === ",") i++
        else if (text[i] === "}") {
          i++
          return object
        } else fail("expected ',' or '}'")
      }
    }
    if (c === "[") {
      i++
      const array: Array<unknown> = []
      positions.set(array, at(start))
      skipSpace()
      if (text[i] === "]") {
        i++
        return array
      }
      for (;;) {
        array.push(readValue())
        skipSpace()
        if (text[i] === ",") i++
        else if (text[i] === "]") {
          i++
          return array
        } else fail("expected ',' or ']'")
      }
    }
    if (c === '"') return readString()
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64))
    if (literal === null) return fail(i >= text.length ? "the file ended where a value was expected" : "expected a JSON value")
    i += literal[0].length
    return JSON.parse(literal[0]) as unknown
  }
  const value = readValue()
  skipSpace()
  if (i < text.length) fail("unexpected text after the JSON value")
  return { value, positionOf: (node) => positions.get(node) }
}

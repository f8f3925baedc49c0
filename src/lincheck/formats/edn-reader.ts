/**
 * A reader for the part of EDN that Jepsen histories use: maps, vectors, lists, sets, keywords,
 * symbols, strings, numbers, characters, nil/true/false, comments, `#_` discards and tagged
 * literals (read as their form, so `#jepsen.history.Op{...}` is a map).
 */
import { positionsIn, SyntaxProblem, type Position } from "./source.ts"

export class Keyword {
  private static readonly interned = new Map<string, Keyword>()
  private constructor(readonly name: string) {}
  static of(name: string): Keyword {
    let keyword = Keyword.interned.get(name)
    if (keyword === undefined) {
      keyword = new Keyword(name)
      Keyword.interned.set(name, keyword)
    }
    return keyword
  }
  toString(): string {
    return `:${this.name}`
  }
}

export class EdnSymbol {
  constructor(readonly name: string) {}
}

export type Edn = null | boolean | number | string | Keyword | EdnSymbol | ReadonlyArray<Edn> | EdnMap
/** Keys are interned keywords or scalars, so `get(Keyword.of("f"))` finds `:f`. */
export type EdnMap = ReadonlyMap<Edn, Edn>

export interface EdnForm {
  readonly value: Edn
  readonly position: Position
}

const delimiters = new Set([..." \t\r\n,()[]{}\";"])

export interface EdnDocument {
  readonly forms: ReadonlyArray<EdnForm>
  /** Where a map of the document starts. */
  readonly positionOf: (map: EdnMap) => Position | undefined
}

export const readEdn = (text: string, firstLine = 1): EdnDocument => {
  const at = positionsIn(text, firstLine)
  const positions = new WeakMap<EdnMap, Position>()
  let i = 0
  const fail = (reason: string, offset = i): never => {
    throw new SyntaxProblem(at(offset), reason)
  }
  const skipSpace = (): void => {
    while (i < text.length) {
      const c = text[i]
      if (c === ";") while (i < text.length && text[i] !== "\n") i++
      else if (" \t\r\n,".includes(c)) i++
      else if (c === "#" && text[i + 1] === "_") {
        i += 2
        readForm()
      } else return
    }
  }
  const token = (): string => {
    const start = i
    while (i < text.length && !delimiters.has(text[i])) i++
    return text.slice(start, i)
  }
  const readSequence = (close: string, start: number): Array<Edn> => {
    const items: Array<Edn> = []
    for (;;) {
      skipSpace()
      if (i >= text.length) fail(`'${text[start]}' is never closed`, start)
      if (text[i] === close) {
        i++
        return items
      }
      if (")]}".includes(text[i])) fail(`expected '${close}'`)
      items.push(readForm())
    }
  }
  const readString = (): string => {
    const start = i++
    let out = ""
    for (;;) {
      if (i >= text.length) fail("unterminated string", start)
      const c = text[i++]
      if (c === '"') return out
      if (c !== "\\") {
        out += c
        continue
      }
      const e = text[i++]
      const simple: Record<string, string> = { '"': '"', "\\": "\\", n: "\n", t: "\t", r: "\r" }
      if (e in simple) out += simple[e]
      else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) {
        out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16))
        i += 4
      } else fail("bad escape in string", i - 2)
    }
  }
  const readAtom = (start: number): Edn => {
    const word = token()
    if (word === "") fail(`unexpected '${text[start]}'`, start)
    if (word === "nil") return null
    if (word === "true") return true
    if (word === "false") return false
    if (/^[+-]?\d+N?$/.test(word)) return Number(word.replace(/N$/, ""))
    if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?M?$/.test(word)) return Number(word.replace(/M$/, ""))
    if (/^[+-]?\d/.test(word)) fail(`'${word}' is not a number`, start)
    return new EdnSymbol(word)
  }
  function readForm(): Edn {
    skipSpace()
    if (i >= text.length) fail("the file ended where a value was expected")
    const start = i
    const c = text[i]
    switch (c) {
      case "{": {
        i++
        const items = readSequence("}", start)
        if (items.length % 2 !== 0) fail("a map needs an even number of forms", start)
        const map = new Map<Edn, Edn>()
        for (let k = 0; k < items.length; k += 2) map.set(items[k], items[k + 1])
        positions.set(map, at(start))
        return map
      }
      case "[":
        i++
        return readSequence("]", start)
      case "(":
        i++
        return readSequence(")", start)
      case '"':
        return readString()
      case ":": {
        i++
        const name = token()
        if (name === "") fail("a keyword needs a name", start)
        return Keyword.of(name)
      }
      case "\\":
        i++
        return text[i++] + token()
      case "#":
        i++
        if (text[i] === "{") {
          i++
          return readSequence("}", start)
        }
        token() // a tag: the tagged form stands for itself
        return readForm()
      default:
        if (")]}".includes(c)) fail(`unexpected '${c}'`)
        return readAtom(start)
    }
  }
  const forms: Array<EdnForm> = []
  for (;;) {
    skipSpace()
    if (i >= text.length) return { forms, positionOf: (map) => positions.get(map) }
    const position = at(i)
    forms.push({ value: readForm(), position })
  }
}

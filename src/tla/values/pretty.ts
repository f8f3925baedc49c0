/**
 * TLC's line breaking of printed values (tlc2.pprint, used for every value in traces and error
 * messages): a value whose one-line form is wider than 80 columns is split one element per
 * line, e.g. `<< 1,` / `   2,` / `   30 >>` and `{ [..],` / `  [..] }`.
 *
 * Like TLC, this works on the printed string: it re-reads the one-line form as a tree of sets,
 * sequences, records, functions and constants, then lays the tree out. It inherits TLC's quirks
 * on purpose (a string constant ends at its first inner quote, names are read as runs of
 * letters and digits); whenever the text does not read back, the one-line form is kept, as in
 * TLC.
 */
import { valueToString } from "./print.ts"
import type { Value } from "./value.ts"

export const TLC_WIDTH = 80

/** TLC's printed form of a value, broken over lines when wider than `width`. */
export function prettyValue(v: Value, width = TLC_WIDTH): string {
  return prettyString(valueToString(v), width)
}

/** How error messages quote a value (TLC's Values.ppr). */
export const show = (v: Value): string => prettyValue(v)

/** Lay out the printed form of a value; returns `text` unchanged when it does not parse. */
export function prettyString(text: string, width = TLC_WIDTH): string {
  try {
    const tree = readNode(text, 0)
    if (tree.last < text.length - 1) return text
    return layout(tree, width, 0, "")
  } catch (e) {
    if (e instanceof Unreadable) return text
    throw e
  }
}

class Unreadable extends Error {}

type Shape = "constant" | "set" | "sequence" | "record" | "function" | "subset" | "pair"

interface Node {
  readonly shape: Shape
  readonly text: string
  readonly first: number
  /** Index of the node's last character. */
  last: number
  readonly children: Node[]
}

const node = (shape: Shape, text: string, first: number, last = first): Node => ({
  shape,
  text,
  first,
  last,
  children: []
})
const length = (n: Node): number => n.last - n.first + 1
const source = (n: Node): string => n.text.slice(n.first, n.last + 1)

function at(text: string, i: number): string {
  if (i < 0 || i >= text.length) throw new Unreadable()
  return text[i]
}

const isSpace = (ch: string): boolean => /\s/.test(ch)
const isDigit = (ch: string): boolean => /\p{Nd}/u.test(ch)
const isLetterOrDigit = (ch: string): boolean => /[\p{L}\p{Nd}]/u.test(ch)

function skipSpaces(text: string, i: number): number {
  while (isSpace(at(text, i))) i++
  return i
}

function readNode(text: string, index: number): Node {
  const i = skipSpaces(text, index)
  switch (at(text, i)) {
    case "{":
      return readList(text, i, "set", 1, "}")
    case "<":
      return readList(text, i, "sequence", 2, ">")
    case "[":
      return readPairs(text, i, "record", "]", "|->", undefined)
    case "(":
      return readPairs(text, i, "function", ")", ":>", "@@")
  }
  if (text.startsWith("SUBSET", i)) {
    const n = node("subset", text, i)
    const child = readNode(text, i + 6)
    n.children.push(child)
    n.last = child.last
    return n
  }
  return readConstant(text, i)
}

/** `{a, b}` or `<<a, b>>`; `open` characters to skip, `close` ends the list. */
function readList(text: string, first: number, shape: Shape, open: number, close: string): Node {
  const n = node(shape, text, first)
  let i = skipSpaces(text, first + open)
  while (at(text, i) !== close) {
    const child = readNode(text, i)
    n.children.push(child)
    i = skipSpaces(text, child.last + 1)
    if (at(text, i) === ",") i++
    i = skipSpaces(text, i)
  }
  // A sequence ends with ">>": its last character is the second ">".
  n.last = shape === "sequence" ? i + 1 : i
  return n
}

/** `[f |-> v, ...]` or `(k :> v @@ ...)` */
function readPairs(text: string, first: number, shape: Shape, close: string, arrow: string, sep?: string): Node {
  const n = node(shape, text, first)
  let i = skipSpaces(text, first + 1)
  while (at(text, i) !== close) {
    const pair = node("pair", text, i)
    const key = readNode(text, i)
    let j = skipSpaces(text, key.last + 1)
    if (!text.startsWith(arrow, j)) throw new Unreadable()
    const value = readNode(text, skipSpaces(text, j + arrow.length))
    pair.children.push(key, value)
    pair.last = value.last
    n.children.push(pair)
    j = skipSpaces(text, value.last + 1)
    if (sep === undefined) {
      if (at(text, j) === ",") j++
    } else if (text.startsWith(sep, j)) {
      j += sep.length
    }
    i = skipSpaces(text, j)
  }
  n.last = i
  return n
}

/** Strings, numbers, intervals `1..3`, booleans and model values. */
function readConstant(text: string, first: number): Node {
  let i = first
  const ch = at(text, i)
  if (ch === '"') {
    // Like TLC: the constant ends at the next quote, escaped or not.
    do i++
    while (at(text, i) !== '"')
    return node("constant", text, first, i)
  }
  if (isDigit(ch)) {
    const range = readInterval(text, first)
    if (range !== undefined) return range
  }
  if (ch === "-") {
    i++
    while (i < text.length && isDigit(text[i])) i++
    return node("constant", text, first, i - 1)
  }
  if (isLetterOrDigit(ch)) {
    while (i < text.length && isLetterOrDigit(text[i])) i++
    return node("constant", text, first, i - 1)
  }
  throw new Unreadable()
}

function readInterval(text: string, first: number): Node | undefined {
  let i = first
  while (i < text.length && isDigit(text[i])) i++
  if (!text.startsWith("..", i)) return undefined
  i += 2
  if (i >= text.length || !isDigit(text[i])) return undefined
  while (i < text.length && isDigit(text[i])) i++
  return node("constant", text, first, i - 1)
}

interface Brackets {
  readonly open: string
  readonly close: string
  readonly pad: string
  readonly sep: string
  /** Between a pair's two halves (records and functions only). */
  readonly arrow?: string
  /** Extra indentation of a pair's value when it moves to its own line. */
  readonly arrowPad?: string
}

const BRACKETS: Partial<Record<Shape, Brackets>> = {
  set: { open: "{ ", close: " }", pad: "  ", sep: "," },
  sequence: { open: "<< ", close: " >>", pad: "   ", sep: "," },
  subset: { open: "SUBSET ", close: " ", pad: " ", sep: "," },
  function: { open: "( ", close: " )", pad: "  ", sep: " @@", arrow: " :>", arrowPad: "    " },
  record: { open: "[ ", close: " ]", pad: "  ", sep: ",", arrow: " |->", arrowPad: "    " }
}

/**
 * Lay out `n` within `width` columns, keeping the last `trailer` columns of its last line free
 * for what follows it; `indent` starts every line after the first.
 */
function layout(n: Node, width: number, trailer: number, indent: string): string {
  if (length(n) <= width - trailer) return source(n)
  const b = BRACKETS[n.shape]
  if (b === undefined) return source(n)
  const innerWidth = width - Math.max(b.open.length, b.pad.length)
  const innerTrailer = trailer + b.close.length
  const innerIndent = indent + b.pad
  const body =
    b.arrow === undefined
      ? layoutItems(n.children, innerWidth, innerTrailer, innerIndent, b.sep)
      : layoutPairs(n.children, innerWidth, innerTrailer, innerIndent, b)
  return b.open + body + b.close
}

function layoutItems(items: readonly Node[], width: number, trailer: number, indent: string, sep: string): string {
  let out = ""
  items.forEach((item, i) => {
    if (i < items.length - 1) out += layout(item, width, sep.length, indent) + sep + "\n" + indent
    else out += layout(item, width, trailer, indent)
  })
  return out
}

function layoutPairs(pairs: readonly Node[], width: number, trailer: number, indent: string, b: Brackets): string {
  const arrow = b.arrow ?? ""
  const arrowPad = b.arrowPad ?? ""
  let out = ""
  pairs.forEach((pair, i) => {
    const [key, value] = pair.children
    const isLast = i === pairs.length - 1
    // Before the last pair the separator follows; after it, the caller's trailer does.
    const tail = isLast ? "" : b.sep + "\n" + indent
    const room = isLast ? width - trailer : width - b.sep.length
    const valueTrailer = isLast ? trailer : b.sep.length
    if (length(key) + arrow.length + 1 + length(value) <= room) {
      out += source(key) + arrow + " " + source(value) + tail
      return
    }
    const keyText =
      length(key) + arrow.length <= width ? source(key) : layout(key, width, trailer + arrow.length, indent)
    out +=
      keyText +
      arrow +
      "\n" +
      indent +
      arrowPad +
      layout(value, width - arrowPad.length, valueTrailer, indent + arrowPad) +
      tail
  })
  return out
}

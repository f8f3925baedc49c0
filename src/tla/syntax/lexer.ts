/**
 * The TLA+ lexer: turns a module's text into tokens with positions. Comments vanish
 * (nested block comments, `\*` line comments); text before the first `---- MODULE`
 * line and after the closing `====` is ignored, as SANY does.
 */
import { SyntaxError } from "./source.ts"

export type TokenKind = "ident" | "kw" | "num" | "str" | "op" | "end" | "eof"

export interface Token {
  readonly kind: TokenKind
  readonly text: string
  readonly line: number
  readonly col: number
  readonly endLine: number
  readonly endCol: number
  /** True when the token is the first one on its line (junction lists care). */
  readonly firstOnLine: boolean
}

const KEYWORDS = new Set([
  "MODULE", "EXTENDS", "CONSTANT", "CONSTANTS", "VARIABLE", "VARIABLES", "ASSUME", "ASSUMPTION",
  "AXIOM", "THEOREM", "LEMMA", "COROLLARY", "PROPOSITION", "INSTANCE", "WITH", "LOCAL", "LET", "IN",
  "IF", "THEN", "ELSE", "CASE", "OTHER", "CHOOSE", "EXCEPT", "DOMAIN", "SUBSET", "UNION", "ENABLED",
  "UNCHANGED", "LAMBDA", "RECURSIVE", "TRUE", "FALSE", "BOOLEAN", "STRING", "PARAMETER", "PARAMETERS"
])

// Longest match wins, so longer spellings come first.
const SYMBOLS = [
  "-+->", "(\\X)", "<=>", "|->", "...", "::=", "(+)", "(-)", "(.)", "(/)",
  "=>", "==", "=<", "<-", "=|", "<=", ">=", "<<", ">>", "<:", "<>", "|-", "|=", "||", "->", "--", "-|", "-.",
  "++", "**", "/\\", "\\/", "/=", "//", "##", "~>", "^+", "^*", "^#", "^^", "..", "::", ":=", ":>",
  "[]", "!!", "@@", "$$", "%%", "&&", "??",
  "=", "<", ">", "|", "-", "+", "*", "/", "#", "~", "^", ".", ":", ",", "(", ")", "[", "]", "{", "}",
  "'", "!", "@", "$", "%", "&", "?", "_"
]

const isIdentChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c)

export const lex = (text: string, file: string): Token[] => {
  const tokens: Token[] = []
  const start = text.search(/-{4,}[ \t]*MODULE\b/)
  if (start < 0) throw new SyntaxError(file, 1, 1, "no `---- MODULE Name ----` line found")
  let i = 0
  let line = 1
  let col = 1
  let lastTokenLine = 0
  const advance = (n: number): void => {
    for (let k = 0; k < n; k++) {
      if (text[i] === "\n") {
        line++
        col = 1
      } else col++
      i++
    }
  }
  advance(start)
  const push = (kind: TokenKind, tokText: string, sLine: number, sCol: number): void => {
    tokens.push({
      kind,
      text: tokText,
      line: sLine,
      col: sCol,
      endLine: line,
      endCol: col - 1,
      firstOnLine: sLine !== lastTokenLine
    })
    lastTokenLine = sLine
  }
  while (i < text.length) {
    const c = text[i]
    if (c === " " || c === "\t" || c === "\r" || c === "\n" || c === "\f") {
      advance(1)
      continue
    }
    const sLine = line
    const sCol = col
    if (c === "\\" && text[i + 1] === "*") {
      while (i < text.length && text[i] !== "\n") advance(1)
      continue
    }
    if (c === "(" && text[i + 1] === "*") {
      // Nested block comments; strings are not recognised inside comments (as in SANY).
      let depth = 0
      do {
        if (text[i] === "(" && text[i + 1] === "*") {
          depth++
          advance(2)
        } else if (text[i] === "*" && text[i + 1] === ")") {
          depth--
          advance(2)
        } else advance(1)
      } while (depth > 0 && i < text.length)
      if (depth > 0) throw new SyntaxError(file, sLine, sCol, "unterminated comment")
      continue
    }
    if (c === "-" && text.startsWith("----", i)) {
      while (text[i] === "-") advance(1)
      continue
    }
    if (c === "=" && text.startsWith("====", i)) {
      while (text[i] === "=") advance(1)
      push("end", "====", sLine, sCol)
      break
    }
    if (c === '"') {
      let value = ""
      advance(1)
      for (;;) {
        if (i >= text.length || text[i] === "\n") throw new SyntaxError(file, sLine, sCol, "unterminated string")
        const d = text[i]
        if (d === '"') {
          advance(1)
          break
        }
        if (d === "\\") {
          const e = text[i + 1]
          const map: Record<string, string> = { '"': '"', "\\": "\\", n: "\n", t: "\t", r: "\r", f: "\f" }
          if (!(e in map)) throw new SyntaxError(file, line, col, `bad escape \\${e} in string`)
          value += map[e]
          advance(2)
          continue
        }
        value += d
        advance(1)
      }
      push("str", value, sLine, sCol)
      continue
    }
    if (/[0-9]/.test(c)) {
      let j = i
      while (j < text.length && /[0-9]/.test(text[j])) j++
      if (j < text.length && /[A-Za-z_]/.test(text[j])) {
        while (j < text.length && isIdentChar(text[j])) j++
        const word = text.slice(i, j)
        advance(j - i)
        push("ident", word, sLine, sCol)
        continue
      }
      const digits = text.slice(i, j)
      advance(j - i)
      push("num", digits, sLine, sCol)
      continue
    }
    if (/[A-Za-z_]/.test(c) && !(c === "_" && !isIdentChar(text[i + 1] ?? " "))) {
      let j = i
      while (j < text.length && isIdentChar(text[j])) j++
      const word = text.slice(i, j)
      advance(j - i)
      push(KEYWORDS.has(word) ? "kw" : "ident", word, sLine, sCol)
      continue
    }
    if (c === "\\" && /[A-Za-z]/.test(text[i + 1] ?? "")) {
      let j = i + 1
      while (j < text.length && /[A-Za-z]/.test(text[j])) j++
      const word = text.slice(i, j)
      advance(j - i)
      push("op", word, sLine, sCol)
      continue
    }
    if (c === "\\") {
      const word = text[i + 1] === "/" ? "\\/" : "\\"
      advance(word.length)
      push("op", word, sLine, sCol)
      continue
    }
    const sym = SYMBOLS.find((s) => text.startsWith(s, i))
    if (sym === undefined) throw new SyntaxError(file, sLine, sCol, `unexpected character '${c}'`)
    advance(sym.length)
    // `[A]_v` and `<<A>>_v`: the subscript underscore belongs to the closing bracket.
    if ((sym === "]" || sym === ">>") && text[i] === "_") {
      advance(1)
      push("op", sym + "_", sLine, sCol)
      continue
    }
    push("op", sym, sLine, sCol)
  }
  tokens.push({ kind: "eof", text: "<end of file>", line, col, endLine: line, endCol: col, firstOnLine: true })
  return tokens
}

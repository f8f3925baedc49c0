/**
 * Tokens of a TLC .cfg file. TLC reads the file with the TLA+ tokenizer, so line breaks are
 * irrelevant and `\*` line comments and nested `(* ... *)` block comments are allowed. As in
 * SANY, a comment does not know about strings: `*)` ends it even inside quotes.
 */
export type TokenKind = "identifier" | "number" | "string" | "symbol" | "eof"

export interface Token {
  readonly kind: TokenKind
  /** The token's text; a string keeps its quotes and escapes, as TLC's token image does. */
  readonly image: string
  /** 1-based position of the token's first character. */
  readonly line: number
  readonly col: number
}

/** A character sequence that is no TLA+ token (an unterminated string or comment). */
export interface LexProblem {
  readonly line: number
  readonly col: number
  readonly reason: string
}

/** Tokens up to the end, or up to the first problem; the last token is always "eof". */
export interface Tokens {
  readonly tokens: readonly Token[]
  readonly problem?: LexProblem
}

// TLA+ operator spellings of more than one character, longest first (maximal munch).
const OPERATORS = [
  "-+->", "<=>", "|->", "...", "::=", "(+)", "(-)", "(.)", "(/)",
  "==", "<-", "->", "<=", ">=", "=<", "=>", "..", "::", ":=", "/=", "\\/", "/\\", "<<", ">>",
  "[]", "<>", "~>", "++", "--", "**", "//", "^^", "##", "|-", "|=", "-|", "=|", "<:", ":>",
  "@@", "$$", "??", "!!", "%%", "&&", "||", "^+", "^*", "^#", "-."
]

const isWordChar = (ch: string): boolean => /[A-Za-z0-9_]/.test(ch)

export function tokenize(text: string): Tokens {
  try {
    return { tokens: scan(text) }
  } catch (e) {
    if (!(e instanceof Stop)) throw e
    return { tokens: [...e.tokens, { kind: "eof", image: "", line: e.problem.line, col: e.problem.col }], problem: e.problem }
  }
}

class Stop extends Error {
  constructor(
    readonly tokens: Token[],
    readonly problem: LexProblem
  ) {
    super(problem.reason)
  }
}

function scan(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  let line = 1
  let lineStart = 0
  const col = (at: number): number => at - lineStart + 1
  const newline = (at: number): void => {
    line++
    lineStart = at + 1
  }

  while (i < text.length) {
    const ch = text[i]
    if (ch === "\n") {
      newline(i)
      i++
      continue
    }
    if (/\s/.test(ch)) {
      i++
      continue
    }
    if (text.startsWith("\\*", i)) {
      while (i < text.length && text[i] !== "\n") i++
      continue
    }
    if (text.startsWith("(*", i)) {
      const startLine = line
      const startCol = col(i)
      let depth = 0
      do {
        if (i >= text.length) throw new Stop(tokens, { line: startLine, col: startCol, reason: "unterminated comment (* ... *)" })
        if (text.startsWith("(*", i)) {
          depth++
          i += 2
        } else if (text.startsWith("*)", i)) {
          depth--
          i += 2
        } else {
          if (text[i] === "\n") newline(i)
          i++
        }
      } while (depth > 0)
      continue
    }
    const start = i
    const startCol = col(i)
    if (ch === '"') {
      i++
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\n") throw new Stop(tokens, { line, col: startCol, reason: "unterminated string" })
        i += text[i] === "\\" ? 2 : 1
      }
      if (i >= text.length) throw new Stop(tokens, { line, col: startCol, reason: "unterminated string" })
      i++
      tokens.push({ kind: "string", image: text.slice(start, i), line, col: startCol })
      continue
    }
    if (isWordChar(ch)) {
      while (i < text.length && isWordChar(text[i])) i++
      const image = text.slice(start, i)
      tokens.push({ kind: /^[0-9]+$/.test(image) ? "number" : "identifier", image, line, col: startCol })
      continue
    }
    if (ch === "\\" && /[A-Za-z]/.test(text[i + 1] ?? "")) {
      i++
      while (i < text.length && /[A-Za-z]/.test(text[i])) i++
      tokens.push({ kind: "symbol", image: text.slice(start, i), line, col: startCol })
      continue
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i)) ?? ch
    i += op.length
    tokens.push({ kind: "symbol", image: op, line, col: startCol })
  }
  tokens.push({ kind: "eof", image: "", line, col: col(i) })
  return tokens
}

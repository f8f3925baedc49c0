/**
 * Source positions and the error a user sees when a module cannot be read.
 * Lines and columns are 1-based; the end position is inclusive (the last character),
 * which is how TLC prints ranges ("line 5, col 12 to line 5, col 31").
 */
export interface Loc {
  readonly file: string
  readonly module: string
  readonly line: number
  readonly col: number
  readonly endLine: number
  readonly endCol: number
}

export const spanLoc = (from: Loc, to: Loc): Loc => ({
  file: from.file,
  module: from.module,
  line: from.line,
  col: from.col,
  endLine: to.endLine,
  endCol: to.endCol
})

/** TLC's way of naming a range: "line 5, col 12 to line 5, col 31 of module M". */
export const tlcRange = (loc: Loc): string =>
  `line ${loc.line}, col ${loc.col} to line ${loc.endLine}, col ${loc.endCol} of module ${loc.module}`

/** A spec that cannot be lexed, parsed or resolved: bad input, named by file:line:col. */
export class SyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly detail: string
  ) {
    super(`${file}:${line}:${col}: ${detail}`)
    this.name = "TlaSyntaxError"
  }
  static at(loc: Loc, detail: string): SyntaxError {
    return new SyntaxError(loc.file, loc.line, loc.col, detail)
  }
}

/**
 * Positions in a history file, and the error that names one: bad input is reported as
 * `file:line:column: what is wrong`.
 */
export interface Position {
  readonly line: number
  readonly column: number
}

export class HistoryFormatError extends Error {
  constructor(
    readonly file: string,
    readonly position: Position | undefined,
    readonly reason: string
  ) {
    super(position ? `${file}:${position.line}:${position.column}: ${reason}` : `${file}: ${reason}`)
  }
}

/** Thrown by the readers, which do not know the file's name; the caller adds it. */
export class SyntaxProblem extends Error {
  constructor(
    readonly position: Position,
    readonly reason: string
  ) {
    super(`${position.line}:${position.column}: ${reason}`)
  }
}

/** Maps offsets in a text to 1-based line and column. */
export const positionsIn = (text: string, firstLine = 1): ((offset: number) => Position) => {
  const lineStarts = [0]
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1)
  return (offset) => {
    let low = 0
    let high = lineStarts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (lineStarts[mid] <= offset) low = mid
      else high = mid - 1
    }
    return { line: low + firstLine, column: offset - lineStarts[low] + 1 }
  }
}

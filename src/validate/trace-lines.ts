/**
 * The lines of an NDJSON trace, read in chunks so that memory does not grow with the file.
 */
import { isAscii } from "node:buffer"
import { closeSync, openSync, readSync } from "node:fs"

const CHUNK = 1 << 20

/** The lines of a file, without their line breaks (a final empty line is not a line). */
export function* fileLines(path: string): Generator<string> {
  const fd = openSync(path, "r")
  try {
    let buffer = Buffer.allocUnsafe(CHUNK)
    // Bytes [0, filled) of `buffer` are read; a line starts at `from`.
    let filled = 0
    for (;;) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, null)
      const end = filled + n
      let from = 0
      for (let nl = buffer.indexOf(10, 0); nl >= 0 && nl < end; nl = buffer.indexOf(10, from)) {
        yield stripReturn(decode(buffer, from, nl))
        from = nl + 1
      }
      if (n === 0) {
        if (from < end) yield stripReturn(decode(buffer, from, end))
        return
      }
      // Keep the unfinished line at the start; a line longer than the buffer grows it.
      const rest = end - from
      const next = rest > buffer.length / 2 ? Buffer.allocUnsafe(buffer.length * 2) : buffer
      buffer.copy(next, 0, from, end)
      buffer = next
      filled = rest
    }
  } finally {
    closeSync(fd)
  }
}

/**
 * The text of bytes [from, to). Trace lines are mostly ASCII, which reads the same in latin1 and
 * in UTF-8; latin1 copies bytes into a string several times faster than UTF-8 decodes them, and
 * checking that a line is ASCII costs little beside either.
 */
const decode = (buffer: Buffer, from: number, to: number): string =>
  isAscii(buffer.subarray(from, to)) ? buffer.toString("latin1", from, to) : buffer.toString("utf8", from, to)

/** The lines of a trace held in memory (tests, small files). */
export function* textLines(text: string): Generator<string> {
  const lines = text.split("\n")
  if (lines[lines.length - 1] === "") lines.pop()
  for (const line of lines) yield stripReturn(line)
}

const stripReturn = (line: string): string => (line.endsWith("\r") ? line.slice(0, -1) : line)

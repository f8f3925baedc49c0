/**
 * Reads a trace file line by line, so that a trace of any length can be viewed in bounded memory:
 * only the current step's state is held. Every bad line is reported with its file, line and column.
 */
import { createReadStream } from "node:fs"
import { createInterface } from "node:readline"
import { Result, Schema } from "effect"
import { InputFileError } from "../input-file-error.ts"
import { type TraceHeader, TraceHeader as HeaderSchema, type TraceStep, TraceStep as StepSchema } from "../../raft/index.ts"

/** A step together with the line of the file it came from. */
export interface NumberedStep {
  readonly line: number
  readonly step: TraceStep
}

const decodeHeader = Schema.decodeUnknownResult(HeaderSchema)
const decodeStep = Schema.decodeUnknownResult(StepSchema)

const parseJson = (file: string, text: string, line: number): unknown => {
  try {
    return JSON.parse(text)
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))
    throw new InputFileError(file, line, position ? Number(position[1]) + 1 : 1, `not JSON: ${(error as Error).message}`)
  }
}

/** The first line of `text`'s schema message: Effect's messages can run over many lines. */
const firstLines = (message: string): string => message.split("\n").slice(0, 3).join(" ")

export interface TraceVisitor {
  readonly header: (header: TraceHeader) => void
  /** Returns false when the rest of the steps are not needed: they are then only counted. */
  readonly step: (numbered: NumberedStep) => boolean
}

/**
 * Streams `file` through `visitor` and returns the number of steps in the file. Throws
 * InputFileError for a missing file, a line that is not JSON, a header or step that does not match
 * the trace schema, or steps out of order (in the part that was read).
 */
export const readTraceFile = async (file: string, visitor: TraceVisitor): Promise<number> => {
  const stream = createReadStream(file, { encoding: "utf8" })
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve())
    stream.once("error", (error) => reject(new InputFileError(file, 1, 1, `cannot read the file: ${error.message}`)))
  })
  await opened
  const lines = createInterface({ input: stream, crlfDelay: Infinity })
  let line = 0
  let lastSeq = 0
  let reading = true
  let counted = 0
  try {
    for await (const text of lines) {
      line++
      if (!reading) {
        if (text.trim() !== "") counted++
        continue
      }
      if (line === 1) {
        const header = decodeHeader(parseJson(file, text, line))
        if (Result.isFailure(header)) throw new InputFileError(file, line, 1, `bad header: ${firstLines(header.failure.message)}`)
        visitor.header(header.success)
        continue
      }
      if (text.trim() === "") continue
      const decoded = decodeStep(parseJson(file, text, line))
      if (Result.isFailure(decoded)) throw new InputFileError(file, line, 1, `bad step: ${firstLines(decoded.failure.message)}`)
      const step = decoded.success
      if (step.seq !== lastSeq + 1) throw new InputFileError(file, line, 1, `step ${step.seq} follows step ${lastSeq}; steps are numbered 1, 2, 3, ...`)
      lastSeq = step.seq
      reading = visitor.step({ line, step })
    }
  } finally {
    lines.close()
    stream.destroy()
  }
  if (line === 0) throw new InputFileError(file, 1, 1, "empty trace: no header line")
  return lastSeq + counted
}

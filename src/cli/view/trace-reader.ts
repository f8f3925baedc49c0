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

/**
 * A step checked against the schema, except for the TLA+ values of its state: on a long run the
 * state holds thousands of log entries, and the viewer only shows and compares them.
 */
const decoded = (file: string, line: number, json: unknown): TraceStep => {
  const state = isObject(json) ? json.state : undefined
  if (!isObject(state)) throw new InputFileError(file, line, 1, "bad step: state must be an object of variables")
  const step = decodeStep({ ...(json as object), state: {} })
  if (Result.isFailure(step)) throw new InputFileError(file, line, 1, `bad step: ${firstLines(step.failure.message)}`)
  return { ...step.success, state: state as TraceStep["state"] }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** A step's shape, without checking every value in its state. */
const shapeChecked = (file: string, line: number, json: unknown): TraceStep => {
  const bad = (what: string) => new InputFileError(file, line, 1, `bad step: ${what}`)
  if (!isObject(json)) throw bad("not an object")
  if (!Number.isInteger(json.seq)) throw bad("seq is not an integer")
  if (typeof json.action !== "string") throw bad("action is not a string")
  if (!isObject(json.params) || !isObject(json.state)) throw bad("params and state must be objects")
  if (json.msgId !== undefined && !Number.isInteger(json.msgId)) throw bad("msgId is not an integer")
  if (json.sent !== undefined && !(Array.isArray(json.sent) && json.sent.every(Number.isInteger))) throw bad("sent is not a list of integers")
  return json as unknown as TraceStep
}

export interface TraceVisitor {
  /** The decoded header, and the header line as written (it may carry fields of other tools). */
  readonly header: (header: TraceHeader, raw: unknown) => void
  /**
   * Whether step `seq` is decoded with the full schema. The others (steps only read to know the
   * state when the drawn window opens) get a lighter check of their shape: the schema's check of
   * every TLA+ value costs most of the time on a long trace.
   */
  readonly decodes: (seq: number) => boolean
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
        const raw = parseJson(file, text, line)
        const header = decodeHeader(raw)
        if (Result.isFailure(header)) throw new InputFileError(file, line, 1, `bad header: ${firstLines(header.failure.message)}`)
        visitor.header(header.success, raw)
        continue
      }
      if (text.trim() === "") continue
      const json = parseJson(file, text, line)
      const seq = (json as { seq?: unknown } | null)?.seq
      const step = typeof seq === "number" && !visitor.decodes(seq) ? shapeChecked(file, line, json) : decoded(file, line, json)
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

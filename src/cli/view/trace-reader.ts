/**
 * Reads a trace file line by line, so that a trace of any length can be viewed in bounded memory:
 * only the current step's state is held. Every bad line is reported with its file, line and column.
 *
 * The header and each step's fields are checked against a schema; the TLA+ values inside (the
 * state, a delta's patches, the parameters) are not decoded here: on a long run a state holds
 * thousands of log entries, and the viewer only shows and compares them.
 */
import { createReadStream } from "node:fs"
import { createInterface } from "node:readline"
import { Result, Schema } from "effect"
import { ActionName, TlaJson } from "../../raft/index.ts"
import { InputFileError } from "../input-file-error.ts"

const Values = Schema.Record(Schema.String, TlaJson)
const Json = Schema.Record(Schema.String, Schema.Unknown)

/** Trace format v1 (docs/trace-format.md), full or delta states. */
const Header = Schema.Struct({
  format: Schema.Literal("raft-tla-trace"),
  version: Schema.Literal(1),
  spec: Schema.String,
  constants: Values,
  init: Values,
  stateMode: Schema.optionalKey(Schema.Literals(["full", "delta"])),
  source: Schema.optionalKey(Json)
})
export type TraceHeader = typeof Header.Type

const StepFields = Schema.Struct({
  seq: Schema.Int,
  action: ActionName,
  params: Json,
  msgId: Schema.optionalKey(Schema.Int),
  sent: Schema.optionalKey(Schema.Array(Schema.Int)),
  persist: Schema.optionalKey(Schema.Array(Schema.String)),
  partition: Schema.optionalKey(Schema.Array(Schema.String))
})

/** A step as written: its fields, and its state whole (`state`) or as patches (`delta`). */
export interface RawStep extends Omit<typeof StepFields.Type, "params"> {
  readonly params: Readonly<Record<string, unknown>>
  readonly state?: Readonly<Record<string, unknown>>
  readonly delta?: Readonly<Record<string, unknown>>
}

/** A step together with the line of the file it came from. */
export interface NumberedStep {
  readonly line: number
  readonly step: RawStep
}

const decodeHeader = Schema.decodeUnknownResult(Header)
const decodeFields = Schema.decodeUnknownResult(StepFields)

const parseJson = (file: string, text: string, line: number): unknown => {
  try {
    return JSON.parse(text)
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))
    throw new InputFileError(file, line, position ? Number(position[1]) + 1 : 1, `not JSON: ${(error as Error).message}`)
  }
}

/** The first lines of a schema message: Effect's messages can run over many lines. */
const firstLines = (message: string): string => message.split("\n").slice(0, 3).join(" ")

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

const readStep = (file: string, line: number, json: unknown, delta: boolean): RawStep => {
  const fields = decodeFields(json)
  if (Result.isFailure(fields)) throw new InputFileError(file, line, 1, `bad step: ${firstLines(fields.failure.message)}`)
  const given = json as Record<string, unknown>
  const key = delta ? "delta" : "state"
  if (!isObject(given[key])) throw new InputFileError(file, line, 1, `bad step: ${key} must be an object of variables (the header's stateMode is ${delta ? "delta" : "full"})`)
  return { ...fields.success, params: isObject(given.params) ? given.params : {}, [key]: given[key] }
}

export interface TraceVisitor {
  /** The decoded header, and the header line as written (it may carry fields of other tools). */
  readonly header: (header: TraceHeader, raw: unknown) => void
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
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve())
    stream.once("error", (error) => reject(new InputFileError(file, 1, 1, `cannot read the file: ${error.message}`)))
  })
  const lines = createInterface({ input: stream, crlfDelay: Infinity })
  let line = 0
  let lastSeq = 0
  let reading = true
  let counted = 0
  let delta = false
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
        delta = header.success.stateMode === "delta"
        visitor.header(header.success, raw)
        continue
      }
      if (text.trim() === "") continue
      const step = readStep(file, line, parseJson(file, text, line), delta)
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

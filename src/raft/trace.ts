/**
 * Trace format v1 (docs/trace-format.md): NDJSON, a header line then one line per step, every
 * state in the spec's variables as JSON TLA+ values.
 */
import { Data, Result, Schema } from "effect"
import { PersistentField } from "./state.ts"
import { ActionName } from "./step.ts"
import { TlaJson } from "./tla-json.ts"

const Variables = Schema.Record(Schema.String, TlaJson)

export const TraceHeader = Schema.Struct({
  format: Schema.Literal("raft-tla-trace"),
  version: Schema.Literal(1),
  spec: Schema.String,
  constants: Variables,
  init: Variables,
  /** How each step gives its state. Only "full" exists in v1; absent means "full". */
  stateMode: Schema.optionalKey(Schema.Literal("full")),
  /** What produced the trace (e.g. the simulator's seed and options); not checked. */
  source: Schema.optionalKey(Schema.Record(Schema.String, Schema.Unknown))
})
export type TraceHeader = typeof TraceHeader.Type

export const TraceStep = Schema.Struct({
  seq: Schema.Int,
  action: ActionName,
  /** The action's parameters by their spec names (i, j, v, m) as TLA+ values. */
  params: Variables,
  /** The id of the in-flight copy of m that this step received, dropped or duplicated. */
  msgId: Schema.optionalKey(Schema.Int),
  /** The ids given to the messages this step sent, in order. */
  sent: Schema.optionalKey(Schema.Array(Schema.Int)),
  /** Persistent fields made durable by this step, before its messages were sent. */
  persist: Schema.optionalKey(Schema.Array(PersistentField)),
  /**
   * The servers cut off from the others while this step was taken. A partition is not a spec
   * action (its effect is DropMessage steps); this only lets a viewer draw it.
   */
  partition: Schema.optionalKey(Schema.Array(Schema.String)),
  /** Every spec variable after the step. */
  state: Variables
})
export type TraceStep = typeof TraceStep.Type

export interface Trace {
  readonly header: TraceHeader
  readonly steps: ReadonlyArray<TraceStep>
}

/** A line of a trace that is not valid JSON or not a valid header or step. */
export class TraceFormatError extends Data.TaggedError("TraceFormatError")<{
  readonly line: number
  readonly column: number
  readonly message: string
}> {}

const decodeHeader = Schema.decodeUnknownResult(TraceHeader)
const decodeStep = Schema.decodeUnknownResult(TraceStep)

const parseLine = (text: string, line: number): unknown => {
  try {
    return JSON.parse(text)
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))
    const column = position ? Number(position[1]) + 1 : 1
    throw new TraceFormatError({ line, column, message: `not JSON: ${(error as Error).message}` })
  }
}

/** Reads a whole trace; throws TraceFormatError naming the first bad line. */
export const readTrace = (text: string): Trace => {
  const lines = text.split("\n")
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop()
  if (lines.length === 0) throw new TraceFormatError({ line: 1, column: 1, message: "empty trace: no header line" })
  const header = decodeHeader(parseLine(lines[0], 1))
  if (Result.isFailure(header)) {
    throw new TraceFormatError({ line: 1, column: 1, message: `bad header: ${header.failure.message}` })
  }
  const steps: Array<TraceStep> = []
  for (let n = 1; n < lines.length; n++) {
    const decoded = decodeStep(parseLine(lines[n], n + 1))
    if (Result.isFailure(decoded)) {
      throw new TraceFormatError({ line: n + 1, column: 1, message: `bad step: ${decoded.failure.message}` })
    }
    steps.push(decoded.success)
  }
  return { header: header.success, steps }
}

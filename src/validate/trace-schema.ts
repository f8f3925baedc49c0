/**
 * The trace format as the validator reads it (docs/trace-format.md): the header line and the
 * fields of a step line. It is the raft-tla trace format v1 without anything Raft-specific:
 * action names are any operator of the spec, parameters are named by the operator's parameters.
 * Values inside are TLA+ JSON, decoded separately (./values.ts) so that a bad value is reported
 * with its path.
 */
import { Result, Schema } from "effect"

const JsonRecord = Schema.Record(Schema.String, Schema.Unknown)

export const TraceHeader = Schema.Struct({
  format: Schema.String,
  version: Schema.Literal(1),
  /** The spec the trace claims to follow (relative to the current directory or the trace). */
  spec: Schema.String,
  /** Constant assignments: model values, integers, strings, booleans and sets of them. */
  constants: JsonRecord,
  /** The initial state; a variable left out is unknown (any value Init allows). */
  init: JsonRecord,
  /** "full" (default): each step gives its whole state; "delta": only what changed. */
  stateMode: Schema.optionalKey(Schema.Literals(["full", "delta"])),
  /**
   * Where the messages live: the variable holding the bag (a function from message to count)
   * and the action parameter naming the message a step receives. With it, `msgId` and `sent`
   * tie every receive to exactly one earlier send.
   */
  bag: Schema.optionalKey(Schema.Struct({ variable: Schema.String, param: Schema.String })),
  source: Schema.optionalKey(JsonRecord)
})
export type TraceHeader = typeof TraceHeader.Type

/** A step's fields other than its state. */
export const StepFields = Schema.Struct({
  seq: Schema.Int,
  action: Schema.String,
  params: JsonRecord,
  msgId: Schema.optionalKey(Schema.Int),
  sent: Schema.optionalKey(Schema.Array(Schema.Int))
})
export type StepFields = typeof StepFields.Type

const decodeHeaderResult = Schema.decodeUnknownResult(TraceHeader)
const decodeStepResult = Schema.decodeUnknownResult(StepFields)

/** The decoded header, or the schema's complaint. */
export const decodeHeader = (json: unknown): TraceHeader | { readonly problem: string } => {
  const r = decodeHeaderResult(json)
  return Result.isSuccess(r) ? r.success : { problem: r.failure.message }
}

export const decodeStepFields = (json: unknown): StepFields | { readonly problem: string } => {
  const fields = wellFormedStep(json)
  if (fields !== undefined) return fields
  const r = decodeStepResult(json)
  return Result.isSuccess(r) ? r.success : { problem: r.failure.message }
}

const isInt = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x)

/**
 * The fields of a step that StepFields plainly accepts, checked directly: on a long trace the
 * schema's decoder cost a sizeable part of reading a step, and nearly every step is well
 * formed. Anything else (undefined here) goes to the schema, which words the problem. The result
 * equals the schema's (test/validate/trace-schema.test.ts).
 */
const wellFormedStep = (json: unknown): StepFields | undefined => {
  if (json === null || typeof json !== "object" || Object.getPrototypeOf(json) !== Object.prototype) return undefined
  const { seq, action, params, msgId, sent } = json as Record<string, unknown>
  if (!isInt(seq) || typeof action !== "string") return undefined
  if (params === null || typeof params !== "object" || Object.getPrototypeOf(params) !== Object.prototype) return undefined
  if (msgId !== undefined && !isInt(msgId)) return undefined
  if (sent !== undefined && !(Array.isArray(sent) && sent.every(isInt))) return undefined
  const fields: { seq: number; action: string; params: Record<string, unknown>; msgId?: number; sent?: number[] } = { seq, action, params: { ...params } }
  if (msgId !== undefined) fields.msgId = msgId
  if (sent !== undefined) fields.sent = [...(sent as number[])]
  return fields
}

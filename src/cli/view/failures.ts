/**
 * Where a trace went wrong, for the viewer to open on: the failure in a validation report
 * (`raft-tla validate --json`, with the failing conjunct), or the one a counterexample's header
 * records (`raft-tla audit` writes it). Only the fields the viewer shows are read.
 */
import { Result, Schema } from "effect"
import type { Failure } from "./timeline.ts"

const Conjunct = Schema.Struct({
  text: Schema.String,
  file: Schema.String,
  line: Schema.Int,
  column: Schema.Int
})

const Report = Schema.Struct({
  failure: Schema.NullOr(
    Schema.Struct({
      step: Schema.Int,
      message: Schema.String,
      conjunct: Schema.optionalKey(Conjunct),
      differences: Schema.optionalKey(Schema.Array(Schema.String))
    })
  )
})

const decode = Schema.decodeUnknownResult(Report)

/** The report's failure (undefined when the trace validated), or an error message naming the file. */
export const readValidationReport = (file: string, text: string): Failure | undefined | { readonly error: string } => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))
    const before = position ? text.slice(0, Number(position[1])) : ""
    const line = before.split("\n").length
    const column = before.length - before.lastIndexOf("\n")
    return { error: `${file}:${line}:${column}: not JSON: ${(error as Error).message}` }
  }
  const report = decode(json)
  if (Result.isFailure(report)) return { error: `${file}:1:1: not a validation report: ${report.failure.message.split("\n")[0]}` }
  const failure = report.success.failure
  if (failure === null) return undefined
  return {
    seq: failure.step,
    heading: `Validation failed at step ${failure.step}`,
    summary: failure.message,
    ...(failure.conjunct === undefined ? {} : { conjunct: failure.conjunct }),
    details: failure.differences ?? []
  }
}

const Counterexample = Schema.Struct({
  counterexample: Schema.Struct({
    bug: Schema.String,
    caughtBy: Schema.String,
    failure: Schema.String,
    failedAtStep: Schema.Int
  })
})

const decodeCounterexample = Schema.decodeUnknownResult(Counterexample)

/** The failure a counterexample trace's header records, if it records one. */
export const counterexampleFailure = (header: unknown): Failure | undefined => {
  const decoded = decodeCounterexample(header)
  if (Result.isFailure(decoded)) return undefined
  const c = decoded.success.counterexample
  return { seq: c.failedAtStep, heading: `Counterexample of ${c.bug}, caught by ${c.caughtBy} at step ${c.failedAtStep}`, summary: c.failure, details: [] }
}

/**
 * Reads the failure out of a validation report (`raft-tla validate --json`), so that the viewer can
 * open on the failing step with the failing conjunct shown. Only the fields the viewer shows are
 * read; anything else in the report is ignored.
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
    summary: failure.message,
    ...(failure.conjunct === undefined ? {} : { conjunct: failure.conjunct }),
    details: failure.differences ?? []
  }
}

/**
 * Where a trace went wrong, for the viewer to open on: the failure in a validation report
 * (`raft-tla validate --json`, with the failing conjunct), or the one a counterexample's header
 * records (`raft-tla audit` writes it). Only the fields the viewer shows are read.
 */
import { resolve } from "node:path"
import { Result, Schema } from "effect"
import type { Failure } from "./timeline.ts"

const Conjunct = Schema.Struct({
  text: Schema.String,
  file: Schema.String,
  line: Schema.Int,
  column: Schema.Int
})

/** The fields the viewer shows of `raft-tla validate --json`: one entry per trace validated. */
const Report = Schema.Struct({
  traces: Schema.Array(
    Schema.Struct({
      trace: Schema.String,
      failure: Schema.NullOr(
        Schema.Struct({
          kind: Schema.String,
          seq: Schema.Int,
          headline: Schema.String,
          conjunct: Schema.optionalKey(Conjunct),
          diffs: Schema.Array(Schema.Struct({ details: Schema.Array(Schema.String) })),
          notes: Schema.Array(Schema.String)
        })
      )
    })
  )
})

const decode = Schema.decodeUnknownResult(Report)

/** A conjunct cut from its line at `column`: its later lines lose the same indentation. */
const dedent = (text: string, column: number): string =>
  text
    .split("\n")
    .map((line, k) => (k === 0 ? line : line.slice(Math.min(column - 1, line.length - line.trimStart().length))))
    .join("\n")

const sameFile = (a: string, b: string): boolean => resolve(a) === resolve(b)

/**
 * The failure the report gives for `trace` (undefined when that trace validated), or an error
 * message naming the report file.
 */
export const readValidationReport = (file: string, text: string, trace: string): Failure | undefined | { readonly error: string } => {
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
  const entries = report.success.traces
  const entry = entries.find((t) => sameFile(t.trace, trace)) ?? (entries.length === 1 ? entries[0] : undefined)
  if (entry === undefined) return { error: `${file}:1:1: the report has no entry for ${trace}` }
  const failure = entry.failure
  if (failure === null) return undefined
  return {
    seq: failure.seq,
    heading: failure.kind === "invariant" ? `An invariant fails after step ${failure.seq}` : `Validation failed at step ${failure.seq}`,
    summary: failure.headline,
    ...(failure.conjunct === undefined ? {} : { conjunct: { ...failure.conjunct, text: dedent(failure.conjunct.text, failure.conjunct.column) } }),
    details: [...failure.diffs.flatMap((d) => d.details), ...failure.notes]
  }
}

const Counterexample = Schema.Struct({
  counterexample: Schema.Struct({
    bug: Schema.String,
    caughtBy: Schema.String,
    failure: Schema.String,
    /** Null when no one step failed: a linearizability or liveness check judges the whole run. */
    failedAtStep: Schema.NullOr(Schema.Int)
  })
})

const decodeCounterexample = Schema.decodeUnknownResult(Counterexample)

/** The failure a counterexample trace's header records, if it records one. */
export const counterexampleFailure = (header: unknown): Failure | undefined => {
  const decoded = decodeCounterexample(header)
  if (Result.isFailure(decoded)) return undefined
  const c = decoded.success.counterexample
  const at = c.failedAtStep === null ? "" : ` at step ${c.failedAtStep}`
  return { seq: c.failedAtStep ?? undefined, heading: `Counterexample of ${c.bug}, caught by ${c.caughtBy}${at}`, summary: c.failure, details: [] }
}

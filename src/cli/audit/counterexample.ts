/**
 * Counterexample files (traces/counterexamples/<bug>.ndjson): a trace in the format of
 * docs/trace-format.md whose header carries one more field, `counterexample`, naming the bug and the
 * check that caught it, with everything needed to run it again: the cluster, the seed and the
 * script. The steps after the header are the trace up to the failing step, for people and for tools
 * that read traces; replaying needs only the header.
 */
import { Result, Schema } from "effect"
import { BUG_NAMES, CHECKS, readTrace, TraceFormatError } from "../../raft/index.ts"
import type { ClusterOptions } from "../../runtime/cluster/cluster.ts"
import { Script } from "../../runtime/cluster/script.ts"

const Range = Schema.Tuple([Schema.Int, Schema.Int])

const ClusterShape = Schema.Struct({
  servers: Schema.Int,
  timing: Schema.Struct({ electionTimeout: Range, heartbeatInterval: Schema.Int }),
  network: Schema.Union([
    Schema.Struct({ kind: Schema.Literal("manual") }),
    Schema.Struct({
      kind: Schema.Literal("clocked"),
      faults: Schema.Struct({ dropProbability: Schema.Number, duplicateProbability: Schema.Number, delay: Range })
    })
  ]),
  snapshotThreshold: Schema.Int,
  leaderNoop: Schema.optionalKey(Schema.Boolean),
  pipelineDepth: Schema.optionalKey(Schema.Int)
})

export const CounterexampleHeader = Schema.Struct({
  /** The bug switched on; null when a run with every flag off failed (a defect, or a false alarm). */
  bug: Schema.NullOr(Schema.Literals(BUG_NAMES)),
  caughtBy: Schema.Literals(CHECKS),
  /** What the check said. */
  failure: Schema.String,
  /** The trace step the check failed on; null for checks of the whole run. */
  failedAtStep: Schema.NullOr(Schema.Int),
  seed: Schema.Int,
  cluster: ClusterShape,
  healthy: Schema.Boolean,
  script: Script
})
export type CounterexampleHeader = typeof CounterexampleHeader.Type

const decodeHeader = Schema.decodeUnknownResult(Schema.Struct({ counterexample: CounterexampleHeader }))

/** The cluster options a counterexample was found with, its bug switched on or off. */
export const clusterOfHeader = (header: CounterexampleHeader, bugOn: boolean): ClusterOptions => ({
  ...header.cluster,
  bugs: new Set(bugOn && header.bug !== null ? [header.bug] : [])
})

/** The header's field, for a trace whose header is `traceHeader` (a JSON line). */
export const withCounterexample = (traceHeader: string, counterexample: CounterexampleHeader): string =>
  JSON.stringify({ ...JSON.parse(traceHeader), counterexample })

/** A problem with a counterexample file, at a line and column. */
export interface FileProblem {
  readonly line: number
  readonly column: number
  readonly message: string
}

/** Reads the counterexample from a file's text, or says what is wrong with it and where. */
export const readCounterexample = (text: string): Result.Result<CounterexampleHeader, FileProblem> => {
  // The whole file must be a valid trace; then the header must carry a counterexample.
  try {
    readTrace(text)
  } catch (error) {
    if (error instanceof TraceFormatError) return Result.fail({ line: error.line, column: error.column, message: error.message })
    throw error
  }
  const decoded = decodeHeader(JSON.parse(text.slice(0, text.indexOf("\n") < 0 ? text.length : text.indexOf("\n"))))
  if (Result.isFailure(decoded)) {
    return Result.fail({ line: 1, column: 1, message: `the header carries no valid counterexample: ${decoded.failure.message}` })
  }
  return Result.succeed(decoded.success.counterexample)
}

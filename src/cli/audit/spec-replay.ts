/**
 * Replaying a model checker's counterexample (<bug>.spec.ndjson): the model named in its header is
 * checked again, with the mutation (the same violation must come back, by the same steps) or
 * without it (then no violation may come back, and spec/Raft.tla refuses one of the file's steps:
 * the mutated one).
 */
import { existsSync } from "node:fs"
import { isDeepStrictEqual } from "node:util"
import { Result, Schema } from "effect"
import { BUG_NAMES } from "../../raft/index.ts"
import { validateTrace } from "../../validate/index.ts"
import type { FileProblem } from "./counterexample.ts"
import { modelCheck, type SpecCounterexample } from "./model-checking.ts"
import { inRepo, type SpecMutation } from "./spec-mutations.ts"

const SpecCounterexampleField = Schema.Struct({
  bug: Schema.Literals(BUG_NAMES),
  model: Schema.String,
  config: Schema.String,
  substitution: Schema.String,
  violated: Schema.String,
  kind: Schema.Literals(["invariant", "property"]),
  message: Schema.String,
  distinct: Schema.Int,
  generated: Schema.Int,
  depth: Schema.Int
})

const decodeHeader = Schema.decodeUnknownResult(Schema.Struct({ specCounterexample: SpecCounterexampleField }))

/** Whether a file's header line is a model checker's counterexample (it has `specCounterexample`). */
export const isSpecCounterexample = (headerLine: string): boolean => {
  try {
    const json: unknown = JSON.parse(headerLine)
    return typeof json === "object" && json !== null && "specCounterexample" in json
  } catch {
    return false
  }
}

export const readSpecCounterexample = (headerLine: string): Result.Result<SpecCounterexample, FileProblem> => {
  const decoded = decodeHeader(JSON.parse(headerLine))
  if (Result.isFailure(decoded)) return Result.fail({ line: 1, column: 1, message: `the header carries no valid specCounterexample: ${decoded.failure.message}` })
  const found = decoded.success.specCounterexample
  for (const path of [found.model, found.config]) {
    if (!existsSync(inRepo(path))) return Result.fail({ line: 1, column: 1, message: `the counterexample's model ${path} is not in the repository` })
  }
  return Result.succeed(found)
}

export interface SpecReplay {
  /** The violation model checking found this time, if any. */
  readonly violation: string | null
  /** The same invariant or property as the file's, after as many steps. */
  readonly reproduced: boolean
  /** The same states and steps as the file's. */
  readonly sameTrace: boolean
  readonly distinct: number
  readonly seconds: number
  /** Without the mutation: the first step of the file spec/Raft.tla refuses, as its report says it. */
  readonly refused: string | null
}

/** Budget for checking again: room for a checker whose counts differ a little from the file's. */
const againBudget = (found: SpecCounterexample): number => Math.max(2 * found.distinct, found.distinct + 1000)

export const replaySpecCounterexample = (file: string, found: SpecCounterexample, steps: ReadonlyArray<string>, mutated: boolean): SpecReplay => {
  const mutation: SpecMutation = { bug: found.bug, module: found.model, config: found.config, substitution: found.substitution }
  const result = modelCheck(mutation, againBudget(found), mutated)
  const refused = mutated ? null : firstRefusedStep(file)
  if (!result.found) return { violation: null, reproduced: false, sameTrace: false, distinct: result.distinct, seconds: result.seconds, refused }
  const again = result.lines.slice(1)
  // The same steps and states, whatever the order of a record's fields in the JSON.
  const sameTrace = again.length === steps.length && again.every((line, k) => isDeepStrictEqual(JSON.parse(line), JSON.parse(steps[k])))
  const violation = result.counterexample.message
  return {
    violation,
    reproduced: result.counterexample.violated === found.violated && again.length === steps.length,
    sameTrace,
    distinct: result.counterexample.distinct,
    seconds: result.seconds,
    refused
  }
}

/** The unmutated spec's verdict on the file: the report of the first step it does not allow. */
const firstRefusedStep = (file: string): string | null => {
  const { result } = validateTrace(file, { spec: inRepo("spec/Raft.tla") })
  const failure = result.failure
  return failure === undefined ? null : `step ${failure.seq} (line ${failure.line})${failure.action === undefined ? "" : `: ${failure.action}`}: ${failure.headline}`
}

/**
 * Trace validation against a TLA+ spec: the library behind `raft-tla validate`. It knows nothing
 * about Raft: the trace names its spec, constants and actions (docs/trace-format.md).
 *
 *   validateTraceFile(file, options) -> { header, model, result }
 *   formatResult / formatCoverage     -> the report a person reads (./report.ts)
 */
import { existsSync } from "node:fs"
import { dirname, join } from "node:path"
import { ConfigError, ModelError, SyntaxError } from "../tla/index.ts"
import { Coverage } from "./coverage.ts"
import { type InvariantChoice, loadValidationModel, ModelInputError, type ValidationModel } from "./model.ts"
import { StepReader, TraceInputError } from "./step-reader.ts"
import { fileLines, textLines } from "./trace-lines.ts"
import type { TraceHeader } from "./trace-schema.ts"
import { defaultOptions, type Progress, type ValidateOptions, type ValidationResult, TraceValidator } from "./validator.ts"

export { Coverage, type CoverageReport } from "./coverage.ts"
export type { Failure, StepSummary, VariableDiff } from "./diagnosis.ts"
export type { InvariantChoice, ValidationModel } from "./model.ts"
export { formatCoverage, formatResult } from "./report.ts"
export type { Guess, Progress, ValidationResult } from "./validator.ts"

/** Input the validator cannot use (bad trace line, missing spec, bad .cfg): exit 2 in the CLI. */
export class ValidationInputError extends Error {}

export interface ValidateFileOptions extends Partial<Omit<ValidateOptions, "progress">> {
  /** The spec; default: the one the trace header names. */
  readonly spec?: string
  /** The .cfg; default: the spec's own (Spec.cfg), if any. */
  readonly config?: string
  readonly invariants?: InvariantChoice
  /** Counts the steps of this trace (shared across traces of the same spec). */
  readonly coverage?: (model: ValidationModel) => Coverage | undefined
  readonly progress?: (p: Progress) => void
}

export interface ValidatedTrace {
  readonly file: string
  readonly header: TraceHeader
  readonly model: ValidationModel
  readonly result: ValidationResult
}

/** The spec a trace names, found from the current folder or from the trace's own folder. */
const specOf = (file: string, header: TraceHeader): string => {
  if (existsSync(header.spec)) return header.spec
  const beside = join(dirname(file), header.spec)
  if (existsSync(beside)) return beside
  throw new ValidationInputError(`${file}:1:1: the header's spec ${header.spec} is not found (give --spec)`)
}

/** Validates one trace file, or a trace held in memory when `text` is given. */
export const validateTrace = (file: string, options: ValidateFileOptions = {}, text?: string): ValidatedTrace => {
  const lines = text === undefined ? fileLines(file) : textLines(text)
  try {
    const first = lines.next()
    if (first.done === true) throw new TraceInputError(1, 1, "empty trace: no header line")
    const header = StepReader.header(first.value)
    const model = loadModel(file, header, options)
    const coverage = options.coverage?.(model)
    const validator = new TraceValidator(model, header, { ...defaultOptions, ...withoutUndefined(options) }, coverage)
    const result = validator.run({ [Symbol.iterator]: () => lines })
    return { file, header, model, result }
  } catch (error) {
    if (error instanceof TraceInputError) throw new ValidationInputError(`${file}:${error.line}:${error.column}: ${error.reason}`)
    if (isNotFound(error)) throw new ValidationInputError(`${file}: cannot read the trace: ${(error as Error).message}`)
    throw error
  } finally {
    lines.return(undefined)
  }
}

const loadModel = (file: string, header: TraceHeader, options: ValidateFileOptions): ValidationModel => {
  const specPath = options.spec ?? specOf(file, header)
  try {
    return loadValidationModel(header, {
      specPath,
      cfgPath: options.config,
      invariants: options.invariants ?? "all",
      init: options.init ?? defaultOptions.init,
      next: options.next ?? defaultOptions.next
    })
  } catch (error) {
    if (error instanceof ModelInputError) throw new ValidationInputError(error.message)
    if (error instanceof SyntaxError || error instanceof ConfigError) throw new ValidationInputError(error.message)
    if (error instanceof ModelError) throw new ValidationInputError(`${specPath}: ${error.message}`)
    throw error
  }
}

const isNotFound = (error: unknown): boolean =>
  error instanceof Error && ["ENOENT", "EISDIR", "EACCES"].includes((error as { code?: string }).code ?? "")

const withoutUndefined = <A extends object>(o: A): Partial<A> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<A>

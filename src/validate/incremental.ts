/**
 * Validation of a trace while it is being written: the header, then one step line at a time.
 * The runtime's model-based tests and `raft-tla audit` check each step as the cluster takes it,
 * so a run stops at the first step the spec does not allow.
 *
 * Loading and compiling a spec costs tens of milliseconds, more than validating a short run, so
 * the model of a header is kept for the next trace of the same spec and constants. It is kept only
 * while the toolkit's intern table is the one it was loaded in: loading any other spec (a model
 * checker run, say) starts a new table, and the model is then loaded again.
 */
import { ConfigError, ModelError, SyntaxError } from "../tla/index.ts"
import type { Failure } from "./diagnosis.ts"
import { type InvariantChoice, loadValidationModel, ModelInputError, type ValidationModel } from "./model.ts"
import { formatResult } from "./report.ts"
import { StepReader, TraceInputError } from "./step-reader.ts"
import type { TraceHeader } from "./trace-schema.ts"
import { internEpoch } from "./values.ts"
import { defaultOptions, TraceValidator, type ValidationResult } from "./validator.ts"

export interface IncrementalOptions {
  /** The spec the steps are checked against (the header's `spec` is not looked up). */
  readonly spec: string
  /** The .cfg; default: the spec's own, if any. */
  readonly config?: string
  readonly invariants?: InvariantChoice
  /** The name reports give the trace (a file it will be written to, say). */
  readonly name?: string
}

/** A header or step line that cannot be read, or a spec that cannot be loaded. */
export class IncrementalInputError extends Error {}

interface Kept {
  readonly model: ValidationModel
  readonly epoch: object
}

const kept = new Map<string, Kept>()
const KEPT_MODELS = 8

const modelFor = (header: TraceHeader, options: IncrementalOptions): ValidationModel => {
  const key = JSON.stringify([options.spec, options.config ?? null, options.invariants ?? "all", header.constants])
  const known = kept.get(key)
  if (known !== undefined && known.epoch === internEpoch()) return known.model
  try {
    const model = loadValidationModel(header, {
      specPath: options.spec,
      cfgPath: options.config,
      invariants: options.invariants ?? "all",
      init: defaultOptions.init,
      next: defaultOptions.next
    })
    if (kept.size >= KEPT_MODELS) kept.clear()
    kept.set(key, { model, epoch: internEpoch() })
    return model
  } catch (error) {
    if (error instanceof ModelInputError || error instanceof SyntaxError || error instanceof ConfigError || error instanceof ModelError) {
      throw new IncrementalInputError(`${options.spec}: ${error.message}`)
    }
    throw error
  }
}

export class IncrementalValidation {
  private constructor(
    private readonly name: string,
    private readonly model: ValidationModel,
    private readonly validator: TraceValidator
  ) {}

  /** Reads the header and checks its initial state; `failure` says if that failed. */
  static start(headerLine: string, options: IncrementalOptions): IncrementalValidation {
    const name = options.name ?? "trace"
    const header = readLine(name, () => StepReader.header(headerLine))
    const model = modelFor(header, options)
    const validator = readLine(name, () => new TraceValidator(model, header))
    const validation = new IncrementalValidation(name, model, validator)
    readLine(name, () => validator.start())
    return validation
  }

  /** The first failure so far. */
  get failure(): Failure | undefined {
    return this.validator.result().failure
  }

  /** Checks the next step line; returns the failure when it (or an earlier one) does not match. */
  step(line: string): Failure | undefined {
    return readLine(this.name, () => this.validator.feed(line))
  }

  result(): ValidationResult {
    return this.validator.result()
  }

  /** The report `raft-tla validate` prints for the steps so far. */
  report(): string {
    return formatResult(this.name, this.model.specPath, this.model, this.validator.result())
  }
}

/** A line the validator cannot read names the trace, line and column. */
const readLine = <A>(name: string, read: () => A): A => {
  try {
    return read()
  } catch (error) {
    if (error instanceof TraceInputError) throw new IncrementalInputError(`${name}:${error.line}:${error.column}: ${error.reason}`)
    throw error
  }
}

/**
 * The error an evaluation raises where TLC would stop with an error. Its message is TLC's own
 * text (multi-line where TLC's is), so a TLC-compatible report can print it verbatim.
 */
import type { Loc } from "../syntax/source.ts"

export class EvalError extends Error {
  override readonly name: string = "EvalError"
  /**
   * Source ranges of the expressions being evaluated when it was raised, outermost first (TLC's
   * "nested expressions"); the evaluator adds them as the error passes through.
   */
  readonly positions: Loc[] = []
}

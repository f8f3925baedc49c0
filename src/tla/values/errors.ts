/**
 * The error an evaluation raises where TLC would stop with an error. Its message is TLC's own
 * text (multi-line where TLC's is), so a TLC-compatible report can print it verbatim.
 */
export class EvalError extends Error {
  override readonly name = "EvalError"
}

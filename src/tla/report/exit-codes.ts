/** TLC's process exit codes (TLC-FACTS, "Exit codes seen"), for a TLC-compatible mode. */
export const TlcExitCode = {
  success: 0,
  /** An assumption is false or cannot be evaluated; a POSTCONDITION is false. */
  assumption: 10,
  deadlock: 11,
  invariant: 12,
  /** An action property or a liveness property is violated. */
  property: 13,
  assert: 14,
  /** An evaluation error in Init or Next. */
  evaluation: 75,
  /** An invariant could not be evaluated. */
  invariantEvaluation: 76,
  parse: 150,
  /** A semantic or configuration error (a constant Next, an invariant equal to FALSE, ...). */
  semantic: 151,
  /** A syntax error in the .cfg file. */
  configSyntax: 255
} as const
export type TlcExitCode = (typeof TlcExitCode)[keyof typeof TlcExitCode]

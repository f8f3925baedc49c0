/**
 * An error raised while evaluating TLA+ (TLC calls these evaluation errors). The message is
 * TLC's wording so that users and the conformance corpus can compare them.
 */
import type { Loc } from "../syntax/source.ts"

export class EvalError extends Error {
  /** Source ranges of the expressions being evaluated, innermost last (TLC's "nested expressions"). */
  readonly positions: Loc[] = []
  constructor(message: string) {
    super(message)
    this.name = "EvalError"
  }
}

/** `Assert(FALSE, msg)`: reported differently by TLC (exit code 14). */
export class AssertionFailed extends EvalError {
  constructor(readonly out: string) {
    super(`The first argument of Assert evaluated to FALSE; the second argument was:\n${out}`)
  }
}

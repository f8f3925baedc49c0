/**
 * Errors raised while evaluating TLA+ (TLC calls these evaluation errors). The message is
 * TLC's wording so that users and the conformance corpus can compare them. EvalError is the
 * value module's (its operations raise it too).
 */
import { EvalError } from "../values/errors.ts"

export { EvalError }

/** `Assert(FALSE, msg)`: reported differently by TLC (exit code 14). */
export class AssertionFailed extends EvalError {
  constructor(readonly out: string) {
    super(`The first argument of Assert evaluated to FALSE; the second argument was:\n${out}`)
  }
}

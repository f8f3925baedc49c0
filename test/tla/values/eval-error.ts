import { EvalError } from "../../../src/tla/values/index.ts"

/** The message of the EvalError `f` throws; fails the test if it throws none. */
export function evalErrorOf(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    if (e instanceof EvalError) return e.message
    throw e
  }
  throw new Error("expected an EvalError")
}

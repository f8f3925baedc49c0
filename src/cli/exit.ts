/**
 * Outcomes a command can end with, and the process exit code of each.
 *
 * 0 success · 1 a violation was found (invariant, trace mismatch, non-linearizable history)
 * 2 bad input from the user (flags, files, data) · 3 undecided (a time budget ran out)
 */
import { Data } from "effect"

/** Bad input from the user: a flag, a file, a value. The message names the file and position. */
export class InputError extends Data.TaggedError("InputError")<{ readonly message: string }> {}

/** A check ran and found a violation; the command has already printed the report. */
export class ViolationFound extends Data.TaggedError("ViolationFound")<{ readonly summary: string }> {}

/** A check could not decide within its budget; the command has already printed the report. */
export class Undecided extends Data.TaggedError("Undecided")<{ readonly summary: string }> {}

export const ExitCode = { ok: 0, violation: 1, input: 2, undecided: 3, internal: 70 } as const

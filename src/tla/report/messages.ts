/**
 * The error, warning and liveness texts TLC prints (TLC-FACTS §4, §5, §6, §10), reproduced for
 * output compatibility. Functions return the lines (no trailing newline); errors start with
 * "Error: ". Values inside messages should be passed already printed (prettyValue).
 */
import type { SourceRange } from "./trace.ts"
import { sourceRangeText } from "./trace.ts"
import { duration, timestamp } from "./numbers.ts"

export const behaviorHeader = "Error: The behavior up to this point is:"

export const invariantViolated = (name: string): string[] => [`Error: Invariant ${name} is violated.`, behaviorHeader]

/** Followed by the state (its variable lines) and a blank line. */
export const invariantViolatedInitially = (name: string): string => `Error: Invariant ${name} is violated by the initial state:`

/** A state-level PROPERTY that fails in an initial state. */
export const propertyViolatedInitially = (name: string): string => `Error: Property ${name} is violated by the initial state:`

export const deadlockReached: string[] = ["Error: Deadlock reached.", behaviorHeader]

/** `name` is the property's name, or "line .. of module M" for a property TLC cannot name. */
export const actionPropertyViolated = (name: string): string[] => [`Error: Action property ${name} is violated.`, behaviorHeader]

export const assumptionFalse = (at: SourceRange): string => `Error: Assumption ${sourceRangeText(at)} is false.`

export const assumptionFailed = (at: SourceRange, message: string): string[] => [
  `Error: Evaluating assumption ${sourceRangeText(at)} failed.`,
  ...message.split("\n")
]

/** An evaluation error while computing successors (followed by the trace, then nested positions). */
export const unexpectedException = (message: string): string[] => [
  "Error: TLC threw an unexpected exception.",
  "This was probably caused by an error in the spec or model.",
  "See the User Output or TLC Console for clues to what happened.",
  "The exception was a java.lang.RuntimeException",
  `: ${message}`
]

/** An evaluation error while computing initial states. */
export const initialEvaluationError = (message: string): string[] => [`Error: ${message}`]

/** Where the failing expression is, innermost last: "0. Line 5, column 9 to line 5, column 67 in E6eq". */
export function nestedPositions(ranges: readonly SourceRange[]): string[] {
  return [
    "Error: The error occurred when TLC was evaluating the nested",
    "expressions at the following positions:",
    ...ranges.map(
      (r, i) => `${i}. Line ${r.beginLine}, column ${r.beginColumn} to line ${r.endLine}, column ${r.endColumn} in ${r.module}`
    )
  ]
}

export const invariantEvaluationFailed = (name: string, message: string): string[] => [
  `Error: Evaluating invariant ${name} failed.`,
  ...message.split("\n")
]

export const actionPropertyEvaluationFailed = (name: string, message: string): string[] => [
  `Error: Evaluating action property ${name} failed.`,
  ...message.split("\n")
]

/** `secondArgument` is Assert's second argument, printed (e.g. `"x got too big"`). */
export const assertFailed = (secondArgument: string): string[] => [
  "Error: The first argument of Assert evaluated to FALSE; the second argument was:",
  ...secondArgument.split("\n")
]

/** A successor that leaves some variables unassigned (the trace then shows them as null). */
export function successorNotSpecified(variables: readonly string[]): string {
  const which = variables.length === 1 ? " is" : "s are"
  return `Error: Successor state is not completely specified by the next-state action. The following variable${which} not defined: ${variables.join(", ")}.`
}

export const postconditionFalse = (name: string, at: SourceRange): string =>
  `Error: Postcondition ${name} at ${sourceRangeText(at)} is false.`

/** `kind` as TLC names it: "next state action", "initial predicate", ... */
export const cannotBeConstant = (kind: string, name: string): string => `Error: The ${kind} ${name} cannot be a constant.`

/** e.g. "Error: The invariant of Inv is equal to FALSE" */
export const equalsConstant = (kind: string, name: string, value: string): string =>
  `Error: The ${kind} of ${name} is equal to ${value}`

export const noInitialStates = "Error: There is no state satisfying the initial state predicate."

/** "Trace exploration spec path: ./Spec_TTrace_1700000000.tla" */
export const traceExplorationLine = (spec: string, stamp: number): string =>
  `Trace exploration spec path: ./${spec}_TTrace_${stamp}.tla`

// ---------------------------------------------------------------------------------------------
// Liveness

export const impliedTemporalBranches = (branches: number): string =>
  `Implied-temporal checking--satisfiability problem has ${branches} branches.`

export const checkingTemporalProperties = (distinct: number, at: Date): string =>
  `Checking temporal properties for the complete state space with ${distinct} total distinct states at (${timestamp(at)})`

export const finishedTemporalProperties = (elapsedMs: number, at: Date): string =>
  `Finished checking temporal properties in ${duration(elapsedMs)} at ${timestamp(at)}`

/** Followed by the counterexample's states. */
export function temporalViolated(names: readonly string[]): string[] {
  let what: string
  if (names.length === 1) what = `Temporal property ${names[0]} was violated.`
  else if (names.length === 2) what = `Temporal properties ${names[0]} and ${names[1]} were violated.`
  else what = `Temporal properties ${names.slice(0, -1).join(", ")}, and ${names[names.length - 1]} were violated.`
  return [`Error: ${what}`, "", "Error: The following behavior constitutes a counter-example:", ""]
}

// ---------------------------------------------------------------------------------------------
// Warnings

/** TLC adds the -nowarning hint to the first warning of a run only. */
export function warning(text: string, firstOfRun: boolean): string[] {
  return firstOfRun ? [`Warning: ${text}`, "(Use the -nowarning option to disable this warning.)"] : [`Warning: ${text}`]
}

export const symmetryWithLivenessWarning =
  "Declaring symmetry during liveness checking is dangerous. It might cause TLC to miss violations of the stated liveness properties. Please check liveness without symmetry defined."

export const stateLevelPropertyWarning = (name: string): string =>
  `The formula ${name} is a state-level formula, but it was used as a PROPERTY (or PROPERTIES), ` +
  `where a temporal formula is typically expected. State-level formulas used as PROPERTY or PROPERTIES ` +
  `are only checked in the initial state. To verify that the formula ${name} holds in all states of every ` +
  `behavior, use INVARIANT ${name} instead. Alternatively, applying the "always" temporal operator ([]) to ` +
  `the state-level formula ${name} changes it into a temporal formula, asserting that ${name} holds in all ` +
  `states of every behavior. See https://explain.tlapl.us/invariants-and-properties for additional details.`

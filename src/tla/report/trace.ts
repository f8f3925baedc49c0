/**
 * TLC's error traces (TLC-FACTS §6, §10): "State 1: <Initial predicate>", then
 * "State k: <Action line L, col C to line L2, col C2 of module M>", each followed by the state's
 * variables and a blank line; a liveness cycle ends with "State k: Stuttering" or
 * "Back to state j: <...>".
 */
import { prettyValue, type Value } from "../values/index.ts"

/** A span of TLA+ source, 1-based, as SANY reports it. */
export interface SourceRange {
  readonly beginLine: number
  readonly beginColumn: number
  readonly endLine: number
  readonly endColumn: number
  readonly module: string
}

/** "line 5, col 12 to line 5, col 31 of module C6trace" */
export const sourceRangeText = (r: SourceRange): string =>
  `line ${r.beginLine}, col ${r.beginColumn} to line ${r.endLine}, col ${r.endColumn} of module ${r.module}`

/**
 * The label of a step: the sub-action's defining operator, its argument values (joined by ","
 * without spaces) and the range of its body, e.g. "<IncX(1) line 5, col 12 to line 5, col 31 of module C6trace>".
 */
export function actionLabel(name: string, args: readonly Value[], body: SourceRange): string {
  const call = args.length === 0 ? name : `${name}(${args.map((a) => prettyValue(a)).join(",")})`
  return `<${call} ${sourceRangeText(body)}>`
}

export const INITIAL_PREDICATE = "<Initial predicate>"

/** A variable of a printed state; `undefined` is an unassigned variable, printed "null". */
export type StateEntry = readonly [name: string, value: Value | undefined]

/**
 * A state's lines in the given variable order (see variable-order.ts): "x = 0" for a single
 * variable, else "/\ v = val" per variable. Long values are broken as TLC breaks them.
 */
export function stateLines(entries: readonly StateEntry[]): string[] {
  const show = (v: Value | undefined): string => (v === undefined ? "null" : prettyValue(v))
  if (entries.length === 1) return [`${entries[0][0]} = ${show(entries[0][1])}`]
  return entries.map(([name, v]) => `/\\ ${name} = ${show(v)}`)
}

/** "State k: <label>", the state's lines and the blank line that follows. */
export function stateBlock(index: number, label: string, entries: readonly StateEntry[]): string[] {
  return [`State ${index}: ${label}`, ...stateLines(entries), ""]
}

/** The end of a liveness counterexample that stutters forever. */
export const stutteringLine = (index: number): string => `State ${index}: Stuttering`

/** The end of a liveness counterexample that loops back to state `index`. */
export const backToStateLines = (index: number, label: string): string[] => [`Back to state ${index}: ${label}`, ""]

/**
 * What one operation does to one stored value (a register, or one key of a store), and what it
 * answers. Every built-in model is made of cells; this is where their semantics live.
 */
import { Unknown, type Outcome } from "../history.ts"
import { valueEquals, type Value } from "../value.ts"
import type { KvInput, KvOutput } from "./kv-input.ts"

export type CellFunction = "read" | "get" | "write" | "put" | "cas" | "append" | "delete"

export interface Applied {
  readonly next: Value
  /** What the operation answers; `undefined` for writes, whose answer carries nothing. */
  readonly result: Value | undefined
}

/** Applies `input` to a cell holding `value` (`null`: empty). The input has been validated. */
export const applyToCell = (value: Value, input: KvInput): Applied => {
  switch (input.f as CellFunction) {
    case "read":
    case "get":
      return { next: value, result: value }
    case "write":
    case "put":
      return { next: input.value ?? null, result: undefined }
    case "cas": {
      const [expected, replacement] = input.value as ReadonlyArray<Value>
      const matched = valueEquals(value, expected)
      return { next: matched ? replacement : value, result: matched }
    }
    case "append":
      return { next: value === null ? (input.value ?? null) : `${scalarText(value)}${scalarText(input.value ?? "")}`, result: undefined }
    case "delete":
      return { next: null, result: undefined }
  }
}

const scalarText = (value: Value): string => (typeof value === "string" ? value : JSON.stringify(value))

/** Whether the client's answer is one this application could have produced. */
export const answers = (applied: Applied, output: Outcome<KvOutput>): boolean =>
  output === Unknown || applied.result === undefined || valueEquals(applied.result, output)

/** Why `input`/`output` is not an operation on a cell offering `functions`; undefined if it is. */
export const cellProblem = (
  functions: ReadonlyArray<CellFunction>,
  input: KvInput,
  output: Outcome<KvOutput>
): string | undefined => {
  if (!(functions as ReadonlyArray<string>).includes(input.f)) {
    return `operation "${input.f}" is not one of this model's: ${functions.join(", ")}`
  }
  switch (input.f as CellFunction) {
    case "write":
    case "put":
    case "append":
      return input.value === undefined ? `${input.f} needs a value` : undefined
    case "cas":
      if (!Array.isArray(input.value) || input.value.length !== 2) return "cas needs a value [expected new]"
      return output === Unknown || typeof output === "boolean" ? undefined : "cas answers true or false"
    default:
      return undefined
  }
}

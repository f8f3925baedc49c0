/**
 * The operations of the built-in models, in Jepsen's vocabulary: a function name `f`, an optional
 * key, an argument, and for the Raft KV store the client session that issued the command.
 * The output is the value a read returned, or the boolean a compare-and-set returned.
 */
import type { ClientId, Outcome } from "../history.ts"
import { Unknown } from "../history.ts"
import { describeValue, type Value } from "../value.ts"

export interface Session {
  readonly clientId: ClientId
  readonly seq: number
}

export interface KvInput {
  readonly f: string
  readonly key?: Value
  /** write/put/append: the value; cas: `[expected, new]`; read/get/delete: absent. */
  readonly value?: Value
  readonly session?: Session
}

export type KvOutput = Value

export const describeKvOperation = (input: KvInput, output: Outcome<KvOutput>): string => {
  const args: Array<string> = []
  if (input.key !== undefined) args.push(describeValue(input.key))
  if (input.f === "cas" && Array.isArray(input.value)) args.push(...input.value.map(describeValue))
  else if (input.value !== undefined && input.value !== null) args.push(describeValue(input.value))
  const session = input.session ? `${String(input.session.clientId)}#${input.session.seq} ` : ""
  const answer = !returnsAnswer(input.f) ? "" : output === Unknown ? " → ?" : ` → ${describeValue(output)}`
  return `${session}${input.f}(${args.join(", ")})${answer}`
}

const returnsAnswer = (f: string): boolean => f === "read" || f === "get" || f === "cas"

/**
 * The built-in models by name, each with the check that a history's operations are its own
 * (so that a wrong operation is reported where it is written, before any search).
 */
import type { Outcome } from "../history.ts"
import type { Model } from "../model.ts"
import { cellProblem, type CellFunction } from "./cell.ts"
import type { KvInput, KvOutput } from "./kv-input.ts"
import { kvFunctions, kvModel } from "./kv.ts"
import { raftKvFunctions, raftKvModel } from "./raft-kv.ts"
import { casRegisterFunctions, casRegisterModel, registerFunctions, registerModel } from "./register.ts"

export const modelNames = ["register", "cas-register", "kv", "raft-kv"] as const
export type ModelName = (typeof modelNames)[number]

export interface BuiltInModel {
  readonly name: ModelName
  readonly summary: string
  readonly model: Model<unknown, KvInput, KvOutput>
  /** Why this operation does not belong to the model; undefined when it does. */
  readonly problemWith: (input: KvInput, output: Outcome<KvOutput>) => string | undefined
}

// The search never looks inside a state, so forgetting its type here is safe.
const erase = <S>(model: Model<S, KvInput, KvOutput>): Model<unknown, KvInput, KvOutput> =>
  model as unknown as Model<unknown, KvInput, KvOutput>

const cellModel = (
  name: ModelName,
  summary: string,
  model: Model<unknown, KvInput, KvOutput>,
  functions: ReadonlyArray<CellFunction>,
  extra: (input: KvInput) => string | undefined = () => undefined
): BuiltInModel => ({
  name,
  summary,
  model,
  problemWith: (input, output) => cellProblem(functions, input, output) ?? extra(input)
})

const needsKey = (input: KvInput): string | undefined =>
  input.key === undefined ? `${input.f} needs a key` : undefined

/** Every command needs a session; a get may go without one (a read served outside the log). */
const needsSession = (input: KvInput): string | undefined =>
  needsKey(input) ??
  (input.session === undefined
    ? input.f === "get"
      ? undefined
      : `${input.f} needs a client session: clientId and an integer seq`
    : !Number.isInteger(input.session.seq)
      ? `${input.f} needs a client session: clientId and an integer seq`
      : undefined)

export const builtInModels: Readonly<Record<ModelName, BuiltInModel>> = {
  register: cellModel("register", "one register: read, write", erase(registerModel), registerFunctions),
  "cas-register": cellModel(
    "cas-register",
    "one register: read, write, cas",
    erase(casRegisterModel),
    casRegisterFunctions
  ),
  kv: cellModel("kv", "a store partitioned by key: get, put, append", erase(kvModel), kvFunctions, needsKey),
  "raft-kv": cellModel(
    "raft-kv",
    "the Raft KV state machine with client sessions: get, put, append, cas, delete; a get without a session is a read outside the log",
    erase(raftKvModel),
    raftKvFunctions,
    needsSession
  )
}

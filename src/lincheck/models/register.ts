/**
 * A single register, empty (nil) at first: `register` offers read and write, `cas-register` adds
 * compare-and-set, as in Jepsen's cas-register and etcd tests.
 */
import type { Model } from "../model.ts"
import { describeValue, hashValue, valueEquals, type Value } from "../value.ts"
import { answers, applyToCell, type CellFunction } from "./cell.ts"
import { describeKvOperation, type KvInput, type KvOutput } from "./kv-input.ts"

const registerOf = (functions: ReadonlyArray<CellFunction>): Model<Value, KvInput, KvOutput> => ({
  init: () => null,
  step: (value, input, output) => {
    const applied = applyToCell(value, input)
    return answers(applied, output) ? [applied.next] : []
  },
  equal: valueEquals,
  hash: hashValue,
  describeOperation: describeKvOperation,
  describeState: describeValue
})

export const registerFunctions: ReadonlyArray<CellFunction> = ["read", "write"]
export const casRegisterFunctions: ReadonlyArray<CellFunction> = ["read", "write", "cas"]

export const registerModel = registerOf(registerFunctions)
export const casRegisterModel = registerOf(casRegisterFunctions)

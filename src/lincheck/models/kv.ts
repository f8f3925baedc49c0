/**
 * A key-value store with get/put/append (read/write accepted as synonyms), every key empty at
 * first. Keys are independent, so the model partitions a history by key and each partition is
 * checked on its own.
 */
import type { Operation } from "../history.ts"
import type { Model } from "../model.ts"
import { describeValue, hashValue, valueEquals, type Value } from "../value.ts"
import { answers, applyToCell, type CellFunction } from "./cell.ts"
import { describeKvOperation, type KvInput, type KvOutput } from "./kv-input.ts"
import { Store } from "./store.ts"
import { appendWitness } from "./append-witness.ts"

export const kvFunctions: ReadonlyArray<CellFunction> = ["get", "put", "append", "read", "write"]

/** Splits a history into one sub-history per key, in order of first appearance. */
export const partitionByKey = <O>(
  history: ReadonlyArray<Operation<KvInput, O>>
): Array<Array<Operation<KvInput, O>>> => {
  const byKey = new Map<string, Array<Operation<KvInput, O>>>()
  for (const op of history) {
    const key = Store.keyText(op.input.key ?? null)
    const group = byKey.get(key)
    if (group) group.push(op)
    else byKey.set(key, [op])
  }
  return [...byKey.values()]
}

export const kvModel: Model<Store<Value>, KvInput, KvOutput> = {
  init: () => Store.empty(hashValue),
  step: (store, input, output) => {
    const key = input.key ?? null
    const applied = applyToCell(store.get(key) ?? null, input)
    return answers(applied, output) ? [store.set(key, applied.next === null ? undefined : applied.next)] : []
  },
  equal: (a, b) => a.equals(b, valueEquals),
  hash: (store) => store.hash,
  partition: partitionByKey,
  witness: appendWitness,
  describeOperation: describeKvOperation,
  describeState: (store) => store.describe(describeValue)
}

/**
 * The Raft KV state machine's client-visible behaviour: a store with get/put/append/cas/delete
 * where every command carries its client session `{clientId, seq}` (Ongaro's thesis, §6.3).
 * A command whose seq is the client's latest applied one is a retry: it is not applied again and
 * answers what the first application answered. A seq below the latest is a stale retry the
 * state machine ignores; its client cannot have seen an answer, so only an unknown output fits.
 *
 * A get without a session is a read served outside the log (ReadIndex): it reads the store and
 * leaves the session table alone.
 *
 * Sessions are tracked per (key, client): a retry carries the key of the command it retries, so
 * this judges retries as a per-client table would, and it makes keys independent, so the model can
 * be partitioned by key without changing its meaning.
 */
import { Unknown } from "../history.ts"
import type { Model } from "../model.ts"
import { describeValue, hashValue, valueEquals, type Value } from "../value.ts"
import { answers, applyToCell, type CellFunction } from "./cell.ts"
import { describeKvOperation, type KvInput, type KvOutput } from "./kv-input.ts"
import { partitionByKey } from "./kv.ts"
import { appendWitness } from "./append-witness.ts"
import { Store } from "./store.ts"

export const raftKvFunctions: ReadonlyArray<CellFunction> = ["get", "put", "append", "cas", "delete"]

interface LastCommand {
  readonly seq: number
  readonly result: Value | undefined
}

export interface RaftKvState {
  readonly data: Store<Value>
  readonly sessions: Store<LastCommand>
}

const lastCommandEquals = (a: LastCommand, b: LastCommand): boolean =>
  a.seq === b.seq && (a.result === undefined ? b.result === undefined : b.result !== undefined && valueEquals(a.result, b.result))

const hashOfLastCommand = (last: LastCommand): number =>
  Math.imul(last.seq, 0x9e3779b1) ^ (last.result === undefined ? 7 : hashValue(last.result))

export const raftKvModel: Model<RaftKvState, KvInput, KvOutput> = {
  init: () => ({ data: Store.empty(hashValue), sessions: Store.empty(hashOfLastCommand) }),
  step: (state, input, output) => {
    const session = input.session
    const key = input.key ?? null
    // A get without a session was served outside the log (ReadIndex): it reads and changes nothing,
    // not even the session table.
    if (session === undefined) return input.f === "get" && answers(applyToCell(state.data.get(key) ?? null, input), output) ? [state] : []
    const client: Value = [key, session.clientId]
    const last = state.sessions.get(client)
    if (last !== undefined && session.seq < last.seq) return output === Unknown ? [state] : []
    if (last !== undefined && session.seq === last.seq) {
      return answers({ next: null, result: last.result }, output) ? [state] : []
    }
    const applied = applyToCell(state.data.get(key) ?? null, input)
    if (!answers(applied, output)) return []
    return [
      {
        data: state.data.set(key, applied.next === null ? undefined : applied.next),
        sessions: state.sessions.set(client, { seq: session.seq, result: applied.result })
      }
    ]
  },
  equal: (a, b) => a.data.equals(b.data, valueEquals) && a.sessions.equals(b.sessions, lastCommandEquals),
  hash: (state) => (Math.imul(state.data.hash, 31) + state.sessions.hash) | 0,
  partition: partitionByKey,
  witness: appendWitness,
  describeOperation: describeKvOperation,
  describeState: (state) => state.data.describe(describeValue)
}

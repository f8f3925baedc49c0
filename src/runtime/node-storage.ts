/**
 * NodeStorage: a node's persistent state (spec: currentTerm, votedFor, log, snapshot) kept in
 * DurableStorage. It translates between the core's fields and the storage engine's records: the hard
 * state, the WAL of entries after the snapshot, and the snapshot, whose payload is the compacted
 * entries (the spec's snapshotLog, from which the state machine is rebuilt).
 */
import { Context, Effect, Layer, Result, Schema } from "effect"
import { Entry, entryAt, firstDifference, lastIndex, type PersistentField, type PersistentState } from "../raft/index.ts"
import { DurableStorage } from "./storage/durable-storage.ts"
import type { LogEntry, Recovered } from "./storage/persistent-state.ts"
import { CorruptionError, type StorageError } from "./storage/storage-error.ts"

export interface NodeStorageService {
  /** The state the node last made durable (the initial state on an empty disk). */
  readonly load: () => Effect.Effect<PersistentState, StorageError | CorruptionError>
  /** Makes `fields` of `after` durable, where `before` is what storage holds now. */
  readonly persist: (
    before: PersistentState,
    after: PersistentState,
    fields: ReadonlyArray<PersistentField>
  ) => Effect.Effect<void, StorageError>
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const text = { encode: (s: string) => encoder.encode(s), decode: (b: Uint8Array) => decoder.decode(b) }

const decodeSnapshotEntries = Schema.decodeUnknownResult(Schema.fromJsonString(Schema.Array(Entry)))

const fromRecovered = (recovered: Recovered): Result.Result<PersistentState, CorruptionError> => {
  let snapshot: PersistentState["snapshot"] = { index: 0, term: 0, entries: [] }
  if (recovered.snapshot !== null) {
    const entries = decodeSnapshotEntries(text.decode(recovered.snapshot.data))
    if (Result.isFailure(entries)) {
      return Result.fail(new CorruptionError({ file: "snapshot", offset: 0, reason: `not a snapshot of log entries: ${entries.failure.message}` }))
    }
    snapshot = { index: recovered.snapshot.lastIncludedIndex, term: recovered.snapshot.lastIncludedTerm, entries: entries.success }
  }
  return Result.succeed({
    currentTerm: recovered.hardState.currentTerm,
    votedFor: recovered.hardState.votedFor,
    log: recovered.entries.map((entry) => ({ term: entry.term, value: text.decode(entry.data) })),
    snapshot
  })
}

export const makeNodeStorage = (storage: typeof DurableStorage.Service): NodeStorageService => ({
  load: () =>
    storage.recover().pipe(
      Effect.flatMap((recovered) => {
        const state = fromRecovered(recovered)
        return Result.isSuccess(state) ? Effect.succeed(state.success) : Effect.fail(state.failure)
      })
    ),
  persist: (before, after, fields) =>
    Effect.gen(function* () {
      if (fields.includes("currentTerm") || fields.includes("votedFor")) {
        yield* storage.saveHardState({ currentTerm: after.currentTerm, votedFor: after.votedFor })
      }
      // The snapshot first: storage then drops the entries it covers, and the log diff below only
      // concerns entries after it.
      if (fields.includes("snapshot")) {
        yield* storage.saveSnapshot({
          lastIncludedIndex: after.snapshot.index,
          lastIncludedTerm: after.snapshot.term,
          data: text.encode(JSON.stringify(after.snapshot.entries))
        })
      }
      if (fields.includes("log") || fields.includes("snapshot")) {
        // Entries inside either snapshot are the snapshot's business, handled above.
        const from = firstDifference(before, after, Math.max(after.snapshot.index, before.snapshot.index) + 1)
        if (from <= lastIndex(before)) yield* storage.truncateFrom(from)
        const appended: Array<LogEntry> = []
        for (let k = from; k <= lastIndex(after); k++) {
          const entry = entryAt(after, k)
          appended.push({ index: k, term: entry.term, data: text.encode(entry.value) })
        }
        yield* storage.append(appended)
      }
    })
})

export class NodeStorage extends Context.Service<NodeStorage, NodeStorageService>()("raft-tla/NodeStorage") {
  /** Over the DurableStorage of the node's data directory. */
  static readonly layer: Layer.Layer<NodeStorage, never, DurableStorage> = Layer.effect(
    NodeStorage,
    Effect.gen(function* () {
      return makeNodeStorage(yield* DurableStorage)
    })
  )
}

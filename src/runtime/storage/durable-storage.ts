/**
 * DurableStorage: the service a Raft node keeps its persistent state in.
 *
 * Layout of a data directory:
 *   hard-state          currentTerm and votedFor, replaced atomically
 *   snapshot            the latest snapshot, replaced atomically
 *   wal/<index>.seg     the log after (and possibly just before) the snapshot
 *
 * Every method that changes state completes only once the change is durable, so a caller may send a
 * reply that depends on it as soon as the method returns. Changes go through one commit queue and are
 * applied in the order their effects start running; appends that queue up while an fsync is in flight
 * are written and synced together. A caller issuing several changes concurrently (say, appends of
 * consecutive entries) must start them in log order, e.g. from one fiber or by forking them in order.
 * After a failed write the engine refuses all further changes: what reached the disk is unknown until
 * the node restarts and recovers (retrying an fsync after a failure may report success for lost data).
 */
import { Context, Effect, Layer } from "effect"
import * as path from "node:path"
import { readAtomicFile, replaceAtomically, temporaryPathOf } from "./atomic-file.ts"
import { makeCommitQueue } from "./commit-queue.ts"
import type { Disk } from "./disk.ts"
import { meteredDisk } from "./metered-disk.ts"
import { nodeDisk } from "./node-disk.ts"
import { type HardState, initialHardState, type LogEntry, type Recovered, type Snapshot } from "./persistent-state.ts"
import { decodeHardState, decodeSnapshot, encodeHardStateRecord, encodeSnapshotRecord } from "./record.ts"
import { SimulatedDisk } from "./simulated-disk.ts"
import { type CorruptionError, StorageError } from "./storage-error.ts"
import { type SnapshotMark, Wal } from "./wal.ts"

export interface DurableStorageOptions {
  /** Size at which a WAL segment is closed and the next one started. Default 64 MiB. */
  readonly segmentBytes?: number
}

export interface StorageStats {
  /** File and directory fsyncs issued. */
  readonly fsyncs: number
  /** Log entries written. */
  readonly records: number
  /** Group-commit batches written: each is one write and one fsync of the WAL (more at a segment change). */
  readonly batches: number
}

export interface DurableStorageService {
  /** Opens the data directory (creating it when new), repairs a torn WAL tail, and returns the state. */
  readonly recover: () => Effect.Effect<Recovered, StorageError | CorruptionError>
  /** Appends entries that continue the log; durable on success. */
  readonly append: (entries: ReadonlyArray<LogEntry>) => Effect.Effect<void, StorageError>
  /** Deletes the entries from `index` on (they must lie after the snapshot); durable on success. */
  readonly truncateFrom: (index: number) => Effect.Effect<void, StorageError>
  readonly saveHardState: (hardState: HardState) => Effect.Effect<void, StorageError>
  /**
   * Replaces the snapshot; durable on success. Then drops the WAL segments it covers — or the whole
   * log if the log does not continue the snapshot (it ends before it, or differs at its last index).
   */
  readonly saveSnapshot: (snapshot: Snapshot) => Effect.Effect<void, StorageError>
  /** Waits for queued changes and releases the files. Later calls fail. */
  readonly close: () => Effect.Effect<void, StorageError>
  readonly stats: () => StorageStats
}

export class DurableStorage extends Context.Service<DurableStorage, DurableStorageService>()("raft-tla/DurableStorage") {
  /** Storage in a directory of the real file system. */
  static layerFile(directory: string, options: DurableStorageOptions = {}): Layer.Layer<DurableStorage> {
    return layerOn(nodeDisk, directory, options)
  }

  /**
   * Storage on an in-memory disk. Keep the disk to crash it (`disk.crash()` loses every write not yet
   * synced) and build a new layer on it to restart the node.
   */
  static layerMemory(
    disk: SimulatedDisk = new SimulatedDisk(),
    directory = "/data",
    options: DurableStorageOptions = {}
  ): Layer.Layer<DurableStorage> {
    return layerOn(disk, directory, options)
  }
}

const layerOn = (disk: Disk, directory: string, options: DurableStorageOptions): Layer.Layer<DurableStorage> =>
  Layer.effect(
    DurableStorage,
    Effect.acquireRelease(
      Effect.sync(() => makeDurableStorage(disk, directory, options)),
      (storage) => Effect.ignore(storage.close())
    )
  )

const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024

type Change =
  | { readonly kind: "append"; readonly entries: ReadonlyArray<LogEntry> }
  | { readonly kind: "truncate"; readonly index: number }
  | { readonly kind: "hardState"; readonly hardState: HardState }
  | { readonly kind: "snapshot"; readonly snapshot: Snapshot }
  | { readonly kind: "close" }

const OPERATION_NAMES: Record<Change["kind"], string> = {
  append: "append",
  truncate: "truncate",
  hardState: "save hard state",
  snapshot: "save snapshot",
  close: "close"
}

type Phase =
  | { readonly kind: "unopened" }
  | { readonly kind: "open"; readonly wal: Wal; snapshot: SnapshotMark }
  | { readonly kind: "failed"; readonly wal: Wal; readonly cause: StorageError }
  | { readonly kind: "closed" }

/** The storage engine over any disk; the layers above are the usual way to get one. */
export const makeDurableStorage = (
  rawDisk: Disk,
  directory: string,
  options: DurableStorageOptions = {}
): DurableStorageService => {
  const counters = { fsyncs: 0, records: 0, batches: 0 }
  const disk = meteredDisk(rawDisk, counters)
  const walDirectory = path.join(directory, "wal")
  const hardStateFile = path.join(directory, "hard-state")
  const snapshotFile = path.join(directory, "snapshot")
  const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES
  let phase: Phase = { kind: "unopened" }

  const refusal = (operation: string, reason: string) => new StorageError({ file: directory, operation, reason })

  const recover = () =>
    Effect.gen(function* () {
      if (phase.kind !== "unopened") return yield* refusal("recover", `storage is already ${phase.kind}`)
      yield* disk.ensureDirectory(walDirectory)
      yield* disk.syncDirectory(directory)
      yield* disk.syncDirectory(path.dirname(directory))
      // A temporary file is a replacement that never got renamed into place: it was never acknowledged.
      const names = yield* disk.list(directory)
      for (const file of [hardStateFile, snapshotFile].map(temporaryPathOf)) {
        if (names.includes(path.basename(file))) yield* disk.remove(file)
      }
      const hardState = (yield* readAtomicFile(disk, hardStateFile, decodeHardState)) ?? initialHardState
      const snapshot = (yield* readAtomicFile(disk, snapshotFile, decodeSnapshot)) ?? null
      const mark = snapshot === null ? { index: 0, term: 0 } : { index: snapshot.lastIncludedIndex, term: snapshot.lastIncludedTerm }
      const { wal, entries } = yield* Wal.open(disk, walDirectory, mark, { segmentBytes })
      phase = { kind: "open", wal, snapshot: mark }
      return { hardState, snapshot, entries }
    })

  /** Runs one batch of queued changes, in order; consecutive appends share one write and one fsync. */
  const runBatch = (changes: ReadonlyArray<Change>) =>
    Effect.gen(function* () {
      const outcomes: Array<StorageError | undefined> = []
      let at = 0
      while (at < changes.length) {
        const change = changes[at]
        if (change.kind === "close") {
          outcomes.push(yield* closeFiles())
          at++
        } else if (phase.kind !== "open") {
          outcomes.push(notOpen(OPERATION_NAMES[change.kind]))
          at++
        } else if (change.kind === "append") {
          let end = at
          while (end < changes.length && changes[end].kind === "append") end++
          const group = changes.slice(at, end) as Array<Extract<Change, { kind: "append" }>>
          for (const outcome of yield* appendGroup(phase, group)) outcomes.push(outcome)
          at = end
        } else {
          outcomes.push(yield* applyOne(phase, change))
          at++
        }
      }
      return outcomes
    })

  const notOpen = (operation: string): StorageError => {
    switch (phase.kind) {
      case "failed":
        return refusal(operation, `refused: an earlier write failed (${phase.cause.message}); restart and recover`)
      case "unopened":
        return refusal(operation, "storage is not open: call recover() first")
      default:
        return refusal(operation, "storage is closed")
    }
  }

  /** Marks the engine failed when a disk operation fails; the error goes to the caller as is. */
  const guarded = (open: Extract<Phase, { kind: "open" }>, operation: Effect.Effect<void, StorageError>) =>
    operation.pipe(
      Effect.match({
        onFailure: (cause): StorageError => {
          phase = { kind: "failed", wal: open.wal, cause }
          return cause
        },
        onSuccess: () => undefined
      })
    )

  const appendGroup = (open: Extract<Phase, { kind: "open" }>, group: ReadonlyArray<{ readonly entries: ReadonlyArray<LogEntry> }>) =>
    Effect.gen(function* () {
      const outcomes: Array<StorageError | undefined> = []
      const accepted: Array<LogEntry> = []
      const members: Array<number> = []
      for (const { entries } of group) {
        const problem = appendProblem(entries, open.wal.nextIndex + accepted.length)
        if (problem !== undefined) {
          outcomes.push(refusal(OPERATION_NAMES.append, problem))
        } else {
          members.push(outcomes.length)
          outcomes.push(undefined)
          for (const entry of entries) accepted.push(entry)
        }
      }
      if (accepted.length === 0) return outcomes
      const failure = yield* guarded(open, open.wal.append(accepted))
      counters.batches++
      if (failure === undefined) counters.records += accepted.length
      for (const member of members) outcomes[member] = failure
      return outcomes
    })

  /** Closing always succeeds in stopping the engine; an error closing the tail file is still reported. */
  const closeFiles = () =>
    Effect.suspend(() => {
      const wal = phase.kind === "open" || phase.kind === "failed" ? phase.wal : undefined
      phase = { kind: "closed" }
      return wal === undefined
        ? Effect.succeed(undefined)
        : wal.close().pipe(Effect.match({ onFailure: (error): StorageError | undefined => error, onSuccess: () => undefined }))
    })

  const applyOne = (open: Extract<Phase, { kind: "open" }>, change: Exclude<Change, { kind: "append" | "close" }>) =>
    Effect.gen(function* () {
      switch (change.kind) {
        case "truncate": {
          if (!isIndex(change.index) || change.index <= open.snapshot.index) {
            return refusal(OPERATION_NAMES.truncate, `cannot truncate from index ${change.index}: entries up to ${open.snapshot.index} are in the snapshot`)
          }
          return yield* guarded(open, open.wal.truncateFrom(change.index))
        }
        case "hardState": {
          const { currentTerm, votedFor } = change.hardState
          if (!isTerm(currentTerm) || (votedFor !== null && typeof votedFor !== "string")) {
            return refusal(OPERATION_NAMES.hardState, `not a hard state: term ${currentTerm}, votedFor ${votedFor}`)
          }
          return yield* guarded(open, replaceAtomically(disk, hardStateFile, encodeHardStateRecord(change.hardState)))
        }
        case "snapshot": {
          const { lastIncludedIndex: index, lastIncludedTerm: term } = change.snapshot
          const stored = open.snapshot
          if (!(change.snapshot.data instanceof Uint8Array)) return refusal(OPERATION_NAMES.snapshot, "snapshot data must be bytes")
          if (!isIndex(index) || !isTerm(term) || index < stored.index || (index === stored.index && term !== stored.term)) {
            return refusal(
              OPERATION_NAMES.snapshot,
              `snapshot at index ${index} (term ${term}) cannot replace the stored one at index ${stored.index} (term ${stored.term})`
            )
          }
          // The snapshot must be durable before any entry it covers is deleted.
          const written = yield* guarded(open, replaceAtomically(disk, snapshotFile, encodeSnapshotRecord(change.snapshot)))
          if (written !== undefined) return written
          open.snapshot = { index, term }
          return yield* guarded(open, open.wal.compact(open.snapshot))
        }
      }
    })

  const queue = makeCommitQueue(runBatch)

  return {
    recover,
    append: (entries) => (entries.length === 0 ? Effect.void : queue.submit({ kind: "append", entries })),
    truncateFrom: (index) => queue.submit({ kind: "truncate", index }),
    saveHardState: (hardState) => queue.submit({ kind: "hardState", hardState }),
    saveSnapshot: (snapshot) => queue.submit({ kind: "snapshot", snapshot }),
    close: () => queue.submit({ kind: "close" }),
    stats: () => ({ ...counters })
  }
}

const isIndex = (value: number): boolean => Number.isSafeInteger(value) && value >= 1
const isTerm = (value: number): boolean => Number.isSafeInteger(value) && value >= 0

/** Why `entries` cannot be appended to a log whose next index is `nextIndex`, if they cannot. */
const appendProblem = (entries: ReadonlyArray<LogEntry>, nextIndex: number): string | undefined => {
  for (const [i, entry] of entries.entries()) {
    if (entry.index !== nextIndex + i) {
      return `entry index ${entry.index} does not continue the log (expected index ${nextIndex + i})`
    }
    if (!isTerm(entry.term)) return `entry ${entry.index} has an invalid term ${entry.term}`
    if (!(entry.data instanceof Uint8Array)) return `entry ${entry.index} has no byte payload`
  }
  return undefined
}

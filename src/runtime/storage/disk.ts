/**
 * The file-system seam: the few operations durable storage performs, and nothing more.
 *
 * The engine talks to a `Disk`, never to `node:fs`, so that tests and the simulator can swap in a disk
 * that loses unsynced writes, tears a write or flips a bit (./simulated-disk.ts), and the real one
 * (./node-disk.ts) stays a thin mapping onto system calls. Every operation fails with a StorageError
 * naming the path.
 */
import type { Effect } from "effect"
import type { StorageError } from "./storage-error.ts"

/**
 * How to open a file:
 * - "replace": create it, or empty it if it exists (temporary files of atomic writes);
 * - "create": create it, failing if it exists (a new WAL segment must never reuse an old file);
 * - "existing": open an existing file to write more (the WAL's tail segment after recovery).
 */
export type OpenMode = "replace" | "create" | "existing"

export interface DiskFile {
  readonly path: string
  /** Writes all of `bytes` at byte `position`. Not durable until `sync`. */
  readonly write: (bytes: Uint8Array, position: number) => Effect.Effect<void, StorageError>
  /** Makes the file's content and size durable (fdatasync). */
  readonly sync: () => Effect.Effect<void, StorageError>
  /** Cuts the file to `size` bytes. Not durable until `sync`. */
  readonly truncate: (size: number) => Effect.Effect<void, StorageError>
  readonly close: () => Effect.Effect<void, StorageError>
}

export interface Disk {
  /** Creates the directory and any missing parents. */
  readonly ensureDirectory: (path: string) => Effect.Effect<void, StorageError>
  /** The names in a directory, unsorted. */
  readonly list: (directory: string) => Effect.Effect<ReadonlyArray<string>, StorageError>
  /** The whole content of a file, or `undefined` when there is no such file. */
  readonly read: (path: string) => Effect.Effect<Uint8Array | undefined, StorageError>
  readonly open: (path: string, mode: OpenMode) => Effect.Effect<DiskFile, StorageError>
  /** Atomically replaces `to` by `from` (same directory). Not durable until the directory is synced. */
  readonly rename: (from: string, to: string) => Effect.Effect<void, StorageError>
  /** Deletes a file. Not durable until the directory is synced. */
  readonly remove: (path: string) => Effect.Effect<void, StorageError>
  /** Makes the directory's entries (creations, renames, removals) durable. */
  readonly syncDirectory: (directory: string) => Effect.Effect<void, StorageError>
}

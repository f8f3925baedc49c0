/**
 * The real disk: the `Disk` seam mapped onto node:fs system calls, one to one.
 *
 * Opening a file and an open file's writes, fsyncs and truncations block: they run on the calling thread
 * instead of libuv's thread pool. A node waits for its write and fsync before its next step anyway,
 * and a trip through the pool costs two thread wake-ups each way, which on a small virtual machine
 * cost more than the write itself (docs/cluster.md, "Storage calls"). Directory operations and whole
 * reads, off the hot path, stay asynchronous.
 */
import { Effect } from "effect"
import * as fsSync from "node:fs"
import * as fs from "node:fs/promises"
import type { Disk, DiskFile, OpenMode } from "./disk.ts"
import { StorageError } from "./storage-error.ts"

const FLAGS: Record<OpenMode, string> = { replace: "w", create: "wx", existing: "r+" }

const failure = (file: string, operation: string) => (error: unknown) =>
  new StorageError({ file, operation, reason: error instanceof Error ? error.message : String(error) })

const call = <A>(file: string, operation: string, run: () => Promise<A>): Effect.Effect<A, StorageError> =>
  Effect.tryPromise({ try: run, catch: failure(file, operation) })

/** A call made on this thread: see the header. */
const blocking = <A>(file: string, operation: string, run: () => A): Effect.Effect<A, StorageError> =>
  Effect.try({ try: run, catch: failure(file, operation) })

const isMissing = (error: unknown): boolean => (error as { code?: unknown })?.code === "ENOENT"

const fileOf = (path: string, fd: number): DiskFile => ({
  path,
  write: (bytes, position) =>
    blocking(path, "write", () => {
      // A regular-file write may be short; keep going until every byte is handed to the kernel.
      let done = 0
      while (done < bytes.length) done += fsSync.writeSync(fd, bytes, done, bytes.length - done, position + done)
    }),
  // fdatasync: flushes the data and the size, skipping timestamps nobody reads back.
  sync: () => blocking(path, "fsync", () => fsSync.fdatasyncSync(fd)),
  truncate: (size) => blocking(path, "truncate", () => fsSync.ftruncateSync(fd, size)),
  close: () => blocking(path, "close", () => fsSync.closeSync(fd))
})

export const nodeDisk: Disk = {
  ensureDirectory: (path) => call(path, "mkdir", () => fs.mkdir(path, { recursive: true })).pipe(Effect.asVoid),
  list: (directory) => call(directory, "list", () => fs.readdir(directory)),
  read: (path) =>
    call(path, "read", async () => {
      try {
        const buffer = await fs.readFile(path)
        // A plain Uint8Array view: Buffer's `slice` shares memory where Uint8Array's copies.
        return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
      } catch (error) {
        if (isMissing(error)) return undefined
        throw error
      }
    }),
  open: (path, mode) => blocking(path, "open", () => fileOf(path, fsSync.openSync(path, FLAGS[mode]))),
  rename: (from, to) => call(from, `rename to ${to}`, () => fs.rename(from, to)),
  remove: (path) => call(path, "remove", () => fs.unlink(path)),
  syncDirectory: (directory) =>
    call(directory, "fsync directory", async () => {
      const handle = await fs.open(directory, "r")
      try {
        await handle.sync()
      } finally {
        await handle.close()
      }
    })
}

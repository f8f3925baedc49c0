/**
 * The real disk: the `Disk` seam mapped onto node:fs system calls, one to one.
 */
import { Effect } from "effect"
import * as fs from "node:fs/promises"
import type { Disk, DiskFile, OpenMode } from "./disk.ts"
import { StorageError } from "./storage-error.ts"

const FLAGS: Record<OpenMode, string> = { replace: "w", create: "wx", existing: "r+" }

const call = <A>(file: string, operation: string, run: () => Promise<A>): Effect.Effect<A, StorageError> =>
  Effect.tryPromise({
    try: run,
    catch: (error) => new StorageError({ file, operation, reason: error instanceof Error ? error.message : String(error) })
  })

const isMissing = (error: unknown): boolean => (error as { code?: unknown })?.code === "ENOENT"

const fileOf = (path: string, handle: fs.FileHandle): DiskFile => ({
  path,
  write: (bytes, position) =>
    call(path, "write", async () => {
      // A regular-file write may be short; keep going until every byte is handed to the kernel.
      let done = 0
      while (done < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done)
        done += bytesWritten
      }
    }),
  // fdatasync: flushes the data and the size, skipping timestamps nobody reads back.
  sync: () => call(path, "fsync", () => handle.datasync()),
  truncate: (size) => call(path, "truncate", () => handle.truncate(size)),
  close: () => call(path, "close", () => handle.close())
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
  open: (path, mode) => call(path, "open", () => fs.open(path, FLAGS[mode])).pipe(Effect.map((handle) => fileOf(path, handle))),
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

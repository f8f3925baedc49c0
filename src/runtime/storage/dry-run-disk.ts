/**
 * A disk that reads through to another one and, instead of changing anything, writes down what it was
 * asked to change. Running recovery on it answers "what would a restart repair?" without touching the
 * data directory — the storage check command is built on it.
 */
import { Effect } from "effect"
import type { Disk, DiskFile } from "./disk.ts"

export interface DryRunDisk extends Disk {
  /** The changes asked for so far, in order, in words ("cut <file> to 68 bytes", "remove <file>"). */
  readonly changes: ReadonlyArray<string>
}

export const dryRunDisk = (disk: Disk): DryRunDisk => {
  const changes: Array<string> = []
  /** Directories that would have been created: listing them finds nothing. */
  const created = new Set<string>()
  const note = (change: string) => Effect.sync(() => void changes.push(change))

  const handle = (path: string): DiskFile => ({
    path,
    write: (bytes, position) => note(`write ${bytes.length} bytes to ${path} at offset ${position}`),
    sync: () => Effect.void,
    truncate: (size) => note(`cut ${path} to ${size} bytes`),
    close: () => Effect.void
  })

  return {
    changes,
    ensureDirectory: (directory) =>
      disk.list(directory).pipe(
        Effect.asVoid,
        Effect.catch(() => {
          created.add(directory)
          return note(`create directory ${directory}`)
        })
      ),
    list: (directory) => (created.has(directory) ? Effect.succeed([]) : disk.list(directory)),
    read: (path) => disk.read(path),
    open: (path, mode) => (mode === "existing" ? Effect.succeed(handle(path)) : note(`create ${path}`).pipe(Effect.as(handle(path)))),
    rename: (from, to) => note(`rename ${from} to ${to}`),
    remove: (path) => note(`remove ${path}`),
    syncDirectory: () => Effect.void
  }
}

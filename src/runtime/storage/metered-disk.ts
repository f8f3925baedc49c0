/**
 * Counts the syncs a storage engine issues, whatever disk it runs on: the figure group commit exists
 * to keep small, read by tests and the benchmark.
 */
import { Effect } from "effect"
import type { Disk } from "./disk.ts"

export interface SyncCount {
  /** File and directory syncs issued so far. */
  fsyncs: number
}

export const meteredDisk = (disk: Disk, count: SyncCount): Disk => ({
  ensureDirectory: (directory) => disk.ensureDirectory(directory),
  list: (directory) => disk.list(directory),
  read: (file) => disk.read(file),
  rename: (from, to) => disk.rename(from, to),
  remove: (file) => disk.remove(file),
  open: (file, mode) =>
    disk.open(file, mode).pipe(
      Effect.map((handle) => ({ ...handle, sync: () => Effect.andThen(Effect.sync(() => count.fsyncs++), handle.sync()) }))
    ),
  syncDirectory: (directory) => Effect.andThen(Effect.sync(() => count.fsyncs++), disk.syncDirectory(directory))
})

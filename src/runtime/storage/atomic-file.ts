/**
 * Files replaced whole and atomically: the hard state and the snapshot. Each holds exactly one record.
 *
 * Replacing goes: write `<file>.tmp`, fsync it, rename it over `<file>`, fsync the directory. A crash at
 * any point leaves either the old file or the new one under the final name (rename is atomic), and the
 * directory fsync makes the rename itself durable before the caller is told the write is done.
 */
import { Effect } from "effect"
import * as path from "node:path"
import type { Disk } from "./disk.ts"
import { type Decoded, readRecord } from "./record.ts"
import { CorruptionError, type StorageError } from "./storage-error.ts"

export const temporaryPathOf = (file: string): string => `${file}.tmp`

export const replaceAtomically = (disk: Disk, file: string, record: Uint8Array): Effect.Effect<void, StorageError> =>
  Effect.gen(function* () {
    const temporary = temporaryPathOf(file)
    const handle = yield* disk.open(temporary, "replace")
    yield* handle.write(record, 0).pipe(
      Effect.andThen(handle.sync()),
      Effect.onError(() => Effect.ignore(handle.close()))
    )
    yield* handle.close()
    yield* disk.rename(temporary, file)
    yield* disk.syncDirectory(path.dirname(file))
  })

/**
 * Reads a one-record file: `undefined` if it does not exist, its decoded value if it is intact, and a
 * CorruptionError otherwise — such a file is only ever renamed into place whole, so damage is not a
 * torn write but decay, and a node must not guess its vote or term.
 */
export const readAtomicFile = <A>(
  disk: Disk,
  file: string,
  decode: (bytes: Uint8Array, start: number, end: number) => Decoded<A>
): Effect.Effect<A | undefined, StorageError | CorruptionError> =>
  Effect.gen(function* () {
    const bytes = yield* disk.read(file)
    if (bytes === undefined) return undefined
    const read = readRecord(bytes, 0)
    if (!read.intact) return yield* new CorruptionError({ file, offset: 0, reason: read.reason })
    if (read.end !== bytes.length) {
      return yield* new CorruptionError({ file, offset: read.end, reason: `${bytes.length - read.end} unexpected bytes after the record` })
    }
    const decoded = decode(bytes, read.payloadStart, read.end)
    if (!decoded.ok) return yield* new CorruptionError({ file, offset: read.payloadStart, reason: decoded.reason })
    return decoded.value
  })

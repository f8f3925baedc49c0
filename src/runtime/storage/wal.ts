/**
 * The segmented write-ahead log: the on-disk copy of the Raft log, exactly.
 *
 * The segments of the WAL directory, read in name order, hold one run of consecutive entries; no record
 * is ever dead. Cutting the log (conflict resolution, a snapshot) therefore rewrites the tail or deletes
 * whole files instead of appending "truncate" markers — docs/storage.md explains the trade.
 *
 * The WAL is driven by one writer at a time (the commit queue) and keeps in memory only where each
 * entry sits and its term, plus an open handle on the tail segment.
 */
import { Effect } from "effect"
import * as path from "node:path"
import type { Disk, DiskFile } from "./disk.ts"
import type { LogEntry } from "./persistent-state.ts"
import { encodeEntryRecord } from "./record.ts"
import { parseSegmentName, scanSegment, segmentName, type SegmentLayout } from "./segment.ts"
import { CorruptionError, type StorageError } from "./storage-error.ts"

/** The index and term the latest snapshot covers; `{ index: 0, term: 0 }` without a snapshot. */
export interface SnapshotMark {
  readonly index: number
  readonly term: number
}

export interface WalOptions {
  /** A segment is closed once the next record would take it past this size. */
  readonly segmentBytes: number
}

interface Segment extends SegmentLayout {
  readonly firstIndex: number
  readonly file: string
  size: number
}

const lastIndexOf = (segment: Segment): number => segment.firstIndex + segment.offsets.length - 1

/** How a log lines up with a snapshot, the same question at recovery and after saving a snapshot. */
type Alignment =
  /** The log continues the snapshot; segments wholly covered by it may go (oldest first). */
  | { readonly kind: "continues"; readonly covered: ReadonlyArray<Segment> }
  /** The log ends inside the snapshot or disagrees with it at its last index: all of it goes. */
  | { readonly kind: "superseded" }
  /** Entries between the snapshot and the log are missing. */
  | { readonly kind: "gap" }

const align = (segments: ReadonlyArray<Segment>, mark: SnapshotMark): Alignment => {
  if (segments.length === 0) return { kind: "continues", covered: [] }
  const first = segments[0].firstIndex
  const last = lastIndexOf(segments[segments.length - 1])
  if (first > mark.index + 1) return { kind: "gap" }
  if (last < mark.index) return { kind: "superseded" }
  if (first <= mark.index && termIn(segments, mark.index) !== mark.term) return { kind: "superseded" }
  return { kind: "continues", covered: segments.filter((segment) => lastIndexOf(segment) <= mark.index) }
}

const termIn = (segments: ReadonlyArray<Segment>, index: number): number | undefined => {
  const segment = segments.findLast((s) => s.firstIndex <= index)
  return segment === undefined ? undefined : segment.terms[index - segment.firstIndex]
}

export class Wal {
  private constructor(
    private readonly disk: Disk,
    private readonly directory: string,
    private readonly options: WalOptions,
    private readonly segments: Array<Segment>,
    private tail: DiskFile | undefined,
    /** The index the next appended entry must have. */
    private next: number
  ) {}

  get nextIndex(): number {
    return this.next
  }

  /**
   * Opens the WAL directory after a restart: checks every segment, cuts a torn tail off the last one,
   * drops what the snapshot supersedes, and returns the entries that follow the snapshot.
   */
  static open(
    disk: Disk,
    directory: string,
    mark: SnapshotMark,
    options: WalOptions
  ): Effect.Effect<{ readonly wal: Wal; readonly entries: ReadonlyArray<LogEntry> }, StorageError | CorruptionError> {
    return Effect.gen(function* () {
      const names = yield* disk.list(directory)
      const found: Array<{ firstIndex: number; file: string }> = []
      for (const name of names) {
        const firstIndex = parseSegmentName(name)
        const file = path.join(directory, name)
        if (firstIndex === undefined) {
          return yield* new CorruptionError({
            file,
            offset: 0,
            reason: "not a WAL segment name (expected 20 digits and .seg, e.g. 00000000000000000001.seg)"
          })
        }
        found.push({ firstIndex, file })
      }
      found.sort((a, b) => a.firstIndex - b.firstIndex)

      const segments: Array<Segment> = []
      const entries: Array<LogEntry> = []
      let tornAt: number | undefined
      for (const [position, { firstIndex, file }] of found.entries()) {
        const isLast = position === found.length - 1
        const previous = segments[segments.length - 1]
        if (previous !== undefined) {
          if (previous.offsets.length === 0) {
            return yield* new CorruptionError({ file: previous.file, offset: 0, reason: "empty segment before the last one" })
          }
          if (firstIndex !== lastIndexOf(previous) + 1) {
            return yield* new CorruptionError({
              file,
              offset: 0,
              reason: `segment starts at index ${firstIndex} but the previous one ends at index ${lastIndexOf(previous)}`
            })
          }
        }
        const bytes = (yield* disk.read(file)) ?? new Uint8Array(0)
        const scan = scanSegment(bytes, firstIndex)
        if (!scan.ok) return yield* new CorruptionError({ file, offset: scan.offset, reason: scan.reason })
        if (scan.damaged !== undefined && (!isLast || scan.damaged.intactRecordFollows)) {
          return yield* new CorruptionError({ file, offset: scan.damaged.offset, reason: scan.damaged.reason })
        }
        if (scan.damaged !== undefined) tornAt = scan.intactBytes
        segments.push({ firstIndex, file, offsets: scan.layout.offsets, terms: scan.layout.terms, size: scan.intactBytes })
        for (const entry of scan.entries) entries.push(entry)
      }

      const alignment = align(segments, mark)
      if (alignment.kind === "gap") {
        return yield* new CorruptionError({
          file: segments[0].file,
          offset: 0,
          reason:
            mark.index === 0
              ? `the log starts at index ${segments[0].firstIndex} but must start at index 1 (there is no snapshot)`
              : `the log starts at index ${segments[0].firstIndex} but the snapshot ends at index ${mark.index}`
        })
      }

      const last = segments[segments.length - 1]
      const tail = last === undefined ? undefined : yield* disk.open(last.file, "existing")
      const wal = new Wal(disk, directory, options, segments, tail, last === undefined ? mark.index + 1 : lastIndexOf(last) + 1)
      if (tail !== undefined && tornAt !== undefined) {
        // A torn record's write was cut short by the crash: its fsync never returned, no caller was told
        // it was durable, and dropping it loses nothing that was promised.
        yield* tail.truncate(tornAt)
        yield* tail.sync()
      }
      yield* wal.dropSuperseded(alignment, mark)
      return { wal, entries: entries.filter((entry) => entry.index > mark.index && entry.index < wal.next) }
    })
  }

  /** The term of the entry at `index`, if the WAL holds it. */
  termAt(index: number): number | undefined {
    return termIn(this.segments, index)
  }

  /**
   * Appends entries (the caller has checked they start at `nextIndex` and are consecutive) and makes
   * them durable. A segment that fills up is synced before the next one is created, so a crash can only
   * ever tear the last segment; the directory is synced once the new segment's data is.
   */
  append(entries: ReadonlyArray<LogEntry>): Effect.Effect<void, StorageError> {
    return Effect.gen({ self: this }, function* () {
      let pending: Array<Uint8Array> = []
      let pendingBytes = 0
      let createdSegment = false
      const flush = Effect.gen({ self: this }, function* () {
        if (pending.length === 0) return
        const segment = this.segments[this.segments.length - 1]
        yield* this.tail!.write(concat(pending, pendingBytes), segment.size)
        yield* this.tail!.sync()
        segment.size += pendingBytes
        pending = []
        pendingBytes = 0
      })
      for (const entry of entries) {
        const record = encodeEntryRecord(entry)
        const segment = this.segments[this.segments.length - 1]
        const used = segment === undefined ? 0 : segment.size + pendingBytes
        if (this.tail === undefined || (used > 0 && used + record.length > this.options.segmentBytes)) {
          yield* flush
          yield* this.startSegment(entry.index)
          createdSegment = true
        }
        const tail = this.segments[this.segments.length - 1]
        tail.offsets.push(tail.size + pendingBytes)
        tail.terms.push(entry.term)
        pending.push(record)
        pendingBytes += record.length
      }
      yield* flush
      if (createdSegment) yield* this.disk.syncDirectory(this.directory)
      this.next = entries[entries.length - 1].index + 1
    })
  }

  /**
   * Deletes the entries from `index` on. Whole segments go newest first, each removal synced before the
   * next step, so that a crash part-way leaves a shorter prefix of the log and never a log with a hole;
   * then the segment holding `index` is cut and synced.
   */
  truncateFrom(index: number): Effect.Effect<void, StorageError> {
    return Effect.gen({ self: this }, function* () {
      if (index >= this.next) return
      while (this.segments.length > 0 && this.segments[this.segments.length - 1].firstIndex >= index) {
        yield* this.removeNewestSegment()
      }
      const segment = this.segments[this.segments.length - 1]
      if (segment !== undefined && lastIndexOf(segment) >= index) {
        const cut = segment.offsets[index - segment.firstIndex]
        yield* this.tail!.truncate(cut)
        yield* this.tail!.sync()
        segment.offsets.length = index - segment.firstIndex
        segment.terms.length = index - segment.firstIndex
        segment.size = cut
      }
      this.next = index
    })
  }

  /**
   * Called once a snapshot is durable: drops the segments it covers, or the whole log when the log does
   * not continue the snapshot (it ends before it, or holds another term at its last index).
   */
  compact(mark: SnapshotMark): Effect.Effect<void, StorageError> {
    return this.dropSuperseded(align(this.segments, mark), mark)
  }

  close(): Effect.Effect<void, StorageError> {
    return Effect.suspend(() => {
      const tail = this.tail
      this.tail = undefined
      return tail === undefined ? Effect.void : tail.close()
    })
  }

  private dropSuperseded(alignment: Alignment, mark: SnapshotMark): Effect.Effect<void, StorageError> {
    return Effect.gen({ self: this }, function* () {
      if (alignment.kind === "superseded") {
        // Newest first: a crash part-way leaves a prefix, which recovery again finds superseded.
        while (this.segments.length > 0) yield* this.removeNewestSegment()
        this.next = mark.index + 1
      } else if (alignment.kind === "continues") {
        // Oldest first: a crash part-way leaves a log that still reaches back to the snapshot.
        for (const segment of alignment.covered) yield* this.removeOldestSegment(segment)
        if (this.segments.length === 0) this.next = Math.max(this.next, mark.index + 1)
      }
    })
  }

  private startSegment(firstIndex: number): Effect.Effect<void, StorageError> {
    return Effect.gen({ self: this }, function* () {
      yield* this.close()
      const file = path.join(this.directory, segmentName(firstIndex))
      this.tail = yield* this.disk.open(file, "create")
      this.segments.push({ firstIndex, file, offsets: [], terms: [], size: 0 })
    })
  }

  private removeNewestSegment(): Effect.Effect<void, StorageError> {
    return Effect.gen({ self: this }, function* () {
      const segment = this.segments.pop()!
      yield* this.close()
      yield* this.disk.remove(segment.file)
      yield* this.disk.syncDirectory(this.directory)
      const newTail = this.segments[this.segments.length - 1]
      if (newTail !== undefined) this.tail = yield* this.disk.open(newTail.file, "existing")
    })
  }

  private removeOldestSegment(segment: Segment): Effect.Effect<void, StorageError> {
    return Effect.gen({ self: this }, function* () {
      if (segment === this.segments[this.segments.length - 1]) yield* this.close()
      this.segments.splice(this.segments.indexOf(segment), 1)
      yield* this.disk.remove(segment.file)
      yield* this.disk.syncDirectory(this.directory)
    })
  }
}

const concat = (parts: ReadonlyArray<Uint8Array>, totalBytes: number): Uint8Array => {
  if (parts.length === 1) return parts[0]
  const joined = new Uint8Array(totalBytes)
  let at = 0
  for (const part of parts) {
    joined.set(part, at)
    at += part.length
  }
  return joined
}

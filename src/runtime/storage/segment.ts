/**
 * One WAL segment file: its name, and reading its bytes back into entries.
 *
 * A segment is named after the index of its first entry, zero-padded to 20 digits so that names sort
 * like indexes (`00000000000000000001.seg`), and holds entry records with consecutive indexes.
 */
import type { LogEntry } from "./persistent-state.ts"
import { decodeEntry, HEADER_BYTES, peekEntryIndex, readRecord } from "./record.ts"

const NAME_PATTERN = /^(\d{20})\.seg$/

export const segmentName = (firstIndex: number): string => `${String(firstIndex).padStart(20, "0")}.seg`

/** The first index a segment's name announces, or undefined for a name that is not a segment's. */
export const parseSegmentName = (name: string): number | undefined => {
  const match = NAME_PATTERN.exec(name)
  if (match === null) return undefined
  const firstIndex = Number(match[1])
  return Number.isSafeInteger(firstIndex) && firstIndex >= 1 ? firstIndex : undefined
}

/** Where each entry of a segment sits, so that the log can be cut before any of them. */
export interface SegmentLayout {
  /** Byte offset of the record of entry `firstIndex + i`. */
  readonly offsets: Array<number>
  /** Term of entry `firstIndex + i`. */
  readonly terms: Array<number>
}

/** A record that failed its checks; whether it is a torn tail or corruption depends on where it is. */
export interface DamagedRecord {
  readonly offset: number
  readonly reason: string
  /** Some intact record with a later index starts after it: the damage is not at the end of the log. */
  readonly intactRecordFollows: boolean
}

export type SegmentScan =
  | {
      readonly ok: true
      readonly entries: Array<LogEntry>
      readonly layout: SegmentLayout
      /** Bytes up to the end of the last intact record. */
      readonly intactBytes: number
      readonly damaged: DamagedRecord | undefined
    }
  /** Checksum-valid records that break the log's rules: always corruption. */
  | { readonly ok: false; readonly offset: number; readonly reason: string }

/**
 * Reads a segment's records in order, stopping at the first damaged one. Records are numbered from 1
 * in messages, so `(record 17)` is the 17th record of that file.
 */
export const scanSegment = (bytes: Uint8Array, firstIndex: number): SegmentScan => {
  const entries: Array<LogEntry> = []
  const layout: SegmentLayout = { offsets: [], terms: [] }
  let offset = 0
  while (offset < bytes.length) {
    const recordNumber = entries.length + 1
    const expected = firstIndex + entries.length
    const read = readRecord(bytes, offset)
    if (!read.intact) {
      const damaged = {
        offset,
        reason: `${read.reason} (record ${recordNumber})`,
        intactRecordFollows: intactRecordAfter(bytes, offset, expected)
      }
      return { ok: true, entries, layout, intactBytes: offset, damaged }
    }
    const decoded = decodeEntry(bytes, read.payloadStart, read.end)
    if (!decoded.ok) return { ok: false, offset, reason: `${decoded.reason} (record ${recordNumber})` }
    if (decoded.value.index !== expected) {
      return {
        ok: false,
        offset,
        reason: `record ${recordNumber} holds index ${decoded.value.index} where index ${expected} belongs`
      }
    }
    entries.push(decoded.value)
    layout.offsets.push(offset)
    layout.terms.push(decoded.value.term)
    offset = read.end
  }
  return { ok: true, entries, layout, intactBytes: offset, damaged: undefined }
}

/**
 * Looks past a damaged record for an intact entry record with index `expected` or later. A torn write
 * is the last thing in its file, so finding one means the damage sits in the middle — a flipped length
 * bit, say — and cutting the file there would throw away entries that were acknowledged as durable.
 * Cheap tests (kind byte, plausible index) come before the checksum, so the scan is linear in practice.
 */
const intactRecordAfter = (bytes: Uint8Array, damagedAt: number, expected: number): boolean => {
  for (let at = damagedAt + 1; at + HEADER_BYTES < bytes.length; at++) {
    const index = peekEntryIndex(bytes, at + HEADER_BYTES)
    if (index === undefined || index < expected || index > expected + (bytes.length - damagedAt)) continue
    const read = readRecord(bytes, at)
    if (read.intact && decodeEntry(bytes, read.payloadStart, read.end).ok) return true
  }
  return false
}

/**
 * The record: the unit every storage file is made of.
 *
 *   [u32 length][u32 crc32c(payload)][payload: length bytes]      (little-endian)
 *
 * and the payload starts with a kind byte saying what it holds. The byte layouts are in docs/storage.md.
 * Reading a record never throws: it says whether the bytes at an offset are an intact record or how
 * they are damaged, and leaves the verdict (torn tail or corruption) to the file's reader.
 */
import { crc32c } from "./crc32c.ts"
import type { HardState, LogEntry, Snapshot } from "./persistent-state.ts"

export const HEADER_BYTES = 8

export const RecordKind = { entry: 1, hardState: 2, snapshot: 3 } as const

/** kind + index + term, for entries (index, term) and snapshots (lastIncludedIndex, lastIncludedTerm) */
const INDEX_TERM_FIXED_BYTES = 1 + 8 + 8
/** kind + term + has-vote flag */
const HARD_STATE_FIXED_BYTES = 1 + 8 + 1

const TWO_TO_32 = 2 ** 32

export type RecordRead =
  | { readonly intact: true; readonly payloadStart: number; readonly end: number }
  | { readonly intact: false; readonly reason: string }

/** Reads the record framed at `offset` of `bytes` and checks its length and checksum. */
export const readRecord = (bytes: Uint8Array, offset: number): RecordRead => {
  const available = bytes.length - offset
  if (available < HEADER_BYTES) {
    return { intact: false, reason: `incomplete record header (${available} of ${HEADER_BYTES} bytes)` }
  }
  const view = viewOf(bytes)
  const length = view.getUint32(offset, true)
  if (length === 0) return { intact: false, reason: "record length is zero" }
  const payloadStart = offset + HEADER_BYTES
  const end = payloadStart + length
  if (end > bytes.length) {
    return {
      intact: false,
      reason: `record length ${length} runs past the end of the file (${bytes.length - payloadStart} bytes left)`
    }
  }
  if (crc32c(bytes, payloadStart, end) !== view.getUint32(offset + 4, true)) {
    return { intact: false, reason: "checksum mismatch" }
  }
  return { intact: true, payloadStart, end }
}

export const encodeEntryRecord = (entry: LogEntry): Uint8Array =>
  encodeIndexTermData(RecordKind.entry, entry.index, entry.term, entry.data)

export const encodeHardStateRecord = (hardState: HardState): Uint8Array => {
  const vote = hardState.votedFor === null ? new Uint8Array(0) : new TextEncoder().encode(hardState.votedFor)
  const { bytes, view, start } = allocateRecord(HARD_STATE_FIXED_BYTES + vote.length)
  view.setUint8(start, RecordKind.hardState)
  setUint64(view, start + 1, hardState.currentTerm)
  view.setUint8(start + 9, hardState.votedFor === null ? 0 : 1)
  bytes.set(vote, start + HARD_STATE_FIXED_BYTES)
  return sealRecord(bytes, view)
}

export const encodeSnapshotRecord = (snapshot: Snapshot): Uint8Array =>
  encodeIndexTermData(RecordKind.snapshot, snapshot.lastIncludedIndex, snapshot.lastIncludedTerm, snapshot.data)

/** A decoded payload, or why the (checksum-valid) payload makes no sense. */
export type Decoded<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly reason: string }

export const decodeEntry = (bytes: Uint8Array, start: number, end: number): Decoded<LogEntry> =>
  decodeIndexTermData(bytes, start, end, RecordKind.entry)

export const decodeHardState = (bytes: Uint8Array, start: number, end: number): Decoded<HardState> =>
  decodeFixed(bytes, start, end, RecordKind.hardState, HARD_STATE_FIXED_BYTES, (view) => {
    const currentTerm = getUint64(view, start + 1)
    const hasVote = view.getUint8(start + 9)
    if (currentTerm === undefined || hasVote > 1) return undefined
    if (hasVote === 0) return end === start + HARD_STATE_FIXED_BYTES ? { currentTerm, votedFor: null } : undefined
    const votedFor = new TextDecoder().decode(bytes.subarray(start + HARD_STATE_FIXED_BYTES, end))
    return { currentTerm, votedFor }
  })

export const decodeSnapshot = (bytes: Uint8Array, start: number, end: number): Decoded<Snapshot> => {
  const decoded = decodeIndexTermData(bytes, start, end, RecordKind.snapshot)
  if (!decoded.ok) return decoded
  const { index, term, data } = decoded.value
  return { ok: true, value: { lastIncludedIndex: index, lastIncludedTerm: term, data } }
}

/** The index and term an entry record claims, read without copying its data (for resynchronising). */
export const peekEntryIndex = (bytes: Uint8Array, payloadStart: number): number | undefined =>
  bytes.length >= payloadStart + INDEX_TERM_FIXED_BYTES && bytes[payloadStart] === RecordKind.entry
    ? getUint64(viewOf(bytes), payloadStart + 1)
    : undefined

const KIND_NAMES: Record<number, string> = { 1: "log entry", 2: "hard state", 3: "snapshot" }

const decodeFixed = <A>(
  bytes: Uint8Array,
  start: number,
  end: number,
  kind: number,
  fixedBytes: number,
  read: (view: DataView) => A | undefined
): Decoded<A> => {
  const found = bytes[start]
  if (found !== kind) {
    const name = KIND_NAMES[found] ?? `unknown kind ${found}`
    return { ok: false, reason: `expected a ${KIND_NAMES[kind]} record, found ${name}` }
  }
  if (end - start < fixedBytes) return { ok: false, reason: `${KIND_NAMES[kind]} record too short (${end - start} bytes)` }
  const value = read(viewOf(bytes))
  return value === undefined ? { ok: false, reason: `malformed ${KIND_NAMES[kind]} record` } : { ok: true, value }
}

/** Entries and snapshots share one layout: kind, an index, a term, then opaque bytes. */
const encodeIndexTermData = (kind: number, index: number, term: number, data: Uint8Array): Uint8Array => {
  const { bytes, view, start } = allocateRecord(INDEX_TERM_FIXED_BYTES + data.length)
  view.setUint8(start, kind)
  setUint64(view, start + 1, index)
  setUint64(view, start + 9, term)
  bytes.set(data, start + INDEX_TERM_FIXED_BYTES)
  return sealRecord(bytes, view)
}

const decodeIndexTermData = (bytes: Uint8Array, start: number, end: number, kind: number): Decoded<LogEntry> =>
  decodeFixed(bytes, start, end, kind, INDEX_TERM_FIXED_BYTES, (view) => {
    const index = getUint64(view, start + 1)
    const term = getUint64(view, start + 9)
    return index === undefined || term === undefined ? undefined : { index, term, data: bytes.slice(start + INDEX_TERM_FIXED_BYTES, end) }
  })

const allocateRecord = (payloadBytes: number) => {
  const bytes = new Uint8Array(HEADER_BYTES + payloadBytes)
  return { bytes, view: viewOf(bytes), start: HEADER_BYTES }
}

const sealRecord = (bytes: Uint8Array, view: DataView): Uint8Array => {
  view.setUint32(0, bytes.length - HEADER_BYTES, true)
  view.setUint32(4, crc32c(bytes, HEADER_BYTES), true)
  return bytes
}

const viewOf = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)

/** Indexes and terms are non-negative safe integers, stored as u64 so the format outlives JS numbers. */
const setUint64 = (view: DataView, offset: number, value: number): void => {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a non-negative safe integer: ${value}`)
  view.setUint32(offset, value % TWO_TO_32, true)
  view.setUint32(offset + 4, Math.floor(value / TWO_TO_32), true)
}

const getUint64 = (view: DataView, offset: number): number | undefined => {
  const value = view.getUint32(offset + 4, true) * TWO_TO_32 + view.getUint32(offset, true)
  return Number.isSafeInteger(value) ? value : undefined
}

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  decodeEntry,
  decodeHardState,
  decodeSnapshot,
  encodeEntryRecord,
  encodeHardStateRecord,
  encodeSnapshotRecord,
  HEADER_BYTES,
  readRecord
} from "../../../src/runtime/storage/record.ts"
import { parseSegmentName, segmentName } from "../../../src/runtime/storage/segment.ts"
import { propertySettings } from "./fixtures.ts"

const readBack = <A>(record: Uint8Array, decode: (b: Uint8Array, s: number, e: number) => { ok: boolean; value?: A }) => {
  const read = readRecord(record, 0)
  if (!read.intact) throw new Error(read.reason)
  expect(read.end).toBe(record.length)
  return decode(record, read.payloadStart, read.end)
}

const safeIndex = fc.maxSafeNat()

describe("records", () => {
  it("round-trips entries, hard states and snapshots, including the largest safe integers", () => {
    fc.assert(
      fc.property(safeIndex, safeIndex, fc.uint8Array({ maxLength: 64 }), fc.option(fc.string(), { nil: null }), (index, term, data, vote) => {
        expect(readBack(encodeEntryRecord({ index, term, data }), decodeEntry)).toEqual({ ok: true, value: { index, term, data } })
        expect(readBack(encodeHardStateRecord({ currentTerm: term, votedFor: vote }), decodeHardState)).toEqual({
          ok: true,
          value: { currentTerm: term, votedFor: vote }
        })
        const snapshot = { lastIncludedIndex: index, lastIncludedTerm: term, data }
        expect(readBack(encodeSnapshotRecord(snapshot), decodeSnapshot)).toEqual({ ok: true, value: snapshot })
      }),
      propertySettings("record round trip", 200)
    )
  })

  it("lays out an entry record as [length][crc32c][kind][index][term][data], little-endian", () => {
    const record = encodeEntryRecord({ index: 0x0102, term: 2 ** 32 + 3, data: new Uint8Array([0xaa]) })
    const view = new DataView(record.buffer)
    expect(view.getUint32(0, true)).toBe(18)
    expect(record[HEADER_BYTES]).toBe(1)
    expect([...record.subarray(9, 17)]).toEqual([0x02, 0x01, 0, 0, 0, 0, 0, 0])
    expect([...record.subarray(17, 25)]).toEqual([3, 0, 0, 0, 1, 0, 0, 0])
    expect(record[25]).toBe(0xaa)
  })

  it("reports each way a record can be damaged", () => {
    const record = encodeEntryRecord({ index: 1, term: 1, data: new Uint8Array([1, 2, 3]) })
    expect(readRecord(record.subarray(0, 5), 0)).toEqual({ intact: false, reason: "incomplete record header (5 of 8 bytes)" })
    expect(readRecord(record.subarray(0, record.length - 1), 0)).toMatchObject({ intact: false, reason: expect.stringContaining("runs past the end") })
    expect(readRecord(new Uint8Array(12), 0)).toEqual({ intact: false, reason: "record length is zero" })
    const flipped = record.slice()
    flipped[record.length - 1] ^= 1
    expect(readRecord(flipped, 0)).toEqual({ intact: false, reason: "checksum mismatch" })
  })

  it("rejects a checksum-valid payload of the wrong kind", () => {
    const hardState = encodeHardStateRecord({ currentTerm: 1, votedFor: null })
    expect(readBack(hardState, decodeEntry)).toEqual({ ok: false, reason: "expected a log entry record, found hard state" })
  })

  it("names segments by their first index so that names sort like indexes", () => {
    expect(segmentName(1)).toBe("00000000000000000001.seg")
    expect(parseSegmentName(segmentName(9007199254740991))).toBe(9007199254740991)
    for (const bad of ["1.seg", "00000000000000000000.seg", "0000000000000000000a.seg", "00000000000000000001.seg.tmp"]) {
      expect(parseSegmentName(bad), bad).toBeUndefined()
    }
  })
})

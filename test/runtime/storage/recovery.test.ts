/**
 * Recovery on a simulated disk: torn tails are cut, every other kind of damage stops the node with an
 * error naming the file and byte offset.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { makeDurableStorage } from "../../../src/runtime/storage/durable-storage.ts"
import { encodeEntryRecord } from "../../../src/runtime/storage/record.ts"
import { SimulatedDisk } from "../../../src/runtime/storage/simulated-disk.ts"
import { CorruptionError } from "../../../src/runtime/storage/storage-error.ts"
import { describeEntries, entries, entry, failureOf, run } from "./fixtures.ts"

const DATA = "/data"
const segment = (firstIndex: number) => `${DATA}/wal/${String(firstIndex).padStart(20, "0")}.seg`
const recordBytes = (index: number) => encodeEntryRecord(entry(index)).length

const open = (disk: SimulatedDisk, segmentBytes = 1 << 20) => makeDurableStorage(disk, DATA, { segmentBytes })

/** A disk holding entries 1..count, each appended (and so written) on its own. */
const diskWithLog = async (count: number, segmentBytes?: number): Promise<SimulatedDisk> => {
  const disk = new SimulatedDisk()
  const storage = open(disk, segmentBytes)
  await run(storage.recover())
  for (let index = 1; index <= count; index++) await run(storage.append([entry(index)]))
  await run(storage.close())
  return disk
}

const recoverAfterCrash = (disk: SimulatedDisk, segmentBytes?: number) => {
  disk.crash()
  return open(disk, segmentBytes).recover()
}

const corruptionOf = async (disk: SimulatedDisk, segmentBytes?: number): Promise<CorruptionError> => {
  const error = await failureOf(recoverAfterCrash(disk, segmentBytes))
  expect(error).toBeInstanceOf(CorruptionError)
  return error as CorruptionError
}

describe("recovery: torn tail", () => {
  // 1 MiB segments keep everything in one file; 100-byte segments give each record a file of its own,
  // so the torn record is alone in the last segment.
  for (const segmentBytes of [1 << 20, 100]) {
    it(`cuts a torn last record at every byte offset back to the record before (segments of ${segmentBytes} bytes)`, async () => {
      const length = recordBytes(5)
      for (let keep = 0; keep < length; keep++) {
        const disk = await diskWithLog(4, segmentBytes)
        const storage = open(disk, segmentBytes)
        await run(storage.recover())
        await run(storage.append([entry(5)]))
        disk.tearLastWrite(keep)
        const recovered = await run(recoverAfterCrash(disk, segmentBytes))
        expect(describeEntries(recovered.entries), `torn after ${keep} bytes`).toEqual(describeEntries(entries(1, 4)))
        // The torn bytes are gone from the file, and the log accepts index 5 again.
        const lastFile = disk.filesIn(`${DATA}/wal`).at(-1)!
        const expectedSize = segmentBytes === 100 ? 0 : 4 * length
        expect(disk.contentOf(`${DATA}/wal/${lastFile}`)!.length).toBe(expectedSize)
        const reopened = open(disk, segmentBytes)
        await run(reopened.recover())
        await run(reopened.append([entry(5, 2)]))
        const again = await run(recoverAfterCrash(disk, segmentBytes))
        expect(describeEntries(again.entries)).toEqual(describeEntries([...entries(1, 4), entry(5, 2)]))
      }
    })
  }

  it("keeps the whole records of a torn batch and cuts the partial one", async () => {
    const batch = entries(5, 7)
    const lengths = batch.map((e) => encodeEntryRecord(e).length)
    const total = lengths.reduce((a, b) => a + b, 0)
    for (let keep = 0; keep < total; keep++) {
      const disk = await diskWithLog(4)
      const storage = open(disk)
      await run(storage.recover())
      await run(storage.append(batch))
      disk.tearLastWrite(keep)
      const recovered = await run(recoverAfterCrash(disk))
      // The records of the batch that fit whole in the kept bytes survive.
      let whole = 0
      while (whole < lengths.length && lengths.slice(0, whole + 1).reduce((a, b) => a + b) <= keep) whole++
      expect(recovered.entries.length, `torn after ${keep} bytes`).toBe(4 + whole)
    }
  })

  it("treats a zero-filled tail (size grew, data never landed) as torn", async () => {
    const disk = await diskWithLog(3)
    const file = segment(1)
    const storage = open(disk)
    await run(storage.recover())
    await run(storage.close())
    await run(
      Effect.gen(function* () {
        const handle = yield* disk.open(file, "existing")
        yield* handle.write(new Uint8Array(40), disk.contentOf(file)!.length)
        yield* handle.sync()
      })
    )
    const recovered = await run(recoverAfterCrash(disk))
    expect(recovered.entries.map((e) => e.index)).toEqual([1, 2, 3])
  })

  it("cuts a damaged last record even when it was acknowledged (the documented limit of tail repair)", async () => {
    const disk = await diskWithLog(4)
    disk.flipBit(segment(1), 3 * recordBytes(1) + 20)
    const recovered = await run(recoverAfterCrash(disk))
    expect(recovered.entries.map((e) => e.index)).toEqual([1, 2, 3])
  })
})

describe("recovery: corruption is refused with file and offset", () => {
  it("names the exact file, offset and record for a flipped bit in the middle", async () => {
    const disk = await diskWithLog(5)
    disk.flipBit(segment(1), 2 * recordBytes(1) + 12)
    const error = await corruptionOf(disk)
    expect(error.message).toBe(`${segment(1)}: offset ${2 * recordBytes(1)}: checksum mismatch (record 3)`)
  })

  it("refuses every single-bit flip anywhere in a record that is not the last one", async () => {
    const length = recordBytes(1)
    for (const damaged of [1, 3, 4]) {
      for (let bit = 0; bit < length * 8; bit++) {
        const disk = await diskWithLog(5)
        const offset = (damaged - 1) * length
        disk.flipBit(segment(1), offset + (bit >> 3), bit & 7)
        const error = await corruptionOf(disk)
        expect({ file: error.file, offset: error.offset }, `record ${damaged}, bit ${bit}`).toEqual({ file: segment(1), offset })
        expect(error.reason).toContain(`(record ${damaged})`)
      }
    }
  })

  it("refuses damage to the last record of a segment that is not the last segment", async () => {
    // 100-byte segments hold two records each: 1-2, 3-4, 5.
    const disk = await diskWithLog(5, 100)
    expect(disk.filesIn(`${DATA}/wal`)).toHaveLength(3)
    disk.flipBit(segment(3), recordBytes(3) + 30)
    const error = await corruptionOf(disk, 100)
    expect(error.message).toBe(`${segment(3)}: offset ${recordBytes(3)}: checksum mismatch (record 2)`)
  })

  it("refuses a file in the WAL directory that is not a segment", async () => {
    const disk = await diskWithLog(2)
    await run(disk.open(`${DATA}/wal/notes.txt`, "create"))
    await run(disk.syncDirectory(`${DATA}/wal`))
    const error = await corruptionOf(disk)
    expect(error.file).toBe(`${DATA}/wal/notes.txt`)
    expect(error.message).toContain("not a WAL segment name")
  })

  it("refuses a missing segment (a gap between segments)", async () => {
    const disk = await diskWithLog(6, 100)
    await run(disk.remove(segment(3)))
    await run(disk.syncDirectory(`${DATA}/wal`))
    const error = await corruptionOf(disk, 100)
    expect(error.message).toBe(`${segment(5)}: offset 0: segment starts at index 5 but the previous one ends at index 2`)
  })

  it("refuses a log that does not start at index 1 when there is no snapshot", async () => {
    const disk = await diskWithLog(6, 100)
    await run(disk.remove(segment(1)))
    await run(disk.syncDirectory(`${DATA}/wal`))
    const error = await corruptionOf(disk, 100)
    expect(error.message).toBe(`${segment(3)}: offset 0: the log starts at index 3 but must start at index 1 (there is no snapshot)`)
  })

  it("refuses a checksum-valid record whose index is out of sequence", async () => {
    const disk = await diskWithLog(2, 100)
    await run(disk.rename(segment(1), segment(2)))
    await run(disk.syncDirectory(`${DATA}/wal`))
    const error = await corruptionOf(disk, 100)
    expect(error.message).toBe(`${segment(2)}: offset 0: record 1 holds index 1 where index 2 belongs`)
  })

  it("refuses an empty segment that is not the last one", async () => {
    const disk = await diskWithLog(2)
    await run(disk.rename(segment(1), segment(2)))
    await run(disk.open(segment(1), "create"))
    await run(disk.syncDirectory(`${DATA}/wal`))
    const error = await corruptionOf(disk)
    expect(error.message).toBe(`${segment(1)}: offset 0: empty segment before the last one`)
  })

  it("refuses a damaged hard-state file instead of guessing the vote", async () => {
    const disk = new SimulatedDisk()
    const storage = open(disk)
    await run(storage.recover())
    await run(storage.saveHardState({ currentTerm: 7, votedFor: "n2" }))
    disk.flipBit(`${DATA}/hard-state`, 12)
    const error = await corruptionOf(disk)
    expect(error.message).toBe(`${DATA}/hard-state: offset 0: checksum mismatch`)
  })

  it("refuses a hard-state file with bytes after its record, and a short one", async () => {
    const disk = new SimulatedDisk()
    const storage = open(disk)
    await run(storage.recover())
    await run(storage.saveHardState({ currentTerm: 7, votedFor: null }))
    const file = `${DATA}/hard-state`
    const size = disk.contentOf(file)!.length
    const handle = await run(disk.open(file, "existing"))
    await run(handle.write(new Uint8Array([1, 2, 3]), size).pipe(Effect.andThen(handle.sync())))
    expect((await corruptionOf(disk)).message).toBe(`${file}: offset ${size}: 3 unexpected bytes after the record`)
    const again = await run(disk.open(file, "existing"))
    await run(again.truncate(size - 1).pipe(Effect.andThen(again.sync())))
    expect((await corruptionOf(disk)).message).toMatch(new RegExp(`^${file}: offset 0: record length \\d+ runs past the end`))
  })

  it("refuses a damaged snapshot file", async () => {
    const disk = await diskWithLog(3)
    const storage = open(disk)
    await run(storage.recover())
    await run(storage.saveSnapshot({ lastIncludedIndex: 2, lastIncludedTerm: 1, data: new Uint8Array([9, 9, 9]) }))
    disk.flipBit(`${DATA}/snapshot`, 26)
    expect((await corruptionOf(disk)).message).toBe(`${DATA}/snapshot: offset 0: checksum mismatch`)
  })
})

describe("recovery: size", () => {
  it("appends and recovers a quarter of a million entries in one call and one segment", async () => {
    const disk = new SimulatedDisk()
    const segmentBytes = 64 << 20
    const storage = open(disk, segmentBytes)
    await run(storage.recover())
    const count = 250_000
    await run(storage.append(Array.from({ length: count }, (_, i) => ({ index: i + 1, term: 1, data: new Uint8Array(4) }))))
    expect(disk.filesIn(`${DATA}/wal`)).toHaveLength(1)
    const recovered = await run(recoverAfterCrash(disk, segmentBytes))
    expect(recovered.entries.length).toBe(count)
    expect(recovered.entries[count - 1].index).toBe(count)
  })
})

describe("recovery: leftovers of interrupted replacements", () => {
  it("ignores and removes temporary files that were never renamed into place", async () => {
    const disk = new SimulatedDisk()
    const storage = open(disk)
    await run(storage.recover())
    await run(storage.saveHardState({ currentTerm: 3, votedFor: "n1" }))
    for (const name of ["hard-state.tmp", "snapshot.tmp"]) {
      const handle = await run(disk.open(`${DATA}/${name}`, "create"))
      await run(handle.write(new Uint8Array([0xde, 0xad]), 0).pipe(Effect.andThen(handle.sync())))
    }
    await run(disk.syncDirectory(DATA))
    const recovered = await run(recoverAfterCrash(disk))
    expect(recovered.hardState).toEqual({ currentTerm: 3, votedFor: "n1" })
    expect(recovered.snapshot).toBeNull()
    expect(disk.filesIn(DATA)).toEqual(["hard-state"])
  })
})

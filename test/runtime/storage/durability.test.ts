/**
 * What is durable when: hard state and snapshots are old or new after a crash at any point of their
 * replacement; unsynced appends vanish in a crash while synced ones stay; a snapshot deletes exactly
 * the segments it makes useless.
 */
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeDurableStorage } from "../../../src/runtime/storage/durable-storage.ts"
import type { HardState, Snapshot } from "../../../src/runtime/storage/persistent-state.ts"
import { SimulatedDisk } from "../../../src/runtime/storage/simulated-disk.ts"
import { StorageError } from "../../../src/runtime/storage/storage-error.ts"
import { describeEntries, entries, entry, failureOf, propertySettings, run } from "./fixtures.ts"

const DATA = "/data"
const open = (disk: SimulatedDisk, segmentBytes = 1 << 20) => makeDurableStorage(disk, DATA, { segmentBytes })
const restart = (disk: SimulatedDisk, segmentBytes?: number) => {
  disk.crash()
  return run(open(disk, segmentBytes).recover())
}

/** Runs `change` on a fresh copy of the setup with the power failing after `after` disk operations. */
const crashDuring = async (
  setup: (storage: ReturnType<typeof open>) => Effect.Effect<void, unknown>,
  change: (storage: ReturnType<typeof open>) => Effect.Effect<void, unknown>,
  after: number | undefined
) => {
  const disk = new SimulatedDisk()
  const storage = open(disk)
  await run(storage.recover())
  await run(setup(storage))
  const before = disk.mutations
  if (after !== undefined) disk.powerFailAfter(after)
  const exit = await run(Effect.exit(change(storage)))
  return { disk, exit, operations: disk.mutations - before }
}

const hardState = fc.record({ currentTerm: fc.nat({ max: 1000 }), votedFor: fc.option(fc.constantFrom("n1", "n2", "node-three"), { nil: null }) })

describe("atomic replacement", () => {
  it("leaves the hard state either old or new after a crash at any point of tmp/fsync/rename/fsync-dir", async () => {
    await fc.assert(
      fc.asyncProperty(hardState, hardState, async (old: HardState, next: HardState) => {
        const setup = (s: ReturnType<typeof open>) => s.saveHardState(old)
        const change = (s: ReturnType<typeof open>) => s.saveHardState(next)
        const { operations } = await crashDuring(setup, change, undefined)
        for (let after = 0; after <= operations; after++) {
          const { disk, exit } = await crashDuring(setup, change, after)
          const recovered = await restart(disk)
          if (exit._tag === "Success") expect(recovered.hardState, `acknowledged, crash after ${after}`).toEqual(next)
          else expect([old, next], `crash after ${after} of ${operations} operations`).toContainEqual(recovered.hardState)
        }
      }),
      propertySettings("hard state crash points", 40)
    )
  })

  it("leaves the snapshot either old or new after a crash at any point of its replacement", async () => {
    const snapshotAt = (index: number): Snapshot => ({ lastIncludedIndex: index, lastIncludedTerm: 1, data: new Uint8Array([index]) })
    const setup = (s: ReturnType<typeof open>) => s.append(entries(1, 6)).pipe(Effect.andThen(s.saveSnapshot(snapshotAt(2))))
    const change = (s: ReturnType<typeof open>) => s.saveSnapshot(snapshotAt(5))
    const { operations } = await crashDuring(setup, change, undefined)
    expect(operations).toBeGreaterThanOrEqual(5)
    const seen = new Set<number>()
    for (let after = 0; after <= operations; after++) {
      const { disk, exit } = await crashDuring(setup, change, after)
      const recovered = await restart(disk)
      const index = recovered.snapshot!.lastIncludedIndex
      seen.add(index)
      expect([2, 5]).toContain(index)
      if (exit._tag === "Success") expect(index).toBe(5)
      // Whatever the snapshot, the entries after it are all there.
      expect(recovered.entries.map((e) => e.index)).toEqual(index === 5 ? [6] : [3, 4, 5, 6])
    }
    expect([...seen].sort()).toEqual([2, 5])
  })
})

describe("appends and crashes", () => {
  it("loses an append whose fsync never happened, and keeps every synced one", async () => {
    const disk = new SimulatedDisk()
    const storage = open(disk)
    await run(storage.recover())
    for (let index = 1; index <= 3; index++) await run(storage.append([entry(index)]))
    const sizeBefore = disk.contentOf(`${DATA}/wal/00000000000000000001.seg`)!.length
    disk.powerFailAfter(1) // the write of entry 4 happens, its fsync does not
    const error = await failureOf(storage.append([entry(4)]))
    expect(error.message).toContain("simulated power failure")
    expect(disk.contentOf(`${DATA}/wal/00000000000000000001.seg`)!.length).toBeGreaterThan(sizeBefore)
    const recovered = await restart(disk)
    expect(describeEntries(recovered.entries)).toEqual(describeEntries(entries(1, 3)))
  })

  it("loses a new segment whose directory entry was never synced, keeping the full segment before it", async () => {
    const disk = new SimulatedDisk()
    const storage = open(disk, 100)
    await run(storage.recover())
    await run(storage.append(entries(1, 2)))
    // Entry 3 opens segment 3: create, write, fsync the file — and the power fails before the directory fsync.
    disk.powerFailAfter(3)
    await failureOf(storage.append([entry(3)]))
    const recovered = await restart(disk, 100)
    expect(recovered.entries.map((e) => e.index)).toEqual([1, 2])
    expect(disk.filesIn(`${DATA}/wal`)).toEqual(["00000000000000000001.seg"])
  })
})

describe("snapshots and compaction", () => {
  // 100-byte segments hold two of these records: entries 1..10 live in segments 1, 3, 5, 7, 9.
  const tenEntries = async () => {
    const disk = new SimulatedDisk()
    const storage = open(disk, 100)
    await run(storage.recover())
    await run(storage.append(entries(1, 10)))
    expect(disk.filesIn(`${DATA}/wal`).map(Number.parseFloat)).toEqual([1, 3, 5, 7, 9])
    return { disk, storage }
  }
  const segmentsOf = (disk: SimulatedDisk) => disk.filesIn(`${DATA}/wal`).map(Number.parseFloat)
  const snapshot = (index: number, term: number): Snapshot => ({ lastIncludedIndex: index, lastIncludedTerm: term, data: new Uint8Array([7]) })

  it("deletes the segments the snapshot covers and keeps the one holding its last entry", async () => {
    const { disk, storage } = await tenEntries()
    await run(storage.saveSnapshot(snapshot(5, 1)))
    expect(segmentsOf(disk)).toEqual([5, 7, 9])
    await run(storage.saveSnapshot(snapshot(6, 1)))
    expect(segmentsOf(disk)).toEqual([7, 9])
    const recovered = await restart(disk, 100)
    expect(recovered.snapshot?.lastIncludedIndex).toBe(6)
    expect(recovered.entries.map((e) => e.index)).toEqual([7, 8, 9, 10])
  })

  it("drops the whole log for a snapshot beyond it, and continues right after the snapshot", async () => {
    const { disk, storage } = await tenEntries()
    await run(storage.saveSnapshot(snapshot(20, 3)))
    expect(segmentsOf(disk)).toEqual([])
    const refused = await failureOf(storage.append([entry(11, 3)]))
    expect(refused.message).toContain("expected index 21")
    await run(storage.append([entry(21, 3)]))
    expect(segmentsOf(disk)).toEqual([21])
    const recovered = await restart(disk, 100)
    expect(recovered.entries.map((e) => e.index)).toEqual([21])
  })

  it("drops the whole log when it holds another term at the snapshot's last index", async () => {
    const { disk, storage } = await tenEntries()
    await run(storage.saveSnapshot(snapshot(8, 2)))
    expect(segmentsOf(disk)).toEqual([])
    const recovered = await restart(disk, 100)
    expect(recovered.snapshot?.lastIncludedTerm).toBe(2)
    expect(recovered.entries).toEqual([])
  })

  it("refuses to truncate inside the snapshot, an older snapshot, and a same-index snapshot of another term", async () => {
    const { storage } = await tenEntries()
    await run(storage.saveSnapshot(snapshot(6, 1)))
    for (const attempt of [storage.truncateFrom(6), storage.saveSnapshot(snapshot(4, 1)), storage.saveSnapshot(snapshot(6, 2))]) {
      const error = await failureOf(attempt)
      expect(error).toBeInstanceOf(StorageError)
    }
    // Refusals are not failures of the disk: the storage goes on working.
    await run(storage.truncateFrom(9))
    await run(storage.append([entry(9, 2)]))
  })
})

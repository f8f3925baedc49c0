/** Group commit: concurrent changes share fsyncs, keep their order, and fail independently. */
import { Effect, Exit, Fiber } from "effect"
import { describe, expect, it } from "vitest"
import { makeDurableStorage } from "../../../src/runtime/storage/durable-storage.ts"
import { SimulatedDisk } from "../../../src/runtime/storage/simulated-disk.ts"
import { appendConcurrently, describeEntries, entries, entry, failureOf, run } from "./fixtures.ts"

const DATA = "/data"

const opened = async () => {
  const disk = new SimulatedDisk()
  const storage = makeDurableStorage(disk, DATA)
  await run(storage.recover())
  return { disk, storage }
}

describe("group commit", () => {
  it("writes 64 concurrent appends with far fewer than 64 fsyncs, in order", async () => {
    const { disk, storage } = await opened()
    const cost = await appendConcurrently(storage, 64)
    // The first caller leads and yields once before taking its batch; by then all 64 have queued.
    // One WAL fsync, and the directory fsync for the new segment.
    expect(cost).toEqual({ records: 64, batches: 1, fsyncs: 2 })
    disk.crash()
    const recovered = await run(makeDurableStorage(disk, DATA).recover())
    expect(describeEntries(recovered.entries)).toEqual(describeEntries(entries(1, 64)))
  })

  it("keeps batching when appenders append in a loop", async () => {
    const { storage } = await opened()
    let next = 1
    const appender = Effect.gen(function* () {
      for (let i = 0; i < 10; i++) yield* Effect.suspend(() => storage.append([entry(next++)]))
    })
    await run(Effect.all(Array.from({ length: 8 }, () => appender), { concurrency: "unbounded" }))
    const stats = storage.stats()
    expect(stats.records).toBe(80)
    // Each batch holds one append of every appender: leadership passes on instead of staying with one.
    expect(stats.batches).toBe(10)
  })

  it("issues one fsync per append when appends come one at a time", async () => {
    const { storage } = await opened()
    await run(storage.append([entry(1)]))
    const before = storage.stats()
    for (let index = 2; index <= 9; index++) await run(storage.append([entry(index)]))
    expect(storage.stats().fsyncs - before.fsyncs).toBe(8)
  })

  it("keeps call order across kinds of change within one batch", async () => {
    const { disk, storage } = await opened()
    await run(storage.append(entries(1, 3)))
    await run(
      Effect.all(
        [
          storage.append([entry(4)]),
          storage.truncateFrom(3),
          storage.append([entry(3, 2, "rewritten")]),
          storage.saveHardState({ currentTerm: 2, votedFor: "n1" }),
          storage.append([entry(4, 2)])
        ],
        { concurrency: "unbounded" }
      )
    )
    disk.crash()
    const recovered = await run(makeDurableStorage(disk, DATA).recover())
    expect(recovered.hardState).toEqual({ currentTerm: 2, votedFor: "n1" })
    expect(describeEntries(recovered.entries)).toEqual(describeEntries([entry(1), entry(2), entry(3, 2, "rewritten"), entry(4, 2)]))
  })

  it("fails an append that does not continue the log alone, without failing its batch", async () => {
    const { storage } = await opened()
    await run(storage.append([entry(1)]))
    const exits = await run(
      Effect.all([storage.append([entry(2)]), storage.append([entry(5)]), storage.append([entry(3)])].map(Effect.exit), {
        concurrency: "unbounded"
      })
    )
    expect(exits.map(Exit.isSuccess)).toEqual([true, false, true])
    expect(String(exits[1])).toContain("entry index 5 does not continue the log (expected index 3)")
  })

  it("refuses every change after a failed fsync until the node restarts and recovers", async () => {
    const { disk, storage } = await opened()
    await run(storage.append([entry(1)]))
    disk.failNext("sync", ".seg")
    const failed = await failureOf(storage.append([entry(2)]))
    expect(failed.message).toContain("EIO: injected I/O error")
    const refused = await failureOf(storage.saveHardState({ currentTerm: 1, votedFor: null }))
    expect(refused.message).toContain("refused: an earlier write failed")
    disk.crash()
    const recovered = await run(makeDurableStorage(disk, DATA).recover())
    expect(recovered.entries.map((e) => e.index)).toEqual([1])
  })

  it("runs a queued change to the end even if its caller is interrupted, and does not stall the queue", async () => {
    const { disk, storage } = await opened()
    await run(
      Effect.gen(function* () {
        const leader = yield* Effect.forkChild(storage.append([entry(1)]))
        const follower = yield* Effect.forkChild(storage.append([entry(2)]))
        yield* Effect.yieldNow
        yield* Fiber.interrupt(follower)
        yield* Fiber.interrupt(leader)
        yield* storage.append([entry(3)])
      })
    )
    disk.crash()
    const recovered = await run(makeDurableStorage(disk, DATA).recover())
    expect(recovered.entries.map((e) => e.index)).toEqual([1, 2, 3])
  })

  it("refuses changes before recover() and after close()", async () => {
    const disk = new SimulatedDisk()
    const storage = makeDurableStorage(disk, DATA)
    expect((await failureOf(storage.append([entry(1)]))).message).toContain("call recover() first")
    await run(storage.recover())
    await run(storage.close())
    expect((await failureOf(storage.append([entry(1)]))).message).toContain("storage is closed")
    expect((await failureOf(storage.recover())).message).toContain("already closed")
  })
})

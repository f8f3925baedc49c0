/** DurableStorage on the real file system, in a temporary directory, and through its layers. */
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { DurableStorage, makeDurableStorage } from "../../../src/runtime/storage/durable-storage.ts"
import { nodeDisk } from "../../../src/runtime/storage/node-disk.ts"
import { SimulatedDisk } from "../../../src/runtime/storage/simulated-disk.ts"
import { CorruptionError } from "../../../src/runtime/storage/storage-error.ts"
import { appendConcurrently, describeEntries, entries, entry, failureOf, run } from "./fixtures.ts"

let root: string
let dataDir: string
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "raft-tla-storage-"))
  dataDir = path.join(root, "n1")
})
afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

const segmentFile = (firstIndex: number) => path.join(dataDir, "wal", `${String(firstIndex).padStart(20, "0")}.seg`)
const recordBytes = (index: number) => 8 + 17 + entry(index).data.length

describe("file storage", () => {
  it("creates a new data directory and gets everything back after a restart", async () => {
    const first = makeDurableStorage(nodeDisk, dataDir, { segmentBytes: 200 })
    expect(await run(first.recover())).toEqual({ hardState: { currentTerm: 0, votedFor: null }, snapshot: null, entries: [] })
    await run(first.saveHardState({ currentTerm: 4, votedFor: "n3" }))
    await run(first.append(entries(1, 12)))
    await run(first.truncateFrom(11))
    await run(first.saveSnapshot({ lastIncludedIndex: 6, lastIncludedTerm: 1, data: new Uint8Array([1, 2, 3]) }))
    await run(first.close())
    expect(fs.readdirSync(dataDir).sort()).toEqual(["hard-state", "snapshot", "wal"])
    expect(fs.readdirSync(path.join(dataDir, "wal")).length).toBeGreaterThan(0)

    const second = makeDurableStorage(nodeDisk, dataDir, { segmentBytes: 200 })
    const recovered = await run(second.recover())
    expect(recovered.hardState).toEqual({ currentTerm: 4, votedFor: "n3" })
    expect(recovered.snapshot).toEqual({ lastIncludedIndex: 6, lastIncludedTerm: 1, data: new Uint8Array([1, 2, 3]) })
    expect(describeEntries(recovered.entries)).toEqual(describeEntries(entries(7, 10)))
    await run(second.close())
  })

  it("cuts a torn tail off a real segment file", async () => {
    const storage = makeDurableStorage(nodeDisk, dataDir)
    await run(storage.recover())
    await run(storage.append(entries(1, 3)))
    await run(storage.close())
    fs.truncateSync(segmentFile(1), 3 * recordBytes(1) - 5)
    const recovered = await run(makeDurableStorage(nodeDisk, dataDir).recover())
    expect(recovered.entries.map((e) => e.index)).toEqual([1, 2])
    expect(fs.statSync(segmentFile(1)).size).toBe(2 * recordBytes(1))
  })

  it("names the real file and offset of a corrupted record", async () => {
    const storage = makeDurableStorage(nodeDisk, dataDir)
    await run(storage.recover())
    await run(storage.append(entries(1, 3)))
    await run(storage.close())
    const bytes = fs.readFileSync(segmentFile(1))
    bytes[recordBytes(1) + 20] ^= 0x10
    fs.writeFileSync(segmentFile(1), bytes)
    const error = await failureOf(makeDurableStorage(nodeDisk, dataDir).recover())
    expect(error).toBeInstanceOf(CorruptionError)
    expect(error.message).toBe(`${segmentFile(1)}: offset ${recordBytes(1)}: checksum mismatch (record 2)`)
  })

  it("shares fsyncs between 64 concurrent appends on a real disk", async () => {
    const storage = makeDurableStorage(nodeDisk, dataDir)
    await run(storage.recover())
    const cost = await appendConcurrently(storage, 64)
    expect(cost.records).toBe(64)
    // Every append queues before the first leader takes its batch (it yields first), and any that
    // did not would queue while that batch's write and fsync are in flight: a handful of batches at most.
    expect(cost.batches).toBeLessThanOrEqual(4)
    expect(cost.fsyncs).toBeLessThan(8)
    await run(storage.close())
  })
})

describe("layers", () => {
  const program = Effect.gen(function* () {
    const storage = yield* DurableStorage
    const recovered = yield* storage.recover()
    yield* storage.append([entry(recovered.entries.length + 1)])
    return recovered.entries.length
  })

  it("layerFile opens the directory and closes it when the scope ends", async () => {
    const layer = DurableStorage.layerFile(dataDir)
    expect(await run(Effect.provide(program, layer))).toBe(0)
    expect(await run(Effect.provide(program, layer))).toBe(1)
    expect(await run(Effect.provide(program, Layer.fresh(layer)))).toBe(2)
  })

  it("layerMemory keeps synced state across a simulated crash and restart", async () => {
    const disk = new SimulatedDisk()
    expect(await run(Effect.provide(program, DurableStorage.layerMemory(disk)))).toBe(0)
    disk.crash()
    expect(await run(Effect.provide(program, DurableStorage.layerMemory(disk)))).toBe(1)
  })
})

/**
 * Storage benchmark: the disk's raw fsync rate, then records/s through DurableStorage with 1, 8 and 64
 * concurrent appenders (128-byte payloads), showing what group commit buys. Prints figures, asserts
 * nothing. Run: `npx tsx test/bench/storage.ts [directory]` (default: a fresh directory under the OS
 * temporary directory; pass one on the disk you care about). Each phase stops after a bounded number of
 * records or seconds, whichever comes first.
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { performance } from "node:perf_hooks"
import { makeDurableStorage } from "../../src/runtime/storage/durable-storage.ts"
import { nodeDisk } from "../../src/runtime/storage/node-disk.ts"

const PAYLOAD_BYTES = 128
const PHASE_SECONDS = Number(process.env.RAFT_TLA_BENCH_SECONDS ?? 3)

const parent = process.argv[2] ?? os.tmpdir()
const root = fs.mkdtempSync(path.join(parent, "raft-tla-bench-"))

const rawFsyncsPerSecond = (): number => {
  const file = path.join(root, "raw")
  const fd = fs.openSync(file, "w")
  const block = new Uint8Array(PAYLOAD_BYTES + 25)
  const start = performance.now()
  let syncs = 0
  while (syncs < 5000 && performance.now() - start < PHASE_SECONDS * 1000) {
    fs.writeSync(fd, block, 0, block.length, syncs * block.length)
    fs.fdatasyncSync(fd)
    syncs++
  }
  const seconds = (performance.now() - start) / 1000
  fs.closeSync(fd)
  return syncs / seconds
}

const appendersRun = (appenders: number) =>
  Effect.gen(function* () {
    const storage = makeDurableStorage(nodeDisk, path.join(root, `appenders-${appenders}`))
    yield* storage.recover()
    const payload = new Uint8Array(PAYLOAD_BYTES).fill(7)
    const maxRecords = 200_000
    let next = 1
    const start = performance.now()
    const before = storage.stats()
    const appender = Effect.gen(function* () {
      while (next <= maxRecords && performance.now() - start < PHASE_SECONDS * 1000) {
        // Take the index and queue the append in one step, so appenders queue in index order.
        yield* Effect.suspend(() => storage.append([{ index: next++, term: 1, data: payload }]))
      }
    })
    yield* Effect.all(Array.from({ length: appenders }, () => appender), { concurrency: "unbounded" })
    const seconds = (performance.now() - start) / 1000
    const stats = storage.stats()
    yield* storage.close()
    const records = stats.records - before.records
    const fsyncs = stats.fsyncs - before.fsyncs
    return { appenders, records, seconds, recordsPerSecond: records / seconds, fsyncs, recordsPerFsync: records / fsyncs }
  })

const format = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })

try {
  console.log(`storage benchmark in ${root} (${PAYLOAD_BYTES}-byte payloads, up to ${PHASE_SECONDS} s a phase)`)
  console.log(`raw write+fdatasync: ${format(rawFsyncsPerSecond())} fsyncs/s`)
  for (const appenders of [1, 8, 64]) {
    const r = await Effect.runPromise(appendersRun(appenders))
    console.log(
      `${String(appenders).padStart(2)} appenders: ${format(r.recordsPerSecond).padStart(8)} records/s` +
        `  (${format(r.records)} records in ${format(r.seconds, 2)} s, ${format(r.fsyncs)} fsyncs, ${format(r.recordsPerFsync, 1)} records per fsync)`
    )
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true })
}

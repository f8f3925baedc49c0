import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { makeDurableStorage } from "../../src/runtime/storage/durable-storage.ts"
import { nodeDisk } from "../../src/runtime/storage/node-disk.ts"
import { runCli } from "./run-cli.ts"

let root: string
let dataDir: string
beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "raft-tla-storage-check-"))
  dataDir = path.join(root, "n1")
  const storage = makeDurableStorage(nodeDisk, dataDir)
  const data = (text: string) => new TextEncoder().encode(text)
  await Effect.runPromise(
    Effect.gen(function* () {
      yield* storage.recover()
      yield* storage.saveHardState({ currentTerm: 3, votedFor: "n2" })
      yield* storage.append([1, 2, 3].map((index) => ({ index, term: index === 3 ? 3 : 1, data: data(`set x ${index}`) })))
      yield* storage.close()
    })
  )
})
afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

const segment = () => path.join(dataDir, "wal", "00000000000000000001.seg")

describe("raft-tla storage-check", () => {
  it("reports the state a restart would recover", () => {
    const run = runCli(["storage-check", dataDir])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("hard state: term 3, voted for n2")
    expect(run.stdout).toContain("snapshot: none")
    expect(run.stdout).toContain("log: 3 entries, index 1 (term 1) to 3 (term 3)")
    expect(run.stdout).toContain("no repair needed")
  })

  it("reports a torn tail it would cut, and leaves the file as it is", () => {
    const size = fs.statSync(segment()).size
    fs.truncateSync(segment(), size - 3)
    const run = runCli(["storage-check", dataDir])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("log: 2 entries")
    expect(run.stdout).toContain(`cut ${segment()} to ${(2 * size) / 3} bytes`)
    expect(fs.statSync(segment()).size).toBe(size - 3)
  })

  it("exits 2 naming the file and offset of corruption, without a stack trace", () => {
    const bytes = fs.readFileSync(segment())
    const recordBytes = bytes.length / 3
    bytes[recordBytes + 12] ^= 0x01
    fs.writeFileSync(segment(), bytes)
    const run = runCli(["storage-check", dataDir])
    expect(run.code).toBe(2)
    expect(run.stderr.trim()).toBe(`error: ${segment()}: offset ${recordBytes}: checksum mismatch (record 2)`)
  })

  it("exits 2 for a directory that does not exist", () => {
    const run = runCli(["storage-check", path.join(root, "missing")])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("no such data directory")
    expect(fs.existsSync(path.join(root, "missing"))).toBe(false)
  })

  it("documents itself in --help", () => {
    const run = runCli(["storage-check", "--help"])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("<data-dir>")
  })
})

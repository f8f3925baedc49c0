import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { runCli } from "../cli/run-cli.ts"

const histories = fileURLToPath(new URL("./histories/", import.meta.url))
const sample = (name: string): string => join(histories, name)

describe("raft-tla lincheck", () => {
  it("checks several files of all three formats in one run; exit 0 when all are linearizable", () => {
    const run = runCli(["lincheck", sample("register-legal.json"), sample("cas-info-legal.edn"), sample("cas-legal.log")])
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    const lines = run.stdout.trim().split("\n")
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/register-legal\.json: linearizable — 6 operations, 1 partition checked, in [\d.]+ ms \(model register, format json\)/)
    expect(lines[1]).toMatch(/cas-info-legal\.edn: linearizable — 7 operations.*format edn/)
    expect(lines[2]).toMatch(/cas-legal\.log: linearizable — 7 operations.*format jepsen-log/)
  })

  it("exits 1 when a history is not linearizable, prints the stuck point, and draws it", () => {
    const dir = mkdtempSync(join(tmpdir(), "lincheck-"))
    const html = join(dir, "timeline.html")
    const run = runCli(["lincheck", sample("cas-register-illegal.json"), "--html", html])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("NOT linearizable")
    expect(run.stdout).toContain("stuck: read() → 1   [client 2, 6..8]")
    const page = readFileSync(html, "utf8")
    expect(page).toContain('class="op stuck"')
    expect(page).toContain("Stuck at <b>read() → 1</b>")
  })

  it("--json prints one line per file", () => {
    const run = runCli(["lincheck", "--json", sample("kv-legal.json"), sample("kv-illegal.json")])
    expect(run.code).toBe(1)
    const lines = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(lines.map((l) => [l.verdict, l.ops, l.partitions])).toEqual([
      ["ok", 7, 2],
      ["illegal", 5, 2]
    ])
    expect(lines.every((l) => typeof l.ms === "number" && String(l.file).endsWith(".json"))).toBe(true)
  })

  it("exits 3 when the time budget runs out", () => {
    // Forty overlapping writes and a read of a value none wrote: deciding it means visiting
    // every subset of the writes (2^40 configurations), so no machine finishes in 0.2 s.
    const dir = mkdtempSync(join(tmpdir(), "lincheck-"))
    const file = join(dir, "hard.json")
    const writes = Array.from({ length: 40 }, (_, i) => ({ client: i, call: 0, return: 100, f: "write", value: i, output: null }))
    writeFileSync(file, JSON.stringify([...writes, { client: 99, call: 50, return: 100, f: "read", output: 1000 }]))
    const run = runCli(["lincheck", "--timeout", "0.2", "--json", file])
    expect(run.code).toBe(3)
    expect(JSON.parse(run.stdout).verdict).toBe("unknown")
  })

  it("exits 2 with file:line:col on bad input, and on a bad flag", () => {
    const dir = mkdtempSync(join(tmpdir(), "lincheck-"))
    const file = join(dir, "bad.edn")
    writeFileSync(file, "{:process 0, :type :invoke, :f :read, :value nil}\n{:process 0 :type :ok :f :read :value [1\n")
    const run = runCli(["lincheck", file])
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(`error: ${file}:2:39: '[' is never closed\n`)
    const badModel = runCli(["lincheck", "--model", "paxos", sample("register-legal.json")])
    expect(badModel.code).toBe(2)
    const missing = runCli(["lincheck", join(dir, "nope.json")])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("nope.json: cannot read the file")
  })

  it("--help says how the format and model are chosen", () => {
    const run = runCli(["lincheck", "--help"])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("detected from the extension")
    expect(run.stdout).toContain("--timeout")
  })
})

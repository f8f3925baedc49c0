/**
 * `raft-tla simulate` as a user runs it: exit codes, the summary, the trace file, and a bug of the
 * catalogue switched on with --bug (exit 1, and its trace fails validation at the buggy step).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { readTrace } from "../../src/raft/index.ts"
import { runCli } from "./run-cli.ts"

const scratch = mkdtempSync(join(tmpdir(), "raft-tla-simulate-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe("raft-tla simulate", () => {
  it("exits 0 and prints the summary", () => {
    const run = runCli(["simulate", "--seed", "7", "--steps", "5000"])
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("simulated 5000 steps of 3 servers, seed 7, faults drop,dup,reorder,partition,crash,snapshot")
    expect(run.stdout).toMatch(/leaders elected\s+[1-9]/)
    expect(run.stdout).toMatch(/invariants checked\s+40000 \(8 after each step\)/)
    expect(run.stdout).toContain("ok, no violation")
  })

  it("prints the summary as JSON, with the faults asked for", () => {
    const run = runCli(["simulate", "--seed", "7", "--steps", "3000", "--servers", "5", "--faults", "drop,crash", "--json"])
    expect(run.code).toBe(0)
    const summary = JSON.parse(run.stdout)
    expect(summary).toMatchObject({ seed: 7, servers: 5, steps: 3000, faults: ["drop", "crash"], violation: null })
    expect(summary.faultsInjected.duplicated).toBe(0)
    expect(summary.entriesCommitted).toBeGreaterThan(0)
  })

  it("writes the same trace twice for the same seed, creating the folder", () => {
    const first = join(scratch, "a", "b", "trace.ndjson")
    const second = join(scratch, "again.ndjson")
    expect(runCli(["simulate", "--seed", "9", "--steps", "400", "--out", first]).code).toBe(0)
    expect(runCli(["simulate", "--seed", "9", "--steps", "400", "--out", second]).code).toBe(0)
    const text = readFileSync(first, "utf8")
    expect(readFileSync(second, "utf8")).toBe(text)
    const trace = readTrace(text)
    expect(trace.header.source).toMatchObject({ seed: 9, servers: 3 })
    expect(trace.steps).toHaveLength(400)
  })

  it("exits 1 on a violation when a bug of the catalogue is switched on, and its trace fails validation at the buggy step", () => {
    const trace = join(scratch, "bug.ndjson")
    const run = runCli(["simulate", "--bug", "vote-without-log-check", "--seed", "5", "--steps", "2000", "--out", trace])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("bugs vote-without-log-check")
    expect(run.stdout).toMatch(/VIOLATION of LeaderCompleteness at step \d+/)
    expect(run.stderr).toMatch(/^LeaderCompleteness violated at step \d+: /)
    const validated = runCli(["validate", trace])
    expect(validated.code).toBe(1)
    expect(validated.stdout).toMatch(/FAILED at step \d+ \(line \d+\): HandleRequestVoteRequest\n/)
  })

  it.each([
    [["--bug", "bogus"], 'error: --bug: unknown bug "bogus"; the simulator knows commit-previous-term'],
    [["--bug", "timer-not-reset"], "error: --bug: timer-not-reset is a bug of the runtime"],
    [["--servers", "4"], "error: --servers must be 3 or 5, got 4"],
    [["--faults", "drop,bogus"], 'error: --faults: unknown fault "bogus"'],
    [["--steps", "abc"], "--steps"]
  ])("exits 2 on bad flags %j", (flags, message) => {
    const run = runCli(["simulate", ...flags])
    expect(run.code).toBe(2)
    expect(run.stdout + run.stderr).toContain(message)
    expect(run.stderr).not.toContain("    at ")
  })

  it("exits 2 naming a trace file it cannot write", () => {
    const notAFolder = join(scratch, "plain-file")
    writeFileSync(notAFolder, "")
    const target = join(notAFolder, "trace.ndjson")
    const run = runCli(["simulate", "--steps", "1", "--out", target])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`error: ${target}: cannot write the trace`)
  })

  it("documents its flags in --help", () => {
    const run = runCli(["simulate", "--help"])
    expect(run.code).toBe(0)
    for (const flag of ["--seed", "--steps", "--servers", "--faults", "--bug", "--out", "--json"]) expect(run.stdout).toContain(flag)
    for (const bug of ["commit-previous-term", "count-duplicate-votes"]) expect(run.stdout).toContain(bug)
  })
})

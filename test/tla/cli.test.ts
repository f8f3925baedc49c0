/** `raft-tla check` and `raft-tla corpus` as a user runs them: output, exit codes, bad input. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { readManifest, runEntry } from "../../src/tla/check/corpus.ts"
import { runCli } from "../cli/run-cli.ts"
import { moduleText, tempDir, writeSpec } from "./harness.ts"

const specs = fileURLToPath(new URL("./specs/", import.meta.url))

describe("raft-tla check", () => {
  it("exits 0 and prints the counts when no violation is found; finds Spec.cfg beside the spec from any folder", () => {
    const run = runCli(["check", join(specs, "Peterson.tla")], { cwd: tempDir() })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^\d+ states generated, \d+ distinct states found, 0 states left on queue\.$/m)
    expect(run.stdout).toContain("Model checking completed. No error has been found.")
  })

  it("exits 1 on a violation, prints the counterexample and writes it as a JSON trace file", () => {
    const cwd = tempDir()
    const run = runCli(["check", join(specs, "Hanoi.tla"), "--trace-file", "hanoi.json"], { cwd })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("Error: Invariant NotSolved is violated.")
    expect(run.stdout).toMatch(/^State 8: <\w+(\(.*\))? line \d+, col \d+ to line \d+, col \d+ of module Hanoi>$/m)
    const trace = JSON.parse(readFileSync(join(cwd, "hanoi.json"), "utf8"))
    expect(trace.states).toHaveLength(8)
    expect(trace.states[7].state.towers).toEqual([[], [], [3, 2, 1]])
  })

  it("mirrors TLC's exit codes on request", () => {
    expect(runCli(["check", join(specs, "Hanoi.tla"), "--tlc-exit-codes", "--trace-file", join(tempDir(), "t.json")]).code).toBe(12)
  })

  it("prints one JSON object with --json", () => {
    const run = runCli(["check", join(specs, "Recur.tla"), "--json"])
    expect(run.code).toBe(0)
    const out = JSON.parse(run.stdout)
    expect(out).toMatchObject({ outcome: "ok", generated: 12, distinct: 12, depth: 12 })
  })

  it("simulates random walks, reproducibly from the printed seed", () => {
    const args = ["check", join(specs, "Hanoi.tla"), "--simulate", "--depth", "40", "--num", "300", "--seed", "7", "--trace-file", join(tempDir(), "s.json")]
    const a = runCli(args)
    const b = runCli(args)
    expect(a.stdout).toContain("seed 7")
    expect(a.code).toBe(1)
    expect(a.stdout).toContain("Invariant NotSolved is violated.")
    expect(a.stdout).toBe(b.stdout.replace(/s\.json/g, "s.json"))
  })

  it("rejects a malformed spec with file:line:col, exit 2 and no stack trace", () => {
    const spec = writeSpec("Bad", moduleText("Bad", "VARIABLE x\nInit == x = 1 = 1\nNext == x' = x"), "INIT Init NEXT Next")
    const run = runCli(["check", spec])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/Bad\.tla:4:15: conflicting precedence/)
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  it("rejects a malformed cfg with its position, and a missing file, with exit 2", () => {
    const spec = writeSpec("C", moduleText("C", "CONSTANT N\nVARIABLE x\nInit == x = N\nNext == x' = x"), "CONSTANT N = -1\nINIT Init NEXT Next")
    const bad = runCli(["check", spec])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/C\.cfg:1:14: negative integers cannot be written in a \.cfg file/)
    const missing = runCli(["check", join(tempDir(), "Nope.tla")])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("Nope.tla:1:1: spec file not found")
  })

  it("reports a module missing beside the spec", () => {
    const spec = writeSpec("M", "---- MODULE M ----\nEXTENDS Naturals, Missing\n====\n", "")
    const run = runCli(["check", spec])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/M\.tla:2:19: cannot find module Missing/)
  })

  it("rejects --workers above 1 (the search runs on one thread) with exit 2", () => {
    const spec = writeSpec("W", moduleText("W", "VARIABLE x\nInit == x = 0\nNext == x' = x"), "INIT Init NEXT Next")
    const run = runCli(["check", spec, "--workers", "2"])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("only --workers 1 is accepted")
    expect(runCli(["check", spec, "--workers", "1"]).code).toBe(0)
  })

  it("describes its flags in --help", () => {
    const run = runCli(["check", "--help"])
    expect(run.code).toBe(0)
    for (const flag of ["--config", "--workers", "--simulate", "--depth", "--num", "--json"]) expect(run.stdout).toContain(flag)
  })
})

describe("raft-tla corpus", () => {
  const makeCorpus = (expectDistinct: number): string => {
    const dir = tempDir()
    writeFileSync(join(dir, "R.tla"), moduleText("R", "VARIABLE x\nInit == x = 0\nNext == x' = (x + 1) % 3\nPr == PrintT(x) = TRUE"))
    writeFileSync(join(dir, "R.cfg"), "INIT Init NEXT Next")
    const entry = { spec: "R.tla", cfg: "R.cfg", expect: { result: "ok", violated: null, distinct: expectDistinct, generated: 4, depth: 3, traceLength: null, message: null } }
    writeFileSync(join(dir, "manifest.json"), JSON.stringify([entry]))
    return dir
  }
  it("passes an entry that matches and fails one that does not", () => {
    const good = runCli(["corpus", makeCorpus(3)])
    expect(good.code).toBe(0)
    expect(good.stdout).toContain("1 passed, 0 failed")
    const bad = runCli(["corpus", makeCorpus(4)])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain("distinct 3, expected 4")
  })
  it("exits 2 when the folder is not a corpus", () => {
    const dir = tempDir()
    mkdirSync(join(dir, "x"))
    const run = runCli(["corpus", dir])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("manifest.json not found")
  })
  it("the shared TLC corpus, when it is beside the repo, agrees with TLC on its smaller entries", () => {
    const shared = fileURLToPath(new URL("../../../shared/tla-corpus/", import.meta.url))
    if (!existsSync(join(shared, "manifest.json"))) {
      // Not present (e.g. a fresh clone): the runner is still exercised by the two tests above.
      expect(existsSync(shared)).toBe(false)
      return
    }
    // The whole corpus runs in CI (`raft-tla corpus`); here, in-process, the entries under 5,000 states.
    const small = readManifest(shared).filter((e) => (e.expect.distinct ?? 0) < 5000)
    expect(small.length).toBeGreaterThan(60)
    const failures = small.map((e) => runEntry(shared, e)).filter((o) => o.mismatches.length > 0)
    expect(failures.map((f) => `${f.entry.cfg}: ${f.mismatches.join("; ")}`)).toEqual([])
  })
})

/**
 * `raft-tla audit`: every catalogued bug is caught with every flag off clean (CI-sized budget),
 * the committed counterexamples reproduce their failures, and bad input is refused with exit 2.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { auditBug, auditClean, defaultAuditOptions, runtimeCatcher } from "../../src/cli/audit/audit.ts"
import { invariantCheck } from "../../src/cli/audit/checks.ts"
import { readCounterexample } from "../../src/cli/audit/counterexample.ts"
import { replayCounterexample } from "../../src/cli/audit/replay.ts"
import { tableLines } from "../../src/cli/audit/report.ts"
import { BUG_NAMES, bugNamed, type BugName } from "../../src/raft/index.ts"
import { runCli } from "./run-cli.ts"

const counterexamples = fileURLToPath(new URL("../../traces/counterexamples/", import.meta.url))

interface Row {
  readonly bug: BugName | null
  readonly caught: boolean
  readonly caughtBy: string | null
  readonly seconds: number | null
  readonly steps: number | null
  readonly counterexample: string | null
}

describe("raft-tla audit --all", () => {
  it("catches every bug with a short counterexample, and with every flag off every check passes", () => {
    const out = mkdtempSync(join(tmpdir(), "audit-"))
    const run = runCli(["audit", "--all", "--json", "--budget-seconds", "60", "--runs", "20", "--shrink-seconds", "0", "--out", out])
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    const rows = JSON.parse(run.stdout) as Array<Row>
    expect(rows.map((row) => row.bug)).toEqual([...BUG_NAMES, null])
    for (const row of rows.slice(0, -1)) {
      expect(row.caught, row.bug!).toBe(true)
      expect(bugNamed(row.bug!).caughtBy, row.bug!).toContain(row.caughtBy)
      expect(row.steps!, row.bug!).toBeLessThanOrEqual(30)
      expect(row.counterexample).toBe(join(out, `${row.bug}.ndjson`))
    }
    expect(rows[rows.length - 1]).toMatchObject({ bug: null, caught: false })
    expect(readdirSync(out).sort()).toEqual(BUG_NAMES.map((bug) => `${bug}.ndjson`).sort())
  })
})

describe("the committed counterexamples", () => {
  const files = readdirSync(counterexamples).filter((file) => file.endsWith(".ndjson"))

  it("cover every bug of the catalogue", () => {
    expect(files.sort()).toEqual(BUG_NAMES.map((bug) => `${bug}.ndjson`).sort())
  })

  it.each(BUG_NAMES)("%s: replays to the same steps and the same failure; passes with the flag off", async (bug) => {
    const text = readFileSync(join(counterexamples, `${bug}.ndjson`), "utf8")
    const read = readCounterexample(text)
    if (Result.isFailure(read)) throw new Error(read.failure.message)
    const header = read.success
    expect(header.bug).toBe(bug)
    expect(header.script.length).toBeLessThanOrEqual(30)
    const steps = text.trimEnd().split("\n").slice(1)
    const on = await replayCounterexample(header, steps, true)
    expect(on.failure?.detail).toBe(header.failure)
    expect(on.reproduced).toBe(true)
    expect(on.sameTrace).toBe(true)
    const off = await replayCounterexample(header, steps, false)
    expect(off.failure).toBeNull()
  })

  it("replay through the CLI: exit 1 with the bug on, 0 with --flag-off", () => {
    const file = join(counterexamples, "vote-not-persisted.ndjson")
    const on = runCli(["audit", "--replay", file])
    expect(on.code).toBe(1)
    expect(on.stdout).toContain("invariant check fails at step")
    expect(on.stdout).toContain("ElectionSafety")
    expect(on.stdout).toContain("trace identical to the file's")
    expect(on.stdout).toMatch(/1\. timeout s1/)
    const off = runCli(["audit", "--replay", file, "--flag-off"])
    expect(off.code).toBe(0)
    expect(off.stdout).toContain("every check passes")
  })
})

describe("a bug that escapes", () => {
  it("is reported as escaped, and the CLI exits 1", async () => {
    // Without the liveness check nothing can see timer-not-reset.
    const options = { ...defaultAuditOptions, searchRuns: 3, budgetMs: 60_000, outDir: null, checks: { forRun: () => [invariantCheck()], needsTrace: false } }
    const row = await auditBug("timer-not-reset", options, [runtimeCatcher(options)])
    expect(row.caught).toBeNull()
    expect(tableLines([row], null).join("\n")).toMatch(/timer-not-reset\s+ESCAPED/)
    const run = runCli(["audit", "--bug", "commit-previous-term", "--search-only", "--runs", "1", "--dry-run"])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/commit-previous-term\s+ESCAPED/)
    expect(run.stdout).toContain("0 of 1 bugs caught")
  })
})

describe("a check that fails with every flag off", () => {
  it("makes the clean run fail, and the failing run is written with bug null", async () => {
    const out = mkdtempSync(join(tmpdir(), "audit-clean-"))
    // A deliberately wrong check: it calls every election a violation.
    const alarmist = { check: "invariant" as const, onStep: (step: { event: { action: string } }) => (step.event.action === "BecomeLeader" ? "no leaders allowed" : null) }
    const options = { ...defaultAuditOptions, searchRuns: 1, outDir: out, checks: { forRun: () => [alarmist], needsTrace: false } }
    const clean = await auditClean(options)
    expect(clean.failure).toMatchObject({ check: "invariant", detail: "no leaders allowed", where: "the scenario for commit-previous-term" })
    const read = readCounterexample(readFileSync(join(out, "every-flag-off.ndjson"), "utf8"))
    expect(Result.isSuccess(read) && read.success.bug).toBeNull()
    expect(tableLines([], clean).join("\n")).toContain("FAILS invariant")
  })
})

describe("bad input", () => {
  const dir = mkdtempSync(join(tmpdir(), "audit-input-"))

  it("a counterexample file that is not one: exit 2, naming the file, line and column", () => {
    const notJson = join(dir, "broken.ndjson")
    writeFileSync(notJson, '{"format": "raft-tla-trace", oops}\n')
    const broken = runCli(["audit", "--replay", notJson])
    expect(broken.code).toBe(2)
    expect(broken.stderr).toMatch(new RegExp(`^error: ${notJson.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1:\\d+: `))
    expect(broken.stderr).not.toMatch(/\n\s+at /)
    const plainTrace = join(dir, "plain.ndjson")
    const header = readFileSync(join(counterexamples, "vote-not-persisted.ndjson"), "utf8").split("\n")[0]
    const { counterexample: _, ...rest } = JSON.parse(header)
    writeFileSync(plainTrace, JSON.stringify(rest) + "\n")
    const plain = runCli(["audit", "--replay", plainTrace])
    expect(plain.code).toBe(2)
    expect(plain.stderr).toContain(`${plainTrace}:1:1: the header carries no valid counterexample`)
    const missing = runCli(["audit", "--replay", join(dir, "absent.ndjson")])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("cannot read the file")
  })

  it("flags that do not fit: exit 2 with a message", () => {
    for (const args of [["--bug", "commit-everything"], ["--bug", "timer-not-reset", "--all"], ["--flag-off"]]) {
      const run = runCli(["audit", ...args])
      expect(run.code, args.join(" ")).toBe(2)
      expect(run.stderr + run.stdout, args.join(" ")).not.toMatch(/\n\s+at /)
    }
  })
})

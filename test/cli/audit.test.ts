/**
 * `raft-tla audit`: every catalogued bug is caught, and every check that should catch it does
 * (trace validation at the buggy step, model checking of the spec mutated the same way within a
 * CI-sized budget); with every flag off every check passes; the committed counterexamples
 * reproduce their failures; bad input is refused with exit 2.
 *
 * RAFT_TLA_MODEL_STATES sets the model-checking budget per bug (default 5000 distinct states:
 * enough for the mutations whose shortest counterexample is short; `raft-tla audit --all` uses
 * 200000, and test/bench/audit.ts prints the figures of every mutation).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Result } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { auditBug, auditClean, defaultAuditOptions } from "../../src/cli/audit/audit.ts"
import { invariantCheck } from "../../src/cli/audit/checks.ts"
import { readCounterexample } from "../../src/cli/audit/counterexample.ts"
import { replayCounterexample } from "../../src/cli/audit/replay.ts"
import type { JsonRow } from "../../src/cli/audit/report.ts"
import { tableLines } from "../../src/cli/audit/report.ts"
import { runtimeCatcher } from "../../src/cli/audit/runtime-catcher.ts"
import { specMutationOf } from "../../src/cli/audit/spec-mutations.ts"
import { BUG_NAMES, bugNamed, type BugName } from "../../src/raft/index.ts"
import { validateTrace } from "../../src/validate/index.ts"
import { type CliRun, runCli } from "./run-cli.ts"

const counterexamples = fileURLToPath(new URL("../../traces/counterexamples/", import.meta.url))
const modelStates = Number(process.env.RAFT_TLA_MODEL_STATES ?? 5000)

/**
 * The step of a run at which its trace stops being a behaviour of spec/Raft.tla: the buggy step
 * itself. count-duplicate-votes counts a vote twice in a list, which the spec's set of votes cannot
 * show; what it can show is the leader elected without a quorum.
 */
const refusedAction: Partial<Record<BugName, string>> = {
  "commit-previous-term": "AdvanceCommitIndex",
  "truncate-only-conflict": "HandleAppendEntriesRequest",
  "accept-stale-term-append": "HandleAppendEntriesRequest",
  "vote-not-persisted": "Restart",
  "vote-without-log-check": "HandleRequestVoteRequest",
  "commit-beyond-verified-prefix": "HandleAppendEntriesRequest",
  "stale-snapshot-install": "HandleInstallSnapshotRequest",
  "count-duplicate-votes": "BecomeLeader"
}

/** The committed model checker's counterexamples, by bug. */
const specFiles = new Map(
  readdirSync(counterexamples)
    .filter((file) => file.endsWith(".spec.ndjson"))
    .map((file) => [file.replace(/\.spec\.ndjson$/, "") as BugName, join(counterexamples, file)])
)

const traceJson = (file: string): unknown[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line))

const specHeader = (file: string) => JSON.parse(readFileSync(file, "utf8").split("\n")[0]).specCounterexample

describe("raft-tla audit --all", () => {
  const out = mkdtempSync(join(tmpdir(), "audit-"))
  let run: CliRun
  let rows: Array<JsonRow> = []
  beforeAll(() => {
    run = runCli([
      "audit", "--all", "--json", "--budget-seconds", "60", "--runs", "20", "--shrink-seconds", "0", "--out", out,
      "--model-states", String(modelStates), "--clean-model-states", "500"
    ])
    if (run.code === 0) rows = JSON.parse(run.stdout)
  }, 300_000)
  const row = (bug: BugName) => rows.find((r) => r.bug === bug)!
  const checkOf = (bug: BugName, check: string) => row(bug).checks.find((c) => c.check === check)!

  it("catches every bug with a short counterexample, and with every flag off every check passes", () => {
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    expect(rows.map((r) => r.bug)).toEqual([...BUG_NAMES, null])
    for (const r of rows.slice(0, -1)) {
      expect(r.caught, r.bug!).toBe(true)
      expect(bugNamed(r.bug!).caughtBy, r.bug!).toContain(r.caughtBy)
      expect(r.steps!, r.bug!).toBeLessThanOrEqual(30)
      expect(r.counterexample).toBe(join(out, `${r.bug}.ndjson`))
      expect(r.alsoCaughtBy).toEqual(r.checks.filter((c) => c.caught && c.check !== r.caughtBy).map((c) => c.check))
    }
    expect(rows[rows.length - 1]).toMatchObject({ bug: null, caught: false })
    expect(rows[rows.length - 1].how).toMatch(/9 models without mutation \(spec\/MCRaft\.cfg and each bug's\)/)
  })

  it("every runtime check the catalogue names catches its bug on its own", () => {
    for (const bug of BUG_NAMES) {
      for (const check of bugNamed(bug).caughtBy.filter((c) => c !== "model-checking")) {
        expect(checkOf(bug, check).caught, `${bug}: ${check}`).toBe(true)
      }
    }
  })

  it("trace validation alone catches each bug of the core at the step whose action is the buggy one", () => {
    for (const [bug, action] of Object.entries(refusedAction) as Array<[BugName, string]>) {
      const found = checkOf(bug, "trace-validation")
      expect(found.caught, bug).toBe(true)
      expect(found.detail, bug).toMatch(new RegExp(`^the run's trace: FAILED at step ${found.traceSteps} \\(line \\d+\\): ${action}\\n`))
    }
    // Bugs of the runtime's state machine, reads and timers leave no trace the spec could refuse.
    const unseen = BUG_NAMES.filter((bug) => !bugNamed(bug).caughtBy.includes("trace-validation"))
    expect(unseen).toEqual(["apply-uncommitted", "no-client-dedup", "timer-not-reset", "read-without-quorum"])
    for (const bug of unseen) expect(checkOf(bug, "trace-validation").caught, bug).toBe(false)
  })

  it(`model checking finds each spec mutation whose counterexample is within ${modelStates} states, as committed`, () => {
    for (const bug of BUG_NAMES) {
      const found = checkOf(bug, "model-checking")
      const mutation = specMutationOf(bug)
      if ("none" in mutation) {
        expect(found, bug).toMatchObject({ caught: false, applies: false })
        continue
      }
      const committed = specFiles.get(bug)
      if (committed === undefined || specHeader(committed).distinct > modelStates) {
        expect(found.caught, bug).toBe(false)
        expect(found.detail, bug).toMatch(/^no violation within [\d,]+ distinct states/)
        continue
      }
      expect(found.caught, bug).toBe(true)
      expect(found.counterexample).toBe(join(out, `${bug}.spec.ndjson`))
      // The same header and steps; the order of a record's fields in the JSON is the toolkit's.
      expect(traceJson(found.counterexample!), bug).toEqual(traceJson(committed))
    }
  })
})

describe("the committed counterexamples", () => {
  const files = readdirSync(counterexamples).filter((file) => file.endsWith(".ndjson") && !file.endsWith(".spec.ndjson"))

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
    expect(on.stdout).toContain("trace-validation check fails at step")
    expect(on.stdout).toContain("FAILED at step 6 (line 7): Restart")
    expect(on.stdout).toContain("trace identical to the file's")
    expect(on.stdout).toMatch(/1\. timeout s1/)
    const off = runCli(["audit", "--replay", file, "--flag-off"])
    expect(off.code).toBe(0)
    expect(off.stdout).toContain("every check passes")
  })

  it("each model checker's counterexample names a property of the model and is refused by spec/Raft.tla at the mutated step", () => {
    expect([...specFiles.keys()].length).toBeGreaterThan(0)
    for (const [bug, file] of specFiles) {
      const header = specHeader(file)
      const mutation = specMutationOf(bug)
      if ("none" in mutation) throw new Error(`${bug} has no spec mutation`)
      expect(header, bug).toMatchObject({ bug, model: mutation.module, substitution: mutation.substitution })
      const cfg = readFileSync(join(counterexamples, "..", "..", mutation.config), "utf8")
      expect(cfg.split(/\s+/), bug).toContain(header.violated)
      const { result } = validateTrace(file, { spec: fileURLToPath(new URL("../../spec/Raft.tla", import.meta.url)) })
      expect(result.failure, bug).toMatchObject({ kind: "action", action: mutation.substitution.split(" <- ")[0] })
    }
  })

  it("replay of a model checker's counterexample: exit 1 with the mutation, 0 without", () => {
    const file = join(counterexamples, "vote-not-persisted.spec.ndjson")
    const on = runCli(["audit", "--replay", file])
    expect(on.code).toBe(1)
    expect(on.stdout).toContain("Invariant ElectionSafety is violated. (reproduced)")
    expect(on.stdout).toContain("trace identical to the file's 12 steps")
    const off = runCli(["audit", "--replay", file, "--flag-off"])
    expect(off.code).toBe(0)
    expect(off.stdout).toMatch(/no violation in \d+ distinct states/)
    expect(off.stdout).toContain("spec/Raft.tla refuses step 6 (line 7): Restart")
  })
})

describe("a bug that escapes", () => {
  it("is reported as escaped, and the CLI exits 1", async () => {
    // Without the liveness check nothing can see timer-not-reset.
    const options = { ...defaultAuditOptions, searchRuns: 3, budgetMs: 60_000, outDir: null, checks: { forRun: () => [invariantCheck()], needsTrace: false } }
    const row = await auditBug("timer-not-reset", [runtimeCatcher(options)])
    expect(row.caught).toBeNull()
    expect(tableLines([row], null).join("\n")).toMatch(/timer-not-reset[\s\S]*ESCAPED/)
    const run = runCli(["audit", "--bug", "commit-previous-term", "--search-only", "--runs", "1", "--dry-run", "--model-states", "100"])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("ESCAPED: no check caught it")
    expect(run.stdout).toMatch(/model-checking: no violation within \d+ distinct states of spec\/MCBugCommitPreviousTerm\.tla/)
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
    const badSpec = join(dir, "bad.spec.ndjson")
    writeFileSync(badSpec, JSON.stringify({ ...rest, specCounterexample: { bug: "vote-not-persisted", model: "spec/Nowhere.tla" } }) + "\n")
    const spec = runCli(["audit", "--replay", badSpec])
    expect(spec.code).toBe(2)
    expect(spec.stderr).toContain(`${badSpec}:1:1: the header carries no valid specCounterexample`)
    const missing = runCli(["audit", "--replay", join(dir, "absent.ndjson")])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("cannot read the file")
  })

  it("flags that do not fit: exit 2 with a message", () => {
    for (const args of [["--bug", "commit-everything"], ["--bug", "timer-not-reset", "--all"], ["--flag-off"], ["--model-states", "-1"]]) {
      const run = runCli(["audit", ...args])
      expect(run.code, args.join(" ")).toBe(2)
      expect(run.stderr + run.stdout, args.join(" ")).not.toMatch(/\n\s+at /)
    }
  })
})

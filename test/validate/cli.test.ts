/**
 * `raft-tla validate` as a user runs it: the report, --json, --coverage, exit codes, and the
 * messages for bad input.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { runCli } from "../cli/run-cli.ts"
import { joinLines, parseLines, raftSpec, setPoint, simulate } from "./traces.ts"

const scratch = mkdtempSync(join(tmpdir(), "raft-tla-validate-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const write = (name: string, text: string): string => {
  const file = join(scratch, name)
  writeFileSync(file, text)
  return file
}

const good = write("good.ndjson", simulate(3, 600))
const delta = write("delta.ndjson", simulate(4, 600, { mode: "delta" }))

describe("raft-tla validate", () => {
  it("validates traces, reports coverage of every action, exits 0", () => {
    const run = runCli(["validate", good, delta, "--spec", raftSpec, "--coverage"])
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`${good}: ok, 600 steps match`)
    expect(run.stdout).toContain("(full states,")
    expect(run.stdout).toContain(`${delta}: ok, 600 steps match`)
    expect(run.stdout).toContain("(delta states,")
    expect(run.stdout).toContain("invariants checked on every state: ElectionSafety")
    expect(run.stdout).toMatch(/coverage of .*Raft\.tla over 2 traces, 1,200 steps/)
    for (const action of ["Restart", "Timeout", "RequestVote", "BecomeLeader", "ClientRequest", "HandleInstallSnapshotRequest", "DropMessage"]) {
      expect(run.stdout).toMatch(new RegExp(`^    ${action} +[0-9,]+$`, "m"))
    }
    expect(run.stdout).toMatch(/\\E m \\in DOMAIN messages : Receive\(m\) +[0-9,]+ +.*Raft\.tla:\d+:\d+/)
  })

  it("reports a mismatch with its step, conjunct and diff, exits 1; --json says the same", () => {
    const lines = parseLines(simulate(3, 600))
    const step = lines.find((l, k) => k > 0 && l.action === "Timeout")!
    const i = step.params.i.$mv
    const bad = write(
      "bad.ndjson",
      joinLines(lines.map((l) => (l.seq === step.seq ? { ...l, state: { ...l.state, state: setPoint(l.state.state, i, "Leader") } } : l)))
    )
    const run = runCli(["validate", bad, "--spec", raftSpec])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`${bad}: FAILED at step ${step.seq} (line ${step.seq + 1}): Timeout`)
    expect(run.stdout).toMatch(/failing conjunct, .*Raft\.tla:\d+:8:\n {6}state' = \[state EXCEPT !\[i\] = "Candidate"\]/)
    expect(run.stdout).toContain(`state[${i}]: expected "Candidate", logged "Leader"`)
    const json = runCli(["validate", bad, "--spec", raftSpec, "--json"])
    expect(json.code).toBe(1)
    const report = JSON.parse(json.stdout)
    expect(report.traces[0]).toMatchObject({ ok: false, steps: step.seq - 1, failure: { seq: step.seq, line: step.seq + 1, action: "Timeout", kind: "action" } })
    expect(report.traces[0].failure.conjunct.text).toBe(`state' = [state EXCEPT ![i] = "Candidate"]`)
  })

  it("names the file, line and column of a malformed line, exits 2", () => {
    const text = simulate(3, 5).split("\n")
    text[3] = text[3].slice(0, 40)
    const broken = write("broken.ndjson", text.join("\n"))
    const run = runCli(["validate", broken, "--spec", raftSpec])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(new RegExp(`^error: ${broken.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:4:\\d+: not JSON`))
    expect(run.stderr).not.toContain("    at ")
  })

  it("exits 2 on a missing spec, a missing trace, a bad --invariants", () => {
    expect(runCli(["validate", good, "--spec", join(scratch, "nope.tla")]).stderr).toContain("nope.tla: no such spec")
    const missing = runCli(["validate", join(scratch, "nope.ndjson")])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("nope.ndjson: cannot read the trace")
    const invariants = runCli(["validate", good, "--invariants", "Type OK"])
    expect(invariants.code).toBe(2)
    expect(invariants.stderr).toContain("--invariants: expected all, none or comma-separated operator names")
  })

  it("documents its flags in --help", () => {
    const run = runCli(["validate", "--help"])
    expect(run.code).toBe(0)
    for (const flag of ["--spec", "--config", "--invariants", "--max-gap", "--next", "--coverage", "--json"]) expect(run.stdout).toContain(flag)
  })
})

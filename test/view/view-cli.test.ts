/** `raft-tla view` as a user runs it: the page, the Mermaid export, a validation report, bad input. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { buildTimeline } from "../../src/cli/view.ts"
import { renderMermaid } from "../../src/cli/view/mermaid.ts"
import { renderPage } from "../../src/cli/view/page.ts"
import { readValidationReport } from "../../src/cli/view/failures.ts"
import { runCli } from "../cli/run-cli.ts"
import { writeSimulatorTrace } from "./fixtures.ts"

const scratch = mkdtempSync(join(tmpdir(), "raft-tla-view-cli-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const { file, lines } = writeSimulatorTrace(scratch, 1, 400)
const raw = lines.slice(1).map((line) => JSON.parse(line) as { seq: number; action: string; msgId?: number })
const pageData = (page: string) => JSON.parse(/<script type="application\/json" id="trace-data">(.*?)<\/script>/s.exec(page)![1])

describe("raft-tla view", () => {
  it("writes one self-contained page beside the trace", () => {
    const run = runCli(["view", file])
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    const out = file.replace(/\.ndjson$/, ".html")
    expect(run.stdout).toContain(`wrote ${out}: steps 1–400 of 400`)
    const page = readFileSync(out, "utf8")
    expect(page).not.toMatch(/<(link|img|iframe)\b|\bsrc=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/)
    expect(page).toContain("All 400 steps are shown.")
    const data = pageData(page)
    expect(data.steps).toHaveLength(400)
    expect(Object.keys(data.spec)).toContain("HandleAppendEntriesRequest")
    expect(data.spec.Timeout.text).toMatch(/^Timeout\(i\) ==/)
  })

  it("draws a window of a long trace and says so on the page", async () => {
    const timeline = await buildTimeline({ trace: file, from: 101, steps: 50, failure: undefined })
    const page = renderPage({ title: "window", timeline, specActions: new Map() })
    expect(page).toContain("Showing steps 101–150 of 400.")
    expect(pageData(page).steps.map((s: { seq: number }) => s.seq)).toEqual(Array.from({ length: 50 }, (_, k) => 101 + k))
  })

  it("prints a Mermaid sequence diagram with an arrow per message consumed in the window", async () => {
    const diagram = renderMermaid("sim-1-400.ndjson", await buildTimeline({ trace: file, from: undefined, steps: 80, failure: undefined })).split("\n")
    expect(diagram[0]).toBe("%% raft-tla view sim-1-400.ndjson: steps 1–80 of 400")
    expect(diagram[1]).toBe("sequenceDiagram")
    for (const server of ["s1", "s2", "s3"]) expect(diagram).toContain(`  participant ${server}`)
    const consumed = raw.filter((s) => s.seq <= 80 && s.msgId !== undefined && s.action !== "UpdateTerm" && s.action !== "DuplicateMessage")
    expect(diagram.filter((line) => /^ {2}s\d(->>|--x)s\d: /.test(line))).toHaveLength(consumed.length)
    expect(diagram.filter((line) => line.includes("--x"))).toHaveLength(consumed.filter((s) => s.action === "DropMessage").length)
  })

  it("prints the Mermaid diagram on the command line", () => {
    const run = runCli(["view", file, "--mermaid", "--steps", "10"])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^%% raft-tla view sim-1-400\.ndjson: steps 1–10 of 400\nsequenceDiagram\n/)
  })

  it("opens on the failing step of a validation report, with the failing conjunct", () => {
    const report = join(scratch, "report.json")
    writeFileSync(
      report,
      // The shape of `raft-tla validate --json`, with the fields the viewer reads (and one it does not).
      JSON.stringify({
        traces: [
          {
            trace: file,
            ok: false,
            failure: {
              kind: "action",
              seq: 120,
              line: 121,
              headline: "HandleAppendEntriesRequest(s2, s1, m) does not allow this step",
              conjunct: { text: "m.mterm <= currentTerm[i]", file: "spec/Raft.tla", line: 271, column: 12, endLine: 271, endColumn: 36 },
              diffs: [{ variable: "log", expected: [], logged: [], details: ["log[s2]: expected <<>>, logged <<[term |-> 1, value |-> \"v1\"]>>"] }],
              notes: []
            }
          }
        ]
      })
    )
    const out = join(scratch, "failing.html")
    const run = runCli(["view", file, "--report", report, "--out", out, "--steps", "100"])
    expect(run.stderr).toBe("")
    expect(run.stdout).toContain("steps 45–144 of 400, opening on failing step 120")
    const page = readFileSync(out, "utf8")
    expect(page).toContain("<b>Validation failed at step 120</b>")
    expect(page).toContain("<code>m.mterm &lt;= currentTerm[i]</code>")
    expect(page).toContain('class="step failing" data-seq="120"')
    const data = pageData(page)
    expect(data.focus).toBe(120)
    expect(data.failure.details).toHaveLength(1)
  })

  it("reads the report raft-tla validate --json writes for a committed counterexample", () => {
    const trace = fileURLToPath(new URL("../../traces/counterexamples/commit-previous-term.ndjson", import.meta.url))
    const validated = runCli(["validate", trace, "--json"])
    expect(validated.code).toBe(1)
    const failure = readValidationReport("report.json", validated.stdout, trace)
    expect(failure).toMatchObject({ seq: 59, heading: "Validation failed at step 59", conjunct: { text: "TermAt(i, highest) = currentTerm[i]", file: "spec/Raft.tla" } })
  })

  it("opens a counterexample written by raft-tla audit on the step its header names", async () => {
    const header = { ...JSON.parse(lines[0]), counterexample: { bug: "some-bug", caughtBy: "invariant", failure: "LogMatching: logs differ", failedAtStep: 300 } }
    const trace = join(scratch, "counterexample.ndjson")
    writeFileSync(trace, [JSON.stringify(header), ...lines.slice(1)].join("\n"))
    const timeline = await buildTimeline({ trace, from: undefined, steps: 100, failure: undefined })
    expect([timeline.first, timeline.last, timeline.focus]).toEqual([225, 324, 300])
    const page = renderPage({ title: "counterexample", timeline, specActions: new Map() })
    expect(page).toContain('<b>Counterexample of some-bug, caught by invariant at step 300</b>: <span class="summary">LogMatching: logs differ.</span>')
  })

  it("shows the failure of a counterexample that no single step failed, opening at the start", async () => {
    const header = { ...JSON.parse(lines[0]), counterexample: { bug: "some-bug", caughtBy: "linearizability", failure: "not linearizable", failedAtStep: null } }
    const trace = join(scratch, "whole-run.ndjson")
    writeFileSync(trace, [JSON.stringify(header), ...lines.slice(1)].join("\n"))
    const timeline = await buildTimeline({ trace, from: undefined, steps: 100, failure: undefined })
    expect([timeline.first, timeline.focus]).toEqual([1, undefined])
    const page = renderPage({ title: "whole run", timeline, specActions: new Map() })
    expect(page).toContain('<b>Counterexample of some-bug, caught by linearizability</b>: <span class="summary">not linearizable.</span>')
    expect(page).not.toContain("step failing")
  })

  it.each([
    ["a line that is not JSON", "header\n{\"seq\": 1,", ":2:11: not JSON"],
    ["a bad header", '{"format":"other"}\n', ":1:1: bad header"],
    ["steps out of order", "header\nstep2\n", ":2:1: step 2 follows step 0"]
  ])("names the file, line and column of %s", async (_, content, where) => {
    const bad = join(scratch, "bad.ndjson")
    const second = JSON.stringify({ ...JSON.parse(lines[2]), seq: 2 })
    writeFileSync(bad, content.replace("header", lines[0]).replace("step2", second))
    await expect(buildTimeline({ trace: bad, from: undefined, steps: 10, failure: undefined })).rejects.toThrow(`${bad}${where}`)
  })

  it("exits 2 on a bad trace line, without a stack trace", () => {
    const bad = join(scratch, "bad-cli.ndjson")
    writeFileSync(bad, `${lines[0]}\n{"seq": 1,\n`)
    const run = runCli(["view", bad])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`error: ${bad}:2:11: not JSON`)
    expect(run.stderr).not.toContain("    at ")
  })

  it.each([
    [["missing.ndjson"], "missing.ndjson:1:1: cannot read the file"],
    [["--steps", "0", "TRACE"], "--steps must be at least 1, got 0"],
    [["--report", "nothing.json", "TRACE"], "nothing.json: cannot read the report"]
  ])("exits 2 on %j", (args, message) => {
    const run = runCli(["view", ...args.map((a) => (a === "TRACE" ? file : a))])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(message)
  })

  it("exits 2 on a report that is not a validation report", () => {
    const report = join(scratch, "not-a-report.json")
    writeFileSync(report, '{"traces": [{"trace": "x.ndjson", "failure": {"seq": "twelve"}}]}')
    const run = runCli(["view", file, "--report", report])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`error: ${report}:1:1: not a validation report`)
  })

  it("documents its flags in --help", () => {
    const run = runCli(["view", "--help"])
    expect(run.code).toBe(0)
    for (const flag of ["--out", "--mermaid", "--from", "--steps", "--report", "--spec"]) expect(run.stdout).toContain(flag)
  })
})

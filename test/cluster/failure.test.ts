/**
 * The failure test on real processes (src/cluster/harness): kill -9 of the leader and a follower,
 * SIGSTOP/SIGCONT, links cut and slowed through loopback proxies, under concurrent clients; then
 * its end checks. And a traced run, whose merged trace `raft-tla validate` accepts step by step. The harness
 * kills every process it started before it returns; the seed is printed (RAFT_TLA_SEED replays).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { FAULT_KINDS } from "../../src/cluster/harness/fault-schedule.ts"
import { runFailureTest } from "../../src/cluster/harness/harness.ts"
import { validateTrace } from "../../src/validate/index.ts"

const raftSpec = fileURLToPath(new URL("../../spec/Raft.tla", import.meta.url))
/** The steps `raft-tla validate` accepts, and the first it refuses (its headline), if any. */
const validate = (file: string) => {
  const { result } = validateTrace(file, { spec: raftSpec })
  return { steps: result.steps, failure: result.failure === undefined ? null : `step ${result.failure.seq}: ${result.failure.headline}` }
}

const seedOf = (name: string): number => {
  const seed = process.env.RAFT_TLA_SEED ? Number(process.env.RAFT_TLA_SEED) : Math.floor(Math.random() * 2 ** 31)
  console.log(`[${name}] seed=${seed} (replay: RAFT_TLA_SEED=${seed})`)
  return seed
}

describe("the failure test on real processes", () => {
  it("keeps every acknowledged write, a linearizable history and agreeing logs through every kind of fault", async () => {
    const seed = seedOf("failure test")
    const workDir = mkdtempSync(join(tmpdir(), "cluster-failure-"))
    const report = await runFailureTest({ seed, durationMs: 15_000, clients: 6, nodes: 3, workDir, bugs: [], trace: false, log: (line) => console.log(line) })
    for (const check of report.checks) console.log(`${check.ok ? "ok" : "FAIL"} ${check.name}: ${check.detail}`)
    expect(new Set(report.faults.map((fault) => fault.kind))).toEqual(new Set(FAULT_KINDS))
    expect(report.operations.answered).toBeGreaterThan(100)
    expect(report.checks.map((check) => check.name)).toEqual(["acknowledged writes", "linearizability", "logs agree"])
    for (const check of report.checks) expect(check.ok, `${check.name}: ${check.detail} (seed ${seed}, ${workDir})`).toBe(true)
  })

  it("writes a trace of the whole cluster, restarts included, that spec/Raft.tla accepts step by step", async () => {
    const seed = seedOf("traced run")
    const workDir = mkdtempSync(join(tmpdir(), "cluster-trace-"))
    const report = await runFailureTest({
      seed,
      durationMs: 6000,
      clients: 2,
      nodes: 3,
      workDir,
      bugs: [],
      trace: true,
      thinkMs: 100,
      timing: { electionTimeout: [600, 1200], heartbeatInterval: 150 },
      faults: [
        { kind: "kill-leader", at: 1000, lasts: 1000, pick: 0, delayMs: 0 },
        { kind: "isolate-follower", at: 3000, lasts: 1500, pick: 0, delayMs: 0 }
      ],
      log: (line) => console.log(line)
    })
    expect(report.ok).toBe(true)
    const trace = report.trace!
    const checked = validate(trace.file)
    const lines = readFileSync(trace.file, "utf8").trimEnd().split("\n")
    const actions = new Set(lines.slice(1).map((line) => (JSON.parse(line) as { action: string }).action))
    console.log(`traced run: ${checked.steps} steps, actions ${[...actions].join(", ")}`)
    expect(checked.failure).toBeNull()
    expect(checked.steps).toBe(trace.steps)
    for (const action of ["Restart", "BecomeLeader", "ClientRequest", "HandleAppendEntriesRequest", "AdvanceCommitIndex"]) expect(actions).toContain(action)
    // The check is not blind: a copy of the trace with a term changed by a step that may not change it is refused.
    const at = lines.findIndex((line, k) => k > 0 && line.includes('"action":"HandleAppendEntriesRequest"') && line.includes('"mentries":[{'))
    const step = JSON.parse(lines[at])
    expect(JSON.parse(lines[0]).stateMode).toBe("delta")
    step.delta.currentTerm = { $update: [[step.params.i, 99]] }
    lines[at] = JSON.stringify(step)
    const broken = join(workDir, "broken.ndjson")
    writeFileSync(broken, `${lines.join("\n")}\n`)
    const refused = validate(broken).failure
    console.log(`broken copy: ${refused}`)
    expect(refused).toMatch(new RegExp(`^step ${step.seq}: `))
  })
})

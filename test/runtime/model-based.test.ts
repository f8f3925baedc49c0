/**
 * Model-based tests of the runtime with fast-check: clusters of 3 or 5 runtime nodes driven through
 * generated command sequences (fc.commands run by fc.asyncModelRun) of ticks, timeouts, client
 * commands and retries, deliveries, drops, duplicates, reorders, partitions, crashes, restarts,
 * snapshots and lag behind a snapshot. After each command, every step it took has gone through the
 * spec's invariants and trace validation against spec/Raft.tla (each new trace line, as it is
 * written); at the end every run's client history goes through the linearizability checker, and
 * runs over a healthy network through the liveness check.
 *
 * Sizes: RAFT_TLA_RUNS (runs per property), RAFT_TLA_SEED (replays a seed). On a failure the seed,
 * fast-check's path and the shrunk run are printed, and the run is written as a counterexample to
 * traces/counterexamples/tests/ (not committed; replay it with `raft-tla audit --replay FILE`).
 */
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { writeCounterexample } from "../../src/cli/audit/audit.ts"
import { checkScript, defaultChecks, onlyOf, type RunCheck, type RunChecks } from "../../src/cli/audit/checks.ts"
import { search, type SearchSpace } from "../../src/cli/audit/search.ts"
import { figure8, scenarioFor } from "../../src/cli/audit/scenarios.ts"
import { describeCommand, type Script } from "../../src/runtime/cluster/script.ts"
import fc from "fast-check"
import { propertySettings } from "./storage/fixtures.ts"

/** Failing runs of these tests; the folder is not committed (the bug catalogue's files are one up). */
const counterexamples = fileURLToPath(new URL("../../traces/counterexamples/tests/", import.meta.url))

/**
 * The checks, plus a tally of the spec actions every run took (to show what the runs cover). The
 * tally watches after trace validation, so it counts only steps that were validated.
 */
const tallied = (): { checks: RunChecks; tally: Map<string, number> } => {
  const tally = new Map<string, number>()
  const counter: RunCheck = {
    check: "invariant",
    onStep: (step) => {
      if (step.trace === null) throw new Error("the run's trace is not recorded, so it is not validated")
      tally.set(step.event.action, (tally.get(step.event.action) ?? 0) + 1)
      return null
    }
  }
  return { checks: { ...defaultChecks, forRun: (plan) => [...defaultChecks.forRun(plan), counter] }, tally }
}

/** Runs the property; on a failure writes the shrunk run and fails with seed, path and commands. */
const expectNoFailure = async (name: string, space: SearchSpace, settings: { seed: number; numRuns: number }, checks: RunChecks = defaultChecks) => {
  const { seed, numRuns } = settings
  const outcome = await search(space, { seed, runs: numRuns, timeLimitMs: 0 }, checks)
  if (outcome.found !== null) {
    const file = `${counterexamples}model-based-${name.replace(/\W+/g, "-")}-${seed}.ndjson`
    await writeCounterexample(file, null, outcome.found, defaultChecks)
    const commands = outcome.found.script.map((command, index) => `  ${index + 1}. ${describeCommand(command)}`).join("\n")
    expect.fail(`${outcome.report}\n${outcome.found.failure.check}: ${outcome.found.failure.detail}\nshrunk run:\n${commands}\nwritten to ${file}`)
  }
  return outcome
}

/** Batches of runs drawn, at most, beyond the first while some action is still untaken. */
const EXTRA_BATCHES = 4

/**
 * Runs the property and checks that its runs took each of `actions`, so that its verdict is not
 * vacuous. One seed's runs can miss an action by chance (CI once drew 40 snapshot-heavy runs with
 * no HandleInstallSnapshotRequest in them), so while one is missing, as many runs again are drawn
 * from the next seed, and checked like the first; the seed still decides everything.
 */
const expectCovering = async (name: string, space: SearchSpace, defaultRuns: number, actions: ReadonlyArray<string>) => {
  const settings = propertySettings(name, defaultRuns)
  const { checks, tally } = tallied()
  const missing = () => actions.filter((action) => (tally.get(action) ?? 0) === 0)
  await expectNoFailure(name, space, settings, checks)
  for (let batch = 1; batch <= EXTRA_BATCHES && missing().length > 0; batch++) {
    const seed = (settings.seed + batch) | 0
    console.log(`[${name}] no ${missing().join(", ")} yet: ${settings.numRuns} more runs from seed ${seed}`)
    await expectNoFailure(name, space, { ...settings, seed }, checks)
  }
  expect(missing(), `actions no run took (seed ${settings.seed}, ${EXTRA_BATCHES} extra batches)`).toEqual([])
}

describe("model-based runs of the runtime", () => {
  it("under random faults every step keeps the invariants and every history is linearizable", async () => {
    await expectCovering("faults", { kind: "faults", bugs: new Set(), servers: [3, 5], maxCommands: 40 }, 60, [
      "BecomeLeader",
      "ClientRequest",
      "AdvanceCommitIndex",
      "DropMessage",
      "DuplicateMessage",
      "Restart"
    ])
  })

  it("snapshot-heavy: compaction, lag and InstallSnapshot keep the invariants and linearizability", async () => {
    await expectCovering(
      "snapshots",
      { kind: "faults", bugs: new Set(), servers: [3], maxCommands: 40, weights: { snapshot: 10 }, snapshotThreshold: 2 },
      40,
      ["TakeSnapshot", "InstallSnapshot", "HandleInstallSnapshotRequest"]
    )
  })

  it("over a healthy network a leader, once elected, stays (liveness)", async () => {
    await expectNoFailure("healthy", { kind: "healthy", bugs: new Set(), servers: [3, 5], maxCommands: 12 }, propertySettings("healthy", 15))
  })

  it("finds a seeded bug and shrinks it (the search can fail)", async () => {
    const outcome = await search(
      { kind: "healthy", bugs: new Set(["timer-not-reset"]), servers: [3], maxCommands: 12 },
      { seed: 11, runs: 20, timeLimitMs: 0 }
    )
    expect(outcome.found?.failure.check).toBe("liveness")
    expect(outcome.found!.script.length).toBeLessThanOrEqual(4)
    expect(outcome.report).toMatch(/seed: 11/)
  })
})

describe("Figure 8 (Raft paper §5.4.2)", () => {
  it("the term check keeps an older term's entry uncommitted; without it (commit-previous-term) trace validation refuses the commit, which loses the entry", async () => {
    const { seed, numRuns } = propertySettings("figure 8", 12)
    const roles = fc.shuffledSubarray(["s1", "s2", "s3"], { minLength: 3, maxLength: 3 })
    const value = fc.constantFrom("a", "b", "c", "d")
    await fc.assert(
      fc.asyncProperty(roles, value, value, fc.integer({ min: 1, max: 1000 }), async (servers, first, second, timers) => {
        // Then a client reads x, and a heartbeat spreads the last commitIndex.
        const script: Script = [
          ...figure8(servers[0], servers[1], first, second),
          { do: "submit", client: "c3", op: { f: "get", key: "x" } },
          { do: "deliver", all: true },
          { do: "tick", ms: 60 },
          { do: "deliver", all: true }
        ]
        const cluster = { ...scenarioFor("commit-previous-term").cluster, bugs: new Set<string>() }
        const correct = await checkScript({ cluster, seed: timers, healthy: false }, script)
        expect(correct.failure).toBeNull()
        const buggyPlan = { cluster: { ...cluster, bugs: new Set(["commit-previous-term"]) }, seed: timers, healthy: false }
        const buggy = await checkScript(buggyPlan, script)
        expect(buggy.failure?.check).toBe("trace-validation")
        expect(buggy.failure?.detail).toMatch(/FAILED at step \d+ \(line \d+\): AdvanceCommitIndex\n/)
        // Past the commit that trace validation refuses, the entry is overwritten.
        const harm = await checkScript(buggyPlan, script, onlyOf(defaultChecks, "invariant"))
        expect(harm.failure?.detail).toMatch(/LeaderCompleteness|StateMachineSafety/)
      }),
      { seed, numRuns }
    )
  })
})

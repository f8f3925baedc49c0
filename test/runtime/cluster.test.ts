/**
 * Runtime nodes in an in-memory cluster, driven by scripts: elections, client commands answered
 * once applied, redirects, crashes and restarts from storage, snapshots, timers under the test
 * clock, determinism, and the trace format.
 */
import { describe, expect, it } from "vitest"
import { lastIndex, readTrace } from "../../src/raft/index.ts"
import { type ClusterOptions, defaultClusterOptions } from "../../src/runtime/cluster/cluster.ts"
import { ClusterDriver } from "../../src/runtime/cluster/driver.ts"
import type { Script } from "../../src/runtime/cluster/script.ts"

const everything = { do: "deliver", all: true } as const
const elect = (server: string): Script => [{ do: "timeout", server }, everything]
const put = (client: string, key: string, value: string) => ({ do: "submit", client, op: { f: "put", key, value } }) as const

const healthy: ClusterOptions = {
  ...defaultClusterOptions,
  network: { kind: "clocked", faults: { dropProbability: 0, duplicateProbability: 0, delay: [1, 10] } }
}

/** Runs a script on a fresh cluster and hands the driver to `inspect` before closing it. */
const withCluster = async <A>(
  script: Script,
  inspect: (driver: ClusterDriver, trace: ReadonlyArray<string>) => Promise<A> | A,
  options: ClusterOptions = defaultClusterOptions,
  seed = 1
): Promise<A> => {
  const trace: Array<string> = []
  const driver = await ClusterDriver.start({ cluster: options, seed, observers: [], traceLine: (line) => trace.push(line) })
  try {
    for (const command of script) expect(await driver.execute(command)).toBeNull()
    return await inspect(driver, trace)
  } finally {
    await driver.close()
  }
}

const actions = (trace: ReadonlyArray<string>): Array<string> => trace.slice(1).map((line) => JSON.parse(line).action as string)

describe("a cluster of runtime nodes", () => {
  it("elects the server whose timer fires, with the votes of the others", async () => {
    await withCluster(elect("s1"), (driver, trace) => {
      expect(driver.cluster.node("s1")!.state().volatile.role).toBe("Leader")
      expect(driver.cluster.node("s2")!.state().persistent.votedFor).toBe("s1")
      expect(actions(trace).slice(0, 3)).toEqual(["Timeout", "RequestVote", "RequestVote"])
      expect(actions(trace)).toContain("BecomeLeader")
    })
  })

  it("answers a client only once its command is committed and applied", async () => {
    await withCluster([...elect("s1"), put("c1", "x", "a")], async (driver) => {
      const pending = (await driver.summary()).history
      expect(pending).toMatchObject([{ client: "c1", op: { f: "put", key: "x", value: "a" }, return: Infinity }])
      expect(pending[0].answer).toBeUndefined()
      await driver.execute(everything)
      await driver.execute({ do: "submit", client: "c2", op: { f: "get", key: "x" } })
      await driver.execute(everything)
      const history = (await driver.summary()).history
      expect(history.map((op) => [op.client, op.answer?.result])).toEqual([
        ["c1", null],
        ["c2", "a"]
      ])
      for (const id of ["s1", "s2", "s3"]) expect(driver.cluster.node(id)!.store().get("x")).toBe("a")
    })
  })

  it("redirects a client from a follower to the leader", async () => {
    // c1 first tries s1; s2 is the leader and s1 knows it from s2's heartbeat.
    await withCluster([...elect("s2"), put("c1", "x", "a"), everything], async (driver) => {
      expect(driver.cluster.node("s1")!.leaderHint()).toBe("s2")
      expect(driver.cluster.node("s2")!.state().persistent.log).toHaveLength(1)
      expect((await driver.summary()).history[0].answer).toEqual({ result: null })
    })
  })

  it("restarts a node from its storage: the Restart step keeps every persistent variable", async () => {
    const script: Script = [...elect("s1"), put("c1", "x", "a"), everything]
    await withCluster(script, async (driver, trace) => {
      const before = driver.cluster.node("s2")!.state()
      await driver.execute({ do: "restart", server: "s2" })
      const after = driver.cluster.node("s2")!.state()
      expect(after.persistent).toEqual(before.persistent)
      expect(after.volatile.commitIndex).toBe(0)
      const restart = JSON.parse(trace[trace.length - 1])
      expect(restart.action).toBe("Restart")
      expect(restart.persist).toBeUndefined()
      const previous = JSON.parse(trace[trace.length - 2]).state
      for (const variable of ["currentTerm", "votedFor", "log", "snapshotIndex", "snapshotTerm", "snapshotLog"]) {
        expect(restart.state[variable]).toEqual(previous[variable])
      }
    })
  })

  it("loses what reaches a crashed node; a restarted node catches up", async () => {
    const script: Script = [...elect("s1"), { do: "crash", server: "s3" }, put("c1", "x", "a"), everything]
    await withCluster(script, async (driver, trace) => {
      expect(actions(trace)).toContain("DropMessage")
      expect(driver.cluster.node("s3")).toBeUndefined()
      await driver.execute({ do: "restart", server: "s3" })
      await driver.execute({ do: "tick", ms: 60 })
      await driver.execute(everything)
      expect(driver.cluster.node("s3")!.state().persistent.log).toEqual(driver.cluster.node("s1")!.state().persistent.log)
    })
  })

  it("catches up a node that lags behind a compacted log through InstallSnapshot, state machine included", async () => {
    const script: Script = [...elect("s1"), { do: "lag", server: "s3", entries: 3 }, { do: "tick", ms: 60 }, everything]
    await withCluster(script, (driver, trace) => {
      expect(actions(trace)).toContain("HandleInstallSnapshotRequest")
      const leader = driver.cluster.node("s1")!
      const lagger = driver.cluster.node("s3")!
      expect(lagger.state().persistent.snapshot.index).toBeGreaterThan(0)
      expect(lastIndex(lagger.state().persistent)).toBe(lastIndex(leader.state().persistent))
      expect([...lagger.store()]).toEqual([...leader.store()])
      expect(lagger.store().get("lag")).toBe("3")
    })
  })

  it("takes snapshots on its own past the threshold", async () => {
    const script: Script = [...elect("s1"), put("c1", "x", "a"), everything, put("c1", "x", "b"), everything]
    await withCluster(
      script,
      (driver) => {
        for (const id of ["s1", "s2", "s3"]) expect(driver.cluster.node(id)!.state().persistent.snapshot.index).toBe(2)
      },
      { ...defaultClusterOptions, snapshotThreshold: 2 }
    )
  })

  it("moves only when the test clock does: an election needs its timeout to pass", async () => {
    await withCluster([{ do: "tick", ms: 140 }], (_, trace) => expect(actions(trace)).toEqual([]))
    await withCluster([{ do: "tick", ms: 301 }], (_, trace) => expect(actions(trace)).toContain("Timeout"))
  })

  it("keeps a healthy leader: heartbeats reset the followers' timers", async () => {
    await withCluster(
      [{ do: "tick", ms: 5000 }],
      (driver) => {
        const terms = ["s1", "s2", "s3"].map((id) => driver.cluster.node(id)!.state().persistent.currentTerm)
        const leaders = ["s1", "s2", "s3"].filter((id) => driver.cluster.node(id)!.state().volatile.role === "Leader")
        expect(leaders).toHaveLength(1)
        expect(Math.max(...terms)).toBeLessThanOrEqual(2)
      },
      healthy
    )
  })

  it("with timer-not-reset, unseats a healthy leader again and again", async () => {
    await withCluster(
      [{ do: "tick", ms: 5000 }],
      (driver) => {
        const terms = ["s1", "s2", "s3"].map((id) => driver.cluster.node(id)!.state().persistent.currentTerm)
        expect(Math.max(...terms)).toBeGreaterThan(5)
      },
      { ...healthy, bugs: new Set(["timer-not-reset"]) }
    )
  })

  it("takes the same steps for the same script and seed, other timings for another seed", async () => {
    const script: Script = [{ do: "tick", ms: 700 }, put("c1", "x", "a"), { do: "tick", ms: 300 }]
    const once = await withCluster(script, (_, trace) => trace.join("\n"), healthy, 5)
    const again = await withCluster(script, (_, trace) => trace.join("\n"), healthy, 5)
    const other = await withCluster(script, (_, trace) => trace.join("\n"), healthy, 6)
    expect(again).toBe(once)
    expect(other).not.toBe(once)
  })

  it("writes the simulator's trace format, every received copy sent earlier", async () => {
    const script: Script = [...elect("s1"), put("c1", "x", "a"), { do: "duplicate" }, everything, { do: "restart", server: "s2" }]
    await withCluster(script, (_, lines) => {
      const trace = readTrace(lines.join("\n"))
      expect(trace.header.spec).toBe("spec/Raft.tla")
      expect(trace.steps.map((step) => step.seq)).toEqual(trace.steps.map((_, index) => index + 1))
      const sent = new Set<number>()
      for (const step of trace.steps) {
        if (step.msgId !== undefined) expect(sent.has(step.msgId), `step ${step.seq}`).toBe(true)
        for (const id of step.sent ?? []) sent.add(id)
      }
      expect(trace.steps.some((step) => step.action === "DuplicateMessage")).toBe(true)
    })
  })
})

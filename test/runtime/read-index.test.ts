/**
 * Reads outside the log (ReadIndex, src/runtime/read-index.ts) in an in-memory cluster driven by
 * scripts: a read waits for a quorum to answer a round the leader sent after it arrived, takes no
 * log entry, is redirected by followers, and a leader cut off from the others never answers one.
 * The model-based tests (model-based.test.ts) mix reads into random fault runs under lincheck.
 */
import { describe, expect, it } from "vitest"
import { defaultClusterOptions } from "../../src/runtime/cluster/cluster.ts"
import { ClusterDriver } from "../../src/runtime/cluster/driver.ts"
import type { Script, ScriptCommand } from "../../src/runtime/cluster/script.ts"

const everything = { do: "deliver", all: true } as const
const elect = (server: string): Script => [{ do: "timeout", server }, everything]
const put = (client: string, key: string, value: string): ScriptCommand => ({ do: "submit", client, op: { f: "put", key, value } })
const read = (client: string, key: string): ScriptCommand => ({ do: "read", client, key })

const run = async (script: Script, bugs: ReadonlyArray<string> = []) => {
  const trace: Array<string> = []
  const driver = await ClusterDriver.start({
    cluster: { ...defaultClusterOptions, bugs: new Set(bugs) },
    seed: 1,
    observers: [],
    traceLine: (line) => trace.push(line)
  })
  const marks: Array<number> = []
  try {
    for (const command of script) {
      expect(await driver.execute(command)).toBeNull()
      marks.push(trace.length)
    }
    return { history: (await driver.summary()).history, trace, marks, driver }
  } finally {
    await driver.close()
  }
}

const actionsBetween = (trace: ReadonlyArray<string>, from: number, to: number) =>
  trace.slice(from, to).map((line) => JSON.parse(line).action as string)

describe("reads outside the log (ReadIndex)", () => {
  it("are answered once a quorum answers a round sent after them, with no log entry", async () => {
    const script: Script = [...elect("s1"), put("c1", "x", "a"), everything, read("c2", "x")]
    const { history, trace, marks } = await run([...script, { do: "deliver", select: { to: "s2" } }, { do: "deliver", select: { from: "s2" } }])
    const readAt = script.length - 1
    // The read itself sends the round: one AppendEntries to each follower, and takes no entry.
    expect(actionsBetween(trace, marks[readAt - 1], marks[readAt])).toEqual(["AppendEntries", "AppendEntries"])
    const get = history.find((op) => op.client === "c2")!
    expect(get.session).toBeUndefined()
    expect(get.answer).toEqual({ result: "a" })
    expect(trace.filter((line) => line.includes('"action":"ClientRequest"'))).toHaveLength(1)
  })

  it("wait while no follower has answered the round", async () => {
    const { history } = await run([...elect("s1"), put("c1", "x", "a"), everything, read("c2", "x")])
    expect(history.find((op) => op.client === "c2")).toMatchObject({ return: Infinity })
  })

  it("do not count answers to rounds sent before the read arrived", async () => {
    // s1's commit round is in flight when the read arrives; its answers must not confirm the read.
    const script: Script = [
      ...elect("s1"),
      put("c1", "x", "a"),
      { do: "deliver", select: { type: "AppendEntriesRequest" }, all: true },
      { do: "deliver", select: { type: "AppendEntriesResponse", from: "s2" } },
      { do: "deliver", select: { type: "AppendEntriesRequest" }, all: true },
      read("c2", "x"),
      { do: "drop", select: { type: "AppendEntriesRequest" }, all: true },
      { do: "deliver", select: { type: "AppendEntriesResponse" }, all: true }
    ]
    const { history } = await run(script)
    expect(history.find((op) => op.client === "c1")!.answer).toEqual({ result: null })
    expect(history.find((op) => op.client === "c2")).toMatchObject({ return: Infinity })
  })

  it("wait until the leader has committed an entry of its own term", async () => {
    const { history } = await run([...elect("s1"), read("c2", "x"), everything, put("c1", "x", "a"), everything])
    const get = history.find((op) => op.client === "c2")!
    // Answered only after the put of term 1 committed, and so it reads it.
    expect(get.answer).toEqual({ result: "a" })
  })

  it("are redirected by a follower to the leader", async () => {
    const { history } = await run([...elect("s2"), put("c1", "x", "a"), everything, read("c3", "x"), everything])
    expect(history.find((op) => op.client === "c3")!.answer).toEqual({ result: "a" })
  })

  /** s2 leads and is cut off; s1 is elected and writes x = b; c1 then reads x at s2, which does not know. */
  const readAtDeposedLeader: Script = [
    ...elect("s2"),
    put("c1", "x", "a"),
    everything,
    { do: "partition", groups: [["s2"]] },
    ...elect("s1"),
    put("c2", "x", "b"),
    everything,
    read("c1", "x"),
    everything
  ]

  it("are never answered by a leader cut off from the others; with read-without-quorum they are, stale", async () => {
    const script = readAtDeposedLeader
    const correct = await run(script)
    expect(correct.history.filter((op) => op.client === "c1").at(-1)).toMatchObject({ op: { f: "get" }, return: Infinity })
    const buggy = await run(script, ["read-without-quorum"])
    expect(buggy.history.filter((op) => op.client === "c1").at(-1)).toMatchObject({ op: { f: "get" }, answer: { result: "a" } })
  })

  it("fail over to the new leader once the old one learns of the newer term", async () => {
    const script: Script = [
      ...readAtDeposedLeader,
      { do: "heal" },
      { do: "tick", ms: 60 },
      everything,
      { do: "retry", client: "c1" },
      everything
    ]
    const { history } = await run(script)
    expect(history.filter((op) => op.client === "c1").at(-1)).toMatchObject({ op: { f: "get" }, answer: { result: "b" } })
  })
})

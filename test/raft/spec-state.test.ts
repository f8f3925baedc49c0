/**
 * The projection onto the spec's variables and the trace format's reader.
 */
import { describe, expect, it } from "vitest"
import {
  initialNode,
  makeConfig,
  type Message,
  readTrace,
  specConstants,
  TraceFormatError,
  timeout,
  toSpecState
} from "../../src/raft/index.ts"

const config = makeConfig(["s1", "s2"])
const s1 = { $mv: "s1" }
const s2 = { $mv: "s2" }

describe("toSpecState", () => {
  it("encodes the initial cluster with the shared JSON encoding", () => {
    const state = toSpecState({ config, nodes: config.servers.map((id) => initialNode(id, config)), messages: [] })
    expect(state).toEqual({
      currentTerm: { $fn: [[s1, 0], [s2, 0]] },
      votedFor: { $fn: [[s1, { $mv: "Nil" }], [s2, { $mv: "Nil" }]] },
      log: { $fn: [[s1, []], [s2, []]] },
      snapshotIndex: { $fn: [[s1, 0], [s2, 0]] },
      snapshotTerm: { $fn: [[s1, 0], [s2, 0]] },
      snapshotLog: { $fn: [[s1, []], [s2, []]] },
      state: { $fn: [[s1, "Follower"], [s2, "Follower"]] },
      commitIndex: { $fn: [[s1, 0], [s2, 0]] },
      votesGranted: { $fn: [[s1, { $set: [] }], [s2, { $set: [] }]] },
      nextIndex: { $fn: [[s1, { $fn: [[s1, 1], [s2, 1]] }], [s2, { $fn: [[s1, 1], [s2, 1]] }]] },
      matchIndex: { $fn: [[s1, { $fn: [[s1, 0], [s2, 0]] }], [s2, { $fn: [[s1, 0], [s2, 0]] }]] },
      // EmptyBag is the function with an empty domain, which is the empty sequence
      messages: []
    })
    expect(specConstants(config)).toEqual({ Server: { $set: [s1, s2] }, Nil: { $mv: "Nil" } })
  })

  it("counts copies of equal messages in the bag", () => {
    const vote: Message = { type: "RequestVoteResponse", term: 1, source: "s2", dest: "s1", voteGranted: true }
    const other: Message = { ...vote, voteGranted: false }
    const nodes = [timeout(initialNode("s1", config), config)!.state, initialNode("s2", config)]
    const state = toSpecState({ config, nodes, messages: [vote, other, { ...vote }] })
    const record = { mtype: "RequestVoteResponse", mterm: 1, msource: s2, mdest: s1 }
    expect(state.messages).toEqual({
      $fn: [
        [{ ...record, mvoteGranted: true }, 2],
        [{ ...record, mvoteGranted: false }, 1]
      ]
    })
    expect(state.votedFor).toEqual({ $fn: [[s1, s1], [s2, { $mv: "Nil" }]] })
  })
})

describe("readTrace", () => {
  const header = JSON.stringify({ format: "raft-tla-trace", version: 1, spec: "spec/Raft.tla", constants: {}, init: { x: 0 } })
  const step = JSON.stringify({ seq: 1, action: "Timeout", params: { i: s1 }, persist: ["currentTerm"], state: { x: 1 } })

  it("reads a header and steps", () => {
    const trace = readTrace(`${header}\n${step}\n`)
    expect(trace.header.init).toEqual({ x: 0 })
    expect(trace.steps.map((s) => s.action)).toEqual(["Timeout"])
  })

  const failure = (text: string): TraceFormatError => {
    try {
      readTrace(text)
    } catch (error) {
      if (error instanceof TraceFormatError) return error
      throw error
    }
    throw new Error("readTrace accepted a bad trace")
  }

  it("names the line of a step that is not JSON", () => {
    const error = failure(`${header}\n${step}\n{"seq": 2,\n`)
    expect(error.line).toBe(3)
    expect(error.message).toContain("not JSON")
  })

  it("names the line of a step with an unknown action", () => {
    const error = failure(`${header}\n${step.replace("Timeout", "Teleport")}\n`)
    expect(error.line).toBe(2)
    expect(error.message).toContain("bad step")
  })

  it("rejects a record field starting with $ and a wrong header", () => {
    expect(failure(`${header}\n${step.replace('"x":1', '"x":{"$bad":1}')}\n`).line).toBe(2)
    expect(failure(header.replace('"version":1', '"version":2')).line).toBe(1)
    expect(failure("").line).toBe(1)
  })
})

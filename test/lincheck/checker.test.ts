import { describe, expect, it } from "vitest"
import {
  builtInModels,
  checkEvents,
  checkOperations,
  MalformedEvents,
  Unknown,
  type Event,
  type KvInput,
  type KvOutput,
  type Operation
} from "../../src/lincheck/index.ts"

type Op = Operation<KvInput, KvOutput>
const op = (client: number, call: number, ret: number, input: KvInput, output: Op["output"] = null): Op => ({
  client,
  call,
  return: ret,
  input,
  output
})
const write = (value: number): KvInput => ({ f: "write", value })
const read: KvInput = { f: "read" }
const cas = (from: number | null, to: number): KvInput => ({ f: "cas", value: [from, to] })

const register = builtInModels.register.model
const casRegister = builtInModels["cas-register"].model

describe("checkOperations on hand-written histories", () => {
  it("accepts reads that overlap a write and see either value", () => {
    const history = [op(0, 0, 100, write(100)), op(1, 25, 75, read, 100), op(2, 30, 60, read, null)]
    const result = checkOperations(register, history)
    expect(result.verdict).toBe("ok")
    expect(result.partitions[0].linearization).toEqual([2, 0, 1])
  })

  it("rejects a read of the old value after a read of the new one has returned", () => {
    const history = [op(0, 0, 100, write(200)), op(1, 10, 30, read, 200), op(2, 40, 90, read, null)]
    const result = checkOperations(register, history, { verbose: true })
    expect(result.verdict).toBe("illegal")
    const partial = result.partitions[0].partials?.[0]
    expect(partial?.order).toEqual([0, 1])
    expect(partial?.stuck).toBe(2)
  })

  it("treats operations that touch in time as concurrent", () => {
    // The read is called exactly when the write returns: it may still be ordered first.
    expect(checkOperations(register, [op(0, 0, 10, write(1)), op(1, 10, 20, read, null)]).verdict).toBe("ok")
    expect(checkOperations(register, [op(0, 0, 10, write(1)), op(1, 11, 20, read, null)]).verdict).toBe("illegal")
  })

  it("lets a call that never returned take effect at any later time, or never", () => {
    const pending = op(0, 0, Infinity, write(1), Unknown)
    expect(checkOperations(register, [pending, op(1, 5, 6, read, null), op(1, 7, 8, read, 1)]).verdict).toBe("ok")
    expect(checkOperations(register, [pending, op(1, 50, 60, read, null)]).verdict).toBe("ok")
    // ...but not before it was called.
    expect(checkOperations(register, [op(1, 0, 1, read, 1), { ...pending, call: 2 }]).verdict).toBe("illegal")
  })

  it("still requires a returned operation with an unknown output to take effect before it returned", () => {
    const timedOutWrite = op(0, 0, 5, write(1), Unknown)
    expect(checkOperations(register, [timedOutWrite, op(1, 6, 7, read, null)]).verdict).toBe("illegal")
  })

  it("checks compare-and-set answers both ways", () => {
    const base = [op(0, 0, 1, write(1))]
    expect(checkOperations(casRegister, [...base, op(1, 2, 3, cas(1, 2), true), op(2, 4, 5, read, 2)]).verdict).toBe("ok")
    expect(checkOperations(casRegister, [...base, op(1, 2, 3, cas(1, 2), false)]).verdict).toBe("illegal")
    expect(checkOperations(casRegister, [...base, op(1, 2, 3, cas(3, 2), false), op(2, 4, 5, read, 1)]).verdict).toBe("ok")
    expect(checkOperations(casRegister, [...base, op(1, 2, 3, cas(3, 2), true)]).verdict).toBe("illegal")
  })

  it("accepts the empty history", () => {
    expect(checkOperations(register, []).verdict).toBe("ok")
  })

  it("rejects times that make no sense", () => {
    expect(() => checkOperations(register, [op(0, 5, 4, read)])).toThrow(/returns before it is called/)
    expect(() => checkOperations(register, [op(0, Infinity, Infinity, read)])).toThrow(/finite call/)
  })
})

describe("partitions", () => {
  const kv = builtInModels.kv.model
  const put = (key: string, value: string): KvInput => ({ f: "put", key, value })
  const get = (key: string): KvInput => ({ f: "get", key })

  it("checks each key on its own and reports the illegal one", () => {
    const history = [
      op(0, 0, 1, put("x", "a")),
      op(1, 0, 1, put("y", "b")),
      op(0, 2, 3, get("x"), "a"),
      op(1, 2, 3, get("y"), "a")
    ]
    const result = checkOperations(kv, history, { verbose: true })
    expect(result.verdict).toBe("illegal")
    expect(result.partitions.map((p) => p.verdict)).toEqual(["ok", "illegal"])
    expect(result.partitions[1].indices).toEqual([1, 3])
  })

  it("stops after the first illegal partition unless verbose", () => {
    const history = [op(0, 0, 1, get("x"), "zz"), op(0, 2, 3, get("y"), null)]
    const quick = checkOperations(kv, history)
    expect(quick.verdict).toBe("illegal")
    expect(quick.partitionsChecked).toBe(1)
    expect(quick.partitions[1].verdict).toBe("unknown")
    expect(checkOperations(kv, history, { verbose: true }).partitionsChecked).toBe(2)
  })
})

describe("the time budget", () => {
  // Forty overlapping writes and a read of a value none of them wrote: the search must try every
  // subset of the writes before it can say illegal, far more than any budget here allows.
  const hard = [
    ...Array.from({ length: 40 }, (_, i) => op(i, 0, 100, write(i))),
    op(99, 50, 100, read, 1000)
  ]

  it("answers unknown once the clock passes the deadline", () => {
    let now = 0
    // A clock that moves one second per reading: the deadline passes at the first poll.
    const result = checkOperations(register, hard, { timeoutMs: 500, now: () => (now += 1000) })
    expect(result.verdict).toBe("unknown")
    expect(result.partitionsChecked).toBe(0)
  })

  it("does not poll the clock at all without a budget", () => {
    let readings = 0
    const result = checkOperations(register, hard.slice(0, 3), { now: () => readings++ })
    expect(result.verdict).toBe("ok")
    expect(readings).toBe(0)
  })
})

describe("checkEvents", () => {
  it("pairs calls and returns by id, in time order", () => {
    const events: Array<Event<KvInput, KvOutput>> = [
      { kind: "call", client: 0, id: 0, input: write(100) },
      { kind: "call", client: 1, id: 1, input: read },
      { kind: "call", client: 2, id: 2, input: read },
      { kind: "return", client: 2, id: 2, output: null },
      { kind: "return", client: 1, id: 1, output: 100 },
      { kind: "return", client: 0, id: 0, output: null }
    ]
    expect(checkEvents(register, events).verdict).toBe("ok")
    const stale: Array<Event<KvInput, KvOutput>> = [
      { kind: "call", client: 0, id: 0, input: write(200) },
      { kind: "call", client: 1, id: 1, input: read },
      { kind: "return", client: 1, id: 1, output: 200 },
      { kind: "call", client: 2, id: 2, input: read },
      { kind: "return", client: 2, id: 2, output: null },
      { kind: "return", client: 0, id: 0, output: null }
    ]
    expect(checkEvents(register, stale).verdict).toBe("illegal")
  })

  it("leaves a call without a return open to the end", () => {
    const events: Array<Event<KvInput, KvOutput>> = [
      { kind: "call", client: 0, id: "w", input: write(1) },
      { kind: "call", client: 1, id: "r", input: read },
      { kind: "return", client: 1, id: "r", output: null }
    ]
    expect(checkEvents(register, events).verdict).toBe("ok")
  })

  it("rejects a return without its call", () => {
    expect(() => checkEvents(register, [{ kind: "return", client: 0, id: 3, output: null }])).toThrow(MalformedEvents)
  })
})

describe("the Raft KV model with client sessions", () => {
  const raftKv = builtInModels["raft-kv"].model
  const append = (seq: number, value: string): KvInput => ({ f: "append", key: "k", value, session: { clientId: 7, seq } })
  const get = (seq: number): KvInput => ({ f: "get", key: "k", session: { clientId: 8, seq } })

  it("applies a retried command once", () => {
    const history = [op(7, 0, Infinity, append(1, "a"), Unknown), op(7, 4, 6, append(1, "a")), op(8, 7, 8, get(1), "a")]
    expect(checkOperations(raftKv, history).verdict).toBe("ok")
    expect(checkOperations(raftKv, [...history.slice(0, 2), op(8, 7, 8, get(1), "aa")]).verdict).toBe("illegal")
    // The plain kv model has no sessions: there the two appends both apply.
    expect(checkOperations(builtInModels.kv.model, [...history.slice(0, 2), op(8, 7, 8, get(1), "a")]).verdict).toBe("ok")
  })

  it("answers a retried read with the first result", () => {
    const cas = (seq: number): KvInput => ({ f: "cas", key: "k", value: [null, "x"], session: { clientId: 7, seq } })
    const history = [op(7, 0, 1, cas(1), true), op(7, 2, 3, cas(1), true)]
    expect(checkOperations(raftKv, history).verdict).toBe("ok")
    expect(checkOperations(raftKv, [op(7, 0, 1, cas(1), true), op(7, 2, 3, cas(2), true)]).verdict).toBe("illegal")
  })

  it("takes a get without a session as a read outside the log: it reads and leaves the sessions alone", () => {
    const read: KvInput = { f: "get", key: "k" }
    // Client 7 gave up on append #1 and read; the append still took effect after the read.
    const history = [op(7, 0, Infinity, append(1, "a"), Unknown), op(7, 1, 2, read, null), op(8, 3, 4, get(1), "a")]
    expect(checkOperations(raftKv, history).verdict).toBe("ok")
    // Had the read gone through client 7's session with seq 2, append #1 would be stale afterwards.
    const logged: KvInput = { ...read, session: { clientId: 7, seq: 2 } }
    expect(checkOperations(raftKv, [history[0], op(7, 1, 2, logged, null), history[2]]).verdict).toBe("illegal")
    expect(checkOperations(raftKv, [op(7, 0, 1, append(1, "a")), op(9, 2, 3, read, null)]).verdict).toBe("illegal")
    expect(builtInModels["raft-kv"].problemWith({ f: "put", key: "k", value: "a" }, Unknown)).toContain("needs a client session")
    expect(builtInModels["raft-kv"].problemWith(read, "a")).toBeUndefined()
  })

  it("ignores a stale retry, whose client cannot have seen an answer", () => {
    const history = [op(7, 0, 1, append(2, "b")), op(7, 2, 3, append(1, "a"), Unknown), op(8, 4, 5, get(1), "b")]
    expect(checkOperations(raftKv, history).verdict).toBe("ok")
    expect(checkOperations(raftKv, [op(7, 0, 1, append(2, "b")), op(7, 2, 3, append(1, "a"))]).verdict).toBe("illegal")
  })
})

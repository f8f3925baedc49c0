/**
 * The KV state machine with client sessions, and the command encoding log entries carry.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { decodeCommand, decodeEntryValue, encodeBatch, encodeCommand, type KvCommand } from "../../src/runtime/kv-command.ts"
import { KvStore, StateMachine } from "../../src/runtime/state-machine.ts"

const command = (clientId: string, seq: number, op: KvCommand["op"]): string => encodeCommand({ session: { clientId, seq }, op })

describe("commands in log entries", () => {
  it("round-trip every operation", () => {
    const commands: Array<KvCommand> = [
      { session: { clientId: "c1", seq: 1 }, op: { f: "put", key: "x", value: "a" } },
      { session: { clientId: "c1", seq: 2 }, op: { f: "append", key: "x", value: "b" } },
      { session: { clientId: "c2", seq: 7 }, op: { f: "get", key: "x" } },
      { session: { clientId: "c2", seq: 8 }, op: { f: "cas", key: "x", expected: null, value: "c" } },
      { session: { clientId: "c2", seq: 9 }, op: { f: "delete", key: "x" } }
    ]
    for (const c of commands) expect(decodeCommand(encodeCommand(c))).toEqual(c)
  })

  it("are short", () => {
    expect(command("c1", 3, { f: "put", key: "x", value: "a" })).toBe('["c1",3,"put","x","a"]')
  })

  it("reject values that are not commands", () => {
    for (const value of ["v1", "{}", "[]", '["c1","one","put","x","a"]', '["c1",1,"remove","x"]', '["c1",1,"put","x"]']) {
      expect(decodeCommand(value), value).toBeNull()
    }
  })
})

describe("the KV store", () => {
  it("puts, appends, reads and compares-and-sets", () => {
    const store = new KvStore()
    expect(store.apply(command("c1", 1, { f: "get", key: "x" }))?.result).toBeNull()
    expect(store.apply(command("c1", 2, { f: "put", key: "x", value: "a" }))?.result).toBeNull()
    store.apply(command("c1", 3, { f: "append", key: "x", value: "b" }))
    expect(store.apply(command("c1", 4, { f: "cas", key: "x", expected: "a", value: "z" }))?.result).toBe(false)
    expect(store.apply(command("c1", 5, { f: "cas", key: "x", expected: "ab", value: "z" }))?.result).toBe(true)
    expect(store.apply(command("c1", 6, { f: "get", key: "x" }))?.result).toBe("z")
    expect(store.apply(command("c1", 7, { f: "delete", key: "x" }))?.result).toBeNull()
    expect(store.contents().has("x")).toBe(false)
    expect(store.apply(command("c1", 8, { f: "get", key: "x" }))?.result).toBeNull()
  })

  it("applies a retried command once and answers it with the first answer", () => {
    const store = new KvStore()
    const append = command("c1", 1, { f: "append", key: "x", value: "a" })
    store.apply(append)
    store.apply(command("c2", 1, { f: "append", key: "x", value: "b" }))
    const read = command("c1", 2, { f: "get", key: "x" })
    expect(store.apply(read)?.result).toBe("ab")
    store.apply(command("c2", 2, { f: "append", key: "x", value: "c" }))
    expect(store.apply(read)?.result).toBe("ab")
    expect(store.apply(append)?.result).toBeNull()
    expect(store.contents().get("x")).toBe("abc")
  })

  it("with no-client-dedup applies a retry again", () => {
    const store = new KvStore(new Set(["no-client-dedup"]))
    const append = command("c1", 1, { f: "append", key: "x", value: "a" })
    store.apply(append)
    store.apply(append)
    expect(store.contents().get("x")).toBe("aa")
  })

  it("applies a batch entry command by command, and answers each", () => {
    const store = new KvStore()
    const batch = encodeBatch([command("c1", 1, { f: "put", key: "x", value: "a" }), command("c2", 1, { f: "get", key: "x" }), command("c1", 1, { f: "put", key: "x", value: "a" })])
    const answers = store.applyEntry(batch)
    expect(answers.map((answer) => [answer.session.clientId, answer.result])).toEqual([["c1", null], ["c2", "a"], ["c1", null]])
    expect(decodeEntryValue(batch)).toHaveLength(3)
    expect(store.applyEntry(command("c3", 1, { f: "get", key: "x" })).map((answer) => answer.result)).toEqual(["a"])
    expect(store.applyEntry("noop")).toEqual([])
    expect(decodeEntryValue("[[1,2]")).toEqual([])
  })

  it("answers nobody for a value that is no command", () => {
    expect(new KvStore().apply("v1")).toBeNull()
  })

  it("as a service, starts over from a snapshot's entries", async () => {
    const contents = await Effect.runPromise(
      Effect.gen(function* () {
        const machine = yield* StateMachine
        yield* machine.apply(command("c1", 1, { f: "put", key: "y", value: "gone" }))
        yield* machine.restore([command("c1", 1, { f: "put", key: "x", value: "a" }), command("c1", 2, { f: "append", key: "x", value: "b" })])
        // The session table came back with the snapshot: the retry is recognised.
        yield* machine.apply(command("c1", 2, { f: "append", key: "x", value: "b" }))
        return machine.contents()
      }).pipe(Effect.provide(StateMachine.layerKv()))
    )
    expect([...contents]).toEqual([["x", "ab"]])
  })
})

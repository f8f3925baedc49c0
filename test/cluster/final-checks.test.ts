/**
 * The end-of-test checks of the failure harness, on histories and logs made by hand: each passes
 * what it should and fails on what it must catch (a lost or doubled write, a stale read, logs that
 * disagree).
 */
import { describe, expect, it } from "vitest"
import { checkAppends, checkLinearizable, checkLogsAgree } from "../../src/cluster/harness/final-checks.ts"
import type { RecordedOperation } from "../../src/cluster/harness/workload.ts"
import type { KvOperation } from "../../src/runtime/kv-command.ts"

let seq = 0
const op = (client: number, o: KvOperation, call: number, ret: number, result?: string | boolean | null): RecordedOperation => ({
  client,
  op: o,
  call,
  return: ret,
  ...(o.f === "get" ? {} : { session: { clientId: `c${client}`, seq: ++seq } }),
  ...(result === undefined ? {} : { answer: { result } })
})
const append = (client: number, token: string, call: number, ret: number, answered = true) =>
  op(client, { f: "append", key: "log0", value: `${token};` }, call, answered ? ret : Infinity, answered ? null : undefined)

describe("acknowledged writes", () => {
  const history = [append(1, "c1.1", 0, 2), append(2, "c2.1", 1, 3), append(1, "c1.2", 4, 5, false)]

  it("pass when every acknowledged append is there once (an unanswered one may be there or not)", () => {
    expect(checkAppends(history, new Map([["log0", "c2.1;c1.1;"]]))).toMatchObject({ ok: true })
    expect(checkAppends(history, new Map([["log0", "c1.1;c2.1;c1.2;"]]))).toMatchObject({ ok: true })
  })

  it("fail on a lost, a doubled or an invented append", () => {
    expect(checkAppends(history, new Map([["log0", "c1.1;"]])).detail).toBe("log0: the acknowledged append c2.1 is missing")
    expect(checkAppends(history, new Map([["log0", "c1.1;c2.1;c1.1;"]])).detail).toBe("log0: c1.1 was applied 2 times")
    expect(checkAppends(history, new Map([["log0", "c1.1;c2.1;c9.9;"]])).detail).toBe("log0: c9.9 was never sent")
    expect(checkAppends(history, new Map([["log0", null]])).ok).toBe(false)
  })
})

describe("linearizability of the history", () => {
  it("passes a history a single copy could give and fails a stale read", () => {
    const good = [op(1, { f: "put", key: "k0", value: "a" }, 0, 1, null), op(2, { f: "get", key: "k0" }, 2, 3, "a"), op(1, { f: "put", key: "k0", value: "b" }, 4, 5, null)]
    expect(checkLinearizable(good, 5000).outcome).toMatchObject({ ok: true })
    const stale = [...good, op(2, { f: "get", key: "k0" }, 6, 7, "a")]
    expect(checkLinearizable(stale, 5000).outcome).toMatchObject({ ok: false, detail: 'not linearizable (key "k0")' })
  })

  it("names the keys it could not decide in its budget, and how to give it longer", () => {
    const history = [op(1, { f: "put", key: "k0", value: "a" }, 0, 1, null), op(2, { f: "put", key: "k1", value: "b" }, 0, 1, null)]
    // A clock that moves 1 ms per look: 2 ms are left for k0, none for k1.
    let ms = 0
    const { outcome } = checkLinearizable(history, 2, () => ms++)
    expect(outcome).toMatchObject({ ok: false, detail: 'undecided within 0.002 s (key "k1"; `raft-tla lincheck --timeout SECONDS` on the history gives the search longer)' })
  })

  it("applies a retried write once, by its session", () => {
    const put = op(1, { f: "cas", key: "k0", expected: null, value: "a" }, 0, 1, true)
    expect(checkLinearizable([put, op(2, { f: "get", key: "k0" }, 2, 3, "a")], 5000).outcome.ok).toBe(true)
    expect(checkLinearizable([put, op(1, { f: "cas", key: "k0", expected: null, value: "a" }, 2, 3, true)], 5000).outcome.ok).toBe(false)
  })
})

describe("log agreement", () => {
  const entry = (term: number, value: string) => ({ term, value })
  const common = [entry(1, "a"), entry(1, "b"), entry(2, "c")]

  it("passes logs that agree on the committed prefix, whatever follows it", () => {
    const logs = new Map([
      ["s1", [...common, entry(3, "d")]],
      ["s2", [...common, entry(4, "e")]],
      ["s3", common]
    ])
    expect(checkLogsAgree(logs, 3)).toMatchObject({ ok: true })
  })

  it("fails on a committed entry that differs, a node that lacks one, and a Log Matching break past the commit", () => {
    expect(checkLogsAgree(new Map([["s1", common], ["s2", [entry(1, "a"), entry(1, "x"), entry(2, "c")]]]), 3).detail).toContain(
      "s1 and s2 differ at index 2"
    )
    expect(checkLogsAgree(new Map([["s1", common], ["s2", common.slice(0, 2)]]), 3).detail).toContain("s2 holds 2 entries, fewer than the 3 committed")
    // Same term at index 4, different entries at index 3: Log Matching is broken even though 3 is not committed.
    const s1 = [entry(1, "a"), entry(1, "b"), entry(2, "c"), entry(2, "d")]
    const s2 = [entry(1, "a"), entry(1, "b"), entry(2, "x"), entry(2, "d")]
    expect(checkLogsAgree(new Map([["s1", s1], ["s2", s2]]), 2).detail).toContain("differ at index 3")
  })
})

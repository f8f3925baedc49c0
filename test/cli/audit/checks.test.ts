/**
 * The audit's end-of-run checks and the shrinker, each shown to fail on a bad input and to pass on
 * a good one.
 */
import { describe, expect, it } from "vitest"
import { lincheckOperations, linearizabilityCheck, livenessCheck } from "../../../src/cli/audit/checks.ts"
import { shrinkScript } from "../../../src/cli/audit/shrink.ts"
import { Unknown } from "../../../src/lincheck/index.ts"
import type { ClientOperation } from "../../../src/runtime/cluster/clients.ts"
import type { RunSummary } from "../../../src/runtime/cluster/driver.ts"
import type { ObservedStep } from "../../../src/runtime/cluster/recorder.ts"
import type { Script } from "../../../src/runtime/cluster/script.ts"

const summary = (history: ReadonlyArray<ClientOperation>, elapsedMs = 1000): RunSummary => ({ failure: null, steps: 0, elapsedMs, history })

const op = (client: string, seq: number, f: "put" | "get" | "append", call: number, ret: number, result?: string | null): ClientOperation => ({
  client,
  session: { clientId: client, seq },
  op: f === "get" ? { f, key: "x" } : { f, key: "x", value: "a" },
  call,
  return: ret,
  ...(result === undefined ? {} : { answer: { result } })
})

describe("the linearizability check", () => {
  it("passes a history the Raft KV store allows, including an unanswered call", () => {
    const history = [op("c1", 1, "put", 1, 2, null), op("c2", 1, "get", 3, 4, "a"), op("c3", 1, "append", 5, Infinity)]
    expect(linearizabilityCheck().atEnd!({ summary: summary(history), trace: null })).toBeNull()
  })

  it("fails a read that misses a completed write, and says where it got stuck", () => {
    const history = [op("c1", 1, "put", 1, 2, null), op("c2", 1, "get", 3, 4, null)]
    const detail = linearizabilityCheck().atEnd!({ summary: summary(history), trace: null })
    expect(detail).toMatch(/not linearizable/)
    expect(detail).toMatch(/stuck: c2#1 get\("x"\) → nil/)
  })

  it("hands src/lincheck sessions, cas pairs and unknown outputs", () => {
    const cas: ClientOperation = {
      client: "c1",
      session: { clientId: "c1", seq: 4 },
      op: { f: "cas", key: "y", expected: null, value: "b" },
      call: 1,
      return: Infinity
    }
    expect(lincheckOperations([cas])).toEqual([
      { client: "c1", input: { f: "cas", key: "y", value: [null, "b"], session: { clientId: "c1", seq: 4 } }, call: 1, output: Unknown, return: Infinity }
    ])
  })
})

describe("the liveness check", () => {
  const step = (action: "BecomeLeader" | "Timeout") => ({ event: { action, params: {}, persist: [] } }) as unknown as ObservedStep

  const after = (actions: ReadonlyArray<"BecomeLeader" | "Timeout">, elapsedMs: number) => {
    const check = livenessCheck()
    for (const action of actions) expect(check.onStep!(step(action))).toBeNull()
    return check.atEnd!({ summary: summary([], elapsedMs), trace: null })
  }

  it("ignores split votes before the first leader", () => {
    expect(after(["Timeout", "Timeout", "Timeout", "Timeout", "BecomeLeader"], 1000)).toBeNull()
  })

  it("allows two elections per five seconds after it, and fails a third", () => {
    expect(after(["BecomeLeader", "Timeout", "Timeout"], 4000)).toBeNull()
    expect(after(["BecomeLeader", "Timeout", "Timeout", "Timeout"], 4000)).toMatch(/3 elections after the first leader in 4000 ms/)
    expect(after(["BecomeLeader", "Timeout", "Timeout", "Timeout"], 6000)).toBeNull()
  })
})

describe("shrinking", () => {
  const tick = (ms: number) => ({ do: "tick", ms }) as const

  it("keeps only the commands the failure needs", async () => {
    const script: Script = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(tick)
    const needs = (candidate: Script) => Promise.resolve([3, 8].every((ms) => candidate.some((c) => c.do === "tick" && c.ms === ms)))
    expect(await shrinkScript(script, needs, performance.now() + 60_000)).toEqual([tick(3), tick(8)])
  })

  it("keeps the script when nothing can go", async () => {
    const script: Script = [tick(1), tick(2)]
    expect(await shrinkScript(script, (candidate) => Promise.resolve(candidate.length === 2), performance.now() + 60_000)).toEqual(script)
  })
})

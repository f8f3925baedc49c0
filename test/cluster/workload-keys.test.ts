/**
 * The failure test's keys grow with its clients, so that the operations in flight on one key (what
 * the linearizability search is exponential in) stay bounded; up to 16 clients they are as before.
 */
import { describe, expect, it } from "vitest"
import { keysFor } from "../../src/cluster/harness/workload.ts"

describe("keysFor", () => {
  it("keeps 4 shared keys and 2 log keys up to 16 clients", () => {
    for (const clients of [1, 6, 8, 16]) expect(keysFor(clients)).toEqual({ shared: ["k0", "k1", "k2", "k3"], logs: ["log0", "log1"] })
  })

  it("adds a shared key per 4 clients and a log key per 8 beyond that", () => {
    const keys = keysFor(64)
    expect(keys.shared).toHaveLength(16)
    expect(keys.logs).toHaveLength(8)
    expect(keysFor(17).shared).toHaveLength(5)
    expect(keysFor(17).logs).toHaveLength(3)
    expect(new Set([...keys.shared, ...keys.logs]).size).toBe(24)
  })
})

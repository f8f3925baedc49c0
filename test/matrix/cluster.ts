/**
 * What the fault-matrix scenarios share: a simulator built from a few knobs, and the questions
 * they ask of it (is there a leader, have the servers converged, what is committed).
 */
import { expect } from "vitest"
import { type Entry, entryAt, lastIndex, lastTerm, type Node } from "../../src/raft/index.ts"
import { defaultOptions, type Fault, type SimOptions } from "../../src/sim/options.ts"
import { Simulator } from "../../src/sim/simulator.ts"

type Knobs = Partial<Omit<SimOptions, "seed" | "faults">> & { readonly faults?: ReadonlyArray<Fault> }

export const cluster = (seed: number, knobs: Knobs = {}) =>
  new Simulator({
    ...defaultOptions(seed),
    clientRate: 0,
    ...knobs,
    faults: new Set(knobs.faults ?? [])
  })

/** Fails with the violation's report if the run broke an invariant. */
export const expectSafe = (sim: Simulator): void => {
  const v = sim.violation
  expect(v && `${v.invariant} at step ${v.seq}: ${v.detail}`).toBeNull()
}

export const wholeLog = (node: Node): Array<Entry> =>
  Array.from({ length: lastIndex(node.persistent) }, (_, k) => entryAt(node.persistent, k + 1))

export const committedLog = (node: Node): Array<Entry> =>
  Array.from({ length: node.volatile.commitIndex }, (_, k) => entryAt(node.persistent, k + 1))

export const leaders = (sim: Simulator): Array<Node> => sim.nodes.filter((node) => node.volatile.role === "Leader")

/** One leader, every server in its term with its whole log committed. */
export const converged = (sim: Simulator): boolean => {
  const [leader, ...others] = leaders(sim)
  if (!leader || others.length > 0) return false
  const last = lastIndex(leader.persistent)
  return sim.nodes.every(
    (node) =>
      node.persistent.currentTerm === leader.persistent.currentTerm &&
      lastIndex(node.persistent) === last &&
      node.volatile.commitIndex === last
  )
}

/**
 * Runs until the cluster has converged. A new leader cannot commit older terms' entries until it
 * commits one of its own (the spec has no no-op entry on election), so when the leader's last
 * entry is of an older term a client submits one more value, as a client would retry.
 */
export const settle = (sim: Simulator, budget = 50_000): boolean => {
  for (let spent = 0; spent < budget && sim.violation === null; spent += 500) {
    if (converged(sim)) return true
    const [leader] = leaders(sim)
    if (leader && lastTerm(leader.persistent) < leader.persistent.currentTerm) sim.submit()
    sim.run(500)
  }
  return converged(sim)
}

/** Submits `count` client values, one every few steps, and returns them. */
export const submitMany = (sim: Simulator, count: number, stepsBetween = 5, budget = 200_000): Array<string> => {
  const accepted: Array<string> = []
  for (let spent = 0; accepted.length < count && spent < budget && sim.violation === null; spent += stepsBetween) {
    const value = sim.submit(`c${accepted.length + 1}`)
    if (value !== null) accepted.push(value)
    sim.run(stepsBetween)
  }
  expect(accepted.length).toBe(count)
  return accepted
}

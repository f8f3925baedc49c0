/**
 * The in-memory network: the bag of copies in flight, what delivering, dropping, duplicating,
 * reordering and partitions do to it, and the trace steps the faults record.
 */
import { Effect, Exit, Random, Scope } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import type { Message } from "../../src/raft/index.ts"
import { InMemoryNetwork, type NetworkMode } from "../../src/runtime/network.ts"
import type { StepRecord } from "../../src/runtime/trace-sink.ts"
import type { Delivery } from "../../src/runtime/transport.ts"

const vote = (source: string, dest: string, term = 1): Message => ({
  type: "RequestVoteRequest",
  term,
  source,
  dest,
  lastLogTerm: 0,
  lastLogIndex: 0
})

const setUp = (mode: NetworkMode = { kind: "manual" }) => {
  const steps: Array<StepRecord> = []
  const scope = Effect.runSync(Scope.make())
  const network = new InMemoryNetwork({ record: (step) => steps.push(step) }, mode, scope)
  const inboxes = new Map<string, Array<Delivery>>()
  const attach = (server: string) => {
    inboxes.set(server, [])
    Effect.runSync(network.attach(server, (delivery) => inboxes.get(server)!.push(delivery)))
  }
  return { network, steps, inboxes, attach, scope }
}

describe("a network driven by hand", () => {
  it("keeps copies in send order until a step consumes them", () => {
    const { network } = setUp()
    const ids = network.exchange(undefined, [vote("s1", "s2"), vote("s1", "s3")])
    expect(ids).toEqual([1, 2])
    expect([...network.messages()].map((m) => m.dest)).toEqual(["s2", "s3"])
    expect(network.exchange(1, [])).toEqual([])
    expect(network.waiting().map((copy) => copy.id)).toEqual([2])
  })

  it("hands a copy to its destination once; it stays in flight until consumed", () => {
    const { network, attach, inboxes } = setUp()
    attach("s2")
    const [id] = network.exchange(undefined, [vote("s1", "s2")])
    network.deliver(id)
    network.deliver(id)
    expect(inboxes.get("s2")!.map((copy) => copy.id)).toEqual([id])
    expect(network.waiting()).toEqual([])
    expect([...network.messages()]).toHaveLength(1)
  })

  it("drops a copy for a server that is down, and a handed-over copy when its server goes down", () => {
    const { network, attach, steps } = setUp()
    const [toDown] = network.exchange(undefined, [vote("s1", "s2")])
    network.deliver(toDown)
    expect(steps.map((step) => [step.event.action, step.msgId])).toEqual([["DropMessage", toDown]])
    attach("s3")
    const [held] = network.exchange(undefined, [vote("s1", "s3")])
    network.deliver(held)
    Effect.runSync(network.detach("s3"))
    expect(steps.map((step) => [step.event.action, step.msgId])).toEqual([
      ["DropMessage", toDown],
      ["DropMessage", held]
    ])
    expect([...network.messages()]).toEqual([])
  })

  it("drops copies between the sides of a partition when they arrive, until it heals", () => {
    const { network, attach, inboxes, steps } = setUp()
    for (const server of ["s1", "s2", "s3", "s4", "s5"]) attach(server)
    network.partition([new Set(["s4"]), new Set(["s5"])])
    const [fourToFive, fourToOne] = network.exchange(undefined, [vote("s4", "s5"), vote("s4", "s1")])
    network.deliver(fourToFive)
    network.deliver(fourToOne)
    expect(steps.map((step) => step.msgId)).toEqual([fourToFive, fourToOne])
    steps.length = 0
    network.partition([new Set(["s1"])])
    const [across, within] = network.exchange(undefined, [vote("s1", "s2"), vote("s2", "s3")])
    network.deliver(across)
    network.deliver(within)
    expect(steps.map((step) => step.msgId)).toEqual([across])
    expect(inboxes.get("s3")!.map((copy) => copy.id)).toEqual([within])
    network.heal()
    const [later] = network.exchange(undefined, [vote("s1", "s2")])
    network.deliver(later)
    expect(inboxes.get("s2")!.map((copy) => copy.id)).toEqual([later])
  })

  it("duplicates a copy as a DuplicateMessage step, and reorders the oldest waiting copy to the back", () => {
    const { network, steps } = setUp()
    const [first, second] = network.exchange(undefined, [vote("s1", "s2"), vote("s1", "s3")])
    const copy = network.duplicate(first)
    expect(steps).toHaveLength(1)
    expect(steps[0]).toMatchObject({ server: null, after: null, msgId: first, sent: [copy] })
    expect(steps[0].event.action).toBe("DuplicateMessage")
    network.reorder()
    expect(network.waiting().map((c) => c.id)).toEqual([second, copy, first])
  })
})

describe("a network driven by the clock", () => {
  const clocked = (faults: { dropProbability: number; duplicateProbability: number }): NetworkMode => ({
    kind: "clocked",
    faults: { ...faults, delay: [5, 20] }
  })

  const run = (mode: NetworkMode, count: number) =>
    Effect.runPromise(
      Effect.gen(function* () {
        const { network, attach, inboxes, steps, scope } = setUp(mode)
        attach("s2")
        const ids = network.exchange(undefined, Array.from({ length: count }, () => vote("s1", "s2")))
        yield* network.dispatch(ids)
        yield* TestClock.adjust(4)
        const early = inboxes.get("s2")!.length
        yield* TestClock.adjust(16)
        yield* Scope.close(scope, Exit.void)
        return { early, arrived: inboxes.get("s2")!.map((copy) => copy.id), steps, ids }
      }).pipe(Effect.provide(TestClock.layer()), Random.withSeed(7))
    )

  it("delivers every copy within the delay range, in an order of its own", async () => {
    const { early, arrived, ids } = await run(clocked({ dropProbability: 0, duplicateProbability: 0 }), 12)
    expect(early).toBe(0)
    expect([...arrived].sort((a, b) => a - b)).toEqual(ids)
    expect(arrived).not.toEqual(ids)
  })

  it("drops or duplicates copies as its probabilities say", async () => {
    const dropped = await run(clocked({ dropProbability: 1, duplicateProbability: 0 }), 5)
    expect(dropped.arrived).toEqual([])
    expect(dropped.steps.map((step) => step.event.action)).toEqual(Array(5).fill("DropMessage"))
    const doubled = await run(clocked({ dropProbability: 0, duplicateProbability: 1 }), 5)
    expect(doubled.arrived).toHaveLength(10)
    expect(doubled.steps.map((step) => step.event.action)).toEqual(Array(5).fill("DuplicateMessage"))
  })
})

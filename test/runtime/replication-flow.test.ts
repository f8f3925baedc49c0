/**
 * How a leader moves entries: client commands that arrive together share one append (one write,
 * one fsync), so do the entries of AppendEntries a follower is handed together, the pipeline bound holds back AppendEntries to a follower that has not answered, and a
 * new leader's no-op entry lets it serve reads before any client writes.
 */
import { Context, Deferred, Effect, Exit, Fiber, Layer, Scope } from "effect"
import { describe, expect, it } from "vitest"
import { type Message, makeConfig, type ServerId } from "../../src/raft/index.ts"
import { type ClusterOptions, defaultClusterOptions } from "../../src/runtime/cluster/cluster.ts"
import { ClusterDriver } from "../../src/runtime/cluster/driver.ts"
import type { Script } from "../../src/runtime/cluster/script.ts"
import { encodeCommand } from "../../src/runtime/kv-command.ts"
import { NOOP_VALUE, startNode } from "../../src/runtime/node.ts"
import { NodeStorage } from "../../src/runtime/node-storage.ts"
import { StateMachine } from "../../src/runtime/state-machine.ts"
import { DurableStorage } from "../../src/runtime/storage/durable-storage.ts"
import { SimulatedDisk } from "../../src/runtime/storage/simulated-disk.ts"
import { Timing } from "../../src/runtime/timing.ts"
import { TraceSink } from "../../src/runtime/trace-sink.ts"
import { type Delivery, Transport } from "../../src/runtime/transport.ts"

const everything = { do: "deliver", all: true } as const

/** A single-server cluster (a quorum of one) on a simulated disk; `submits` commands sent at once. */
const appendAtOnce = (submits: number) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const storageLayer = DurableStorage.layerMemory(new SimulatedDisk())
    const context = yield* Layer.build(Layer.merge(storageLayer, NodeStorage.layer.pipe(Layer.provide(storageLayer)))).pipe(Scope.provide(scope))
    const storage = Context.get(context, DurableStorage)
    const node = yield* startNode({ id: "s1", config: makeConfig(["s1"]), restarted: false, snapshotThreshold: 0 }).pipe(
      Effect.provideContext(context),
      Effect.provide(StateMachine.layerKv()),
      Effect.provide(Timing.layer({ electionTimeout: [150, 300], heartbeatInterval: 50 })),
      Effect.provideService(TraceSink, { record: () => {} }),
      Effect.provideService(Transport, {
        attach: () => Effect.void,
        detach: () => Effect.void,
        exchange: () => [],
        dispatch: () => Effect.void,
        lose: () => {}
      }),
      Scope.provide(scope)
    )
    node.forceTimeout()
    const leading = yield* Deferred.make<void>()
    const poll = Effect.gen(function* () {
      while (node.state().volatile.role !== "Leader") yield* Effect.sleep("1 millis")
      yield* Deferred.succeed(leading, undefined)
    })
    yield* Effect.forkIn(poll, scope)
    yield* Deferred.await(leading)
    const before = storage.stats()
    // Every command tries to be the first to set x: exactly one may succeed.
    const commands = Array.from({ length: submits }, (_, k) => encodeCommand({ session: { clientId: `c${k}`, seq: 1 }, op: { f: "cas", key: "x", expected: null, value: String(k) } }))
    const fibers = yield* Effect.forEach(commands, (command) => Effect.forkIn(node.submit(command), scope))
    const answers = yield* Effect.forEach(fibers, Fiber.join)
    const after = storage.stats()
    const stored = node.store().get("x")
    yield* Scope.close(scope, Exit.void)
    return { answers, stored, batches: after.batches - before.batches, records: after.records - before.records }
  })

/**
 * Follower s2 on a simulated disk, handed `messages` from s1 at once (they wait in its mailbox
 * together). Returns the actions it recorded, its answers, and, at each answer's sending, how many
 * WAL appends its storage had made.
 */
const handAtOnce = (messages: ReadonlyArray<Message>) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const storageLayer = DurableStorage.layerMemory(new SimulatedDisk())
    const context = yield* Layer.build(Layer.merge(storageLayer, NodeStorage.layer.pipe(Layer.provide(storageLayer)))).pipe(Scope.provide(scope))
    const storage = Context.get(context, DurableStorage)
    const actions: Array<string> = []
    const answers: Array<{ readonly message: Message; readonly appendsBefore: number }> = []
    let deliver: (delivery: Delivery) => void = () => {}
    let nextId = 0
    const answered = yield* Deferred.make<void>()
    const node = yield* startNode({ id: "s2", config: makeConfig(["s1", "s2", "s3"]), restarted: false, snapshotThreshold: 0 }).pipe(
      Effect.provideContext(context),
      Effect.provide(StateMachine.layerKv()),
      // No election while the test runs.
      Effect.provide(Timing.layer({ electionTimeout: [60_000, 60_001], heartbeatInterval: 50 })),
      Effect.provideService(TraceSink, { record: ({ event }) => actions.push(event.action) }),
      Effect.provideService(Transport, {
        attach: (_server: ServerId, handler) =>
          Effect.sync(() => {
            deliver = handler
          }),
        detach: () => Effect.void,
        exchange: (_consumed, send) => {
          for (const message of send) answers.push({ message, appendsBefore: storage.stats().batches })
          if (answers.length === messages.length) Deferred.doneUnsafe(answered, Exit.void)
          return send.map(() => ++nextId)
        },
        dispatch: () => Effect.void,
        lose: () => {}
      }),
      Scope.provide(scope)
    )
    const before = storage.stats()
    yield* Effect.sync(() => messages.forEach((message, k) => deliver({ id: -(k + 1), message })))
    yield* Deferred.await(answered)
    const after = storage.stats()
    const log = node.state().persistent.log
    yield* Scope.close(scope, Exit.void)
    return { actions, answers, log, appends: after.batches - before.batches, records: after.records - before.records }
  })

const run = async (options: Partial<ClusterOptions>, script: Script) => {
  const trace: Array<string> = []
  const driver = await ClusterDriver.start({ cluster: { ...defaultClusterOptions, ...options }, seed: 1, observers: [], traceLine: (line) => trace.push(line) })
  try {
    for (const command of script) expect(await driver.execute(command)).toBeNull()
    return { trace, driver, history: (await driver.summary()).history, nodes: ["s1", "s2", "s3"].map((id) => driver.cluster.node(id)!.state()) }
  } finally {
    await driver.close()
  }
}

const appendEntriesTo = (trace: ReadonlyArray<string>, dest: string) =>
  trace.slice(1).filter((line) => {
    const step = JSON.parse(line)
    return step.action === "AppendEntries" && step.params.j.$mv === dest
  }).length

describe("replication flow", () => {
  it("appends client commands that arrive together as one entry, and answers each its own answer", async () => {
    const { answers, stored, batches, records } = await Effect.runPromise(appendAtOnce(20))
    // Taken one at a time, 20 commands would take 20 entries and 20 fsyncs.
    expect(records).toBeLessThanOrEqual(2)
    expect(batches).toBeLessThanOrEqual(2)
    expect(answers.map((answer) => answer.session.clientId)).toEqual(Array.from({ length: 20 }, (_, k) => `c${k}`))
    const winners = answers.filter((answer) => answer.result === true)
    expect(winners).toHaveLength(1)
    expect(stored).toBe(winners[0].session.clientId.slice(1))
  })

  it("makes the entries of AppendEntries handed over together durable with one append, before answering any", async () => {
    const entry = (value: string) => ({ term: 1, value })
    const appendEntries = (prevLogIndex: number, value: string): Message => ({
      type: "AppendEntriesRequest",
      term: 1,
      source: "s1",
      dest: "s2",
      prevLogIndex,
      prevLogTerm: prevLogIndex === 0 ? 0 : 1,
      entries: [entry(value)],
      commitIndex: 0
    })
    const { actions, answers, log, appends, records } = await Effect.runPromise(handAtOnce([appendEntries(0, "a"), appendEntries(1, "b"), appendEntries(2, "c")]))
    // The first moves s2 to term 1 (its own write of the hard state), then each is handled.
    expect(actions).toEqual(["UpdateTerm", "HandleAppendEntriesRequest", "HandleAppendEntriesRequest", "HandleAppendEntriesRequest"])
    expect(log).toEqual([entry("a"), entry("b"), entry("c")])
    // Handled one at a time, three appends with an fsync each.
    expect(appends).toBe(1)
    expect(records).toBe(3)
    expect(answers.map(({ message }) => message.type === "AppendEntriesResponse" && message.success && message.matchIndex)).toEqual([1, 2, 3])
    // Not one answer left before the entries were durable.
    expect(answers.map(({ appendsBefore }) => appendsBefore)).toEqual([1, 1, 1])
  })

  it("sends a follower no more than pipelineDepth unanswered AppendEntries, heartbeats aside", async () => {
    const puts: Script = ["c1", "c2", "c3", "c4"].map((client, k) => ({ do: "submit", client, op: { f: "put", key: "x", value: String(k) } }))
    const script: Script = [{ do: "timeout", server: "s1" }, { do: "deliver", select: { type: "RequestVoteRequest" }, all: true }, { do: "deliver", select: { type: "RequestVoteResponse" }, all: true }, ...puts]
    const bounded = await run({ pipelineDepth: 2 }, script)
    // The new leader's heartbeat and the first put's AppendEntries; the other puts wait.
    expect(appendEntriesTo(bounded.trace, "s2")).toBe(2)
    const unbounded = await run({}, script)
    expect(appendEntriesTo(unbounded.trace, "s2")).toBe(5)
    const caughtUp = await run({ pipelineDepth: 2 }, [...script, everything])
    for (const node of caughtUp.nodes) expect(node.persistent.log).toHaveLength(4)
    expect(caughtUp.history.every((op) => op.answer !== undefined)).toBe(true)
  })

  it("with flow control, sends a follower no entries already on their way to it", async () => {
    const put = (client: string, value: string) => ({ do: "submit", client, op: { f: "put", key: "x", value } }) as const
    const script: Script = [
      { do: "timeout", server: "s1" },
      everything,
      put("c1", "a"),
      put("c2", "b"),
      // s2 takes the first AppendEntries (entry 1) and answers; entry 2 is already on its way.
      { do: "deliver", select: { type: "AppendEntriesRequest", to: "s2" } },
      { do: "deliver", select: { type: "AppendEntriesResponse", from: "s2" } }
    ]
    const before = (trace: ReadonlyArray<string>) => appendEntriesTo(trace, "s2")
    const flowing = await run({ pipelineDepth: 4 }, script)
    const eager = await run({}, script)
    // Without it, s2 gets entry 2 again twice: in answer to its acknowledgement, and with the news
    // that entry 1 is committed.
    expect(before(eager.trace) - before(flowing.trace)).toBe(2)
    const done = await run({ pipelineDepth: 4 }, [...script, everything])
    for (const node of done.nodes) expect(node.persistent.log.map((entry) => entry.value)).toHaveLength(2)
  })

  it("without commitNotice, followers learn of a commit from the next heartbeat instead of an AppendEntries of its own", async () => {
    const script: Script = [{ do: "timeout", server: "s1" }, everything, { do: "submit", client: "c1", op: { f: "put", key: "x", value: "a" } }, everything]
    const commitIndexes = (nodes: ReadonlyArray<{ readonly volatile: { readonly commitIndex: number } }>) => nodes.map((node) => node.volatile.commitIndex)
    const told = await run({}, script)
    const quiet = await run({ commitNotice: false }, script)
    expect(commitIndexes(told.nodes)).toEqual([1, 1, 1])
    expect(commitIndexes(quiet.nodes)).toEqual([1, 0, 0])
    expect(appendEntriesTo(told.trace, "s2") - appendEntriesTo(quiet.trace, "s2")).toBe(1)
    // The client is answered either way: the leader alone needs to know.
    expect(quiet.history[0].answer).toEqual({ result: null })
    const heartbeat = await run({ commitNotice: false }, [...script, { do: "tick", ms: 60 }, everything])
    expect(commitIndexes(heartbeat.nodes)).toEqual([1, 1, 1])
  })

  it("with leaderNoop, a new leader appends a no-op and serves reads before any write", async () => {
    const script: Script = [{ do: "timeout", server: "s1" }, everything, { do: "read", client: "c1", key: "x" }, everything]
    const withNoop = await run({ leaderNoop: true }, script)
    expect(withNoop.nodes[0].persistent.log).toEqual([{ term: 1, value: NOOP_VALUE }])
    expect(withNoop.history[0].answer).toEqual({ result: null })
    const without = await run({}, script)
    expect(without.nodes[0].persistent.log).toEqual([])
    expect(without.history[0].return).toBe(Infinity)
  })
})

/**
 * A cluster of runtime nodes in one process: each node with its own simulated disk, all sharing an
 * in-memory network, a TraceSink and a TestClock. It carries out script commands.
 *
 * Determinism: every command runs in a fiber woken by the TestClock, which waits until that fiber
 * and every fiber it wakes (nodes, storage, clients) is idle again. So a command's consequences are
 * complete before the next command, and the same script with the same seed takes the same steps.
 */
import { Effect, Exit, Fiber, Layer, Scope } from "effect"
import { TestClock } from "effect/testing"
import { makeConfig, type Message, type RaftConfig, type ServerId } from "../../raft/index.ts"
import { InMemoryNetwork, type NetworkMode } from "../network.ts"
import { type NodeHandle, startNode } from "../node.ts"
import { NodeStorage } from "../node-storage.ts"
import { StateMachine } from "../state-machine.ts"
import { DurableStorage } from "../storage/durable-storage.ts"
import { SimulatedDisk } from "../storage/simulated-disk.ts"
import { Timing, type TimingOptions, timingProblem } from "../timing.ts"
import { TraceSink } from "../trace-sink.ts"
import type { Delivery } from "../transport.ts"
import { Transport } from "../transport.ts"
import { Clients } from "./clients.ts"
import type { ClusterRecorder } from "./recorder.ts"
import type { ScriptCommand, Selector } from "./script.ts"

export interface ClusterOptions {
  readonly servers: number
  readonly bugs: ReadonlySet<string>
  readonly timing: TimingOptions
  readonly network: NetworkMode
  /** Nodes snapshot on their own once this many committed entries are not compacted; 0: never. */
  readonly snapshotThreshold: number
  /** A new leader appends a no-op entry (see NodeOptions); off unless given. */
  readonly leaderNoop?: boolean
  /** At most this many unanswered AppendEntries per follower besides heartbeats; no limit unless given. */
  readonly pipelineDepth?: number
  /** A leader tells followers of a new commitIndex at once (see NodeOptions); on unless false. */
  readonly commitNotice?: boolean
}

export const defaultClusterOptions: ClusterOptions = {
  servers: 3,
  bugs: new Set(),
  timing: { electionTimeout: [150, 300], heartbeatInterval: 50 },
  network: { kind: "manual" },
  snapshotThreshold: 0
}

/** Why a cluster cannot run with these options (from a file, say), or undefined when it can. */
export const clusterProblem = (options: Omit<ClusterOptions, "bugs">): string | undefined => {
  if (!(Number.isInteger(options.servers) && options.servers >= 1 && options.servers <= 9)) return `${options.servers} servers: from 1 to 9`
  const timing = timingProblem(options.timing)
  if (timing !== undefined) return timing
  if (!(Number.isInteger(options.snapshotThreshold) && options.snapshotThreshold >= 0)) return `snapshot threshold ${options.snapshotThreshold} is not a count`
  const depth = options.pipelineDepth
  if (depth !== undefined && !(Number.isInteger(depth) && depth >= 1)) return `pipeline depth ${depth} is not a positive count`
  if (options.network.kind === "clocked") {
    const { dropProbability, duplicateProbability, delay } = options.network.faults
    for (const p of [dropProbability, duplicateProbability]) if (!(p >= 0 && p <= 1)) return `probability ${p} is not between 0 and 1`
    if (!(Number.isInteger(delay[0]) && delay[0] >= 0 && delay[0] <= delay[1])) return `delay range ${delay[0]}..${delay[1]} is not a range of ms`
  }
  return undefined
}

/** A delivery command never runs away: a reply storm stops after this many copies. */
const MAX_DELIVERIES = 400

/** The clock moves this little per command, so commands alone never make a timer fire. */
const COMMAND_TIME = "1 micro"

interface Incarnation {
  readonly scope: Scope.Closeable
  readonly handle: NodeHandle
}

const matches = (select: Selector | undefined) => (copy: Delivery): boolean => {
  if (select === undefined) return true
  const m: Message = copy.message
  return (
    (select.type === undefined || m.type === select.type) &&
    (select.from === undefined || m.source === select.from) &&
    (select.to === undefined || m.dest === select.to) &&
    (select.between === undefined || (select.between.includes(m.source) && select.between.includes(m.dest)))
  )
}

export class Cluster {
  readonly config: RaftConfig
  private readonly disks = new Map<ServerId, SimulatedDisk>()
  private readonly running = new Map<ServerId, Incarnation>()
  private readonly network: InMemoryNetwork
  readonly clients: Clients

  private constructor(
    readonly options: ClusterOptions,
    readonly recorder: ClusterRecorder,
    private readonly scope: Scope.Scope
  ) {
    this.config = recorder.config
    this.network = new InMemoryNetwork(recorder, options.network, scope)
    recorder.bag = () => this.network.messages()
    this.clients = new Clients(this.config.servers, (id) => this.running.get(id)?.handle, scope)
    for (const id of this.config.servers) this.disks.set(id, new SimulatedDisk())
  }

  /** The servers named s1..sN for `options.servers`. */
  static serverNames(options: ClusterOptions): ReadonlyArray<ServerId> {
    return Array.from({ length: options.servers }, (_, k) => `s${k + 1}`)
  }

  static configOf(options: ClusterOptions): RaftConfig {
    return makeConfig(Cluster.serverNames(options), options.bugs)
  }

  /** Starts every server on an empty disk. Needs a TestClock (and the Random the run is seeded with). */
  static start(options: ClusterOptions, recorder: ClusterRecorder, scope: Scope.Scope): Effect.Effect<Cluster, unknown, TestClock.TestClock> {
    return Effect.gen(function* () {
      const cluster = new Cluster(options, recorder, scope)
      yield* cluster.settled(Effect.forEach(cluster.config.servers, (id) => cluster.boot(id, false), { discard: true }))
      return cluster
    })
  }

  node(id: ServerId): NodeHandle | undefined {
    return this.running.get(id)?.handle
  }

  /** The first storage failure that stopped a node, if any. */
  fatal(): string | null {
    for (const { handle } of this.running.values()) {
      const error = handle.fatal()
      if (error !== null) return `${handle.id} stopped: ${error.message}`
    }
    return null
  }

  execute(command: ScriptCommand): Effect.Effect<void, unknown, TestClock.TestClock> {
    switch (command.do) {
      case "tick":
        return TestClock.adjust(command.ms)
      case "timeout":
        return this.settled(Effect.sync(() => this.node(command.server)?.forceTimeout()))
      case "snapshot":
        return this.settled(Effect.sync(() => this.node(command.server)?.forceSnapshot()))
      case "deliver":
        return command.all ? this.deliverAll(command.select) : Effect.asVoid(this.settled(this.deliverOne(command.select)))
      case "drop":
        return this.settled(
          Effect.sync(() => {
            const chosen = command.all ? this.network.waiting().filter(matches(command.select)) : [this.pick(command.select)]
            for (const copy of chosen) if (copy !== undefined) this.network.drop(copy.id)
          })
        )
      case "duplicate":
        return this.settled(
          Effect.sync(() => {
            const copy = this.pick(command.select)
            if (copy !== undefined) this.network.duplicate(copy.id)
          })
        )
      case "reorder":
        return this.settled(Effect.sync(() => this.network.reorder()))
      case "submit":
        return this.settled(this.clients.submit(command.client, command.op))
      case "read":
        return this.settled(this.clients.read(command.client, command.key))
      case "retry":
        return this.settled(this.clients.retry(command.client))
      case "crash":
        return this.settled(this.crash(command.server))
      case "restart":
        return this.settled(Effect.andThen(this.crash(command.server), this.boot(command.server, true)))
      case "partition":
        return this.settled(Effect.sync(() => this.network.partition(command.groups.map((group) => new Set(group)))))
      case "heal":
        return this.settled(Effect.sync(() => this.network.heal()))
      case "lag":
        return this.lag(command.server, command.entries)
    }
  }

  /** Runs `effect` in a fiber the TestClock wakes, and returns once everything it set off is idle. */
  private settled<A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E, TestClock.TestClock> {
    const scope = this.scope
    return Effect.gen(function* () {
      const fiber = yield* Effect.forkIn(Effect.andThen(Effect.sleep(COMMAND_TIME), effect), scope)
      yield* TestClock.adjust(COMMAND_TIME)
      return yield* Fiber.join(fiber)
    })
  }

  private pick(select: Selector | undefined): Delivery | undefined {
    const candidates = this.network.waiting().filter(matches(select))
    return candidates.length === 0 ? undefined : candidates[(select?.nth ?? 0) % candidates.length]
  }

  private deliverOne(select: Selector | undefined): Effect.Effect<boolean> {
    return Effect.sync(() => {
      const copy = this.pick(select)
      if (copy !== undefined) this.network.deliver(copy.id)
      return copy !== undefined
    })
  }

  private deliverAll(select: Selector | undefined): Effect.Effect<void, never, TestClock.TestClock> {
    const self = this
    const oldest = select === undefined ? undefined : { ...select, nth: 0 }
    return Effect.gen(function* () {
      for (let k = 0; k < MAX_DELIVERIES; k++) {
        if (!(yield* self.settled(self.deliverOne(oldest)))) return
      }
    })
  }

  private boot(id: ServerId, restarted: boolean): Effect.Effect<void, unknown> {
    const self = this
    return Effect.gen(function* () {
      const scope = yield* Scope.make()
      const perNode = Layer.mergeAll(
        NodeStorage.layer.pipe(Layer.provide(DurableStorage.layerMemory(self.disks.get(id)!))),
        StateMachine.layerKv(self.config.bugs)
      )
      const handle = yield* Effect.gen(function* () {
        const context = yield* Layer.build(perNode)
        const { snapshotThreshold, leaderNoop, pipelineDepth, commitNotice } = self.options
        return yield* startNode({ id, config: self.config, restarted, snapshotThreshold, leaderNoop, pipelineDepth, commitNotice }).pipe(
          Effect.provideContext(context)
        )
      }).pipe(
        Effect.provideService(Transport, self.network),
        Effect.provideService(TraceSink, self.recorder),
        Effect.provide(Timing.layer(self.options.timing)),
        Scope.provide(scope)
      )
      self.running.set(id, { scope, handle })
    })
  }

  /** Interrupts the node's fibers, then loses whatever its disk had not synced. */
  private crash(id: ServerId): Effect.Effect<void> {
    const self = this
    return Effect.gen(function* () {
      const incarnation = self.running.get(id)
      if (incarnation === undefined) return
      self.running.delete(id)
      yield* Scope.close(incarnation.scope, Exit.void)
      self.disks.get(id)!.crash()
    })
  }

  private lag(server: ServerId, entries: number): Effect.Effect<void, unknown, TestClock.TestClock> {
    const self = this
    const others = this.config.servers.filter((id) => id !== server)
    return Effect.gen(function* () {
      yield* self.settled(Effect.sync(() => self.network.partition([new Set([server])])))
      for (let k = 1; k <= entries; k++) {
        yield* self.settled(self.clients.submit("lagger", { f: "put", key: "lag", value: String(k) }))
        yield* self.deliverAll({ between: others })
      }
      for (const id of others) yield* self.execute({ do: "snapshot", server: id })
      yield* self.settled(Effect.sync(() => self.network.heal()))
    })
  }
}

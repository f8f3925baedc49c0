/**
 * One node of a cluster as an operating-system process: the runtime node (src/runtime/node.ts, the
 * only Raft implementation) over TCP to its peers, durable storage in its data directory, and the
 * gRPC service for clients. It runs until killed; everything it acknowledged is on disk by then.
 */
import { existsSync, mkdirSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { Context, Data, Effect, Layer, type Scope } from "effect"
import { makeConfig, type ServerId } from "../raft/index.ts"
import { type NodeHandle, startNode } from "../runtime/node.ts"
import { NodeStorage } from "../runtime/node-storage.ts"
import { StateMachine } from "../runtime/state-machine.ts"
import { DurableStorage } from "../runtime/storage/durable-storage.ts"
import { Timing } from "../runtime/timing.ts"
import { TraceSink, type TraceSinkService } from "../runtime/trace-sink.ts"
import { Transport } from "../runtime/transport.ts"
import { type ClusterFile, dialPort, HOST, nodeOf } from "./cluster-file.ts"
import { startKvServer } from "./grpc/kv-service.ts"
import { NodeStepLog } from "./node-step-log.ts"
import { TcpTransport } from "./tcp-transport.ts"

/** The node cannot start (bad data directory, port in use) or had to stop (storage failure). */
export class NodeStopped extends Data.TaggedError("NodeStopped")<{ readonly message: string }> {}

export interface NodeProcessOptions {
  readonly cluster: ClusterFile
  readonly id: ServerId
  /** Write every step this node takes to this file (for a cluster trace, ./cluster-trace.ts). */
  readonly stepLog?: string
  readonly log: (line: string) => void
}

/** A leader keeps at most this many AppendEntries unanswered per follower, heartbeats aside. */
const PIPELINE_DEPTH = 4
/** Client commands per log entry, at most (smaller batches measured no faster on this machine). */
const MAX_BATCH = 64

/** Whether the data directory already holds a node's state: the node comes back with Restart. */
const hasState = (dataDir: string): boolean =>
  existsSync(join(dataDir, "hard-state")) ||
  existsSync(join(dataDir, "snapshot")) ||
  (existsSync(join(dataDir, "wal")) && readdirSync(join(dataDir, "wal")).length > 0)

/** Logs the steps a person watching the node cares about: elections and changes of term. */
const roleLog = (id: ServerId, log: (line: string) => void): TraceSinkService => ({
  record: ({ server, event, after }) => {
    if (server !== id || after === null) return
    const term = after.persistent.currentTerm
    switch (event.action) {
      case "Timeout":
        return log(`term ${term}: ${id} stands for election`)
      case "BecomeLeader":
        return log(`term ${term}: ${id} leads`)
      case "UpdateTerm":
        return log(`term ${term}: ${id} follows (heard of the newer term from ${event.params.m?.source})`)
      case "Restart":
        return log(`term ${term}: ${id} restarted from its data directory`)
    }
  }
})

const both = (a: TraceSinkService, b: TraceSinkService | undefined): TraceSinkService =>
  b === undefined
    ? a
    : {
        record: (step) => {
          a.record(step)
          b.record(step)
        },
        prepare: b.prepare
      }

/** Starts the node and its services in the current scope; fails if any cannot start. */
export const startNodeProcess = (options: NodeProcessOptions): Effect.Effect<NodeHandle, NodeStopped, Scope.Scope> =>
  Effect.gen(function* () {
    const { cluster, id, log } = options
    const me = nodeOf(cluster, id)
    mkdirSync(me.dataDir, { recursive: true })
    const restarted = hasState(me.dataDir)
    const incarnation = Date.now()
    const servers = cluster.nodes.map((node) => node.id)
    const config = makeConfig(servers, new Set(cluster.bugs))
    const stepLog = options.stepLog === undefined ? undefined : new NodeStepLog(options.stepLog, id, incarnation, config)
    const sink = both(roleLog(id, log), stepLog)
    const peers = new Map(servers.filter((peer) => peer !== id).map((peer) => [peer, dialPort(cluster, id, peer)] as const))
    const transport = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => TcpTransport.listen({ self: id, incarnation, listenPort: me.raftPort, peers, sink, log }),
        catch: (error) => new NodeStopped({ message: (error as Error).message })
      }),
      (transport) => Effect.promise(() => transport.close())
    )
    stepLog?.useTransport(transport)
    const context = yield* Layer.build(
      Layer.mergeAll(
        NodeStorage.layer.pipe(Layer.provideMerge(DurableStorage.layerFile(me.dataDir))),
        StateMachine.layerKv(config.bugs),
        Timing.layer(cluster.timing)
      )
    )
    const storage = Context.get(context, DurableStorage)
    const node = yield* startNode({
      id,
      config,
      restarted,
      snapshotThreshold: cluster.snapshotThreshold,
      leaderNoop: true,
      pipelineDepth: PIPELINE_DEPTH,
      maxBatch: MAX_BATCH,
      // Followers hear of commits with the next entries or heartbeat (measured: about a sixth less
      // server CPU per put at 64 clients, docs/cluster.md).
      commitNotice: false
    }).pipe(
      Effect.provideContext(context),
      Effect.provideService(Transport, transport),
      Effect.provideService(TraceSink, sink),
      Effect.mapError((error) => new NodeStopped({ message: `${id} cannot start: ${error.message}` }))
    )
    const addresses = new Map(cluster.nodes.map((node) => [node.id, `${HOST}:${node.grpcPort}`] as const))
    yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => startKvServer({ node, addresses, storage: () => storage.stats() }, me.grpcPort),
        catch: (error) => new NodeStopped({ message: (error as Error).message })
      }),
      (server) => Effect.sync(() => server.close())
    )
    log(
      `${id} ready (pid ${process.pid}): peers reach it on ${HOST}:${me.raftPort}, clients on ${HOST}:${me.grpcPort}; ` +
        `data in ${me.dataDir}${restarted ? " (restarted)" : " (new)"}`
    )
    return node
  })

/** Runs a node until it is killed, or fails when its storage does (the node stops: fail-stop). */
export const runNodeProcess = (options: NodeProcessOptions): Effect.Effect<never, NodeStopped, Scope.Scope> =>
  Effect.gen(function* () {
    const node = yield* startNodeProcess(options)
    for (;;) {
      yield* Effect.sleep("200 millis")
      const fatal = node.fatal()
      if (fatal !== null) return yield* new NodeStopped({ message: `${options.id} stopped: ${fatal.message}` })
    }
  })

/**
 * Node processes' insides, run in this process (no spawning): three nodes over TCP on 127.0.0.1 elect
 * a leader and serve the gRPC API; followers name the leader; malformed requests, garbage from a
 * peer, a corrupted data directory and a taken port are each refused with a clear reason.
 */
import * as grpc from "@grpc/grpc-js"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import * as net from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { ClusterFile } from "../../src/cluster/cluster-file.ts"
import { AttemptError, ClientSession, endpointsOf, KvClient } from "../../src/cluster/grpc/kv-client.ts"
import { KvClientConstructor } from "../../src/cluster/grpc/proto.ts"
import { freePort } from "../../src/cluster/launcher.ts"
import { startNodeProcess } from "../../src/cluster/node-process.ts"
import { encodeFrame } from "../../src/cluster/wire.ts"

const planCluster = async (size: number): Promise<ClusterFile> => {
  const dir = mkdtempSync(join(tmpdir(), "nodes-"))
  const nodes = []
  for (let k = 1; k <= size; k++) nodes.push({ id: `s${k}`, raftPort: await freePort(), grpcPort: await freePort(), dataDir: join(dir, `s${k}`), pid: null })
  return { nodes, timing: { electionTimeout: [150, 300], heartbeatInterval: 30 }, snapshotThreshold: 0, bugs: [], routes: {} }
}

const startAll = (cluster: ClusterFile, scope: Scope.Scope) =>
  Effect.runPromise(Effect.forEach(cluster.nodes, (node) => startNodeProcess({ cluster, id: node.id, log: () => {} })).pipe(Scope.provide(scope)))

const failureOf = async (promise: Promise<unknown>): Promise<AttemptError> => {
  try {
    await promise
  } catch (error) {
    if (error instanceof AttemptError) return error
    throw error
  }
  throw new Error("expected a failure")
}

describe("three nodes over TCP, in one process", () => {
  let cluster: ClusterFile
  let scope: Scope.Closeable
  let client: KvClient

  beforeAll(async () => {
    cluster = await planCluster(3)
    scope = Effect.runSync(Scope.make())
    await startAll(cluster, scope)
    client = new KvClient(endpointsOf(cluster))
  })

  afterAll(async () => {
    client.close()
    await Effect.runPromise(Scope.close(scope, Exit.void))
  })

  it("serve every command of the API through whichever node a client asks first", async () => {
    const session = new ClientSession(client, "api", { attemptMs: 2000, giveUpMs: 20_000, pauseMs: 50 })
    expect(await session.run({ f: "put", key: "x", value: "a" })).toBeNull()
    expect(await session.run({ f: "append", key: "x", value: "b" })).toBeNull()
    expect(await session.run({ f: "get", key: "x" })).toBe("ab")
    expect(await session.run({ f: "cas", key: "x", expected: "zz", value: "c" })).toBe(false)
    expect(await session.run({ f: "cas", key: "x", expected: "ab", value: "c" })).toBe(true)
    expect(await session.run({ f: "delete", key: "x" })).toBeNull()
    expect(await session.run({ f: "get", key: "x" })).toBeNull()
    expect(await session.run({ f: "cas", key: "x", expected: null, value: "d" })).toBe(true)
    expect(session.seq).toBe(6)
  })

  it("apply a write retried with the same session once", async () => {
    const leader = (await Promise.all(cluster.nodes.map((node) => client.status(node.id, 2000)))).find((status) => status.role === "Leader")!
    const session = { clientId: "retrier", seq: 1 }
    for (let k = 0; k < 3; k++) await client.attempt(leader.id, { f: "append", key: "once", value: "z" }, session, 2000)
    expect(await client.attempt(leader.id, { f: "get", key: "once" }, null, 2000)).toBe("z")
  })

  it("name the leader when they are not it, and agree on it in their status", async () => {
    const statuses = await Promise.all(cluster.nodes.map((node) => client.status(node.id, 2000)))
    const leader = statuses.find((status) => status.role === "Leader")!
    for (const status of statuses) expect(status.leader).toBe(leader.id)
    const follower = statuses.find((status) => status.role === "Follower")!
    const refused = await failureOf(client.attempt(follower.id, { f: "put", key: "y", value: "1" }, { clientId: "f", seq: 1 }, 2000))
    expect(refused.failure).toEqual({ kind: "not-leader", leader: leader.id })
    const read = await failureOf(client.attempt(follower.id, { f: "get", key: "y" }, null, 2000))
    expect(read.failure.kind).toBe("not-leader")
  })

  it("answer malformed requests INVALID_ARGUMENT with a message, and keep serving", async () => {
    const leader = (await Promise.all(cluster.nodes.map((node) => client.status(node.id, 2000)))).find((status) => status.role === "Leader")!
    const rejected = async (op: Parameters<KvClient["attempt"]>[1], session: Parameters<KvClient["attempt"]>[2]) =>
      (await failureOf(client.attempt(leader.id, op, session, 2000))).failure
    expect(await rejected({ f: "put", key: "", value: "v" }, { clientId: "c", seq: 1 })).toEqual({ kind: "rejected", reason: "key is empty" })
    expect(await rejected({ f: "put", key: "k".repeat(1025), value: "v" }, { clientId: "c", seq: 1 })).toMatchObject({ reason: "key is 1025 bytes (at most 1024)" })
    expect(await rejected({ f: "put", key: "k", value: "v" }, null)).toMatchObject({ kind: "rejected", reason: "session is missing: a write needs {client_id, seq}" })
    expect(await rejected({ f: "put", key: "k", value: "v" }, { clientId: "c", seq: 0 })).toMatchObject({ reason: "session.seq must be at least 1" })
    expect(await rejected({ f: "delete", key: "k" }, { clientId: "", seq: 1 })).toMatchObject({ reason: "session.client_id must be 1 to 128 characters" })
    // Bytes that are not a protobuf message at all.
    const address = `127.0.0.1:${cluster.nodes.find((node) => node.id === leader.id)!.grpcPort}`
    const raw = new grpc.Client(address, grpc.credentials.createInsecure())
    const garbage = await new Promise<grpc.ServiceError>((resolve) =>
      raw.makeUnaryRequest("/raft_tla.v1.Kv/Put", (bytes: Buffer) => bytes, (bytes: Buffer) => bytes, Buffer.from([0x0a, 0xff, 0xff, 0xff]), (error) => resolve(error!))
    )
    raw.close()
    expect(garbage.code).toBe(grpc.status.INVALID_ARGUMENT)
    expect(garbage.details).toMatch(/^the request is not a Put message/)
    expect(KvClientConstructor.service.Put.path).toBe("/raft_tla.v1.Kv/Put")
    const session = new ClientSession(client, "after-garbage", { attemptMs: 2000, giveUpMs: 20_000, pauseMs: 50 })
    expect(await session.run({ f: "put", key: "k", value: "still here" })).toBeNull()
  })

  it("cut off a peer connection that sends garbage, and keep working", async () => {
    const target = cluster.nodes[0]
    const closed = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port: target.raftPort }, () => {
        socket.write(encodeFrame({ hello: { from: "s2", to: "s1", incarnation: 1 } }))
        socket.write(encodeFrame({ id: 1, m: { type: "RequestVoteResponse", term: 1, source: "s3", dest: "s1", voteGranted: true } }))
      })
      socket.on("error", () => {})
      socket.on("close", () => resolve(true))
      socket.on("data", () => {})
    })
    expect(closed).toBe(true)
    const session = new ClientSession(client, "after-peer-garbage", { attemptMs: 2000, giveUpMs: 20_000, pauseMs: 50 })
    expect(await session.run({ f: "put", key: "k", value: "fine" })).toBeNull()
  })
})

describe("a node that cannot start", () => {
  it("refuses a corrupted data directory with the storage error naming the file and offset", async () => {
    const cluster = await planCluster(1)
    const node = cluster.nodes[0]
    mkdirSync(node.dataDir, { recursive: true })
    writeFileSync(join(node.dataDir, "hard-state"), Buffer.from([5, 0, 0, 0, 1, 2, 3, 4, 2, 0, 0, 0, 0]))
    const scope = Effect.runSync(Scope.make())
    const exit = await Effect.runPromiseExit(startNodeProcess({ cluster, id: "s1", log: () => {} }).pipe(Scope.provide(scope)))
    await Effect.runPromise(Scope.close(scope, Exit.void))
    expect(Exit.isFailure(exit) && String(exit.cause)).toContain(`s1 cannot start: ${join(node.dataDir, "hard-state")}: offset 0: checksum mismatch`)
  })

  it("refuses a port that is in use, naming it", async () => {
    const cluster = await planCluster(1)
    const taken = net.createServer()
    await new Promise<void>((resolve) => taken.listen({ host: "127.0.0.1", port: cluster.nodes[0].raftPort }, () => resolve()))
    const scope = Effect.runSync(Scope.make())
    const exit = await Effect.runPromiseExit(startNodeProcess({ cluster, id: "s1", log: () => {} }).pipe(Scope.provide(scope)))
    await Effect.runPromise(Scope.close(scope, Exit.void))
    taken.close()
    expect(Exit.isFailure(exit) && String(exit.cause)).toContain(`127.0.0.1:${cluster.nodes[0].raftPort}: cannot listen for peers: the port is in use`)
  })
})

/**
 * Starting, stopping and asking after the node processes of a cluster on 127.0.0.1. Each node runs
 * `raft-tla node` detached from the process that started it, writing its log to node.log in its data
 * directory; the cluster file records the process ids.
 */
import { spawn } from "node:child_process"
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs"
import * as net from "node:net"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { ServerId } from "../raft/index.ts"
import { type ClusterFile, type ClusterNode, defaultTiming, HOST, nodeOf, readClusterFile, writeClusterFile } from "./cluster-file.ts"
import { endpointsOf, KvClient } from "./grpc/kv-client.ts"
import type { StatusReply } from "./grpc/proto.ts"

const BIN = fileURLToPath(new URL("../cli/bin.js", import.meta.url))

/** Something in the way of starting or stopping a cluster, said plainly. */
export class LaunchError extends Error {}

export interface NewCluster {
  readonly nodes: number
  /** Node k (from 1) serves clients on basePort + 2(k-1) and peers on the port after. */
  readonly basePort: number
  readonly dataDir: string
  readonly snapshotThreshold?: number
  readonly bugs?: ReadonlyArray<string>
  readonly timing?: ClusterFile["timing"]
}

/** The layout of a new cluster: nodes s1..sN, their ports and data directories. */
export const planCluster = (options: NewCluster): ClusterFile => ({
  nodes: Array.from({ length: options.nodes }, (_, k) => ({
    id: `s${k + 1}`,
    grpcPort: options.basePort + 2 * k,
    raftPort: options.basePort + 2 * k + 1,
    dataDir: join(options.dataDir, `s${k + 1}`),
    pid: null
  })),
  timing: options.timing ?? defaultTiming,
  snapshotThreshold: options.snapshotThreshold ?? 0,
  bugs: options.bugs ?? [],
  routes: {}
})

/** Whether a process with this id runs and is a raft-tla node (process ids are reused). */
export const isNodeProcess = (pid: number | null, id?: ServerId): boolean => {
  if (pid === null) return false
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")
    return command.includes("node") && (id === undefined || command.includes(id))
  } catch {
    // No /proc: trust the signal check.
    return true
  }
}

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = net.createServer()
    server.once("error", () => resolve(false))
    server.listen({ host: HOST, port, exclusive: true }, () => server.close(() => resolve(true)))
  })

/** Ports from here up are the ones Linux hands to outgoing connections (ip_local_port_range). */
const EPHEMERAL_FROM = 32_768
const LOWEST_PICKED = 10_000

/**
 * The first of `count` consecutive ports, all free when chosen. They are drawn at random below the
 * ephemeral range rather than asked of the kernel (listening on port 0): the kernel's pick comes from
 * the range it also hands to outgoing connections, and one of the many connections a test opens
 * could take the port before the node binds it (seen in npm test: "cannot listen for peers: the port
 * is in use").
 */
const freePorts = async (count: number): Promise<number> => {
  const choices = EPHEMERAL_FROM - LOWEST_PICKED - count
  for (let attempt = 0; attempt < 200; attempt++) {
    const first = LOWEST_PICKED + Math.floor(Math.random() * choices)
    let free = true
    for (let port = first; free && port < first + count; port++) free = await portFree(port)
    if (free) return first
  }
  throw new LaunchError(`no ${count} free consecutive ports found between ${LOWEST_PICKED} and ${EPHEMERAL_FROM - 1} in 200 tries`)
}

/** A port to give a node or a test's server, free when chosen (see freePorts). */
export const freePort = (): Promise<number> => freePorts(1)

/** A base port for `planCluster` whose `nodes` clusters' ports are all free when chosen (see freePorts). */
export const freeBasePort = (nodes: number): Promise<number> => freePorts(2 * nodes)

/** Refuses ports that something else holds, naming each. */
export const checkPortsFree = async (nodes: ReadonlyArray<ClusterNode>): Promise<void> => {
  const taken: Array<string> = []
  for (const node of nodes) {
    if (!(await portFree(node.grpcPort))) taken.push(`${HOST}:${node.grpcPort} (${node.id}'s client port)`)
    if (!(await portFree(node.raftPort))) taken.push(`${HOST}:${node.raftPort} (${node.id}'s peer port)`)
  }
  if (taken.length > 0) throw new LaunchError(`ports in use: ${taken.join(", ")}; choose another --base-port`)
}

export const logFileOf = (node: ClusterNode): string => join(node.dataDir, "node.log")

/** The node's log, from the end: why a node that exited did so. */
const lastLines = (node: ClusterNode, count: number): string => {
  try {
    const lines = readFileSync(logFileOf(node), "utf8").trimEnd().split("\n")
    return lines.slice(-count).join("\n")
  } catch {
    return "(no log)"
  }
}

export interface SpawnOptions {
  /** Append the node's spec steps to this file (`raft-tla node --step-log`). */
  readonly stepLog?: string
  /**
   * Keep the node in this process's process group, so that Ctrl-C reaches it too (a test's nodes);
   * by default a node outlives the command that started it (`cluster start`).
   */
  readonly attached?: boolean
}

/** Starts one node process, detached; resolves with its pid once it serves gRPC, rejects if it exits. */
export const spawnNode = async (clusterFile: string, cluster: ClusterFile, id: ServerId, options: SpawnOptions = {}, readyMs = 30_000): Promise<number> => {
  const node = nodeOf(cluster, id)
  mkdirSync(node.dataDir, { recursive: true })
  const log = openSync(logFileOf(node), "a")
  const args = [BIN, "node", "--id", id, "--cluster", clusterFile, ...(options.stepLog === undefined ? [] : ["--step-log", options.stepLog])]
  const child = spawn(process.execPath, args, { detached: options.attached !== true, stdio: ["ignore", log, log] })
  closeSync(log)
  const pid = child.pid
  if (pid === undefined) throw new LaunchError(`${id}: could not start a process`)
  let exited: number | null | undefined
  child.on("exit", (code) => {
    exited = code
  })
  if (options.attached !== true) child.unref()
  const client = new KvClient(endpointsOf(cluster).filter((endpoint) => endpoint.id === id))
  try {
    const started = Date.now()
    for (;;) {
      if (exited !== undefined) throw new LaunchError(`${id} exited (code ${exited}) before it was ready; the end of ${logFileOf(node)}:\n${lastLines(node, 5)}`)
      if (Date.now() - started > readyMs) {
        process.kill(pid, "SIGKILL")
        throw new LaunchError(`${id} was not ready after ${readyMs / 1000} s; the end of ${logFileOf(node)}:\n${lastLines(node, 5)}`)
      }
      try {
        await client.status(id, 500)
        return pid
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  } finally {
    client.close()
  }
}

/** Stops a node: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export const stopNode = async (pid: number, id: ServerId, graceMs = 5000): Promise<void> => {
  if (!isNodeProcess(pid, id)) return
  process.kill(pid, "SIGTERM")
  const started = Date.now()
  while (isNodeProcess(pid, id)) {
    if (Date.now() - started > graceMs) {
      process.kill(pid, "SIGKILL")
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export interface StartedCluster {
  readonly cluster: ClusterFile
  /** The leader once one is known, with its term. */
  readonly leader: { readonly id: ServerId; readonly term: number } | null
}

/**
 * Starts every node of the cluster described by `clusterFile` (or, when the file does not exist,
 * of `fresh`, writing the file), waits until each serves gRPC and a leader is elected.
 */
export const startCluster = async (clusterFile: string, fresh: NewCluster | null, leaderMs = 15_000): Promise<StartedCluster> => {
  let cluster: ClusterFile
  if (fresh === null) {
    cluster = readClusterFile(clusterFile)
    const running = cluster.nodes.filter((node) => isNodeProcess(node.pid, node.id))
    if (running.length > 0) {
      throw new LaunchError(`${clusterFile}: already running (${running.map((node) => `${node.id} pid ${node.pid}`).join(", ")}); stop it first`)
    }
  } else {
    cluster = planCluster(fresh)
    mkdirSync(fresh.dataDir, { recursive: true })
  }
  await checkPortsFree(cluster.nodes)
  writeClusterFile(clusterFile, { ...cluster, nodes: cluster.nodes.map((node) => ({ ...node, pid: null })) })
  const pids = new Map<ServerId, number>()
  // Every spawn is waited for, so that none is left running when another fails.
  const outcomes = await Promise.allSettled(
    cluster.nodes.map(async (node) => {
      pids.set(node.id, await spawnNode(clusterFile, cluster, node.id))
    })
  )
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected")
  if (failed !== undefined) {
    for (const [id, pid] of pids) await stopNode(pid, id)
    throw failed.reason
  }
  cluster = { ...cluster, nodes: cluster.nodes.map((node) => ({ ...node, pid: pids.get(node.id) ?? null })) }
  writeClusterFile(clusterFile, cluster)
  return { cluster, leader: await awaitLeader(cluster, leaderMs) }
}

/** Polls the nodes until one says it leads; null if none does in time. */
export const awaitLeader = async (cluster: ClusterFile, withinMs: number): Promise<{ id: ServerId; term: number } | null> => {
  const client = new KvClient(endpointsOf(cluster))
  try {
    const started = Date.now()
    while (Date.now() - started < withinMs) {
      for (const row of await statusOf(cluster, client)) {
        if (row.status?.role === "Leader") return { id: row.node.id, term: row.status.term }
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    return null
  } finally {
    client.close()
  }
}

export interface NodeStatus {
  readonly node: ClusterNode
  readonly running: boolean
  /** What the node said, or null when it did not answer. */
  readonly status: StatusReply | null
  readonly problem?: string
}

export const statusOf = async (cluster: ClusterFile, client: KvClient, deadlineMs = 1000): Promise<ReadonlyArray<NodeStatus>> =>
  Promise.all(
    cluster.nodes.map(async (node): Promise<NodeStatus> => {
      const running = isNodeProcess(node.pid, node.id)
      try {
        return { node, running, status: await client.status(node.id, deadlineMs) }
      } catch (error) {
        return { node, running, status: null, problem: (error as Error).message }
      }
    })
  )

/** Stops every node the cluster file names; the file then records no process ids. */
export const stopCluster = async (clusterFile: string, cluster: ClusterFile): Promise<ReadonlyArray<ServerId>> => {
  const stopped: Array<ServerId> = []
  await Promise.all(
    cluster.nodes.map(async (node) => {
      if (node.pid !== null && isNodeProcess(node.pid, node.id)) {
        await stopNode(node.pid, node.id)
        stopped.push(node.id)
      }
    })
  )
  if (existsSync(clusterFile)) writeClusterFile(clusterFile, { ...cluster, nodes: cluster.nodes.map((node) => ({ ...node, pid: null })) })
  return stopped.sort()
}

/**
 * The cluster file: which nodes make up a cluster on 127.0.0.1, where each listens (Raft port for
 * its peers, gRPC port for clients), where it keeps its data, the process running it, and the
 * timings every node uses. `cluster start` writes it; every other command reads it. A bad file is
 * reported as `file:line:column: what is wrong`.
 *
 * `routes` (optional) sends a node's messages for a peer to another port: the failure harness puts
 * a loopback proxy on every link this way.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs"
import { dirname, isAbsolute, relative, resolve } from "node:path"
import { BUG_NAMES, type ServerId } from "../raft/index.ts"
import { readJson } from "../lincheck/formats/json-reader.ts"
import { type Position, SyntaxProblem } from "../lincheck/formats/source.ts"
import { timingProblem, type TimingOptions } from "../runtime/timing.ts"

export const HOST = "127.0.0.1"

export interface ClusterNode {
  readonly id: ServerId
  readonly raftPort: number
  readonly grpcPort: number
  /** Absolute once read (a relative path in the file is relative to the file). */
  readonly dataDir: string
  /** The process running the node, when `cluster start` started one. */
  readonly pid: number | null
}

export interface ClusterFile {
  readonly nodes: ReadonlyArray<ClusterNode>
  readonly timing: TimingOptions
  /** Nodes snapshot once this many committed entries are not compacted; 0: never. */
  readonly snapshotThreshold: number
  /** Bugs of the catalogue switched on in every node (docs/bugs.md); empty in a correct cluster. */
  readonly bugs: ReadonlyArray<string>
  /** routes[from][to]: the port `from` dials to reach `to`, instead of to's raftPort. */
  readonly routes: Readonly<Record<ServerId, Readonly<Record<ServerId, number>>>>
}

export const defaultTiming: TimingOptions = { electionTimeout: [400, 800], heartbeatInterval: 50 }

/** A cluster file that cannot be used: the message names the file and, when known, line and column. */
export class ClusterFileError extends Error {}

type Fields = Record<string, unknown>

const isPort = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535

/** Reads and checks a cluster file. */
export const readClusterFile = (file: string): ClusterFile => {
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (error) {
    throw new ClusterFileError(`${file}: cannot read the cluster file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  }
  return parseClusterFile(text, file)
}

export const parseClusterFile = (text: string, file: string): ClusterFile => {
  let document: ReturnType<typeof readJson>
  try {
    document = readJson(text)
  } catch (error) {
    if (error instanceof SyntaxProblem) throw new ClusterFileError(`${file}:${error.position.line}:${error.position.column}: ${error.reason}`)
    throw error
  }
  const fail = (node: unknown, reason: string): never => {
    const at: Position | undefined = typeof node === "object" && node !== null ? document.positionOf(node) : undefined
    throw new ClusterFileError(at ? `${file}:${at.line}:${at.column}: ${reason}` : `${file}: ${reason}`)
  }
  const root = document.value
  if (typeof root !== "object" || root === null || Array.isArray(root)) return fail(root, "a cluster file is a JSON object")
  const fields = root as Fields
  if (fields.format !== "raft-tla-cluster") fail(root, `"format" must be "raft-tla-cluster"`)
  if (fields.version !== 1) fail(root, `"version" must be 1`)

  const timingFields = fields.timing ?? {}
  if (typeof timingFields !== "object" || timingFields === null) return fail(root, `"timing" must be an object`)
  const t = timingFields as Fields
  const timing: TimingOptions = {
    electionTimeout: (t.electionTimeout as [number, number] | undefined) ?? defaultTiming.electionTimeout,
    heartbeatInterval: (t.heartbeatInterval as number | undefined) ?? defaultTiming.heartbeatInterval
  }
  if (!Array.isArray(timing.electionTimeout) || timing.electionTimeout.length !== 2) fail(timingFields, `"electionTimeout" must be [low, high] in ms`)
  const timingIssue = timingProblem(timing)
  if (timingIssue !== undefined) fail(timingFields, timingIssue)

  const snapshotThreshold = fields.snapshotThreshold ?? 0
  if (!(Number.isInteger(snapshotThreshold) && (snapshotThreshold as number) >= 0)) fail(root, `"snapshotThreshold" must be a count`)

  const bugs = fields.bugs ?? []
  if (!Array.isArray(bugs)) return fail(root, `"bugs" must be a list of bug names`)
  for (const bug of bugs) if (!(BUG_NAMES as ReadonlyArray<unknown>).includes(bug)) fail(bugs, `unknown bug ${JSON.stringify(bug)}: one of ${BUG_NAMES.join(", ")}`)

  const list = fields.nodes
  if (!Array.isArray(list) || list.length === 0) return fail(root, `"nodes" must be a non-empty list`)
  if (list.length > 9) fail(list, `at most 9 nodes`)
  const base = dirname(resolve(file))
  const seenPorts = new Map<number, string>()
  const nodes = list.map((entry: unknown, k): ClusterNode => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return fail(list, `node ${k + 1} must be an object`)
    const n = entry as Fields
    const expected = `s${k + 1}`
    if (n.id !== expected) fail(entry, `node ${k + 1} must have "id": "${expected}" (nodes are s1..sN in order)`)
    for (const port of ["raftPort", "grpcPort"] as const) {
      if (!isPort(n[port])) fail(entry, `${expected}: "${port}" must be a port number (1..65535)`)
      const owner = seenPorts.get(n[port] as number)
      if (owner !== undefined) fail(entry, `${expected}: port ${String(n[port])} is already ${owner}'s`)
      seenPorts.set(n[port] as number, expected)
    }
    if (typeof n.dataDir !== "string" || n.dataDir === "") fail(entry, `${expected}: "dataDir" must be a path`)
    const pid = n.pid ?? null
    if (pid !== null && !(Number.isInteger(pid) && (pid as number) > 0)) fail(entry, `${expected}: "pid" must be a process id or null`)
    const dataDir = n.dataDir as string
    return {
      id: expected,
      raftPort: n.raftPort as number,
      grpcPort: n.grpcPort as number,
      dataDir: isAbsolute(dataDir) ? dataDir : resolve(base, dataDir),
      pid: pid as number | null
    }
  })
  const ids = new Set(nodes.map((node) => node.id))

  const routeFields = fields.routes ?? {}
  if (typeof routeFields !== "object" || routeFields === null || Array.isArray(routeFields)) return fail(root, `"routes" must be an object`)
  const routes: Record<ServerId, Record<ServerId, number>> = {}
  for (const [from, table] of Object.entries(routeFields as Fields)) {
    if (!ids.has(from)) fail(routeFields, `routes: no node ${from}`)
    if (typeof table !== "object" || table === null) return fail(routeFields, `routes.${from} must be an object`)
    routes[from] = {}
    for (const [to, port] of Object.entries(table as Fields)) {
      if (!ids.has(to) || to === from) fail(table, `routes.${from}: ${to} is not another node`)
      if (!isPort(port)) fail(table, `routes.${from}.${to} must be a port number`)
      routes[from][to] = port as number
    }
  }
  return { nodes, timing, snapshotThreshold: snapshotThreshold as number, bugs: bugs as Array<string>, routes }
}

/** The port `from` dials to send to `to`. */
export const dialPort = (cluster: ClusterFile, from: ServerId, to: ServerId): number =>
  cluster.routes[from]?.[to] ?? nodeOf(cluster, to).raftPort

export const nodeOf = (cluster: ClusterFile, id: ServerId): ClusterNode => {
  const node = cluster.nodes.find((candidate) => candidate.id === id)
  if (node === undefined) throw new ClusterFileError(`no node ${id} in the cluster (nodes: ${cluster.nodes.map((n) => n.id).join(", ")})`)
  return node
}

/** Writes the file whole or not at all: a crash mid-write must not leave half a cluster file. */
export const writeClusterFile = (file: string, cluster: ClusterFile): void => {
  const document = {
    format: "raft-tla-cluster",
    version: 1,
    timing: cluster.timing,
    snapshotThreshold: cluster.snapshotThreshold,
    bugs: cluster.bugs,
    // Data directories relative to the file, so that the whole directory can move.
    nodes: cluster.nodes.map((node) => ({ ...node, dataDir: relative(dirname(resolve(file)), node.dataDir) || "." })),
    ...(Object.keys(cluster.routes).length > 0 ? { routes: cluster.routes } : {})
  }
  const temporary = `${file}.tmp`
  writeFileSync(temporary, `${JSON.stringify(document, null, 2)}\n`)
  renameSync(temporary, file)
}

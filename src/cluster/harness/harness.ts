/**
 * The failure test on real processes: a cluster of node processes on 127.0.0.1 with a loopback
 * proxy on every link, concurrent clients writing and reading over gRPC, and a seeded schedule of
 * faults (./fault-schedule.ts): kill -9 of the leader and of a follower (restarted from their
 * data), SIGSTOP/SIGCONT, links that drop or delay every frame. At the end the cluster is made
 * whole, the clients are stopped, and ./final-checks.ts decides. Every process it started is gone
 * when it returns, whatever happened.
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import type { Annotation } from "../../lincheck/index.ts"
import { renderTimeline } from "../../lincheck/timeline.ts"
import { builtInModels } from "../../lincheck/models/catalogue.ts"
import { type Entry, makeConfig, type ServerId } from "../../raft/index.ts"
import { mergeStepLogs } from "../cluster-trace.ts"
import { type ClusterFile, defaultTiming, HOST, writeClusterFile } from "../cluster-file.ts"
import { ClientSession, endpointsOf, KvClient } from "../grpc/kv-client.ts"
import type { StatusReply } from "../grpc/proto.ts"
import { freePort, isNodeProcess, spawnNode, statusOf } from "../launcher.ts"
import { checkAppends, checkLinearizable, checkLogsAgree, type CheckOutcome, readWholeLog } from "./final-checks.ts"
import { FAULT_WORDS, type FaultKind, type PlannedFault, planFaults } from "./fault-schedule.ts"
import { LinkProxy } from "./link-proxy.ts"
import { type RecordedOperation, Workload } from "./workload.ts"

export interface FailureTestOptions {
  readonly seed: number
  /** How long clients run under faults (ms); the final checks come after. */
  readonly durationMs: number
  readonly clients: number
  readonly nodes: number
  /** Where the nodes' data and logs, the history and (on failure) the timeline go. */
  readonly workDir: string
  /** Bugs of the catalogue to switch on in every node (to show the test can fail). */
  readonly bugs: ReadonlyArray<string>
  /** Each node logs its spec steps, and the logs are merged into <workDir>/trace.ndjson. */
  readonly trace: boolean
  /** A pause after each answered command (ms); 0: flat out. */
  readonly thinkMs?: number
  /** The nodes' timers (default: the cluster default). */
  readonly timing?: ClusterFile["timing"]
  readonly log: (line: string) => void
  /** The schedule to use instead of the seed's. */
  readonly faults?: ReadonlyArray<PlannedFault>
  /** The lincheck budget (ms). */
  readonly lincheckMs?: number
}

export interface AppliedFault {
  readonly kind: FaultKind
  readonly target: string
  readonly from: number
  readonly to: number
}

export interface FailureTestReport {
  readonly seed: number
  readonly clusterFile: string
  readonly faults: ReadonlyArray<AppliedFault>
  readonly operations: { readonly total: number; readonly answered: number; readonly open: number }
  readonly checks: ReadonlyArray<CheckOutcome>
  readonly ok: boolean
  readonly historyFile: string
  /** Written when the history is not linearizable. */
  readonly timelineFile: string | null
  /** The merged trace of a traced run, with its number of steps. */
  readonly trace: { readonly file: string; readonly steps: number } | null
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))

/** A cluster of node processes behind link proxies, with the means to hurt it. */
class ClusterUnderTest {
  readonly pids = new Map<ServerId, number>()
  readonly paused = new Set<ServerId>()
  readonly client: KvClient

  constructor(
    readonly cluster: ClusterFile,
    readonly clusterFile: string,
    readonly proxies: ReadonlyMap<string, LinkProxy>,
    private readonly stepLog: (id: ServerId) => string | undefined
  ) {
    this.client = new KvClient(endpointsOf(cluster))
  }

  get ids(): ReadonlyArray<ServerId> {
    return this.cluster.nodes.map((node) => node.id)
  }

  async start(id: ServerId): Promise<void> {
    const stepLog = this.stepLog(id)
    this.pids.set(id, await spawnNode(this.clusterFile, this.cluster, id, { attached: true, ...(stepLog === undefined ? {} : { stepLog }) }))
  }

  async kill(id: ServerId): Promise<void> {
    const pid = this.pids.get(id)
    if (pid === undefined) return
    this.pids.delete(id)
    this.paused.delete(id)
    process.kill(pid, "SIGKILL")
    while (isNodeProcess(pid, id)) await sleep(20)
  }

  signal(id: ServerId, signal: "SIGSTOP" | "SIGCONT"): void {
    const pid = this.pids.get(id)
    if (pid === undefined) return
    process.kill(pid, signal)
    if (signal === "SIGSTOP") this.paused.add(id)
    else this.paused.delete(id)
  }

  links(id: ServerId): Array<LinkProxy> {
    return [...this.proxies].filter(([link]) => link.split(">").includes(id)).map(([, proxy]) => proxy)
  }

  /** What the running, unpaused nodes say of themselves. */
  async statuses(): Promise<Map<ServerId, StatusReply>> {
    const rows = await statusOf(this.cluster, this.client, 500)
    return new Map(rows.filter((row) => row.status !== null && this.pids.has(row.node.id) && !this.paused.has(row.node.id)).map((row) => [row.node.id, row.status!]))
  }

  async leader(): Promise<ServerId | null> {
    let best: StatusReply | null = null
    for (const status of (await this.statuses()).values()) if (status.role === "Leader" && (best === null || status.term > best.term)) best = status
    return best?.id ?? null
  }

  /** Everything back: links pass, paused nodes resume, killed nodes restart. */
  async heal(): Promise<void> {
    for (const proxy of this.proxies.values()) proxy.setMode({ kind: "pass" })
    for (const id of [...this.paused]) this.signal(id, "SIGCONT")
    for (const id of this.ids) if (!this.pids.has(id)) await this.start(id)
  }

  private destroyed = false

  /** Kills every node process; safe to call more than once. */
  async destroy(): Promise<void> {
    if (this.destroyed) return
    this.destroyed = true
    for (const id of [...this.paused]) this.signal(id, "SIGCONT")
    for (const id of [...this.pids.keys()]) await this.kill(id)
    this.client.close()
    for (const proxy of this.proxies.values()) await proxy.close()
  }
}

const stepLogOf = (workDir: string, id: ServerId): string => join(workDir, `${id}.steps`)

/** Merges the nodes' step logs into one trace of the run. */
const writeTrace = (workDir: string, cluster: ClusterFile, seed: number): { file: string; steps: number } => {
  const logs = new Map(cluster.nodes.map((node) => [node.id, { file: stepLogOf(workDir, node.id), text: readFileSync(stepLogOf(workDir, node.id), "utf8") }] as const))
  const file = join(workDir, "trace.ndjson")
  const fd = openSync(file, "w")
  try {
    const config = makeConfig(cluster.nodes.map((node) => node.id), new Set(cluster.bugs))
    const { steps } = mergeStepLogs(logs, config, (line) => writeSync(fd, `${line}\n`), { cluster: "raft-tla cluster test", seed })
    return { file, steps }
  } finally {
    closeSync(fd)
  }
}

const startCluster = async (options: FailureTestOptions): Promise<ClusterUnderTest> => {
  const ids = Array.from({ length: options.nodes }, (_, k) => `s${k + 1}`)
  const nodes = []
  for (const id of ids) nodes.push({ id, grpcPort: await freePort(), raftPort: await freePort(), dataDir: join(options.workDir, id), pid: null })
  const proxies = new Map<string, LinkProxy>()
  const routes: Record<ServerId, Record<ServerId, number>> = {}
  for (const from of nodes) {
    routes[from.id] = {}
    for (const to of nodes) {
      if (from === to) continue
      const proxy = await LinkProxy.open(to.raftPort)
      proxies.set(`${from.id}>${to.id}`, proxy)
      routes[from.id][to.id] = proxy.port
    }
  }
  // Small snapshots, so that compaction and InstallSnapshot happen within a short run.
  const cluster: ClusterFile = { nodes, timing: options.timing ?? defaultTiming, snapshotThreshold: 200, bugs: options.bugs, routes }
  const clusterFile = join(options.workDir, "cluster.json")
  writeClusterFile(clusterFile, cluster)
  const underTest = new ClusterUnderTest(cluster, clusterFile, proxies, (id) => (options.trace ? stepLogOf(options.workDir, id) : undefined))
  try {
    await Promise.all(ids.map((id) => underTest.start(id)))
  } catch (error) {
    await underTest.destroy()
    throw error
  }
  return underTest
}

/** Waits until a leader has committed and every node has applied everything in its log. */
const converge = async (cluster: ClusterUnderTest, withinMs: number): Promise<StatusReply> => {
  const started = Date.now()
  let last = ""
  while (Date.now() - started < withinMs) {
    const statuses = await cluster.statuses()
    const leader = [...statuses.values()].find((status) => status.role === "Leader")
    if (leader !== undefined && statuses.size === cluster.ids.length) {
      const settled = [...statuses.values()].every(
        (s) => s.lastIndex === leader.lastIndex && s.commitIndex === leader.lastIndex && s.lastApplied === leader.lastIndex
      )
      if (settled) return leader
    }
    last = [...statuses.values()].map((s) => `${s.id} ${s.role} term ${s.term} commit ${s.commitIndex}/${s.lastIndex} applied ${s.lastApplied}`).join("; ")
    await sleep(200)
  }
  throw new Error(`the cluster did not settle within ${withinMs / 1000} s: ${last || "no node answered"}`)
}

/** Applies one fault; returns what it hit and how to undo it. */
const applyFault = async (cluster: ClusterUnderTest, fault: PlannedFault): Promise<{ target: string; undo: () => Promise<void> }> => {
  const leader = await cluster.leader()
  const up = cluster.ids.filter((id) => cluster.pids.has(id))
  const followers = up.filter((id) => id !== leader)
  const pick = <A>(candidates: ReadonlyArray<A>): A => candidates[fault.pick % candidates.length]
  const anyNode = leader ?? pick(up)
  switch (fault.kind) {
    case "kill-leader":
    case "kill-follower": {
      const target = fault.kind === "kill-leader" ? anyNode : pick(followers.length > 0 ? followers : up)
      await cluster.kill(target)
      return { target, undo: () => cluster.start(target) }
    }
    case "pause-node": {
      const target = pick(up)
      cluster.signal(target, "SIGSTOP")
      return { target, undo: async () => cluster.signal(target, "SIGCONT") }
    }
    case "isolate-leader":
    case "isolate-follower": {
      const target = fault.kind === "isolate-leader" ? anyNode : pick(followers.length > 0 ? followers : up)
      const links = cluster.links(target)
      for (const link of links) link.setMode({ kind: "drop" })
      return { target, undo: async () => links.forEach((link) => link.setMode({ kind: "pass" })) }
    }
    case "cut-link": {
      const [name, link] = pick([...cluster.proxies])
      link.setMode({ kind: "drop" })
      return { target: name.replace(">", "→"), undo: async () => link.setMode({ kind: "pass" }) }
    }
    case "slow-links": {
      const target = pick(up)
      const links = cluster.links(target)
      for (const link of links) link.setMode({ kind: "delay", ms: fault.delayMs })
      return { target: `${target} (+${fault.delayMs} ms a frame)`, undo: async () => links.forEach((link) => link.setMode({ kind: "pass" })) }
    }
  }
}

const bandOf = (fault: AppliedFault): Annotation => ({
  kind: fault.kind.startsWith("kill") || fault.kind === "pause-node" ? "crash" : fault.kind === "slow-links" ? "note" : "partition",
  start: fault.from,
  end: fault.to,
  label: `${fault.kind} ${fault.target}`
})

/** The history as a lincheck JSON file (docs/lincheck.md), fault bands included. */
const historyDocument = (history: ReadonlyArray<RecordedOperation>, faults: ReadonlyArray<AppliedFault>) => ({
  model: "raft-kv",
  operations: history.map((entry) => ({
    client: entry.client,
    call: Math.round(entry.call * 1000) / 1000,
    ...(entry.return === Infinity ? {} : { return: Math.round(entry.return * 1000) / 1000 }),
    f: entry.op.f,
    key: entry.op.key,
    ...(entry.op.f === "cas" ? { value: [entry.op.expected, entry.op.value] } : "value" in entry.op ? { value: entry.op.value } : {}),
    ...(entry.session ? { session: entry.session } : {}),
    ...(entry.answer === undefined ? {} : { output: entry.answer.result })
  })),
  annotations: faults.map(bandOf)
})

export const runFailureTest = async (options: FailureTestOptions): Promise<FailureTestReport> => {
  const { log } = options
  mkdirSync(options.workDir, { recursive: true })
  const schedule = options.faults ?? planFaults({ seed: options.seed, durationMs: options.durationMs, warmupMs: 1500, gapMs: [500, 1200], faultMs: [1000, 2500] })
  log(`failure test: seed ${options.seed}, ${options.nodes} nodes, ${options.clients} clients, ${options.durationMs / 1000} s, ${schedule.length} faults; work dir ${options.workDir}`)
  const cluster = await startCluster(options)
  // Interrupted, the test takes its nodes with it.
  const onSignal = () => {
    for (const pid of cluster.pids.values()) process.kill(pid, "SIGKILL")
    process.exit(130)
  }
  process.once("SIGINT", onSignal)
  process.once("SIGTERM", onSignal)
  // Time zero of the schedule and the history: the cluster is up.
  const origin = performance.now()
  const at = () => performance.now() - origin
  const applied: Array<AppliedFault> = []
  const checks: Array<CheckOutcome> = []
  let history: ReadonlyArray<RecordedOperation> = []
  let timelineFile: string | null = null
  let trace: FailureTestReport["trace"] = null
  const historyFile = join(options.workDir, "history.json")
  try {
    const workload = new Workload(cluster.client, {
      clients: options.clients,
      seed: options.seed,
      origin,
      attemptMs: 1000,
      nodes: cluster.ids,
      thinkMs: options.thinkMs ?? 0
    })
    workload.start()
    for (const fault of schedule) {
      await sleep(fault.at - at())
      const from = at()
      const { target, undo } = await applyFault(cluster, fault)
      log(`  ${(from / 1000).toFixed(1)} s  ${fault.kind} ${target} for ${(fault.lasts / 1000).toFixed(1)} s (${FAULT_WORDS[fault.kind]})`)
      await sleep(fault.lasts)
      await undo()
      applied.push({ kind: fault.kind, target, from, to: at() })
    }
    await sleep(Math.max(options.durationMs, schedule.length > 0 ? schedule[schedule.length - 1].at + schedule[schedule.length - 1].lasts : 0) - at())
    await cluster.heal()
    // A healthy spell lets the clients finish what they were retrying.
    await sleep(2000)
    await workload.stop()
    const leader = await converge(cluster, 30_000)
    const reader = new ClientSession(cluster.client, `final-reader-${options.seed}`, { attemptMs: 2000, giveUpMs: 20_000, pauseMs: 100 })
    const finalValues = new Map<string, string | null>()
    for (const key of [...workload.keys.shared, ...workload.keys.logs]) {
      const value = await workload.once(options.clients, reader, { f: "get", key })
      if (workload.keys.logs.includes(key)) finalValues.set(key, value as string | null)
    }
    history = workload.history()
    checks.push(checkAppends(history, finalValues))
    const { outcome, result } = checkLinearizable(history, options.lincheckMs ?? 60_000)
    checks.push(outcome)
    writeFileSync(historyFile, `${JSON.stringify(historyDocument(history, applied))}\n`)
    if (!outcome.ok) {
      timelineFile = join(options.workDir, "timeline.html")
      writeFileSync(
        timelineFile,
        renderTimeline({ title: `failure test, seed ${options.seed}`, model: builtInModels["raft-kv"].model as never, result: result as never, annotations: applied.map(bandOf) })
      )
    }
    await cluster.destroy()
    const logs = new Map<ServerId, ReadonlyArray<Entry>>()
    for (const node of cluster.cluster.nodes) logs.set(node.id, await readWholeLog(node.dataDir))
    checks.push(checkLogsAgree(logs, leader.commitIndex))
    if (options.trace) trace = writeTrace(options.workDir, cluster.cluster, options.seed)
  } finally {
    await cluster.destroy()
    process.off("SIGINT", onSignal)
    process.off("SIGTERM", onSignal)
  }
  const answered = history.filter((entry) => entry.answer !== undefined).length
  return {
    seed: options.seed,
    clusterFile: cluster.clusterFile,
    faults: applied,
    operations: { total: history.length, answered, open: history.length - answered },
    checks,
    ok: checks.length === 3 && checks.every((check) => check.ok),
    historyFile,
    timelineFile,
    trace
  }
}

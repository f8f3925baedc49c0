/**
 * Cluster benchmark: puts at 1, 8 and 64 concurrent clients (16-byte keys, 128-byte values, every
 * entry fsynced) and linearizable gets at 64, against a 3-node raft-tla cluster on 127.0.0.1; and,
 * when `etcd` is on the PATH (Debian: etcd-server), the same load against a 3-member etcd on
 * 127.0.0.1 in the same run, each workload on raft-tla then on etcd, so both see the same machine.
 * Prints ops/s, p50 and p99 latency, the ratio, CPU time per operation (servers and client), which
 * varies less than ops/s on a shared machine, and how the client alternated between work and waiting
 * (./closed-loop.ts, `Bursts`): the servers' share of a round, which is where the systems differ.
 * Asserts nothing.
 *
 * Run: `npx tsx test/bench/cluster.ts` (RAFT_TLA_BENCH_SECONDS per workload, default 10;
 * RAFT_TLA_BENCH_WORKLOADS to run some of them, e.g. `put64,get64`, default all four;
 * RAFT_TLA_BENCH_ETCD=0 to leave etcd out; RAFT_TLA_BENCH_ROUNDS=3 to measure each workload three
 * times on each system, alternating, and report the median round: a steadier figure on a shared machine;
 * RAFT_TLA_BENCH_CONNS=8 to spread the clients over 8 connections per system instead of one).
 * Every client is a closed loop: one request at a time, the next as soon as the answer comes.
 */
import * as grpc from "@grpc/grpc-js"
import * as protoLoader from "@grpc/proto-loader"
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { mkdtempSync, openSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { readClusterFile } from "../../src/cluster/cluster-file.ts"
import { ClientSession, endpointsOf, KvClient } from "../../src/cluster/grpc/kv-client.ts"
import { awaitLeader, freeBasePort, freePort, startCluster, stopCluster } from "../../src/cluster/launcher.ts"
import { BURST_GAP_MS, describeBursts, measure, type Phase } from "./closed-loop.ts"

const SECONDS = Number(process.env.RAFT_TLA_BENCH_SECONDS ?? 10)
const WARMUP_SECONDS = 1
const PHASE = { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS }
/** Rounds per workload and system; the round with the median ops/s is the one reported. */
const ROUNDS = Number(process.env.RAFT_TLA_BENCH_ROUNDS ?? 1)
const WORKLOADS = process.env.RAFT_TLA_BENCH_WORKLOADS?.split(",").map((name) => name.trim())
const VALUE = "v".repeat(128)
/** Client connections to the leader, shared round-robin by the clients: 1 (default) or up to one per client. */
const CONNS = Number(process.env.RAFT_TLA_BENCH_CONNS ?? 1)
/** Own connection per client object: grpc-js otherwise shares one among all channels to an address. */
const OWN_CONNECTION = { "grpc.use_local_subchannel_pool": 1 }
if (!(Number.isInteger(CONNS) && CONNS >= 1 && CONNS <= 64)) {
  console.error(`RAFT_TLA_BENCH_CONNS=${process.env.RAFT_TLA_BENCH_CONNS}: a number of connections from 1 to 64`)
  process.exit(2)
}

/** A 16-byte key (32 hex digits would be 32 bytes: 8 random bytes as hex are 16). */
const newKey = () => randomBytes(8).toString("hex")

const medianRound = (rounds: ReadonlyArray<Phase>): Phase => [...rounds].sort((a, b) => a.ops - b.ops)[Math.floor(rounds.length / 2)]

// raft-tla

const startRaftTla = async (root: string) => {
  const base = await freeBasePort(3)
  const clusterFile = join(root, "cluster.json")
  const { cluster } = await startCluster(clusterFile, { nodes: 3, basePort: base, dataDir: root, snapshotThreshold: 10_000 })
  await awaitLeader(cluster, 20_000)
  const client = new KvClient(endpointsOf(cluster))
  const connections = Array.from({ length: CONNS }, () => new KvClient(endpointsOf(cluster), OWN_CONNECTION))
  // startCluster wrote the node processes' pids into the cluster file.
  const pids = readClusterFile(clusterFile).nodes.flatMap((node) => (node.pid === null ? [] : [node.pid]))
  const sessions = Array.from({ length: 64 }, (_, k) => new ClientSession(connections[k % CONNS], `bench-${k}`, { attemptMs: 5000, giveUpMs: 60_000, pauseMs: 20 }))
  return {
    pids,
    put: (c: number) => sessions[c].run({ f: "put", key: newKey(), value: VALUE }),
    get: (c: number) => sessions[c].run({ f: "get", key: "bench-key" }),
    prepare: () => sessions[0].run({ f: "put", key: "bench-key", value: VALUE }),
    /** How the leader batched: client commands per log entry, entries per fsync. */
    storage: async (commands: number) => {
      const statuses = await Promise.all(cluster.nodes.map((node) => client.status(node.id, 2000)))
      const leader = statuses.find((s) => s.role === "Leader") ?? statuses[0]
      const { records, batches } = leader.storage
      return `${format(commands)} client writes in ${format(records)} log entries (${format(commands / Math.max(1, records), 1)} commands per entry), ${format(batches)} appends on the leader (${format(records / Math.max(1, batches), 1)} entries per fsync)`
    },
    stop: async () => {
      client.close()
      for (const connection of connections) connection.close()
      await stopCluster(clusterFile, cluster)
    }
  }
}

// etcd

const etcdOnPath = (): string | null => {
  try {
    return execFileSync("etcd", ["--version"], { encoding: "utf8" }).split("\n")[0]
  } catch {
    return null
  }
}

const startEtcd = async (root: string) => {
  const members = []
  for (let k = 1; k <= 3; k++) members.push({ name: `e${k}`, client: await freePort(), peer: await freePort() })
  const initialCluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peer}`).join(",")
  const processes: Array<ChildProcess> = members.map((m) => {
    const log = openSync(join(root, `${m.name}.log`), "a")
    return spawn(
      "etcd",
      [
        "--name", m.name,
        "--data-dir", join(root, m.name),
        "--listen-client-urls", `http://127.0.0.1:${m.client}`,
        "--advertise-client-urls", `http://127.0.0.1:${m.client}`,
        "--listen-peer-urls", `http://127.0.0.1:${m.peer}`,
        "--initial-advertise-peer-urls", `http://127.0.0.1:${m.peer}`,
        "--initial-cluster", initialCluster,
        "--initial-cluster-state", "new",
        "--initial-cluster-token", `bench-${process.pid}`
      ],
      { stdio: ["ignore", log, log] }
    )
  })
  const endpoints = members.map((m) => `127.0.0.1:${m.client}`)
  // The leader, by etcdctl: each endpoint's status names its own id and the leader's.
  let leader: string | undefined
  for (let tries = 0; leader === undefined && tries < 100; tries++) {
    try {
      const out = execFileSync("etcdctl", ["--endpoints", endpoints.join(","), "endpoint", "status", "-w", "json"], { encoding: "utf8", env: { ...process.env, ETCDCTL_API: "3" } })
      const statuses = JSON.parse(out) as Array<{ Endpoint: string; Status: { header: { member_id: number }; leader: number } }>
      leader = statuses.find((s) => s.Status.leader !== 0 && BigInt(s.Status.leader) === BigInt(s.Status.header.member_id))?.Endpoint
    } catch {
      // not up yet
    }
    if (leader === undefined) await new Promise((resolve) => setTimeout(resolve, 200))
  }
  if (leader === undefined) throw new Error("etcd elected no leader")
  const definition = protoLoader.loadSync(fileURLToPath(new URL("./etcd-kv.proto", import.meta.url)), { defaults: true })
  const KV = (grpc.loadPackageDefinition(definition) as any).etcdserverpb.KV as grpc.ServiceClientConstructor
  // The same channel options as raft-tla's client (src/cluster/grpc/kv-client.ts), channelz off.
  const clients = Array.from({ length: CONNS }, () => new KV(leader!.replace(/^https?:\/\//, ""), grpc.credentials.createInsecure(), { "grpc.enable_channelz": 0, ...OWN_CONNECTION }) as any)
  const call = (c: number, method: string, request: unknown) =>
    new Promise((resolve, reject) => clients[c % CONNS][method](request, { deadline: Date.now() + 10_000 }, (error: unknown, reply: unknown) => (error ? reject(error) : resolve(reply))))
  const value = Buffer.from(VALUE)
  return {
    leader,
    pids: processes.flatMap((p) => (p.pid === undefined ? [] : [p.pid])),
    put: (c: number) => call(c, "Put", { key: Buffer.from(newKey()), value }),
    get: (c: number) => call(c, "Range", { key: Buffer.from("bench-key") }),
    prepare: () => call(0, "Put", { key: Buffer.from("bench-key"), value }),
    stop: async () => {
      for (const client of clients) client.close()
      for (const p of processes) p.kill("SIGTERM")
      await Promise.all(processes.map((p) => new Promise((resolve) => (p.exitCode !== null ? resolve(null) : p.once("exit", resolve)))))
    }
  }
}

// The run

const format = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const cpuCell = (phase: Phase) => `servers ${format(phase.serverCpuUs)} + client ${format(phase.clientCpuUs)}`
const cell = (phase: Phase | undefined) =>
  phase === undefined ? "".padEnd(30) : `${format(phase.ops / phase.seconds).padStart(8)} ops/s ${format(phase.p50, 1).padStart(7)} ${format(phase.p99, 1).padStart(7)}`

const root = mkdtempSync(join(tmpdir(), "raft-tla-cluster-bench-"))
// RAFT_TLA_BENCH_ETCD=0 leaves etcd out (quicker runs while working on raft-tla alone).
const etcdVersion = process.env.RAFT_TLA_BENCH_ETCD === "0" ? null : etcdOnPath()
console.log(`cluster benchmark: 3 nodes on 127.0.0.1, ${SECONDS} s per workload after ${WARMUP_SECONDS} s of warm-up, 16-byte keys, 128-byte values`)
console.log(etcdVersion === null ? "etcd: not on PATH, comparison skipped (Debian package etcd-server)" : `etcd: ${etcdVersion}`)
const raftTla = await startRaftTla(join(root, "raft-tla"))
const etcd = etcdVersion === null ? null : await startEtcd(mkdtempSync(join(root, "etcd-")))
try {
  await raftTla.prepare()
  await etcd?.prepare()
  const workloads = [
    { key: "put1", name: "put, 1 client", clients: 1, run: "put" },
    { key: "put8", name: "put, 8 clients", clients: 8, run: "put" },
    { key: "put64", name: "put, 64 clients", clients: 64, run: "put" },
    { key: "get64", name: "linearizable get, 64 clients", clients: 64, run: "get" }
  ] as const
  const unknown = WORKLOADS?.filter((key) => !workloads.some((w) => w.key === key)) ?? []
  if (unknown.length > 0) throw new Error(`RAFT_TLA_BENCH_WORKLOADS: unknown ${unknown.join(", ")} (known: ${workloads.map((w) => w.key).join(", ")})`)
  console.log(`${"workload".padEnd(30)} ${"raft-tla".padEnd(15)}${"p50 ms".padStart(8)}${"p99 ms".padStart(8)}   ${"etcd".padEnd(15)}${"p50 ms".padStart(8)}${"p99 ms".padStart(8)}   raft-tla/etcd`)
  let written = 1
  const cpu: Array<string> = []
  const bursts: Array<string> = []
  for (const workload of workloads.filter((w) => WORKLOADS === undefined || WORKLOADS.includes(w.key))) {
    // Rounds alternate between the two systems, so that both see the machine's load alike.
    const ourRounds: Array<Phase> = []
    const theirRounds: Array<Phase> = []
    for (let round = 0; round < ROUNDS; round++) {
      const ours = await measure(workload.clients, (c) => raftTla[workload.run](c), raftTla.pids, PHASE)
      if (workload.run === "put") written += ours.answered
      ourRounds.push(ours)
      if (etcd !== null) theirRounds.push(await measure(workload.clients, (c) => etcd[workload.run](c), etcd.pids, PHASE))
    }
    const ours = medianRound(ourRounds)
    const theirs = theirRounds.length === 0 ? undefined : medianRound(theirRounds)
    const ratio = theirs === undefined ? "" : `   ${format(ours.ops / theirs.ops, 2)}x`
    console.log(`${workload.name.padEnd(30)} ${cell(ours)}   ${cell(theirs)}${ratio}`)
    if (ROUNDS > 1) {
      const all = (rounds: ReadonlyArray<Phase>) => rounds.map((r) => format(r.ops / r.seconds)).join(", ")
      console.log(`${"".padEnd(30)} rounds (ops/s): raft-tla ${all(ourRounds)}${theirs === undefined ? "" : `; etcd ${all(theirRounds)}`}`)
    }
    cpu.push(`${workload.key}: raft-tla ${cpuCell(ours)}${theirs === undefined ? "" : `; etcd ${cpuCell(theirs)}`}`)
    bursts.push(`${workload.key}: raft-tla ${describeBursts(ours.bursts)}${theirs === undefined ? "" : `; etcd ${describeBursts(theirs.bursts)}`}`)
  }
  console.log(`CPU per operation (µs; the 3 server processes together + this client process):\n  ${cpu.join("\n  ")}`)
  console.log(`Client bursts (medians; a burst: answers and next requests less than ${BURST_GAP_MS} ms apart, then the client waits):\n  ${bursts.join("\n  ")}`)
  console.log(`raft-tla batching: ${await raftTla.storage(written)}`)
} finally {
  await raftTla.stop()
  await etcd?.stop()
  rmSync(root, { recursive: true, force: true })
}

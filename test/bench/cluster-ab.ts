/**
 * Two builds of raft-tla side by side: a 3-node cluster from each checkout, both up at once, and the
 * same closed-loop put load (16-byte keys, 128-byte values) sent to one then the other, round after
 * round. A change's effect on throughput is read from the medians of alternating rounds, which a
 * shared machine's drift touches alike; two separate runs of test/bench/cluster.ts differ by ±15% on
 * the development machine with no change at all. Prints figures, asserts nothing.
 *
 * Run: `npx tsx test/bench/cluster-ab.ts OLD_CHECKOUT NEW_CHECKOUT` (each a directory holding a
 * raft-tla tree with its node_modules, e.g. a `git worktree`). RAFT_TLA_BENCH_ROUNDS (default 5),
 * RAFT_TLA_BENCH_SECONDS per round (default 4), RAFT_TLA_BENCH_CLIENTS (default 64).
 */
import { randomBytes } from "node:crypto"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { readClusterFile } from "../../src/cluster/cluster-file.ts"
import { freeBasePort } from "../../src/cluster/launcher.ts"
import { ClientSession, endpointsOf, KvClient } from "../../src/cluster/grpc/kv-client.ts"
import { describeBursts, measure, median, type Phase } from "./closed-loop.ts"

const ROUNDS = Number(process.env.RAFT_TLA_BENCH_ROUNDS ?? 5)
const SECONDS = Number(process.env.RAFT_TLA_BENCH_SECONDS ?? 4)
const CLIENTS = Number(process.env.RAFT_TLA_BENCH_CLIENTS ?? 64)
const WARMUP_SECONDS = 0.5
const VALUE = "v".repeat(128)

const checkouts = process.argv.slice(2).map((dir) => resolve(dir))
const usage = "usage: npx tsx test/bench/cluster-ab.ts OLD_CHECKOUT NEW_CHECKOUT"
const launcherOf = (checkout: string) => join(checkout, "src/cluster/launcher.ts")
const problem =
  checkouts.length !== 2
    ? usage
    : checkouts.map((dir) => (existsSync(launcherOf(dir)) ? null : `${dir}: no raft-tla checkout here (no src/cluster/launcher.ts)`)).find((p) => p !== null)
if (problem !== undefined && problem !== null) {
  console.error(problem)
  process.exit(2)
}


const start = async (checkout: string, basePort: number) => {
  const launcher = (await import(launcherOf(checkout))) as typeof import("../../src/cluster/launcher.ts")
  const root = mkdtempSync(join(tmpdir(), "raft-tla-ab-"))
  const file = join(root, "cluster.json")
  const { cluster } = await launcher.startCluster(file, { nodes: 3, basePort, dataDir: root, snapshotThreshold: 10_000 })
  await launcher.awaitLeader(cluster, 20_000)
  // startCluster wrote the node processes' pids into the cluster file.
  const pids = readClusterFile(file).nodes.flatMap((node) => (node.pid === null ? [] : [node.pid]))
  const client = new KvClient(endpointsOf(cluster))
  const sessions = Array.from({ length: CLIENTS }, (_, k) => new ClientSession(client, `ab-${k}`, { attemptMs: 5000, giveUpMs: 60_000, pauseMs: 20 }))
  const rounds: Array<Phase> = []
  const put = (k: number) => sessions[k].run({ f: "put", key: randomBytes(8).toString("hex"), value: VALUE })
  const measureRound = async () => {
    rounds.push(await measure(CLIENTS, put, pids, { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS }))
  }
  const stop = async () => {
    client.close()
    await launcher.stopCluster(file, cluster)
    rmSync(root, { recursive: true, force: true })
  }
  return { checkout, rounds, measureRound, stop }
}

/** The client's bursts over the rounds: the medians of the rounds' medians (./closed-loop.ts, `Bursts`). */
const burstsOver = (rounds: ReadonlyArray<Phase>) => {
  const bursts = rounds.flatMap((r) => (r.bursts === null ? [] : [r.bursts]))
  if (bursts.length === 0) return null
  return { answers: median(bursts.map((b) => b.answers)), busyMs: median(bursts.map((b) => b.busyMs)), idleMs: median(bursts.map((b) => b.idleMs)) }
}

// One after the other: the second cluster's ports are drawn once the first one's are taken.
const systems = [await start(checkouts[0], await freeBasePort(3)), await start(checkouts[1], await freeBasePort(3))]
try {
  console.log(`A/B: ${CLIENTS} clients, ${ROUNDS} alternating rounds of ${SECONDS} s (after ${WARMUP_SECONDS} s of warm-up each)`)
  for (let round = 0; round < ROUNDS; round++) for (const system of systems) await system.measureRound()
  for (const { checkout, rounds } of systems) {
    const ops = rounds.map((r) => r.ops / r.seconds)
    console.log(
      `${checkout}: median ${median(ops).toFixed(0)} puts/s (rounds ${ops.map((x) => x.toFixed(0)).join(", ")}), ` +
        `${median(rounds.map((r) => r.serverCpuUs)).toFixed(0)} µs server CPU per put, p99 ${median(rounds.map((r) => r.p99)).toFixed(1)} ms; ` +
        `client bursts: ${describeBursts(burstsOver(rounds))}`
    )
  }
  const wins = systems[1].rounds.filter((r, k) => r.ops > systems[0].rounds[k].ops).length
  console.log(`the second was faster in ${wins} of ${ROUNDS} rounds`)
} finally {
  for (const system of systems) await system.stop()
}

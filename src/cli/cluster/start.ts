/**
 * `raft-tla cluster start`: starts a cluster of node processes on 127.0.0.1 and writes its cluster
 * file; with an existing cluster file whose nodes are stopped, starts them again from their data.
 */
import { existsSync } from "node:fs"
import { join, resolve } from "node:path"
import { Console, Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { HOST } from "../../cluster/cluster-file.ts"
import { InputError } from "../exit.ts"
import { attempt, DEFAULT_DATA_DIR, load } from "./cluster-flag.ts"

export const clusterStartCommand = Command.make(
  "start",
  {
    nodes: Flag.Int("nodes").pipe(Flag.withDescription("Number of nodes, 1 to 9 (default 3)"), Flag.withDefault(3)),
    basePort: Flag.Int("base-port").pipe(
      Flag.withDescription("Node k serves clients (gRPC) on base-port + 2(k-1) and its peers on the port after (default 7001)"),
      Flag.withDefault(7001)
    ),
    dataDir: Flag.String("data-dir").pipe(
      Flag.withDescription(`Directory for the nodes' data, logs and the cluster file cluster.json (default ${DEFAULT_DATA_DIR})`),
      Flag.withDefault(DEFAULT_DATA_DIR)
    ),
    snapshotThreshold: Flag.Int("snapshot-threshold").pipe(
      Flag.withDescription("Nodes compact their log once this many committed entries are not in a snapshot; 0: never (default 10000)"),
      Flag.withDefault(10_000)
    )
  },
  ({ nodes, basePort, dataDir, snapshotThreshold }) =>
    Effect.gen(function* () {
      if (!(Number.isInteger(nodes) && nodes >= 1 && nodes <= 9)) return yield* new InputError({ message: `--nodes ${nodes}: from 1 to 9` })
      if (!(basePort >= 1024 && basePort + 2 * nodes - 1 <= 65535)) {
        return yield* new InputError({ message: `--base-port ${basePort}: the ports ${basePort}..${basePort + 2 * nodes - 1} must lie in 1024..65535` })
      }
      if (snapshotThreshold < 0) return yield* new InputError({ message: `--snapshot-threshold ${snapshotThreshold}: a count` })
      const directory = resolve(dataDir)
      const clusterFile = join(directory, "cluster.json")
      const existing = existsSync(clusterFile)
      const { logFileOf, startCluster } = yield* load(() => import("../../cluster/launcher.ts"))
      const { cluster, leader } = yield* attempt(() =>
        startCluster(clusterFile, existing ? null : { nodes, basePort, dataDir: directory, snapshotThreshold })
      )
      const lines = [
        `${existing ? "restarted" : "started"} a cluster of ${cluster.nodes.length} nodes; cluster file ${clusterFile}`,
        ...cluster.nodes.map(
          (node) => `  ${node.id}  pid ${node.pid}  clients ${HOST}:${node.grpcPort}  peers ${HOST}:${node.raftPort}  log ${logFileOf(node)}`
        ),
        leader === null ? "no leader yet: see `raft-tla cluster status`" : `leader: ${leader.id} (term ${leader.term})`
      ]
      if (existing && cluster.nodes.length !== nodes) lines.push(`(the cluster file has ${cluster.nodes.length} nodes; --nodes ${nodes} was not used)`)
      yield* Console.log(lines.join("\n"))
    })
).pipe(
  Command.withDescription(
    "Start N node processes on 127.0.0.1, print their addresses and write DATA-DIR/cluster.json; restarts a stopped cluster from its data if the file exists"
  )
)

/** `raft-tla cluster status`: each node's process, role, term and indexes, asked over gRPC. */
import { Console, Effect } from "effect"
import { Command } from "effect/cli"
import { HOST } from "../../cluster/cluster-file.ts"
import { attempt, clusterFlag, load, loadCluster } from "./cluster-flag.ts"

export const clusterStatusCommand = Command.make("status", { cluster: clusterFlag }, ({ cluster }) =>
  Effect.gen(function* () {
    const file = yield* loadCluster(cluster)
    const { endpointsOf, KvClient } = yield* load(() => import("../../cluster/grpc/kv-client.ts"))
    const { statusOf } = yield* load(() => import("../../cluster/launcher.ts"))
    const client = new KvClient(endpointsOf(file))
    const rows = yield* attempt(() => statusOf(file, client)).pipe(Effect.ensuring(Effect.sync(() => client.close())))
    const table = [["node", "address", "process", "role", "term", "commitIndex", "lastIndex", "applied", "leader"]]
    for (const { node, running, status, problem } of rows) {
      const process = node.pid === null ? "-" : `${node.pid}${running ? "" : " (gone)"}`
      table.push(
        status === null
          ? [node.id, `${HOST}:${node.grpcPort}`, process, `down (${problem ?? "no answer"})`, "", "", "", "", ""]
          : [
              node.id,
              `${HOST}:${node.grpcPort}`,
              process,
              status.role,
              String(status.term),
              String(status.commitIndex),
              String(status.lastIndex),
              String(status.lastApplied),
              status.leader === "" ? "?" : status.leader
            ]
      )
    }
    const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)))
    yield* Console.log(table.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()).join("\n"))
  })
).pipe(Command.withDescription("Show each node's process, role, term, commitIndex, lastIndex, applied index and leader (asked over gRPC)"))

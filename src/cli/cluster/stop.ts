/** `raft-tla cluster stop`: stops the node processes of a cluster (SIGTERM, then SIGKILL). */
import { Console, Effect } from "effect"
import { Command } from "effect/cli"
import { attempt, clusterFlag, load, loadCluster } from "./cluster-flag.ts"

export const clusterStopCommand = Command.make("stop", { cluster: clusterFlag }, ({ cluster }) =>
  Effect.gen(function* () {
    const file = yield* loadCluster(cluster)
    const { stopCluster } = yield* load(() => import("../../cluster/launcher.ts"))
    const stopped = yield* attempt(() => stopCluster(cluster, file))
    yield* Console.log(stopped.length === 0 ? "no node was running" : `stopped ${stopped.join(", ")}; their data stays in place`)
  })
).pipe(Command.withDescription("Stop every node of the cluster; its data stays, and `cluster start` brings it back"))

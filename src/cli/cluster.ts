/** `raft-tla cluster ...`: a real cluster of node processes on 127.0.0.1 (docs/cluster.md). */
import { Command } from "effect/cli"
import { clusterStartCommand } from "./cluster/start.ts"
import { clusterStatusCommand } from "./cluster/status.ts"
import { clusterStopCommand } from "./cluster/stop.ts"
import { clusterTestCommand } from "./cluster/test.ts"

export const clusterCommand = Command.make("cluster").pipe(
  Command.withDescription("Run a cluster of node processes on 127.0.0.1: start, status, stop, and the failure test"),
  Command.withSubcommands([clusterStartCommand, clusterStatusCommand, clusterStopCommand, clusterTestCommand])
)

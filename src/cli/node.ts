/**
 * `raft-tla node --id ID --cluster FILE`: runs one node of a cluster in the foreground until it is
 * killed. A node that cannot start (corrupted data directory, port in use, bad cluster file) exits
 * 2 with the reason; so does one whose storage fails while it runs.
 */
import { Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { load, loadCluster } from "./cluster/cluster-flag.ts"
import { InputError } from "./exit.ts"

export const nodeCommand = Command.make(
  "node",
  {
    id: Flag.String("id").pipe(Flag.withDescription("The node to run: its id in the cluster file (s1, s2, ...)")),
    cluster: Flag.String("cluster").pipe(Flag.withDescription("The cluster file (written by `raft-tla cluster start`)")),
    stepLog: Flag.String("step-log").pipe(
      Flag.optional,
      Flag.withDescription("Append every spec step the node takes to this file (`raft-tla cluster test --trace` merges the nodes' step logs into one trace for `raft-tla validate`)")
    )
  },
  ({ id, cluster, stepLog }) =>
    Effect.gen(function* () {
      const file = yield* loadCluster(cluster)
      if (!file.nodes.some((node) => node.id === id)) {
        return yield* new InputError({ message: `${cluster}: no node ${id} (nodes: ${file.nodes.map((node) => node.id).join(", ")})` })
      }
      const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`)
      // Asked to stop, a node exits at once: everything it acknowledged is already durable.
      for (const signal of ["SIGTERM", "SIGINT"] as const) {
        process.once(signal, () => {
          log(`${id} stops (${signal})`)
          process.exit(0)
        })
      }
      const { runNodeProcess } = yield* load(() => import("../cluster/node-process.ts"))
      return yield* Effect.scoped(runNodeProcess({ cluster: file, id, log, ...(Option.isSome(stepLog) ? { stepLog: stepLog.value } : {}) })).pipe(
        Effect.mapError((error) => new InputError({ message: error.message }))
      )
    })
).pipe(
  Command.withDescription(
    "Run one node of a cluster in the foreground: Raft over TCP to its peers, durable storage in its data directory, the gRPC client API; until killed"
  )
)

/**
 * The client commands: `raft-tla put|get|delete|append|cas ... --cluster FILE`. Each runs one
 * command as a new client session over gRPC: it finds the leader (following the leader a follower
 * names), and retries a write with the same session until it is answered, so it applies once.
 */
import { randomUUID } from "node:crypto"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import type { KvOperation, KvResult } from "../runtime/kv-command.ts"
import { attempt, clusterFlag, load, loadCluster } from "./cluster/cluster-flag.ts"
import type { InputError } from "./exit.ts"

const timeoutFlag = Flag.Finite("timeout").pipe(
  Flag.withDescription("Give up after this many seconds without an answer (default 10); a write may then have applied or not"),
  Flag.withDefault(10)
)

const key = Argument.String("key").pipe(Argument.withDescription("The key (1 to 1024 bytes)"))
const value = Argument.String("value").pipe(Argument.withDescription("The value (up to 1 MiB)"))

const runOne = (cluster: string, timeout: number, op: KvOperation): Effect.Effect<KvResult, InputError> =>
  Effect.gen(function* () {
    const file = yield* loadCluster(cluster)
    const { ClientSession, endpointsOf, KvClient } = yield* load(() => import("../cluster/grpc/kv-client.ts"))
    const client = new KvClient(endpointsOf(file))
    const session = new ClientSession(client, `cli-${randomUUID()}`, { attemptMs: 2000, giveUpMs: timeout * 1000, pauseMs: 100 })
    return yield* attempt(() => session.run(op)).pipe(Effect.ensuring(Effect.sync(() => client.close())))
  })

export const putCommand = Command.make("put", { key, value, cluster: clusterFlag, timeout: timeoutFlag }, ({ key, value, cluster, timeout }) =>
  Effect.andThen(runOne(cluster, timeout, { f: "put", key, value }), Console.log("ok"))
).pipe(Command.withDescription("Set KEY to VALUE (through the Raft log; prints ok once committed and applied)"))

export const appendCommand = Command.make("append", { key, value, cluster: clusterFlag, timeout: timeoutFlag }, ({ key, value, cluster, timeout }) =>
  Effect.andThen(runOne(cluster, timeout, { f: "append", key, value }), Console.log("ok"))
).pipe(Command.withDescription("Append VALUE to KEY's value (to nothing if KEY is absent)"))

export const deleteCommand = Command.make("delete", { key, cluster: clusterFlag, timeout: timeoutFlag }, ({ key, cluster, timeout }) =>
  Effect.andThen(runOne(cluster, timeout, { f: "delete", key }), Console.log("ok"))
).pipe(Command.withDescription("Remove KEY"))

export const getCommand = Command.make("get", { key, cluster: clusterFlag, timeout: timeoutFlag }, ({ key, cluster, timeout }) =>
  Effect.gen(function* () {
    const result = yield* runOne(cluster, timeout, { f: "get", key })
    if (result === null) yield* Console.error(`${key}: absent`)
    else yield* Console.log(String(result))
  })
).pipe(
  Command.withDescription("Print KEY's value (a linearizable read: the leader confirms it still leads first); an absent key prints nothing, and says so on stderr")
)

export const casCommand = Command.make(
  "cas",
  {
    key,
    value: Argument.String("new").pipe(Argument.withDescription("The value to set")),
    expected: Flag.String("expected").pipe(Flag.optional, Flag.withDescription("Swap only if KEY's value is this; without it, only if KEY is absent")),
    cluster: clusterFlag,
    timeout: timeoutFlag
  },
  ({ key, value, expected, cluster, timeout }) =>
    Effect.gen(function* () {
      const swapped = yield* runOne(cluster, timeout, { f: "cas", key, expected: Option.getOrNull(expected), value })
      yield* Console.log(swapped === true ? "swapped" : "not swapped: the value was not the expected one")
    })
).pipe(Command.withDescription("Compare and swap: set KEY to NEW if its value is --expected (or, without it, if KEY is absent)"))

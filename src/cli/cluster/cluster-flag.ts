/**
 * The `--cluster FILE` flag every cluster command takes, and reading the file it names. A missing
 * or malformed file is an input error naming the file (and line:column).
 */
import { Effect } from "effect"
import { Flag } from "effect/cli"
import { type ClusterFile, ClusterFileError, readClusterFile } from "../../cluster/cluster-file.ts"
import { InputError } from "../exit.ts"

export const DEFAULT_DATA_DIR = "raft-tla-cluster"
export const DEFAULT_CLUSTER_FILE = `${DEFAULT_DATA_DIR}/cluster.json`

export const clusterFlag = Flag.String("cluster").pipe(
  Flag.withDescription(`The cluster file written by \`raft-tla cluster start\` (default ${DEFAULT_CLUSTER_FILE})`),
  Flag.withDefault(DEFAULT_CLUSTER_FILE)
)

export const loadCluster = (file: string): Effect.Effect<ClusterFile, InputError> =>
  Effect.try({
    try: () => readClusterFile(file),
    catch: (error) => new InputError({ message: error instanceof ClusterFileError ? error.message : String(error) })
  })

/**
 * Loads a module of src/cluster when a command runs rather than when the CLI starts: gRPC and the
 * node runtime cost every other command a noticeable start-up time.
 */
export const load = <M>(module: () => Promise<M>): Effect.Effect<M> => Effect.promise(module)

/** Runs a promise; a failure becomes an input error with its message (no stack trace). */
export const attempt = <A>(run: () => Promise<A>): Effect.Effect<A, InputError> =>
  Effect.tryPromise({ try: run, catch: (error) => new InputError({ message: error instanceof Error ? error.message : String(error) }) })

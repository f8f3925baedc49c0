/**
 * `raft-tla storage-check <dir>`: checks a node's data directory the way a restart would, without
 * changing it, and says what recovery would find and repair. Corruption is reported as an input error
 * (exit 2) naming the file and byte offset.
 */
import { Console, Effect } from "effect"
import { Argument, Command } from "effect/cli"
import * as fs from "node:fs"
import { dryRunDisk } from "../runtime/storage/dry-run-disk.ts"
import { makeDurableStorage } from "../runtime/storage/durable-storage.ts"
import { nodeDisk } from "../runtime/storage/node-disk.ts"
import type { Recovered } from "../runtime/storage/persistent-state.ts"
import { InputError } from "./exit.ts"

const describeRecovered = ({ hardState, snapshot, entries }: Recovered): Array<string> => {
  const vote = hardState.votedFor === null ? "no vote" : `voted for ${hardState.votedFor}`
  const first = entries[0]
  const last = entries[entries.length - 1]
  return [
    `hard state: term ${hardState.currentTerm}, ${vote}`,
    snapshot === null
      ? "snapshot: none"
      : `snapshot: through index ${snapshot.lastIncludedIndex} (term ${snapshot.lastIncludedTerm}), ${snapshot.data.length} bytes`,
    first === undefined
      ? "log: no entries after the snapshot"
      : `log: ${entries.length} entries, index ${first.index} (term ${first.term}) to ${last.index} (term ${last.term})`
  ]
}

export const storageCheckCommand = Command.make(
  "storage-check",
  {
    directory: Argument.String("data-dir").pipe(Argument.withDescription("A node's data directory (hard-state, snapshot, wal/)"))
  },
  ({ directory }) =>
    Effect.gen(function* () {
      if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory()) {
        return yield* new InputError({ message: `${directory}: no such data directory` })
      }
      const disk = dryRunDisk(nodeDisk)
      const recovered = yield* makeDurableStorage(disk, directory)
        .recover()
        .pipe(Effect.mapError((error) => new InputError({ message: error.message })))
      const repairs = disk.changes
      const lines = [
        `data directory: ${directory}`,
        ...describeRecovered(recovered),
        ...(repairs.length === 0 ? ["no repair needed"] : ["a restart would repair:", ...repairs.map((change) => `  ${change}`)])
      ]
      yield* Console.log(lines.join("\n"))
    })
).pipe(
  Command.withDescription(
    "Check a node's data directory as a restart would, without changing it: report its state and any repair recovery would make; corruption exits 2 naming the file and offset"
  )
)

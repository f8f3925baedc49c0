import { Console, Effect } from "effect"
import { Command } from "effect/cli"

/** `raft-tla about`: the versions of the pieces a bug report should mention. */
export const versionCommand = Command.make("about", {}, () =>
  Console.log(`raft-tla 0.1.0 on Node ${process.version}`)
).pipe(Command.withDescription("Print raft-tla's version and the Node version it runs on"))

/**
 * Every subcommand of `raft-tla`, one import each. Each command lives in its own file.
 */
import { versionCommand } from "./version.ts"
import { checkCommand } from "./check.ts"
import { corpusCommand } from "./corpus.ts"

export const commands = [versionCommand, checkCommand, corpusCommand] as const

/**
 * Every subcommand of `raft-tla`, one import each. Each command lives in its own file.
 */
import { storageCheckCommand } from "./storage-check.ts"
import { versionCommand } from "./version.ts"

export const commands = [versionCommand, storageCheckCommand] as const

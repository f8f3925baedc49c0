/**
 * Every subcommand of `raft-tla`, one import each. Each command lives in its own file.
 */
import { versionCommand } from "./version.ts"

export const commands = [versionCommand] as const

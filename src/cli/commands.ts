/**
 * Every subcommand of `raft-tla`, one import each. Each command lives in its own file.
 */
import { lincheckCommand } from "./lincheck.ts"
import { versionCommand } from "./version.ts"

export const commands = [versionCommand, lincheckCommand] as const

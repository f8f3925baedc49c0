/**
 * Every subcommand of `raft-tla`, one import each. Each command lives in its own file.
 */
import { auditCommand } from "./audit.ts"
import { lincheckCommand } from "./lincheck.ts"
import { versionCommand } from "./version.ts"

export const commands = [versionCommand, lincheckCommand, auditCommand] as const

/**
 * Every subcommand of `raft-tla`, one import each. Each command lives in its own file.
 */
import { auditCommand } from "./audit.ts"
import { lincheckCommand } from "./lincheck.ts"
import { simulateCommand } from "./simulate.ts"
import { storageCheckCommand } from "./storage-check.ts"
import { versionCommand } from "./version.ts"

export const commands = [versionCommand, simulateCommand, lincheckCommand, storageCheckCommand, auditCommand] as const

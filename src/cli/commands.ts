/**
 * Every subcommand of `raft-tla`, one import each. Each command lives in its own file.
 * One entry per line, so that branches adding commands merge cleanly.
 */
import { auditCommand } from "./audit.ts"
import { checkCommand } from "./check.ts"
import { clusterCommand } from "./cluster.ts"
import { corpusCommand } from "./corpus.ts"
import { appendCommand, casCommand, deleteCommand, getCommand, putCommand } from "./kv.ts"
import { docsCommand } from "./docs.ts"
import { lincheckCommand } from "./lincheck.ts"
import { nodeCommand } from "./node.ts"
import { simulateCommand } from "./simulate.ts"
import { storageCheckCommand } from "./storage-check.ts"
import { validateCommand } from "./validate.ts"
import { versionCommand } from "./version.ts"
import { viewCommand } from "./view.ts"

export const commands = [
  versionCommand,
  simulateCommand,
  storageCheckCommand,
  lincheckCommand,
  checkCommand,
  corpusCommand,
  auditCommand,
  nodeCommand,
  clusterCommand,
  putCommand,
  getCommand,
  deleteCommand,
  appendCommand,
  casCommand,
  validateCommand,
  viewCommand,
  docsCommand
] as const

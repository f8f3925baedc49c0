/**
 * Every subcommand of `raft-tla`, one import each. Each command lives in its own file.
 * One entry per line, so that branches adding commands merge cleanly.
 */
import { checkCommand } from "./check.ts"
import { corpusCommand } from "./corpus.ts"
import { simulateCommand } from "./simulate.ts"
import { validateCommand } from "./validate.ts"
import { versionCommand } from "./version.ts"

export const commands = [
  versionCommand,
  simulateCommand,
  checkCommand,
  corpusCommand,
  validateCommand
] as const

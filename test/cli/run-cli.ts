/** Runs the `raft-tla` command as a user would, in a child process, for CLI tests. */
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const bin = fileURLToPath(new URL("../../src/cli/bin.js", import.meta.url))

export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export const runCli = (args: ReadonlyArray<string>, options: { cwd?: string; input?: string } = {}): CliRun => {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd,
    input: options.input,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024
  })
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

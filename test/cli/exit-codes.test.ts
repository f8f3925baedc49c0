import { describe, expect, it } from "vitest"
import { runCli } from "./run-cli.ts"

describe("raft-tla exit codes", () => {
  it("exits 0 on success", () => {
    const run = runCli(["about"])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^raft-tla \d+\.\d+\.\d+/)
  })

  it("exits 2 on an unknown flag and names it", () => {
    const run = runCli(["about", "--no-such-flag"])
    expect(run.code).toBe(2)
    expect(run.stdout + run.stderr).toContain("--no-such-flag")
  })

  it("exits 2 on an unknown subcommand", () => {
    const run = runCli(["no-such-command"])
    expect(run.code).toBe(2)
  })

  it("exits 0 on --help and lists the subcommands", () => {
    const run = runCli(["--help"])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("about")
  })
})

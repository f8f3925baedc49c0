/**
 * A cluster of real node processes started from the command line, the way a user runs it: it
 * starts, serves put/get/cas/delete, stops, comes back from its data, and refuses what it must.
 * Every process started here is killed in afterAll, whatever happened. (The commands' client logic
 * is tested in-process in nodes.test.ts; each CLI call here costs a Node start-up.)
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { readClusterFile } from "../../src/cluster/cluster-file.ts"
import { freeBasePort, isNodeProcess } from "../../src/cluster/launcher.ts"
import { runCli } from "../cli/run-cli.ts"

const started: Array<string> = []

afterAll(() => {
  for (const file of started) {
    if (!existsSync(file)) continue
    for (const node of readClusterFile(file).nodes) if (isNodeProcess(node.pid, node.id)) process.kill(node.pid!, "SIGKILL")
  }
})

describe("a cluster started from the command line", () => {
  const cwd = mkdtempSync(join(tmpdir(), "cluster-cli-"))
  const clusterFile = join(cwd, "raft-tla-cluster", "cluster.json")
  started.push(clusterFile)
  const cli = (...args: Array<string>) => runCli(args, { cwd })

  it("starts, serves put/get/cas/delete, stops, comes back from its data, and refuses a second start", async () => {
    const base = await freeBasePort(3)
    const start = cli("cluster", "start", "--nodes", "3", "--base-port", String(base))
    expect(start.stderr).toBe("")
    expect(start.code).toBe(0)
    expect(start.stdout).toContain(`started a cluster of 3 nodes; cluster file ${clusterFile}`)
    expect(start.stdout).toContain(`clients 127.0.0.1:${base}  peers 127.0.0.1:${base + 1}`)
    expect(start.stdout).toMatch(/leader: s[123] \(term \d+\)/)

    expect(cli("put", "greeting", "hello")).toMatchObject({ code: 0, stdout: "ok\n" })
    expect(cli("cas", "greeting", "bye", "--expected", "hello")).toMatchObject({ code: 0, stdout: "swapped\n" })
    expect(cli("put", "doomed", "x")).toMatchObject({ code: 0, stdout: "ok\n" })
    expect(cli("delete", "doomed")).toMatchObject({ code: 0, stdout: "ok\n" })

    const status = cli("cluster", "status")
    expect(status.code).toBe(0)
    const rows = status.stdout.trim().split("\n").slice(1)
    expect(rows).toHaveLength(3)
    expect(rows.filter((row) => / Leader /.test(row))).toHaveLength(1)

    expect(cli("cluster", "start")).toMatchObject({ code: 2, stderr: expect.stringContaining("already running") })
    const clash = runCli(["cluster", "start", "--base-port", String(base)], { cwd: mkdtempSync(join(tmpdir(), "cluster-cli-other-")) })
    expect(clash.code).toBe(2)
    expect(clash.stderr).toContain(`error: ports in use: 127.0.0.1:${base} (s1's client port)`)

    expect(cli("cluster", "stop")).toMatchObject({ code: 0, stdout: "stopped s1, s2, s3; their data stays in place\n" })
    expect(readClusterFile(clusterFile).nodes.every((node) => node.pid === null)).toBe(true)
    expect(cli("cluster", "start").stdout).toContain("restarted a cluster of 3 nodes")
    expect(cli("get", "greeting")).toMatchObject({ code: 0, stdout: "bye\n" })
    expect(cli("get", "doomed")).toMatchObject({ code: 0, stdout: "", stderr: "doomed: absent\n" })
    expect(cli("cluster", "stop").code).toBe(0)
  })

  it("refuses to start on a corrupted data directory, naming the file and offset, and leaves no process behind", () => {
    const hardState = join(cwd, "raft-tla-cluster", "s2", "hard-state")
    const bytes = readFileSync(hardState)
    bytes[9] ^= 0x01
    writeFileSync(hardState, bytes)
    const start = cli("cluster", "start")
    expect(start.code).toBe(2)
    expect(start.stderr).toContain(`s2 exited (code 2) before it was ready`)
    expect(start.stderr).toContain(`error: s2 cannot start: ${hardState}: offset 0: checksum mismatch`)
    for (const node of readClusterFile(clusterFile).nodes) expect(isNodeProcess(node.pid, node.id)).toBe(false)
  })

  it("reports a bad cluster file with its line and column, exit 2", () => {
    writeFileSync(join(cwd, "bad.json"), '{"format": "raft-tla-cluster", "version": 1, "nodes": [{"id": "s1"}]}')
    expect(cli("get", "k", "--cluster", "bad.json")).toMatchObject({ code: 2, stderr: 'error: bad.json:1:56: s1: "raftPort" must be a port number (1..65535)\n' })
  })

  it("refuses a failure test into a directory an earlier run left data in, exit 2", () => {
    const out = join(cwd, "raft-tla-cluster")
    expect(cli("cluster", "test", "--duration", "5", "--out", out)).toMatchObject({
      code: 2,
      stderr: `error: --out ${out}: not empty; the failure test needs a new or empty directory\n`
    })
  })
})

/**
 * The cluster file: read back as written (data directories relative to it), and every way it can
 * be wrong reported with the file, line and column.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { ClusterFileError, dialPort, parseClusterFile, readClusterFile, writeClusterFile } from "../../src/cluster/cluster-file.ts"
import { planCluster } from "../../src/cluster/launcher.ts"

const node = (k: number, extra = "") => `{"id": "s${k}", "raftPort": ${7000 + 2 * k}, "grpcPort": ${7001 + 2 * k}, "dataDir": "s${k}"${extra}}`
const file = (nodes: string, extra = "") => `{\n  "format": "raft-tla-cluster",\n  "version": 1,${extra}\n  "nodes": [\n    ${nodes}\n  ]\n}\n`

const problem = (text: string): string => {
  try {
    parseClusterFile(text, "c.json")
  } catch (error) {
    expect(error).toBeInstanceOf(ClusterFileError)
    return (error as Error).message
  }
  throw new Error("accepted")
}

describe("the cluster file", () => {
  it("reads back what it wrote, with data directories relative to the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "cluster-file-"))
    const planned = planCluster({ nodes: 3, basePort: 9100, dataDir: join(dir, "data") })
    const path = join(dir, "cluster.json")
    writeClusterFile(path, { ...planned, routes: { s1: { s2: 9999 } } })
    const read = readClusterFile(path)
    expect(read.nodes.map((n) => [n.id, n.grpcPort, n.raftPort, n.dataDir])).toEqual([
      ["s1", 9100, 9101, join(dir, "data", "s1")],
      ["s2", 9102, 9103, join(dir, "data", "s2")],
      ["s3", 9104, 9105, join(dir, "data", "s3")]
    ])
    expect(dialPort(read, "s1", "s2")).toBe(9999)
    expect(dialPort(read, "s2", "s1")).toBe(9101)
    expect(read.timing).toEqual(planned.timing)
  })

  it("names the file, line and column of what is wrong", () => {
    expect(problem(file(node(1)).replace('"version": 1,', '"version": 1'))).toBe("c.json:4:3: expected ',' or '}'")
    expect(problem(file(`${node(1)}, ${node(3)}`))).toBe(`c.json:5:${7 + node(1).length}: node 2 must have "id": "s2" (nodes are s1..sN in order)`)
    expect(problem(file(node(1, ', "pid": -4')))).toBe('c.json:5:5: s1: "pid" must be a process id or null')
    expect(problem(file(node(1).replace("7002", "70000")))).toBe('c.json:5:5: s1: "raftPort" must be a port number (1..65535)')
    expect(problem(file(`${node(1)}, ${node(2).replace("7005", "7003")}`))).toContain("port 7003 is already s1's")
    expect(problem(file(node(1), '\n  "timing": {"electionTimeout": [100, 50], "heartbeatInterval": 10},'))).toBe(
      "c.json:4:13: election timeout range 100..50 is not a range of whole milliseconds"
    )
    expect(problem(file(node(1), '\n  "bugs": ["no-such-bug"],'))).toMatch(/^c\.json:4:11: unknown bug "no-such-bug"/)
    expect(problem('{"format": "something else", "version": 1, "nodes": []}')).toBe('c.json:1:1: "format" must be "raft-tla-cluster"')
    expect(problem("[]")).toBe("c.json:1:1: a cluster file is a JSON object")
  })

  it("says when it cannot read the file at all", () => {
    const dir = mkdtempSync(join(tmpdir(), "cluster-file-"))
    expect(() => readClusterFile(join(dir, "missing.json"))).toThrow(/missing\.json: cannot read the cluster file: ENOENT/)
    writeFileSync(join(dir, "empty.json"), "")
    expect(() => readClusterFile(join(dir, "empty.json"))).toThrow(/empty\.json:1:1:/)
  })
})

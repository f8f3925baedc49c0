/** The ports tests give their nodes: free, and outside the range the kernel gives outgoing connections. */
import * as net from "node:net"
import { describe, expect, it } from "vitest"
import { freeBasePort, freePort, planCluster } from "../../src/cluster/launcher.ts"

const listenOn = (port: number): Promise<net.Server> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => resolve(server))
  })

describe("freePort", () => {
  it("gives ports below the ephemeral range that a node can listen on", async () => {
    for (let k = 0; k < 20; k++) {
      const port = await freePort()
      expect(port).toBeGreaterThanOrEqual(10_000)
      expect(port).toBeLessThan(32_768)
      const server = await listenOn(port)
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it("gives base ports whose whole cluster can listen, below the ephemeral range", async () => {
    for (let k = 0; k < 5; k++) {
      const nodes = planCluster({ nodes: 3, basePort: await freeBasePort(3), dataDir: "unused" }).nodes
      const ports = nodes.flatMap((node) => [node.grpcPort, node.raftPort])
      expect(Math.min(...ports)).toBeGreaterThanOrEqual(10_000)
      expect(Math.max(...ports)).toBeLessThan(32_768)
      const servers = await Promise.all(ports.map(listenOn))
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
    }
  })
})

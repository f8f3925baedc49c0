/**
 * A loopback proxy on one directed link between two nodes: the sending node dials the proxy, the
 * proxy dials the receiving node and forwards whole frames (./wire.ts framing). The failure harness
 * cuts a link by having the proxy drop every frame (the connection stays up, as in a network
 * partition where packets vanish) and slows one by holding each frame back. It knows frames, not
 * what they carry.
 */
import * as net from "node:net"
import { HOST } from "../cluster-file.ts"
import { FrameReader } from "../wire.ts"

export type LinkMode = { readonly kind: "pass" } | { readonly kind: "drop" } | { readonly kind: "delay"; readonly ms: number }

export class LinkProxy {
  private mode: LinkMode = { kind: "pass" }
  private readonly sockets = new Set<net.Socket>()
  /** Frames dropped and delayed so far. */
  readonly counts = { forwarded: 0, dropped: 0, delayed: 0 }

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly targetPort: number
  ) {
    server.on("connection", (socket) => this.relay(socket))
  }

  /** Listens on `port` (0: any free port) and forwards to 127.0.0.1:targetPort. */
  static open(targetPort: number, port = 0): Promise<LinkProxy> {
    return new Promise((resolve, reject) => {
      const server = net.createServer()
      server.once("error", reject)
      server.listen({ host: HOST, port }, () => resolve(new LinkProxy(server, (server.address() as net.AddressInfo).port, targetPort)))
    })
  }

  setMode(mode: LinkMode): void {
    this.mode = mode
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  private relay(incoming: net.Socket): void {
    const outgoing = net.connect({ host: HOST, port: this.targetPort })
    for (const socket of [incoming, outgoing]) {
      this.sockets.add(socket)
      socket.setNoDelay(true)
      socket.on("error", () => {})
      socket.on("close", () => {
        this.sockets.delete(socket)
        incoming.destroy()
        outgoing.destroy()
      })
    }
    const reader = new FrameReader()
    /** When the last delayed frame goes out: frames keep their order. */
    let releaseAt = 0
    // The first frame is the dialler's hello: always let it through, or the link would not form.
    let helloSent = false
    incoming.on("data", (chunk: Buffer) => {
      let bodies: Array<Buffer>
      try {
        bodies = reader.push(chunk)
      } catch {
        incoming.destroy()
        return
      }
      for (const body of bodies) {
        const frame = Buffer.allocUnsafe(4 + body.length)
        frame.writeUInt32BE(body.length, 0)
        body.copy(frame, 4)
        const mode = this.mode
        if (!helloSent) {
          helloSent = true
          outgoing.write(frame)
        } else if (mode.kind === "drop") {
          this.counts.dropped++
        } else if (mode.kind === "delay") {
          this.counts.delayed++
          releaseAt = Math.max(releaseAt, Date.now() + mode.ms)
          setTimeout(() => outgoing.write(frame), releaseAt - Date.now())
        } else if (releaseAt > Date.now()) {
          // Frames delayed before the link healed go first.
          setTimeout(() => outgoing.write(frame), releaseAt - Date.now())
        } else {
          this.counts.forwarded++
          outgoing.write(frame)
        }
      }
    })
  }
}

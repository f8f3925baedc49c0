/**
 * The Transport of a node process: Raft messages over TCP on 127.0.0.1.
 *
 * A node listens on its Raft port for its peers, and dials each peer once for what it sends them
 * (so every link has a direction, and a proxy can sit on one). A broken or refused connection is
 * dialled again after a backoff that doubles up to a bound. A message that cannot go now (no
 * connection, or a peer that stopped reading and let too much pile up) is dropped, as the spec's
 * network may: Raft retries what matters. Frames are checked on arrival (./wire.ts).
 *
 * Ids: the messages a process sends are numbered 1, 2, 3... in its incarnation, and a reply carries
 * the number of the request it answers. A copy handed to the node is numbered -1, -2, -3... so that
 * it never looks like one of the node's own; `origin` says which sender, incarnation and number it
 * came from (for traces).
 */
import * as net from "node:net"
import { Effect } from "effect"
import { dropMessage, type Message, type ServerId } from "../raft/index.ts"
import type { TraceSinkService } from "../runtime/trace-sink.ts"
import type { Delivery, TransportService } from "../runtime/transport.ts"
import { HOST } from "./cluster-file.ts"
import { encodeFrame, FrameReader, readCarried, readHello } from "./wire.ts"

/** Where a copy handed to the node came from. */
export interface Origin {
  readonly from: ServerId
  readonly incarnation: number
  readonly id: number
}

export interface TcpTransportOptions {
  readonly self: ServerId
  /** Tells this process's messages apart from an earlier one's: the time it started, in ms. */
  readonly incarnation: number
  readonly listenPort: number
  /** The port to dial for each peer. */
  readonly peers: ReadonlyMap<ServerId, number>
  /** Receives a DropMessage step for every copy this node drops. */
  readonly sink: TraceSinkService
  readonly log: (line: string) => void
}

/** Reconnect delays (ms): doubled after each failure, up to the maximum. */
const MIN_BACKOFF = 25
const MAX_BACKOFF = 500
/** Bytes a peer may leave unread before further messages to it are dropped. */
const MAX_UNSENT_BYTES = 8 * 1024 * 1024

/** The Raft port is taken or cannot be bound. */
export class ListenError extends Error {}

export class TcpTransport implements TransportService {
  private readonly links = new Map<ServerId, PeerLink>()
  private readonly inbound = new Set<net.Socket>()
  private mailbox: ((delivery: Delivery) => void) | undefined
  private nextId = 1
  private nextLocal = -1
  /** Copies handed to the node and not yet consumed, by local number. */
  private readonly handed = new Map<number, { readonly origin: Origin; readonly message: Message }>()
  /** Messages between `exchange` and `dispatch`, by id. */
  private readonly outbox = new Map<number, { readonly message: Message; readonly cause?: number }>()
  private closed = false

  private constructor(
    private readonly options: TcpTransportOptions,
    private readonly server: net.Server
  ) {
    server.on("connection", (socket) => this.accept(socket))
    for (const [peer, port] of options.peers) this.links.set(peer, new PeerLink(options, peer, port))
  }

  static listen(options: TcpTransportOptions): Promise<TcpTransport> {
    return new Promise((resolve, reject) => {
      const server = net.createServer()
      server.once("error", (error: NodeJS.ErrnoException) => {
        const why = error.code === "EADDRINUSE" ? "the port is in use" : error.message
        reject(new ListenError(`${HOST}:${options.listenPort}: cannot listen for peers: ${why}`))
      })
      server.listen({ host: HOST, port: options.listenPort, exclusive: true }, () => {
        const transport = new TcpTransport(options, server)
        for (const link of transport.links.values()) link.start()
        resolve(transport)
      })
    })
  }

  /** Where the copy the node knows by `local` came from; undefined once it is consumed. */
  origin(local: number): Origin | undefined {
    return this.handed.get(local)?.origin
  }

  close(): Promise<void> {
    this.closed = true
    for (const link of this.links.values()) link.close()
    for (const socket of this.inbound) socket.destroy()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  // Transport, used by the node.

  readonly attach = (_server: ServerId, deliver: (delivery: Delivery) => void) =>
    Effect.sync(() => {
      this.mailbox = deliver
    })

  readonly detach = (_server: ServerId) =>
    Effect.sync(() => {
      this.mailbox = undefined
      this.handed.clear()
    })

  readonly exchange = (consumed: number | undefined, send: ReadonlyArray<Message>): ReadonlyArray<number> => {
    const origin = consumed === undefined ? undefined : this.handed.get(consumed)?.origin
    if (consumed !== undefined) this.handed.delete(consumed)
    return send.map((message) => {
      const id = this.nextId++
      // Only the sender of the consumed request can make sense of its number.
      const cause = origin !== undefined && message.dest === origin.from ? origin.id : undefined
      this.outbox.set(id, cause === undefined ? { message } : { message, cause })
      return id
    })
  }

  readonly dispatch = (ids: ReadonlyArray<number>) =>
    Effect.sync(() => {
      for (const id of ids) {
        const entry = this.outbox.get(id)
        if (entry === undefined) continue
        this.outbox.delete(id)
        const link = this.links.get(entry.message.dest)
        const sent = link !== undefined && link.send(() => encodeFrame({ id, ...(entry.cause === undefined ? {} : { cause: entry.cause }), m: entry.message }))
        if (!sent) this.recordDrop(entry.message, id)
      }
    })

  readonly lose = (local: number): void => {
    const copy = this.handed.get(local)
    if (copy !== undefined) this.recordDrop(copy.message, local)
    this.handed.delete(local)
  }

  /** `msgId` is the (negative) number of a received copy, or the id of one this node sent. */
  private recordDrop(message: Message, msgId: number): void {
    this.options.sink.record({ server: null, event: dropMessage(message).trace, after: null, msgId, sent: [] })
  }

  // Peers dialling in.

  private accept(socket: net.Socket): void {
    if (this.closed) {
      socket.destroy()
      return
    }
    this.inbound.add(socket)
    socket.setNoDelay(true)
    const reader = new FrameReader()
    let from: { readonly peer: ServerId; readonly incarnation: number } | null = null
    const where = `${socket.remoteAddress}:${socket.remotePort}`
    socket.on("data", (chunk: Buffer) => {
      try {
        for (const body of reader.push(chunk)) {
          if (from === null) {
            const { hello } = readHello(body)
            if (hello.to !== this.options.self) throw new Error(`a peer that meant to reach ${hello.to}`)
            if (!this.options.peers.has(hello.from)) throw new Error(`a hello from ${hello.from}, not a peer`)
            from = { peer: hello.from, incarnation: hello.incarnation }
            continue
          }
          const carried = readCarried(body)
          if (carried.m.source !== from.peer || carried.m.dest !== this.options.self) {
            throw new Error(`a message from ${carried.m.source} to ${carried.m.dest} on ${from.peer}'s link`)
          }
          this.receive({ from: from.peer, incarnation: from.incarnation, id: carried.id }, carried.m, carried.cause)
        }
      } catch (error) {
        this.options.log(`${this.options.self}: closed the connection from ${where}: ${(error as Error).message}`)
        socket.destroy()
      }
    })
    socket.on("error", () => {})
    socket.on("close", () => this.inbound.delete(socket))
  }

  private receive(origin: Origin, message: Message, cause: number | undefined): void {
    const mailbox = this.mailbox
    if (mailbox === undefined) return
    const local = this.nextLocal--
    this.handed.set(local, { origin, message })
    mailbox(cause === undefined ? { id: local, message } : { id: local, message, cause })
  }
}

/** The connection a node dials to one peer, dialled again whenever it breaks. */
class PeerLink {
  private socket: net.Socket | null = null
  private connected = false
  private backoff = MIN_BACKOFF
  private timer: NodeJS.Timeout | null = null
  private closed = false

  constructor(
    private readonly options: TcpTransportOptions,
    private readonly peer: ServerId,
    private readonly port: number
  ) {}

  start(): void {
    this.dial()
  }

  /** Writes the frame if the link is up and the peer keeps reading; false when it was dropped. */
  send(frame: () => Buffer): boolean {
    const socket = this.socket
    if (!this.connected || socket === null || socket.writableLength > MAX_UNSENT_BYTES) return false
    socket.write(frame())
    return true
  }

  close(): void {
    this.closed = true
    if (this.timer !== null) clearTimeout(this.timer)
    this.socket?.destroy()
  }

  private dial(): void {
    if (this.closed) return
    const socket = net.connect({ host: HOST, port: this.port })
    this.socket = socket
    socket.setNoDelay(true)
    socket.on("connect", () => {
      this.connected = true
      this.backoff = MIN_BACKOFF
      socket.write(encodeFrame({ hello: { from: this.options.self, to: this.peer, incarnation: this.options.incarnation } }))
    })
    // Nothing comes back on a link we dialled; reading keeps the socket from stalling.
    socket.on("data", () => {})
    socket.on("error", () => {})
    socket.on("close", () => {
      this.connected = false
      if (this.socket === socket) this.socket = null
      if (this.closed) return
      const delay = this.backoff * (0.5 + Math.random() / 2)
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF)
      this.timer = setTimeout(() => this.dial(), delay)
    })
  }
}

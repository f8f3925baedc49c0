/**
 * A gRPC server for unary methods only, straight on node:http2: what the Kv service needs and no
 * more. It speaks gRPC's HTTP/2 mapping (a POST to /package.Service/Method, one length-prefixed
 * message each way, the status in trailers), so any gRPC client can call it.
 *
 * Why not @grpc/grpc-js's server: at 64 clients it was a third of what the leader allocated per put
 * (a sampling heap profile, docs/cluster.md, stop 14), and the leader's collections are what its
 * p99 is made of. This server keeps one closure per call and nothing else of its own.
 *
 * Left out, on purpose: streaming methods, compression (it advertises none, so clients send none),
 * and deadlines (a client enforces its own, and cancels the stream, which this server notices).
 */
import { status as Status } from "@grpc/grpc-js"
import * as http2 from "node:http2"

/** gRPC's status codes: grpc-js's table (the client's library, loaded for the .proto anyway). */
export { Status }

/** A call's failure: its status code, a message, and trailing metadata (ASCII keys and values). */
export interface CallError {
  readonly code: number
  readonly details: string
  readonly metadata?: Readonly<Record<string, string>>
}

/** Answers a call once: an error, or the reply's bytes. Later answers are ignored. */
export type Answer = (error: CallError | null, reply?: Uint8Array) => void

/** A unary method: the request's bytes, and how to answer; it may answer at once or later. */
export type UnaryMethod = (request: Buffer, answer: Answer) => void

/** The largest request accepted, as grpc-js's default. */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024

/** Length-prefixed message framing: a compressed flag byte and a 4-byte big-endian length. */
const PREFIX_BYTES = 5

const frame = (message: Uint8Array): Buffer => {
  const framed = Buffer.allocUnsafe(PREFIX_BYTES + message.length)
  framed[0] = 0
  framed.writeUInt32BE(message.length, 1)
  framed.set(message, PREFIX_BYTES)
  return framed
}

/** grpc-message is percent-encoded: bytes outside printable ASCII, and '%' itself. */
export const encodeGrpcMessage = (message: string): string => {
  let encoded = ""
  for (const byte of Buffer.from(message, "utf8")) {
    encoded += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`
  }
  return encoded
}

const GRPC_CONTENT_TYPE = "application/grpc"

/** The request's single message, or why there is none. */
const messageOf = (body: Buffer): Buffer | CallError => {
  if (body.length < PREFIX_BYTES) return { code: Status.INTERNAL, details: `the request has ${body.length} bytes, fewer than a message's prefix` }
  if (body[0] !== 0) return { code: Status.UNIMPLEMENTED, details: "compressed messages are not accepted (the server advertises no encoding)" }
  const length = body.readUInt32BE(1)
  if (body.length !== PREFIX_BYTES + length) {
    return { code: Status.UNIMPLEMENTED, details: "a unary method takes exactly one request message" }
  }
  return body.subarray(PREFIX_BYTES)
}

export interface UnaryServer {
  /** The port it listens on. */
  readonly port: number
  /** Stops listening and drops every connection (calls in progress end with the connection). */
  readonly close: () => void
}

/**
 * Serves `methods` (by path, e.g. "/raft_tla.v1.Kv/Put") on host:port; rejects with a message naming
 * the address when it cannot listen.
 */
export const serveUnary = (methods: ReadonlyMap<string, UnaryMethod>, host: string, port: number): Promise<UnaryServer> => {
  // A session's memory cap (nghttp2's, default 10 MB) would refuse streams under a burst of calls.
  const server = http2.createServer({ maxSessionMemory: 256 })
  const sessions = new Set<http2.ServerHttp2Session>()
  server.on("session", (session) => {
    sessions.add(session)
    session.on("close", () => sessions.delete(session))
    // A peer that breaks the protocol loses its connection; the server goes on.
    session.on("error", () => session.destroy())
  })
  server.on("stream", (stream, headers) => serveCall(methods, stream, headers))
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(`${host}:${port}: cannot serve gRPC: ${error.code === "EADDRINUSE" ? "the port is in use" : error.message}`))
    )
    server.listen({ host, port }, () => {
      server.removeAllListeners("error")
      server.on("error", () => {})
      resolve({
        port: (server.address() as { port: number }).port,
        close: () => {
          server.close()
          for (const session of sessions) session.destroy()
        }
      })
    })
  })
}

const serveCall = (methods: ReadonlyMap<string, UnaryMethod>, stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void => {
  // A stream's errors (a reset by the client, a closed connection) end the call and nothing else.
  stream.on("error", () => {})
  const contentType = headers["content-type"]
  if (headers[":method"] !== "POST" || typeof contentType !== "string" || !contentType.startsWith(GRPC_CONTENT_TYPE)) {
    // Not gRPC at all: plain HTTP's answer (gRPC's HTTP/2 mapping, "Responses").
    stream.respond({ ":status": 415 }, { endStream: true })
    return
  }
  const path = headers[":path"] ?? ""
  const method = methods.get(path)
  if (method === undefined) {
    stream.resume()
    trailersOnly(stream, { code: Status.UNIMPLEMENTED, details: `no method ${path}` })
    return
  }
  const chunks: Array<Buffer> = []
  let size = 0
  stream.on("data", (chunk: Buffer) => {
    size += chunk.length
    if (size <= MAX_REQUEST_BYTES + PREFIX_BYTES) chunks.push(chunk)
  })
  stream.once("end", () => {
    if (size > MAX_REQUEST_BYTES + PREFIX_BYTES) {
      trailersOnly(stream, { code: Status.RESOURCE_EXHAUSTED, details: `the request is ${size} bytes (at most ${MAX_REQUEST_BYTES})` })
      return
    }
    const message = messageOf(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size))
    if (!Buffer.isBuffer(message)) {
      trailersOnly(stream, message)
      return
    }
    let answered = false
    method(message, (error, reply) => {
      if (answered) return
      answered = true
      if (stream.closed || stream.destroyed) return // cancelled, or past its deadline: nobody waits
      try {
        if (error === null) replyWith(stream, reply ?? new Uint8Array(0))
        else trailersOnly(stream, error)
      } catch {
        // The connection went away while answering: nobody is left to tell.
      }
    })
  })
}

/** A reply: headers, the message, and trailers with status OK. */
const replyWith = (stream: http2.ServerHttp2Stream, reply: Uint8Array): void => {
  stream.respond({ ":status": 200, "content-type": GRPC_CONTENT_TYPE }, { waitForTrailers: true })
  stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": String(Status.OK) }))
  stream.end(frame(reply))
}

/** A failure: one HEADERS frame that carries the status and ends the stream ("Trailers-Only"). */
const trailersOnly = (stream: http2.ServerHttp2Stream, error: CallError): void => {
  if (stream.closed || stream.destroyed || stream.headersSent) return
  stream.respond(
    {
      ":status": 200,
      "content-type": GRPC_CONTENT_TYPE,
      "grpc-status": String(error.code),
      "grpc-message": encodeGrpcMessage(error.details),
      ...error.metadata
    },
    { endStream: true }
  )
}

/**
 * The unary gRPC server on node:http2, called by grpc-js's client (a client we did not write) and,
 * where grpc-js would not send what we need, by a bare node:http2 client: replies, failures with
 * their trailing metadata, and every malformed call answered with a status and the server still up.
 */
import * as grpc from "@grpc/grpc-js"
import * as http2 from "node:http2"
import * as net from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { encodeGrpcMessage, serveUnary, Status, type UnaryMethod, type UnaryServer } from "../../src/cluster/grpc/unary-server.ts"

const identity = (bytes: Buffer) => bytes

/** Answers held back by the "Later" method, to answer after the client has gone. */
const held: Array<(reply: Buffer) => void> = []
let answeredTwice = 0

const methods = new Map<string, UnaryMethod>([
  ["/t.T/Echo", (request, answer) => answer(null, Buffer.concat([Buffer.from("echo:"), request]))],
  [
    "/t.T/Fail",
    (request, answer) => answer({ code: Status.FAILED_PRECONDITION, details: `no: ${request.toString()} 100% é\n`, metadata: { "raft-leader": "s2" } })
  ],
  [
    "/t.T/Twice",
    (_request, answer) => {
      answer(null, Buffer.from("first"))
      answer(null, Buffer.from("second"))
      answeredTwice++
    }
  ],
  ["/t.T/Later", (request, answer) => held.push(() => answer(null, request))]
])

let server: UnaryServer
let client: grpc.Client

const call = (path: string, request: Buffer, deadlineMs = 2000) =>
  new Promise<{ error: grpc.ServiceError | null; reply: Buffer | undefined }>((resolve) =>
    client.makeUnaryRequest(path, identity, identity, request, { deadline: Date.now() + deadlineMs }, (error, reply) =>
      resolve({ error: error ?? null, reply })
    )
  )

/** One raw HTTP/2 request: its response headers (trailers-only answers carry the status here). */
const raw = (headers: http2.OutgoingHttpHeaders, body: Buffer) =>
  new Promise<http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader>((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${server.port}`)
    session.on("error", reject)
    const stream = session.request({ ":method": "POST", ":path": "/t.T/Echo", "content-type": "application/grpc", te: "trailers", ...headers })
    stream.on("response", (response) => {
      resolve(response)
      session.close()
    })
    stream.on("error", reject)
    stream.end(body)
  })

const prefixed = (flag: number, message: Buffer) => Buffer.concat([Buffer.from([flag, 0, 0, 0, message.length]), message])

beforeAll(async () => {
  server = await serveUnary(methods, "127.0.0.1", 0)
  client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure())
})

afterAll(() => {
  client.close()
  server.close()
})

describe("the unary gRPC server", () => {
  it("answers a call with the reply's bytes", async () => {
    const { error, reply } = await call("/t.T/Echo", Buffer.from("hello"))
    expect(error).toBeNull()
    expect(reply?.toString()).toBe("echo:hello")
    expect((await call("/t.T/Echo", Buffer.alloc(0))).reply?.toString()).toBe("echo:")
    // Larger than HTTP/2's initial window (64 KB) both ways, and than one DATA frame.
    const large = Buffer.alloc(1024 * 1024 + 3, "x")
    const echoed = await call("/t.T/Echo", large)
    expect(echoed.reply?.length).toBe(large.length + 5)
    expect(echoed.reply?.subarray(5).equals(large)).toBe(true)
  })

  it("answers a failure with its code, its message (percent-encoded on the wire) and its metadata", async () => {
    const { error } = await call("/t.T/Fail", Buffer.from("x"))
    expect(error?.code).toBe(grpc.status.FAILED_PRECONDITION)
    expect(error?.details).toBe("no: x 100% é\n")
    expect(error?.metadata.get("raft-leader")).toEqual(["s2"])
    expect(encodeGrpcMessage("a%b é")).toBe("a%25b %C3%A9")
  })

  it("keeps the first of two answers", async () => {
    const { reply } = await call("/t.T/Twice", Buffer.alloc(0))
    expect(reply?.toString()).toBe("first")
    expect(answeredTwice).toBe(1)
  })

  it("answers UNIMPLEMENTED for a method it does not have", async () => {
    const { error } = await call("/t.T/Nope", Buffer.alloc(0))
    expect(error?.code).toBe(grpc.status.UNIMPLEMENTED)
    expect(error?.details).toBe("no method /t.T/Nope")
  })

  it("answers malformed calls with a status, and keeps serving", async () => {
    const compressed = await raw({}, prefixed(1, Buffer.from("x")))
    expect(compressed["grpc-status"]).toBe(String(Status.UNIMPLEMENTED))
    expect(compressed["grpc-message"]).toMatch(/^compressed messages are not accepted/)
    const twoMessages = await raw({}, Buffer.concat([prefixed(0, Buffer.from("a")), prefixed(0, Buffer.from("b"))]))
    expect(twoMessages["grpc-message"]).toBe("a unary method takes exactly one request message")
    const short = await raw({}, Buffer.from([0, 0]))
    expect(short["grpc-status"]).toBe(String(Status.INTERNAL))
    const oversized = await raw({}, Buffer.alloc(4 * 1024 * 1024 + 6))
    expect(oversized["grpc-status"]).toBe(String(Status.RESOURCE_EXHAUSTED))
    const notGrpc = await raw({ "content-type": "text/plain" }, Buffer.from("hi"))
    expect(notGrpc[":status"]).toBe(415)
    expect((await call("/t.T/Echo", Buffer.from("again"))).reply?.toString()).toBe("echo:again")
  })

  it("drops an answer whose caller has gone (deadline passed), and keeps serving", async () => {
    const { error } = await call("/t.T/Later", Buffer.from("late"), 100)
    expect(error?.code).toBe(grpc.status.DEADLINE_EXCEEDED)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(held).toHaveLength(1)
    held[0](Buffer.from("nobody"))
    expect((await call("/t.T/Echo", Buffer.from("on"))).reply?.toString()).toBe("echo:on")
  })

  it("refuses a port in use, naming it", async () => {
    const taken = net.createServer()
    const port = await new Promise<number>((resolve) => taken.listen({ host: "127.0.0.1", port: 0 }, () => resolve((taken.address() as net.AddressInfo).port)))
    await expect(serveUnary(methods, "127.0.0.1", port)).rejects.toThrow(`127.0.0.1:${port}: cannot serve gRPC: the port is in use`)
    taken.close()
  })

  it("drops its connections on close", async () => {
    const other = await serveUnary(methods, "127.0.0.1", 0)
    const otherClient = new grpc.Client(`127.0.0.1:${other.port}`, grpc.credentials.createInsecure())
    const pending = new Promise<grpc.ServiceError | null>((resolve) =>
      otherClient.makeUnaryRequest("/t.T/Later", identity, identity, Buffer.from("x"), { deadline: Date.now() + 5000 }, (error) => resolve(error ?? null))
    )
    await new Promise((resolve) => setTimeout(resolve, 100))
    other.close()
    const error = await pending
    otherClient.close()
    expect(error?.code).toBe(grpc.status.UNAVAILABLE)
  })
})

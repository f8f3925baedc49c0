/**
 * Node-to-node frames over TCP: a 4-byte big-endian length, then that many bytes of JSON.
 *
 * The first frame on a connection is the dialer's hello (who it is, whom it meant to reach, which
 * incarnation of its process). Every later frame carries one Raft message, the id its sender gave
 * it, and, for a reply, the id of the request it answers (`cause`). Messages are checked against
 * the core's Schema on arrival: a peer that sends anything else is cut off, never trusted.
 */
import { Result, Schema } from "effect"
import { Message, ServerId } from "../raft/index.ts"

/** A frame above this size is refused (a snapshot travels whole in one InstallSnapshot). */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024

export const Hello = Schema.Struct({
  hello: Schema.Struct({ from: ServerId, to: ServerId, incarnation: Schema.Number })
})
export type Hello = typeof Hello.Type

export const Carried = Schema.Struct({
  id: Schema.Int,
  cause: Schema.optionalKey(Schema.Int),
  m: Message
})
export type Carried = typeof Carried.Type

const decodeHello = Schema.decodeUnknownResult(Hello)
const decodeCarried = Schema.decodeUnknownResult(Carried)

export const encodeFrame = (payload: Hello | Carried): Buffer => {
  const body = Buffer.from(JSON.stringify(payload), "utf8")
  const frame = Buffer.allocUnsafe(4 + body.length)
  frame.writeUInt32BE(body.length, 0)
  body.copy(frame, 4)
  return frame
}

/** Cuts a byte stream into frame bodies; throws FrameError on a frame too large to accept. */
export class FrameReader {
  private buffered: Array<Buffer> = []
  private size = 0

  push(chunk: Buffer): Array<Buffer> {
    this.buffered.push(chunk)
    this.size += chunk.length
    const frames: Array<Buffer> = []
    while (this.size >= 4) {
      const head = this.peek(4)
      const length = head.readUInt32BE(0)
      if (length > MAX_FRAME_BYTES) throw new FrameError(`a frame of ${length} bytes (at most ${MAX_FRAME_BYTES})`)
      if (this.size < 4 + length) break
      const whole = this.take(4 + length)
      frames.push(whole.subarray(4))
    }
    return frames
  }

  private peek(n: number): Buffer {
    if (this.buffered[0].length < n) this.buffered = [Buffer.concat(this.buffered)]
    return this.buffered[0].subarray(0, n)
  }

  private take(n: number): Buffer {
    if (this.buffered[0].length < n) this.buffered = [Buffer.concat(this.buffered)]
    const first = this.buffered[0]
    const taken = first.subarray(0, n)
    if (first.length === n) this.buffered.shift()
    else this.buffered[0] = first.subarray(n)
    this.size -= n
    return taken
  }
}

export class FrameError extends Error {}

const parse = (body: Buffer): unknown => {
  try {
    return JSON.parse(body.toString("utf8"))
  } catch (error) {
    throw new FrameError(`a frame that is not JSON: ${(error as Error).message}`)
  }
}

export const readHello = (body: Buffer): Hello => {
  const decoded = decodeHello(parse(body))
  if (Result.isFailure(decoded)) throw new FrameError(`a first frame that is not a hello: ${decoded.failure.message}`)
  return decoded.success
}

export const readCarried = (body: Buffer): Carried => {
  const decoded = decodeCarried(parse(body))
  if (Result.isFailure(decoded)) throw new FrameError(`a frame that is not a Raft message: ${decoded.failure.message}`)
  return decoded.success
}

/**
 * Node-to-node frames: cut out of a byte stream whatever the chunking, refused when too large or
 * not what they claim to be.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { encodeFrame, FrameError, FrameReader, MAX_FRAME_BYTES, readCarried, readHello } from "../../src/cluster/wire.ts"
import { propertySettings } from "../runtime/storage/fixtures.ts"

const message = { type: "RequestVoteResponse", term: 3, source: "s2", dest: "s1", voteGranted: true } as const

describe("frames", () => {
  it("come out whole and in order however the stream is cut", () => {
    const settings = propertySettings("frames", 100)
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1 }), (ids, cuts) => {
        const stream = Buffer.concat(ids.map((id) => encodeFrame({ id, m: message })))
        const reader = new FrameReader()
        const bodies: Array<Buffer> = []
        let at = 0
        for (let k = 0; at < stream.length; k++) {
          const size = cuts[k % cuts.length]
          bodies.push(...reader.push(stream.subarray(at, at + size)))
          at += size
        }
        expect(bodies.map((body) => readCarried(body).id)).toEqual(ids)
      }),
      settings
    )
  })

  it("refuses a frame longer than the limit before reading it", () => {
    const head = Buffer.alloc(4)
    head.writeUInt32BE(MAX_FRAME_BYTES + 1, 0)
    expect(() => new FrameReader().push(head)).toThrow(FrameError)
  })

  it("refuses what is not JSON, not a hello, or not a Raft message", () => {
    expect(() => readCarried(Buffer.from("{oops"))).toThrow(/not JSON/)
    expect(() => readHello(Buffer.from(JSON.stringify({ id: 1, m: message })))).toThrow(/not a hello/)
    expect(() => readCarried(Buffer.from(JSON.stringify({ id: 1, m: { ...message, term: "three" } })))).toThrow(/not a Raft message/)
    expect(() => readCarried(Buffer.from(JSON.stringify({ id: 1, m: { ...message, type: "Gossip" } })))).toThrow(/not a Raft message/)
    expect(readHello(Buffer.from(JSON.stringify({ hello: { from: "s1", to: "s2", incarnation: 5 } }))).hello.to).toBe("s2")
  })
})

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { crc32c, crc32cUpdate } from "../../../src/runtime/storage/crc32c.ts"
import { propertySettings } from "./fixtures.ts"

const ascii = (text: string) => new TextEncoder().encode(text)

describe("crc32c", () => {
  it("matches the published check value and the iSCSI test vectors", () => {
    expect(crc32c(ascii("123456789"))).toBe(0xe3069283)
    expect(crc32c(new Uint8Array(0))).toBe(0)
    // RFC 3720 appendix B.4: 32 zero bytes, 32 0xFF bytes, 0..31 ascending, 31..0 descending.
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa)
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43)
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e)
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c)
  })

  it("is not the zlib CRC-32 (whose check value is 0xCBF43926)", () => {
    expect(crc32c(ascii("123456789"))).not.toBe(0xcbf43926)
  })

  it("continues over split input and honours start/end", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (bytes, cut) => {
        const at = bytes.length === 0 ? 0 : cut % (bytes.length + 1)
        const whole = crc32c(bytes)
        expect(crc32cUpdate(crc32c(bytes.subarray(0, at)), bytes.subarray(at))).toBe(whole)
        expect(crc32c(bytes, 0, at)).toBe(crc32c(bytes.subarray(0, at)))
      }),
      propertySettings("crc32c split", 200)
    )
  })

  it("changes whenever a single bit flips", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (bytes, at, bit) => {
        const flipped = bytes.slice()
        flipped[at % bytes.length] ^= 1 << bit
        expect(crc32c(flipped)).not.toBe(crc32c(bytes))
      }),
      propertySettings("crc32c bit flip", 200)
    )
  })
})

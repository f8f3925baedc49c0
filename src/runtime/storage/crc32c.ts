/**
 * CRC-32C (Castagnoli), the checksum of every record we write.
 *
 * Castagnoli's polynomial rather than the zlib one because it detects more error patterns at the record
 * sizes a log writes, and it is the checksum other logs (iSCSI, ext4 metadata, LevelDB) settled on, so
 * tools and test vectors exist. Reflected form, one 256-entry table, initial value and final xor all ones.
 */

/** The reflected Castagnoli polynomial 0x1EDC6F41. */
const POLYNOMIAL = 0x82f63b78

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256)
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1
    table[byte] = crc >>> 0
  }
  return table
})()

/**
 * Continues a CRC-32C over more bytes: `crc32cUpdate(crc32c(a), b) === crc32c(a ++ b)`.
 * Lets a reader check a record whose bytes arrive in pieces without copying them together.
 */
export const crc32cUpdate = (crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number => {
  let state = ~crc >>> 0
  for (let i = start; i < end; i++) state = TABLE[(state ^ bytes[i]) & 0xff] ^ (state >>> 8)
  return ~state >>> 0
}

/** The CRC-32C of `bytes[start, end)` as an unsigned 32-bit number. */
export const crc32c = (bytes: Uint8Array, start = 0, end = bytes.length): number => crc32cUpdate(0, bytes, start, end)

/**
 * The set of operations linearized so far, as a bitset with an incremental hash.
 *
 * The hash is Zobrist's: each operation owns a random 32-bit key and the set's hash is the XOR of
 * its members' keys, so adding or removing one operation updates it in O(1) (porcupine instead
 * rehashes the whole bitset at each cache probe).
 */
export class LinearizedSet {
  readonly words: Uint32Array
  hash = 0
  private readonly keys: Int32Array

  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32))
    this.keys = zobristKeys(size)
  }

  add(op: number): void {
    this.words[op >>> 5] |= 1 << (op & 31)
    this.hash ^= this.keys[op]
  }

  remove(op: number): void {
    this.words[op >>> 5] &= ~(1 << (op & 31))
    this.hash ^= this.keys[op]
  }

  snapshot(): Uint32Array {
    return this.words.slice()
  }

  equals(words: Uint32Array): boolean {
    const mine = this.words
    for (let i = 0; i < mine.length; i++) if (mine[i] !== words[i]) return false
    return true
  }
}

/** Fixed-seed keys, so that a search explores in the same order on every run. */
const zobristKeys = (size: number): Int32Array => {
  const keys = new Int32Array(size)
  let seed = 0x2545f491
  for (let i = 0; i < size; i++) {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    keys[i] = t ^ (t >>> 14)
  }
  return keys
}

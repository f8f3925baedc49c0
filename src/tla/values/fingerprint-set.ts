/**
 * The set of state fingerprints seen so far, for the model checker: open addressing over an
 * Int32Array of (hi, lo) pairs, no allocation per insert. The pair (0, 0) marks an empty slot,
 * so a fingerprint that happens to be (0, 0) is stored as (0, 1).
 */
export class FingerprintSet {
  #slots: Int32Array
  #mask: number
  #size = 0

  constructor(initialCapacity = 1 << 16) {
    let capacity = 16
    while (capacity < initialCapacity * 2) capacity *= 2
    this.#slots = new Int32Array(capacity * 2)
    this.#mask = capacity - 1
  }

  get size(): number {
    return this.#size
  }

  /** Adds the fingerprint; true when it was not in the set before. */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1
    const i = this.#probe(hi, lo)
    if (this.#slots[2 * i] !== 0 || this.#slots[2 * i + 1] !== 0) return false
    this.#slots[2 * i] = hi
    this.#slots[2 * i + 1] = lo
    if (++this.#size * 2 > this.#mask + 1) this.#grow()
    return true
  }

  has(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1
    const i = this.#probe(hi, lo)
    return this.#slots[2 * i] !== 0 || this.#slots[2 * i + 1] !== 0
  }

  /** The slot holding (hi, lo), or the empty slot where it would go. */
  #probe(hi: number, lo: number): number {
    const slots = this.#slots
    let i = (lo ^ (hi >>> 7)) & this.#mask
    for (;;) {
      const h = slots[2 * i]
      const l = slots[2 * i + 1]
      if ((h === 0 && l === 0) || (h === hi && l === lo)) return i
      i = (i + 1) & this.#mask
    }
  }

  #grow(): void {
    const old = this.#slots
    this.#slots = new Int32Array(old.length * 2)
    this.#mask = old.length - 1
    this.#size = 0
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0 || old[i + 1] !== 0) this.add(old[i], old[i + 1])
    }
  }
}

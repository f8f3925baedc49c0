/**
 * The set of seen states' 64-bit fingerprints: open addressing over one Uint32Array holding
 * (high, low) pairs, doubled when 60% full. Two 32-bit halves from independent hashes make
 * collisions vanishingly rare at millions of states (about n^2 / 2^65).
 */
export class FingerprintSet {
  private table: Uint32Array
  private mask: number
  size = 0

  constructor(initialCapacity = 1 << 16) {
    let cap = 1
    while (cap < initialCapacity) cap <<= 1
    this.table = new Uint32Array(cap * 2)
    this.mask = cap - 1
  }

  /** Adds the fingerprint; returns false when it was already present. */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1 // (0, 0) marks an empty slot
    if ((this.size + 1) * 5 > (this.mask + 1) * 3) this.grow()
    const t = this.table
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask
    for (;;) {
      const h = t[2 * i]
      const l = t[2 * i + 1]
      if (h === 0 && l === 0) {
        t[2 * i] = hi
        t[2 * i + 1] = lo
        this.size++
        return true
      }
      if (h === hi && l === lo) return false
      i = (i + 1) & this.mask
    }
  }

  has(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1
    const t = this.table
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask
    for (;;) {
      const h = t[2 * i]
      const l = t[2 * i + 1]
      if (h === 0 && l === 0) return false
      if (h === hi && l === lo) return true
      i = (i + 1) & this.mask
    }
  }

  private grow(): void {
    const old = this.table
    this.table = new Uint32Array(old.length * 2)
    this.mask = (this.mask << 1) | 1
    this.size = 0
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0 || old[i + 1] !== 0) this.add(old[i], old[i + 1])
    }
  }
}

/**
 * The history as one time-ordered list of call and return entries, doubly linked so that the
 * search can lift an operation (unlink its call and its return) and put it back in O(1), in the
 * manner of Knuth's dancing links, as Lowe's algorithm and porcupine do.
 *
 * Entry 2k is the call of operation k and 2k+1 its return; the head sentinel is 2n.
 */
export class EntryList {
  readonly head: number
  readonly next: Int32Array
  readonly prev: Int32Array

  constructor(calls: ReadonlyArray<number>, returns: ReadonlyArray<number>) {
    const n = calls.length
    this.head = 2 * n
    this.next = new Int32Array(2 * n + 1)
    this.prev = new Int32Array(2 * n + 1)
    const time = (entry: number): number => (entry & 1 ? returns[entry >> 1] : calls[entry >> 1])
    const order = Array.from({ length: 2 * n }, (_, entry) => entry)
    // At equal times calls come first: touching operations count as concurrent (as in porcupine).
    order.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b)
    let last = this.head
    for (const entry of order) {
      this.next[last] = entry
      this.prev[entry] = last
      last = entry
    }
    this.next[last] = -1
  }

  /** The earliest entry still in the list, or -1 once every operation is lifted. */
  first(): number {
    return this.next[this.head]
  }

  /** Unlinks operation `op`'s call and return. */
  lift(op: number): void {
    this.unlink(2 * op)
    this.unlink(2 * op + 1)
  }

  /** Relinks what `lift(op)` unlinked, in reverse order, so the list is as before. */
  unlift(op: number): void {
    this.relink(2 * op + 1)
    this.relink(2 * op)
  }

  private unlink(entry: number): void {
    const { next, prev } = this
    next[prev[entry]] = next[entry]
    if (next[entry] !== -1) prev[next[entry]] = prev[entry]
  }

  private relink(entry: number): void {
    const { next, prev } = this
    next[prev[entry]] = entry
    if (next[entry] !== -1) prev[next[entry]] = entry
  }
}

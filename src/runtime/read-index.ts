/**
 * Linearizable reads without a log entry: the ReadIndex protocol of Ongaro's thesis (§6.4).
 *
 * A read that reaches the leader is answered from its state machine once three things hold:
 * 1. its read index is fixed: the leader's commitIndex at a moment when the leader has committed an
 *    entry of its own term (before that, commitIndex may miss entries a previous leader committed);
 * 2. a quorum has answered, in the read's term, an AppendEntries the leader sent after the read
 *    arrived, so no newer leader existed when the read arrived;
 * 3. the state machine has applied the read index.
 *
 * Nothing here is a spec action: the confirmation round is ordinary AppendEntries and
 * HandleAppendEntriesResponse steps, and answering a read changes no spec variable. A response is
 * matched to the request it answers by the id of that request (`Delivery.cause`); ids a node sends
 * only grow, so "sent after the read arrived" is "id above the last id sent before it".
 */
import type { ServerId } from "../raft/index.ts"

export interface PendingRead<R> {
  readonly key: string
  readonly reply: R
  /** The leader's term when the read arrived; a read is answered only by the leader of that term. */
  readonly term: number
  /** The last message id the leader had sent when the read arrived. */
  readonly marker: number
  readIndex: number | null
  readonly acks: Set<ServerId>
}

export class ReadIndex<R> {
  private waiting: Array<PendingRead<R>> = []

  constructor(
    private readonly self: ServerId,
    /** Whether this many servers (the leader included) are a quorum. */
    private readonly isQuorum: (size: number) => boolean
  ) {}

  get size(): number {
    return this.waiting.length
  }

  add(key: string, reply: R, term: number, marker: number): void {
    this.waiting.push({ key, reply, term, marker, readIndex: null, acks: new Set([this.self]) })
  }

  /** `from` answered, in `term`, the request with id `cause`. */
  acknowledge(from: ServerId, term: number, cause: number): void {
    for (const read of this.waiting) if (read.term === term && cause > read.marker) read.acks.add(from)
  }

  /** The leader of `term` has committed an entry of its term, and commitIndex is `commitIndex`. */
  fixIndex(term: number, commitIndex: number): void {
    for (const read of this.waiting) if (read.term === term && read.readIndex === null) read.readIndex = commitIndex
  }

  /** Takes out the reads the leader of `term` may answer once `applied` entries are applied. */
  takeReady(term: number, applied: number): ReadonlyArray<PendingRead<R>> {
    const ready = this.waiting.filter(
      (read) => read.term === term && read.readIndex !== null && read.readIndex <= applied && this.isQuorum(read.acks.size)
    )
    if (ready.length > 0) this.waiting = this.waiting.filter((read) => !ready.includes(read))
    return ready
  }

  /** Takes out every read not of `term` (all of them when the node no longer leads). */
  takeStale(term: number | null): ReadonlyArray<PendingRead<R>> {
    const stale = this.waiting.filter((read) => read.term !== term)
    if (stale.length > 0) this.waiting = this.waiting.filter((read) => read.term === term)
    return stale
  }

  takeAll(): ReadonlyArray<PendingRead<R>> {
    const all = this.waiting
    this.waiting = []
    return all
  }
}

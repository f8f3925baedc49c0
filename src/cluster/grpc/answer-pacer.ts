/**
 * Lets at most `perTurn` answers leave per turn of the event loop. node:http2 sends everything a
 * turn wrote in one write, so the answers of one commit would reach a client all at once; a
 * single-threaded client (any node process) then handles them all before its next requests go out,
 * and the leader, idle meanwhile, gets them all back at once: one entry per round, and servers
 * and client never work at the same time. Spread over turns, the answers leave in several writes;
 * the client starts on the first while the rest travel, its next requests come back in groups,
 * and the leader has the entry of one group on its way while the client works on the next. This is
 * the overlap etcd gets from answering each call from its own goroutine (docs/cluster.md).
 */
export class AnswerPacer {
  /** Answers still allowed this turn. */
  private budget: number
  private readonly waiting: Array<() => void> = []
  private turnScheduled = false

  constructor(private readonly perTurn: number) {
    if (!(Number.isInteger(perTurn) && perTurn >= 1)) throw new RangeError(`answers per turn: ${perTurn} is not a positive integer`)
    this.budget = perTurn
  }

  /**
   * Sends the answer now if this turn has room, else in a later turn. Answers leave in the order
   * given: while any waits, this turn's allowance is spent.
   */
  answer(send: () => void): void {
    if (this.budget > 0) {
      this.budget--
      send()
    } else this.waiting.push(send)
    this.scheduleTurn()
  }

  private scheduleTurn(): void {
    if (this.turnScheduled) return
    this.turnScheduled = true
    // setImmediate runs after the writes the current turn queued have gone out.
    setImmediate(this.nextTurn)
  }

  private readonly nextTurn = (): void => {
    this.turnScheduled = false
    this.budget = this.perTurn
    while (this.budget > 0 && this.waiting.length > 0) {
      this.budget--
      this.waiting.shift()!()
    }
    if (this.waiting.length > 0 || this.budget < this.perTurn) this.scheduleTurn()
  }
}

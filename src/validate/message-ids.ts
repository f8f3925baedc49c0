/**
 * The copies of messages in flight, by the ids a trace gives them: `sent` introduces ids, and a
 * step that receives, drops or duplicates a message names its copy with `msgId`. A bag cannot
 * tell two equal copies apart; the ids can, so a copy received twice is caught even while the
 * bag still holds an equal message. In a delta trace the content of each id is remembered while
 * it is in flight, so that later steps may name the message by its id (`{"$msg": 7}`).
 */
import type { Value } from "./values.ts"

/** How many consumed ids are remembered with the step that consumed them. */
const REMEMBERED = 1 << 16

export interface Consumption {
  readonly seq: number
  readonly line: number
}

export class MessageIds {
  /** Ids in flight, with the step that sent them and, when known, the message. */
  private readonly live = new Map<number, { readonly at: Consumption; readonly message: Value | undefined }>()
  /** Recently consumed ids, bounded so memory does not grow with the trace. */
  private readonly consumed = new Map<number, Consumption>()
  /** The same ids in a ring, oldest at `oldest`, to forget them in order. */
  private readonly ring: number[] = []
  private oldest = 0
  private highest = -Infinity

  /**
   * Why `id` cannot be received now, or undefined when it is in flight. An id no step sent is
   * `unsent`: a partial trace may have left its send out.
   */
  problem(id: number): { readonly unsent: boolean; readonly text: string } | undefined {
    if (this.live.has(id)) return undefined
    const at = this.consumed.get(id)
    if (at !== undefined) return { unsent: false, text: `message ${id} was already consumed at step ${at.seq} (line ${at.line})` }
    if (id <= this.highest) return { unsent: false, text: `message ${id} is not in flight (consumed earlier, or never sent)` }
    return { unsent: true, text: `message ${id} was never sent` }
  }

  /** Why these ids cannot be given to new messages, or undefined. */
  sendProblem(ids: ReadonlyArray<number>): string | undefined {
    const seen = new Set<number>()
    for (const id of ids) {
      if (this.live.has(id) || this.consumed.has(id) || seen.has(id)) return `message id ${id} is given to a second message`
      seen.add(id)
    }
    return undefined
  }

  /** `messages`, when given, are the messages the ids stand for, in the same order. */
  send(ids: ReadonlyArray<number>, at: Consumption, messages?: ReadonlyArray<Value>): void {
    ids.forEach((id, n) => {
      this.live.set(id, { at, message: messages?.[n] })
      if (id > this.highest) this.highest = id
    })
  }

  messageOf(id: number): Value | undefined {
    return this.live.get(id)?.message
  }

  consume(id: number, at: Consumption): void {
    this.live.delete(id)
    this.consumed.set(id, at)
    if (this.ring.length < REMEMBERED) this.ring.push(id)
    else {
      this.consumed.delete(this.ring[this.oldest])
      this.ring[this.oldest] = id
      this.oldest = (this.oldest + 1) % REMEMBERED
    }
  }

  get inFlight(): number {
    return this.live.size
  }
}

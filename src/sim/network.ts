/**
 * The messages in flight, each copy with its own id so that a trace step can name the copy it
 * received, dropped or duplicated. Kept in send order, which is delivery order without reordering.
 */
import type { Message } from "../raft/index.ts"

export interface Envelope {
  readonly id: number
  readonly message: Message
}

export class Network {
  private readonly inFlight: Array<Envelope> = []
  private nextId = 1

  get size(): number {
    return this.inFlight.length
  }

  at(index: number): Envelope {
    return this.inFlight[index]
  }

  /** Adds messages and returns the ids they got. */
  send(messages: ReadonlyArray<Message>): Array<number> {
    const ids: Array<number> = []
    for (const message of messages) {
      const id = this.nextId++
      this.inFlight.push({ id, message })
      ids.push(id)
    }
    return ids
  }

  removeAt(index: number): void {
    this.inFlight.splice(index, 1)
  }

  indexOf(id: number): number {
    return this.inFlight.findIndex((envelope) => envelope.id === id)
  }

  messages(): Iterable<Message> {
    return this.inFlight.map((envelope) => envelope.message)
  }

  envelopes(): ReadonlyArray<Envelope> {
    return this.inFlight
  }
}

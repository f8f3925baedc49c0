/**
 * A concurrent history: what clients asked for, when, and what they were told.
 *
 * Two shapes, as in porcupine: operations with call and return times, or a time-ordered list of
 * call/return events. Both end up as operations; an operation that never returned (client crash,
 * Jepsen's `:info`) returns at +∞, and its output is unknown.
 */

/** Marks an output nobody observed: a timed-out call, a crashed client, an indeterminate result. */
export const Unknown: unique symbol = Symbol.for("raft-tla/lincheck/unknown")
export type Unknown = typeof Unknown

/** An output, or `Unknown` when the client never learnt it. */
export type Outcome<O> = O | Unknown

export type ClientId = number | string

export interface Operation<I, O> {
  readonly client: ClientId
  readonly input: I
  /** When the client invoked the operation. */
  readonly call: number
  readonly output: Outcome<O>
  /** When the client got the answer; `Infinity` when it never did. */
  readonly return: number
}

export type Event<I, O> =
  | { readonly kind: "call"; readonly client: ClientId; readonly id: number | string; readonly input: I }
  | { readonly kind: "return"; readonly client: ClientId; readonly id: number | string; readonly output: Outcome<O> }

/** Two events refer to the same operation by id; a call without a return stays open to the end. */
export class MalformedEvents extends Error {
  constructor(readonly index: number, reason: string) {
    super(`event ${index}: ${reason}`)
  }
}

/**
 * Turns a time-ordered event list into operations; an event's position is its time.
 * Throws `MalformedEvents` on a duplicate call id or a return without its call.
 */
export const operationsOfEvents = <I, O>(events: ReadonlyArray<Event<I, O>>): Array<Operation<I, O>> => {
  const open = new Map<number | string, { client: ClientId; input: I; call: number }>()
  const operations: Array<Operation<I, O>> = []
  const seen = new Set<number | string>()
  events.forEach((event, time) => {
    if (event.kind === "call") {
      if (seen.has(event.id)) throw new MalformedEvents(time, `a second call with id ${String(event.id)}`)
      seen.add(event.id)
      open.set(event.id, { client: event.client, input: event.input, call: time })
      return
    }
    const call = open.get(event.id)
    if (call === undefined) throw new MalformedEvents(time, `a return with id ${String(event.id)} and no open call`)
    open.delete(event.id)
    operations.push({ client: call.client, input: call.input, call: call.call, output: event.output, return: time })
  })
  for (const call of open.values()) {
    operations.push({ client: call.client, input: call.input, call: call.call, output: Unknown, return: Infinity })
  }
  return operations.sort((a, b) => a.call - b.call)
}

/**
 * Transport: how a node's messages reach other nodes. Messages in flight are the spec's bag; each
 * copy has an id so that a trace step can name the copy it received.
 *
 * `exchange` and `lose` are synchronous on purpose: a node changes the network and records its trace
 * step in one go, with no other fiber in between, so every trace line shows a state the spec allows.
 */
import { Context, type Effect } from "effect"
import type { Message, ServerId } from "../raft/index.ts"

/** A copy of a message handed to its destination. */
export interface Delivery {
  readonly id: number
  readonly message: Message
  /**
   * The id of the copy whose handling sent this one, when it was sent while handling a copy: a reply
   * names the request it answers. A leader uses it to tell which heartbeat round a response belongs to.
   */
  readonly cause?: number
}

export interface TransportService {
  /** From now on, copies for `server` are handed to `deliver` (the node's mailbox). */
  readonly attach: (server: ServerId, deliver: (delivery: Delivery) => void) => Effect.Effect<void>
  /** The node is gone: copies handed to it but not yet consumed are lost. */
  readonly detach: (server: ServerId) => Effect.Effect<void>
  /**
   * A step's effect on the network: the copy it consumed leaves, the messages it sent join (with the
   * consumed copy as their cause). Ids given to one node's messages only grow.
   */
  readonly exchange: (consumed: number | undefined, send: ReadonlyArray<Message>) => ReadonlyArray<number>
  /** Starts the journey of copies just sent (delays, faults); nothing in a network driven by hand. */
  readonly dispatch: (ids: ReadonlyArray<number>) => Effect.Effect<void>
  /** The receiver had no handler for the copy (spec: no action enabled): the network drops it. */
  readonly lose: (id: number) => void
}

export class Transport extends Context.Service<Transport, TransportService>()("raft-tla/Transport") {}

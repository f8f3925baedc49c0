/**
 * TraceSink: receives every step a node or the network takes, as the spec action it is. The
 * cluster's sink (./cluster/recorder.ts) turns them into trace lines and runs the checks on them.
 */
import { Context } from "effect"
import type { Message, Node, ServerId, StepEvent } from "../raft/index.ts"

export interface StepRecord {
  /** The server that stepped; null for a network fault (DropMessage, DuplicateMessage). */
  readonly server: ServerId | null
  readonly event: StepEvent
  /** The server's state after the step; null for a network fault. */
  readonly after: Node | null
  /** The in-flight copy the step received, dropped or duplicated. */
  readonly msgId?: number
  /** The ids of the copies the step sent. */
  readonly sent: ReadonlyArray<number>
}

/** A server's step before its fields are made durable: the messages it will send have no ids yet. */
export interface PreparedStep {
  readonly server: ServerId
  readonly event: StepEvent
  readonly after: Node
  readonly msgId?: number
  readonly send: ReadonlyArray<Message>
}

export interface TraceSinkService {
  /** Synchronous: see ./transport.ts for why. */
  readonly record: (step: StepRecord) => void
  /**
   * Optional: hears of a server's step before its fields are made durable, so that a process killed
   * while persisting leaves the step in its log (./cluster/recorder.ts needs only `record`).
   */
  readonly prepare?: (step: PreparedStep) => void
}

export class TraceSink extends Context.Service<TraceSink, TraceSinkService>()("raft-tla/TraceSink") {}

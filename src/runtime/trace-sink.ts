/**
 * TraceSink: receives every step a node or the network takes, as the spec action it is. The
 * cluster's sink (./cluster/recorder.ts) turns them into trace lines and runs the checks on them.
 */
import { Context } from "effect"
import type { Node, ServerId, StepEvent } from "../raft/index.ts"

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

export interface TraceSinkService {
  /** Synchronous: see ./transport.ts for why. */
  readonly record: (step: StepRecord) => void
}

export class TraceSink extends Context.Service<TraceSink, TraceSinkService>()("raft-tla/TraceSink") {}

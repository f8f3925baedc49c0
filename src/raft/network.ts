/**
 * Network faults. They change no server, only the bag of messages in flight.
 */
import type { Message } from "./message.ts"
import type { StepEvent } from "./step.ts"

/** What a network action does to the bag: whether m leaves it, and what joins it. */
export interface NetworkStep {
  readonly consumed: boolean
  readonly send: ReadonlyArray<Message>
  readonly trace: StepEvent
}

/**
 * The network delivers a second copy of m later.
 * Spec: DuplicateMessage(m), spec/Raft.tla lines 357-359.
 */
export const duplicateMessage = (m: Message): NetworkStep => ({
  // spec: DuplicateMessage/Send(m)
  consumed: false,
  send: [m],
  trace: { action: "DuplicateMessage", params: { m }, persist: [] }
})

/**
 * The network loses m.
 * Spec: DropMessage(m), spec/Raft.tla lines 361-363.
 */
export const dropMessage = (m: Message): NetworkStep => ({
  // spec: DropMessage/Discard(m)
  consumed: true,
  send: [],
  trace: { action: "DropMessage", params: { m }, persist: [] }
})

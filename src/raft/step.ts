/**
 * What a transition returns: the server's new state, the messages to send, and the trace event
 * naming the spec action it took.
 */
import { Schema } from "effect"
import { ServerId } from "./config.ts"
import { Message } from "./message.ts"
import { type Node, PersistentField, Value } from "./state.ts"

/** The actions of spec/Raft.tla, one exported transition each (same name in camelCase). */
export const ActionName = Schema.Literals([
  "Restart",
  "Timeout",
  "RequestVote",
  "BecomeLeader",
  "ClientRequest",
  "AdvanceCommitIndex",
  "AppendEntries",
  "InstallSnapshot",
  "TakeSnapshot",
  "UpdateTerm",
  "HandleRequestVoteRequest",
  "HandleRequestVoteResponse",
  "HandleAppendEntriesRequest",
  "HandleAppendEntriesResponse",
  "HandleInstallSnapshotRequest",
  "DuplicateMessage",
  "DropMessage"
])
export type ActionName = typeof ActionName.Type

/** The action's parameters, named as in the spec: servers i and j, client value v, message m. */
export const StepParams = Schema.Struct({
  i: Schema.optionalKey(ServerId),
  j: Schema.optionalKey(ServerId),
  v: Schema.optionalKey(Value),
  m: Schema.optionalKey(Message)
})
export type StepParams = typeof StepParams.Type

export const StepEvent = Schema.Struct({
  action: ActionName,
  params: StepParams,
  /**
   * The persistent fields this step changed. A runtime makes them durable before it sends the
   * step's messages: a vote or an acknowledgement must not outlive a crash that forgets it.
   */
  persist: Schema.Array(PersistentField)
})
export type StepEvent = typeof StepEvent.Type

/** The result of a server's transition. */
export interface Step {
  readonly state: Node
  readonly send: ReadonlyArray<Message>
  readonly trace: StepEvent
}

const noFields: ReadonlyArray<PersistentField> = []

/** Which persistent fields differ; transitions never copy a field they leave alone. */
const changedFields = (before: Node, after: Node): ReadonlyArray<PersistentField> => {
  const a = before.persistent
  const b = after.persistent
  if (a === b) return noFields
  const fields: Array<PersistentField> = []
  if (a.currentTerm !== b.currentTerm) fields.push("currentTerm")
  if (a.votedFor !== b.votedFor) fields.push("votedFor")
  if (a.log !== b.log) fields.push("log")
  if (a.snapshot !== b.snapshot) fields.push("snapshot")
  return fields
}

export const step = (
  action: ActionName,
  params: StepParams,
  before: Node,
  after: Node,
  send: ReadonlyArray<Message> = []
): Step => ({ state: after, send, trace: { action, params, persist: changedFields(before, after) } })

/**
 * The projection of an implementation cluster onto the variables of spec/Raft.tla, as JSON TLA+
 * values. This is the one module that knows both vocabularies.
 *
 * Servers are model values named by their ids ({"$mv": "s1"}); votedFor's "nobody" is the
 * model value Nil; client values are strings.
 */
import type { RaftConfig, ServerId } from "./config.ts"
import type { Message } from "./message.ts"
import type { Entry, Node } from "./state.ts"
import type { StepParams } from "./step.ts"
import { functionOf, modelValue, setOf, type TlaJson } from "./tla-json.ts"

/** Everything the spec's variables describe: every server and the messages in flight. */
export interface Cluster {
  readonly config: RaftConfig
  readonly nodes: ReadonlyArray<Node>
  /** The messages in flight, one element per copy. */
  readonly messages: Iterable<Message>
}

export const NIL = "Nil"

// Servers, entries and messages are encoded once each and shared from step to step: a trace
// writer that compares states (src/raft/trace-delta.ts) then finds unchanged parts by identity.
const encodedServers = new Map<ServerId, TlaJson>()

export const encodeServer = (id: ServerId): TlaJson => {
  let encoded = encodedServers.get(id)
  if (encoded === undefined) {
    encoded = modelValue(id)
    encodedServers.set(id, encoded)
  }
  return encoded
}

const encodedEntry = new WeakMap<Entry, TlaJson>()

const encodeEntry = (entry: Entry): TlaJson => {
  let encoded = encodedEntry.get(entry)
  if (encoded === undefined) {
    encoded = { term: entry.term, value: entry.value }
    encodedEntry.set(entry, encoded)
  }
  return encoded
}

// Logs and snapshots are immutable and shared from step to step, so each is encoded once.
const encodedEntries = new WeakMap<ReadonlyArray<Entry>, TlaJson>()

const encodeEntries = (entries: ReadonlyArray<Entry>): TlaJson => {
  let encoded = encodedEntries.get(entries)
  if (encoded === undefined) {
    encoded = entries.map(encodeEntry)
    encodedEntries.set(entries, encoded)
  }
  return encoded
}

// A message stays in flight for many steps; its key groups equal copies in the bag.
const encodedMessages = new WeakMap<Message, { readonly json: TlaJson; readonly key: string }>()

// The text of a log or snapshot, once per array: a leader sends the same snapshot many times.
const entriesTexts = new WeakMap<ReadonlyArray<Entry>, string>()

const entriesText = (entries: ReadonlyArray<Entry>): string => {
  let text = entriesTexts.get(entries)
  if (text === undefined) {
    text = JSON.stringify(encodeEntries(entries))
    entriesTexts.set(entries, text)
  }
  return text
}

/** A text equal for equal messages and different for different ones. */
const messageKey = (m: Message, json: TlaJson): string => {
  if (m.type !== "AppendEntriesRequest" && m.type !== "InstallSnapshotRequest") return JSON.stringify(json)
  const { mentries: _e, msnapshotLog: _s, ...head } = json as Record<string, TlaJson>
  return `${JSON.stringify(head)}|${entriesText(m.type === "AppendEntriesRequest" ? m.entries : m.snapshot)}`
}

const encodedMessage = (m: Message): { readonly json: TlaJson; readonly key: string } => {
  let encoded = encodedMessages.get(m)
  if (encoded === undefined) {
    const json = encodeMessageFields(m)
    encoded = { json, key: messageKey(m, json) }
    encodedMessages.set(m, encoded)
  }
  return encoded
}

/** A message as the spec's record, fields in a fixed order so equal messages encode equally. */
export const encodeMessage = (m: Message): TlaJson => encodedMessage(m).json

const encodeMessageFields = (m: Message): TlaJson => {
  const head = { mtype: m.type, mterm: m.term, msource: encodeServer(m.source), mdest: encodeServer(m.dest) }
  switch (m.type) {
    case "RequestVoteRequest":
      return { ...head, mlastLogTerm: m.lastLogTerm, mlastLogIndex: m.lastLogIndex }
    case "RequestVoteResponse":
      return { ...head, mvoteGranted: m.voteGranted }
    case "AppendEntriesRequest":
      return {
        ...head,
        mprevLogIndex: m.prevLogIndex,
        mprevLogTerm: m.prevLogTerm,
        mentries: encodeEntries(m.entries),
        mcommitIndex: m.commitIndex
      }
    case "AppendEntriesResponse":
      return { ...head, msuccess: m.success, mmatchIndex: m.matchIndex }
    case "InstallSnapshotRequest":
      return {
        ...head,
        mlastIncludedIndex: m.lastIncludedIndex,
        mlastIncludedTerm: m.lastIncludedTerm,
        msnapshotLog: encodeEntries(m.snapshot)
      }
  }
}

/** The spec's bag: each distinct message with its number of copies. */
export const encodeBag = (messages: Iterable<Message>): TlaJson => {
  const counts = new Map<string, { message: TlaJson; count: number }>()
  for (const m of messages) {
    const { json: message, key } = encodedMessage(m)
    const seen = counts.get(key)
    if (seen) seen.count++
    else counts.set(key, { message, count: 1 })
  }
  return functionOf([...counts.values()].map(({ count, message }) => [message, count] as const))
}

/** An action's parameters in the spec's terms. */
export const encodeParams = (params: StepParams): Record<string, TlaJson> => {
  const encoded: Record<string, TlaJson> = {}
  if (params.i !== undefined) encoded.i = encodeServer(params.i)
  if (params.j !== undefined) encoded.j = encodeServer(params.j)
  if (params.v !== undefined) encoded.v = params.v
  if (params.m !== undefined) encoded.m = encodeMessage(params.m)
  return encoded
}

/** The constants a trace is checked with. Value is left out: only Next quantifies over it. */
export const specConstants = (config: RaftConfig): Record<string, TlaJson> => ({
  Server: setOf(config.servers.map(encodeServer)),
  Nil: modelValue(NIL)
})

/** The variables of spec/Raft.tla for this cluster. */
export const toSpecState = (cluster: Cluster): Record<string, TlaJson> => {
  const perServer = (f: (node: Node) => TlaJson): TlaJson =>
    functionOf(cluster.nodes.map((node) => [encodeServer(node.id), f(node)] as const))
  const row = (values: Readonly<Record<ServerId, number>>): TlaJson =>
    functionOf(cluster.config.servers.map((server) => [encodeServer(server), values[server]] as const))
  return {
    currentTerm: perServer((n) => n.persistent.currentTerm),
    votedFor: perServer((n) => (n.persistent.votedFor === null ? modelValue(NIL) : encodeServer(n.persistent.votedFor))),
    log: perServer((n) => encodeEntries(n.persistent.log)),
    snapshotIndex: perServer((n) => n.persistent.snapshot.index),
    snapshotTerm: perServer((n) => n.persistent.snapshot.term),
    snapshotLog: perServer((n) => encodeEntries(n.persistent.snapshot.entries)),
    state: perServer((n) => n.volatile.role),
    commitIndex: perServer((n) => n.volatile.commitIndex),
    votesGranted: perServer((n) => setOf(n.volatile.votesGranted.map(encodeServer))),
    nextIndex: perServer((n) => row(n.volatile.nextIndex)),
    matchIndex: perServer((n) => row(n.volatile.matchIndex)),
    messages: encodeBag(cluster.messages)
  }
}

/**
 * Where a trace's messages are: the spec variable holding the bag, and the parameter naming the
 * message a step receives, drops or duplicates (the trace header's `bag`).
 */
export const TRACE_BAG = { variable: "messages", param: "m" } as const

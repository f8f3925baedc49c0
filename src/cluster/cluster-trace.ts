/**
 * One trace of a whole cluster (docs/trace-format.md, delta states) from the step logs its node
 * processes wrote (./node-step-log.ts), for `raft-tla validate`.
 *
 * The nodes' steps are interleaved in the order of their timestamps, except that a step that
 * receives a message always comes after the step that sent it: any such order is a run of the
 * spec, since a step changes only its own server's variables and the messages it consumes and
 * sends. A message nobody received (lost with a killed process, dropped by a proxy) stays in the
 * bag, as the spec allows.
 *
 * A killed process may have logged steps whose writes never reached the disk (the log line is
 * written first). Its next incarnation starts with Restart from what the disk held, so the steps
 * after the last one whose persistent state that is are cut: they did not happen, and sent
 * nothing, since a node sends only after its writes are durable.
 */
import {
  type Entry,
  freshVolatile,
  initialNode,
  type Message,
  type Node,
  type PersistentState,
  type RaftConfig,
  type ServerId,
  type StepEvent,
  dropMessage
} from "../raft/index.ts"
import { ClusterRecorder } from "../runtime/cluster/recorder.ts"
import type { LoggedNode } from "./node-step-log.ts"

/** The step logs do not fit together (a receive without its send, a restart that matches no step). */
export class TraceMergeError extends Error {}

interface LoggedStep {
  readonly kind: "step"
  readonly server: ServerId
  readonly n: number
  readonly at: number
  readonly event: StepEvent
  readonly msg?: string
  readonly send: ReadonlyArray<Message>
  /** What the log says of the node after the step; absent for a Restart the merge adds. */
  readonly node?: LoggedNode
  /** Keys of the sent messages (ids from the `sent` line, or never-delivered stand-ins). */
  keys: ReadonlyArray<string>
  /** The node's whole log and state after the step, filled in when the incarnation is read. */
  after?: Node
}

interface LoggedDrop {
  readonly kind: "drop"
  readonly server: ServerId
  readonly at: number
  readonly msg: string
  readonly m: Message
}

type Event = LoggedStep | LoggedDrop

interface Incarnation {
  readonly server: ServerId
  readonly incarnation: number
  readonly events: Array<Event>
}

const CONSUMING = new Set(["HandleRequestVoteRequest", "HandleRequestVoteResponse", "HandleAppendEntriesRequest", "HandleAppendEntriesResponse", "HandleInstallSnapshotRequest"])

const parseLog = (server: ServerId, text: string, file: string): Array<Incarnation> => {
  const incarnations: Array<Incarnation> = []
  const lines = text.split("\n")
  lines.forEach((line, k) => {
    if (line.trim() === "") return
    let record: Record<string, any>
    try {
      record = JSON.parse(line)
    } catch {
      // A process killed mid-write leaves half a line at the end of its incarnation.
      return
    }
    const current = incarnations[incarnations.length - 1]
    if (record.start) {
      incarnations.push({ server, incarnation: record.start.incarnation, events: [] })
    } else if (current === undefined) {
      throw new TraceMergeError(`${file}:${k + 1}: a step before the first start line`)
    } else if (record.step) {
      const s = record.step
      current.events.push({ kind: "step", server, n: s.n, at: s.at, event: { action: s.action, params: s.params, persist: s.persist }, msg: s.msg, send: s.send, node: s.node, keys: [] })
    } else if (record.sent) {
      const step = current.events.find((event): event is LoggedStep => event.kind === "step" && event.n === record.sent.n)
      if (step !== undefined) step.keys = record.sent.ids.map((id: number) => `${server}:${current.incarnation}:${id}`)
    } else if (record.drop) {
      current.events.push({ kind: "drop", server, at: record.drop.at, msg: record.drop.msg, m: record.drop.m })
    }
  })
  return incarnations
}

const wholeLog = (node: Node): ReadonlyArray<Entry> => [...node.persistent.snapshot.entries, ...node.persistent.log]

/** The node after a logged step, from the node before it. */
const nodeAfter = (before: Node, logged: LoggedNode): Node => {
  const whole = logged.log === undefined ? wholeLog(before) : [...wholeLog(before).slice(0, logged.log.from - 1), ...logged.log.entries]
  const { index, term } = logged.snapshot
  const persistent: PersistentState = {
    currentTerm: logged.currentTerm,
    votedFor: logged.votedFor,
    log: whole.slice(index),
    snapshot: { index, term, entries: whole.slice(0, index) }
  }
  return { id: before.id, persistent, volatile: logged.volatile }
}

const samePersistent = (a: PersistentState, b: PersistentState): boolean =>
  a.currentTerm === b.currentTerm &&
  a.votedFor === b.votedFor &&
  a.snapshot.index === b.snapshot.index &&
  a.snapshot.term === b.snapshot.term &&
  JSON.stringify([a.snapshot.entries, a.log]) === JSON.stringify([b.snapshot.entries, b.log])

/**
 * Fills in every step's state, cuts what a restart shows never reached the disk, and gives messages
 * without ids stand-in keys. Returns the events of the server in order, restarts included.
 */
const reconcile = (server: ServerId, incarnations: ReadonlyArray<Incarnation>, config: RaftConfig): Array<Event> => {
  const out: Array<Event> = []
  let state = initialNode(server, config)
  incarnations.forEach((incarnation, k) => {
    const start = state
    const events = incarnation.events
    for (const event of events) {
      if (event.kind !== "step") continue
      event.after = nodeAfter(state, event.node!)
      state = event.after
      if (event.keys.length < event.send.length) {
        event.keys = event.send.map((_, j) => `${server}:${incarnation.incarnation}:unsent-${event.n}-${j}`)
      }
    }
    let keep = events.length
    const next = incarnations[k + 1]
    if (next !== undefined) {
      const restart = next.events.find((event): event is LoggedStep => event.kind === "step")
      const recovered = restart?.event.action === "Restart" ? nodeAfter(state, restart.node!).persistent : initialNode(server, config).persistent
      keep = -1
      let persisted = start.persistent
      if (samePersistent(persisted, recovered)) keep = 0
      events.forEach((event, j) => {
        if (event.kind !== "step") return
        persisted = event.after!.persistent
        if (samePersistent(persisted, recovered)) keep = j + 1
      })
      if (keep < 0) {
        throw new TraceMergeError(`${server} restarted (incarnation ${next.incarnation}) with a state that no step of its previous incarnation left`)
      }
    }
    const kept = events.slice(0, keep)
    out.push(...kept)
    const lastKept = [...kept].reverse().find((event): event is LoggedStep => event.kind === "step")
    state = lastKept?.after ?? start
    if (next !== undefined && next.events[0]?.kind === "step" && (next.events[0] as LoggedStep).event.action !== "Restart") {
      // A node that had never written anything starts afresh; in the spec that is a Restart.
      const at = (next.events[0] as LoggedStep).at
      const restarted: Node = { ...initialNode(server, config), volatile: freshVolatile(0, config) }
      out.push({ kind: "step", server, n: 0, at, event: { action: "Restart", params: { i: server }, persist: [] }, send: [], keys: [], after: restarted })
      state = restarted
    }
  })
  return out
}

export interface MergeResult {
  readonly steps: number
  /** Messages sent and never received or dropped: still in the bag at the end. */
  readonly inFlight: number
}

/**
 * Merges the step logs (server -> file text) of one run into a trace, written line by line.
 * `source` goes into the header.
 */
export const mergeStepLogs = (
  logs: ReadonlyMap<ServerId, { readonly file: string; readonly text: string }>,
  config: RaftConfig,
  writeLine: (line: string) => void,
  source: Record<string, unknown>
): MergeResult => {
  const queues = new Map<ServerId, Array<Event>>()
  for (const server of config.servers) {
    const log = logs.get(server)
    queues.set(server, log === undefined ? [] : reconcile(server, parseLog(server, log.text, log.file), config))
  }
  const bag = new Map<string, Message>()
  const numbers = new Map<string, number>()
  const numberOf = (key: string): number => {
    let n = numbers.get(key)
    if (n === undefined) {
      n = numbers.size + 1
      numbers.set(key, n)
    }
    return n
  }
  const recorder = new ClusterRecorder(config, [], writeLine, "delta")
  recorder.bag = () => bag.values()
  writeLine(recorder.header(source))
  // Every message some kept step sent: a drop of anything else never happened.
  const sent = new Set<string>()
  for (const queue of queues.values()) for (const event of queue) if (event.kind === "step") for (const key of event.keys) sent.add(key)
  let steps = 0
  for (;;) {
    let chosen: Event[] | undefined
    let left = 0
    for (const queue of queues.values()) {
      while (queue[0]?.kind === "drop" && !sent.has(queue[0].msg)) queue.shift()
      const head = queue[0]
      if (head === undefined) continue
      left++
      const ready = head.msg === undefined || bag.has(head.msg)
      if (ready && (chosen === undefined || head.at < chosen[0].at)) chosen = queue
    }
    if (left === 0) break
    if (chosen === undefined) {
      const stuck = [...queues.values()].filter((queue) => queue.length > 0).map((queue) => `${queue[0].server} waits for ${queue[0].msg}`)
      throw new TraceMergeError(`no step can come next: ${stuck.join("; ")} (a message no logged step sent)`)
    }
    const event = chosen.shift()!
    steps++
    if (event.kind === "drop") {
      bag.delete(event.msg)
      recorder.record({ server: null, event: dropMessage(event.m).trace, after: null, msgId: numberOf(event.msg), sent: [] })
      continue
    }
    if (event.msg !== undefined && CONSUMING.has(event.event.action)) bag.delete(event.msg)
    event.keys.forEach((key, j) => bag.set(key, event.send[j]))
    recorder.record({
      server: event.server,
      event: event.event,
      after: event.after!,
      ...(event.msg === undefined ? {} : { msgId: numberOf(event.msg) }),
      sent: event.keys.map(numberOf)
    })
  }
  return { steps, inFlight: bag.size }
}

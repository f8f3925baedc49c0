/**
 * A node process's step log: every spec step the node takes, written before its fields are made
 * durable, so that a process killed at any point leaves a log that says what it may have done.
 * ./cluster-trace.ts merges the logs of all nodes into one trace of the whole cluster.
 *
 * NDJSON, appended to by each incarnation of the node:
 *   {"start": {server, incarnation, pid}}
 *   {"step": {n, at, action, params, msg?, persist, send, node}}   before the step is made durable
 *   {"sent": {n, ids}}                                             once its messages got ids
 *   {"drop": {at, msg, m}}                                          a copy this node dropped
 * `msg` names a copy by "sender:incarnation:id". `node` is the node's state after the step, except
 * that its whole log (snapshot entries, then the rest) is given as `log: {from, entries}`: the
 * entries from index `from` on, when they changed. A step without a `sent` line sent nothing.
 */
import { closeSync, openSync, writeSync } from "node:fs"
import { type Entry, entryAt, firstDifference, initialNode, lastIndex, type Node, type RaftConfig, type ServerId } from "../raft/index.ts"
import type { PreparedStep, StepRecord, TraceSinkService } from "../runtime/trace-sink.ts"
import type { TcpTransport } from "./tcp-transport.ts"

export const messageKey = (server: ServerId, incarnation: number, id: number): string => `${server}:${incarnation}:${id}`

/** The node's state with its whole log as a change from the previous state's. */
export interface LoggedNode {
  readonly currentTerm: number
  readonly votedFor: ServerId | null
  readonly snapshot: { readonly index: number; readonly term: number }
  readonly log?: { readonly from: number; readonly entries: ReadonlyArray<Entry> }
  readonly volatile: Node["volatile"]
}

export class NodeStepLog implements TraceSinkService {
  private readonly fd: number
  private steps = 0
  /** Prepared steps not yet recorded, oldest first: a node records its steps in the order it prepared them. */
  private readonly unrecorded: Array<number> = []
  private previous: Node
  private transport: TcpTransport | undefined

  constructor(
    file: string,
    private readonly server: ServerId,
    private readonly incarnation: number,
    config: RaftConfig
  ) {
    this.fd = openSync(file, "a")
    this.previous = initialNode(server, config)
    this.write({ start: { server, incarnation, pid: process.pid } })
  }

  /** The transport tells where received copies came from. */
  useTransport(transport: TcpTransport): void {
    this.transport = transport
  }

  readonly prepare = (step: PreparedStep): void => {
    const n = ++this.steps
    this.unrecorded.push(n)
    const after = step.after
    this.write({
      step: {
        n,
        at: Date.now(),
        action: step.event.action,
        params: step.event.params,
        ...(step.msgId === undefined ? {} : { msg: this.keyOf(step.msgId) }),
        persist: step.event.persist,
        send: step.send,
        node: this.logged(after)
      }
    })
    this.previous = after
  }

  readonly record = (step: StepRecord): void => {
    // Several steps may be prepared before the first is recorded (steps held for one write).
    if (step.server === this.server) {
      const n = this.unrecorded.shift()
      if (n !== undefined && step.sent.length > 0) this.write({ sent: { n, ids: step.sent } })
    }
    if (step.server === null && step.event.params.m !== undefined && step.msgId !== undefined) {
      this.write({ drop: { at: Date.now(), msg: this.keyOf(step.msgId), m: step.event.params.m } })
    }
  }

  close(): void {
    closeSync(this.fd)
  }

  private keyOf(msgId: number): string {
    if (msgId > 0) return messageKey(this.server, this.incarnation, msgId)
    const origin = this.transport?.origin(msgId)
    return origin === undefined ? `unknown:${msgId}` : messageKey(origin.from, origin.incarnation, origin.id)
  }

  private logged(after: Node): LoggedNode {
    const p = after.persistent
    const from = firstDifference(this.previous.persistent, p)
    const changed = from <= lastIndex(p) || lastIndex(this.previous.persistent) > lastIndex(p)
    const entries: Array<Entry> = []
    if (changed) for (let k = from; k <= lastIndex(p); k++) entries.push(entryAt(p, k))
    return {
      currentTerm: p.currentTerm,
      votedFor: p.votedFor,
      snapshot: { index: p.snapshot.index, term: p.snapshot.term },
      ...(changed ? { log: { from, entries } } : {}),
      volatile: after.volatile
    }
  }

  private write(line: unknown): void {
    // Synchronous: the line must be in the file before the step's writes reach the disk.
    writeSync(this.fd, `${JSON.stringify(line)}\n`)
  }
}

/**
 * A deterministic simulator: a seeded PRNG picks, step after step, one enabled action of the
 * spec's Next (timeouts, votes, client requests, replication, snapshots, delivering, dropping or
 * duplicating a message in flight, crashes) and checks the invariants after each.
 *
 * Weights and timers stand for time: an election timer fires once its drawn number of ticks has
 * passed, a leader sends to a follower when it has news or has been silent for a heartbeat
 * interval. These are scheduling choices only; every step taken is a spec action on the cluster.
 */
import {
  type ActionName,
  advanceCommitIndex,
  appendEntries,
  becomeLeader,
  clientRequest,
  dropMessage,
  duplicateMessage,
  encodeParams,
  type Entry,
  initialNode,
  installSnapshot,
  isQuorum,
  lastIndex,
  makeConfig,
  type NetworkStep,
  type Node,
  type RaftConfig,
  receive,
  requestVote,
  restart,
  type ServerId,
  specConstants,
  type Step,
  type StepEvent,
  takeSnapshot,
  timeout,
  toSpecState,
  TRACE_BAG,
  DeltaWriter,
  encodeMessage
} from "../raft/index.ts"
import { INVARIANTS, InvariantMonitor, type Violation } from "./invariants.ts"
import { Menu, StepKind } from "./menu.ts"
import { type Envelope, Network } from "./network.ts"
import type { SimOptions } from "./options.ts"
import { Prng } from "./prng.ts"

export interface SimStats {
  steps: number
  leadersElected: number
  clientRequests: number
  snapshotsTaken: number
  snapshotsInstalled: number
  messagesDropped: number
  messagesDuplicated: number
  /** Deliveries of a message that was not the oldest in flight. */
  messagesReordered: number
  partitionDrops: number
  partitions: number
  crashes: number
  invariantChecks: number
  /** How many steps took each spec action. */
  actions: Partial<Record<ActionName, number>>
}

export interface StepRecord {
  readonly seq: number
  readonly event: StepEvent
  readonly msgId?: number
}

export interface SimViolation extends Violation {
  readonly seq: number
  /** The last steps up to and including the violating one. */
  readonly recent: ReadonlyArray<StepRecord>
}

/** The server actions a scenario can take by name. */
export type ScriptedAction =
  | "Timeout"
  | "RequestVote"
  | "BecomeLeader"
  | "AdvanceCommitIndex"
  | "AppendEntries"
  | "InstallSnapshot"
  | "TakeSnapshot"

/** What the scheduler remembers about a pair of servers, to send only when there is news. */
interface Link {
  /** When the leader last sent AppendEntries or InstallSnapshot, and what its state was then. */
  sentAt: number
  term: number
  nextIndex: number
  lastIndex: number
  commitIndex: number
  /** The term in which the candidate last asked for this vote. */
  voteRequested: number
}

const RECENT = 8

export class Simulator {
  readonly config: RaftConfig
  readonly nodes: Array<Node>
  readonly network = new Network()
  readonly stats: SimStats = {
    steps: 0,
    leadersElected: 0,
    clientRequests: 0,
    snapshotsTaken: 0,
    snapshotsInstalled: 0,
    messagesDropped: 0,
    messagesDuplicated: 0,
    messagesReordered: 0,
    partitionDrops: 0,
    partitions: 0,
    crashes: 0,
    invariantChecks: 0,
    actions: {}
  }
  violation: SimViolation | null = null
  /** Client values in the order leaders accepted them. */
  readonly submitted: Array<string> = []

  private readonly prng: Prng
  private readonly monitor = new InvariantMonitor()
  private readonly recent: Array<StepRecord> = []
  private readonly electionDeadline: Array<number>
  /** When each server crashes next, if crashes are on. */
  private readonly crashDeadline: Array<number>
  /** links[x][y]: from server x to server y. */
  private readonly links: ReadonlyArray<ReadonlyArray<Link>>
  private readonly menu = new Menu()
  /** The AdvanceCommitIndex step each leader could take, computed while building the menu. */
  private readonly commitChoice: Array<Step | null>
  /** The servers cut off from the rest, while a partition lasts. */
  private minority: ReadonlySet<ServerId> | null = null
  private partitionEnds = 0
  private nextValue = 1
  private clock = 0

  /** In a delta trace (docs/trace-format.md): the last state written. */
  private readonly delta: DeltaWriter | undefined

  constructor(
    private options: SimOptions,
    private readonly record?: (line: string) => void,
    /** How trace lines give states: whole ("full") or as changes ("delta"). */
    stateMode: "full" | "delta" = "full"
  ) {
    const servers = Array.from({ length: options.servers }, (_, k) => `s${k + 1}`)
    this.config = makeConfig(servers, options.bugs)
    this.nodes = servers.map((id) => initialNode(id, this.config))
    this.prng = new Prng(options.seed)
    this.electionDeadline = servers.map(() => this.drawElectionDeadline())
    this.crashDeadline = servers.map(() => this.drawCrashDeadline())
    this.links = servers.map(() =>
      servers.map(() => ({ sentAt: -Infinity, term: -1, nextIndex: -1, lastIndex: -1, commitIndex: -1, voteRequested: -1 }))
    )
    this.commitChoice = servers.map(() => null)
    const init = this.specState()
    this.delta = record && stateMode === "delta" ? new DeltaWriter(init, TRACE_BAG.variable) : undefined
    if (record) {
      record(
        JSON.stringify({
          format: "raft-tla-trace",
          version: 1,
          spec: "spec/Raft.tla",
          constants: specConstants(this.config),
          ...(stateMode === "delta" ? { stateMode } : {}),
          bag: TRACE_BAG,
          init,
          source: {
            simulator: "raft-tla simulate",
            seed: options.seed,
            servers: options.servers,
            faults: [...options.faults]
          }
        })
      )
    }
  }

  get settings(): SimOptions {
    return this.options
  }

  /** Changes knobs mid-run; the seed, the servers and the bugs stay. */
  configure(changes: Partial<Omit<SimOptions, "seed" | "servers" | "bugs">>): void {
    this.options = { ...this.options, ...changes }
  }

  /**
   * Simulated time: one tick per step, and when nothing is due, a jump to the next timer. Timers
   * and partitions are measured in ticks.
   */
  get now(): number {
    return this.clock
  }

  /** Every entry ever known committed, in index order. */
  get committed(): ReadonlyArray<Entry> {
    return this.monitor.committed
  }

  node(id: ServerId): Node {
    return this.nodes[this.indexOf(id)]
  }

  /** The leader of the highest term, if any. */
  leader(): Node | undefined {
    let best: Node | undefined
    for (const node of this.nodes) {
      if (node.volatile.role === "Leader" && (!best || node.persistent.currentTerm > best.persistent.currentTerm)) best = node
    }
    return best
  }

  specState() {
    return toSpecState({ config: this.config, nodes: this.nodes, messages: this.network.messages() })
  }

  /** Takes up to `steps` random steps; stops early at a violation. Returns false on a violation. */
  run(steps: number): boolean {
    for (let k = 0; k < steps && this.violation === null; k++) this.randomStep()
    return this.violation === null
  }

  /** Takes random steps until `done` holds (true) or the budget runs out or a violation (false). */
  runUntil(done: () => boolean, maxSteps: number): boolean {
    for (let k = 0; k < maxSteps && this.violation === null; k++) {
      if (done()) return true
      this.randomStep()
    }
    return this.violation === null && done()
  }

  // Scripted control, for scenarios. Each takes exactly one spec action (or none, returning false).

  /** Cuts `group` off from the other servers until heal(). */
  partition(group: Iterable<ServerId>): void {
    this.minority = new Set(group)
    this.partitionEnds = Infinity
    this.stats.partitions++
  }

  heal(): void {
    this.minority = null
  }

  /** Crashes and restarts server `id`. */
  crash(id: ServerId): void {
    this.stats.crashes++
    this.takeServerStep(this.indexOf(id), restart(this.node(id), this.config))
  }

  /** The leader of the highest term accepts a client value; returns it, or null without a leader. */
  submit(value: string = this.freshValue()): string | null {
    const leader = this.leader()
    if (!leader) return null
    return this.takeServerStep(this.indexOf(leader.id), clientRequest(leader, value, this.config)) ? value : null
  }

  /** Takes a named server action; false when it is not enabled. */
  act(action: ScriptedAction, i: ServerId, j: ServerId = i): boolean {
    const node = this.node(i)
    let result: Step | null = null
    switch (action) {
      case "Timeout":
        result = timeout(node, this.config)
        break
      case "RequestVote":
        result = requestVote(node, j, this.config)
        break
      case "BecomeLeader":
        result = becomeLeader(node, this.config)
        break
      case "AdvanceCommitIndex":
        result = advanceCommitIndex(node, this.config)
        break
      case "AppendEntries":
        result = appendEntries(node, j, this.config)
        break
      case "InstallSnapshot":
        result = installSnapshot(node, j, this.config)
        break
      case "TakeSnapshot":
        result = takeSnapshot(node, this.config)
        break
    }
    return this.takeServerStep(this.indexOf(i), result)
  }

  /** Delivers the first message in flight that matches; false when none does. */
  deliver(matches: (envelope: Envelope) => boolean): boolean {
    const index = this.network.envelopes().findIndex(matches)
    if (index < 0) return false
    this.deliverAt(index)
    return true
  }

  /** Drops every message in flight that matches, one DropMessage step each. */
  dropAll(matches: (envelope: Envelope) => boolean): number {
    let dropped = 0
    for (let index = this.network.size - 1; index >= 0; index--) {
      if (matches(this.network.at(index))) {
        this.takeNetworkStep(index, dropMessage(this.network.at(index).message))
        dropped++
      }
    }
    return dropped
  }

  // The random scheduler.

  randomStep(): void {
    if (this.minority !== null && this.now >= this.partitionEnds) this.minority = null
    if (this.minority === null && this.options.faults.has("partition") && this.prng.nextFloat() < this.options.partitionRate) {
      this.startRandomPartition()
    }
    this.fillMenu()
    if (this.menu.total === 0) {
      // Nothing is due: let time pass to the next timer.
      this.clock = this.nextTimer()
      this.fillMenu()
    }
    const k = this.menu.pick(this.prng)
    if (k >= 0) this.take(this.menu.kind(k), this.menu.x(k), this.menu.y(k))
  }

  private fillMenu(): void {
    const menu = this.menu
    const o = this.options
    menu.clear()
    for (let x = 0; x < this.nodes.length; x++) {
      const node = this.nodes[x]
      const role = node.volatile.role
      if (role !== "Leader" && this.now >= this.electionDeadline[x]) menu.add(5, StepKind.Timeout, x)
      if (role === "Candidate") {
        if (isQuorum(node.volatile.votesGranted.length, this.config)) menu.add(10, StepKind.BecomeLeader, x)
        for (let y = 0; y < this.nodes.length; y++) {
          const j = this.config.servers[y]
          if (y === x || node.volatile.votesGranted.includes(j)) continue
          if (this.links[x][y].voteRequested !== node.persistent.currentTerm) menu.add(5, StepKind.RequestVote, x, y)
        }
      }
      if (role === "Leader") this.addLeaderChoices(x, node)
      if (o.faults.has("snapshot") && node.volatile.commitIndex - node.persistent.snapshot.index >= o.snapshotThreshold) {
        menu.add(1, StepKind.TakeSnapshot, x)
      }
      if (o.faults.has("crash") && this.now >= this.crashDeadline[x]) menu.add(5, StepKind.Crash, x)
    }
    const size = this.network.size
    if (size > 0) {
      menu.add(size * o.deliverRate, StepKind.Deliver)
      if (o.faults.has("drop")) menu.add(size * o.dropRate, StepKind.Drop)
      if (o.faults.has("dup")) menu.add(size * o.duplicateRate, StepKind.Duplicate)
    }
  }

  private addLeaderChoices(x: number, node: Node): void {
    const v = node.volatile
    const p = node.persistent
    // Only a follower's matchIndex beyond commitIndex can make AdvanceCommitIndex enabled.
    let ahead = isQuorum(1, this.config)
    for (const j of this.config.servers) if (v.matchIndex[j] > v.commitIndex) ahead = true
    this.commitChoice[x] = ahead ? advanceCommitIndex(node, this.config) : null
    if (this.commitChoice[x]) this.menu.add(10, StepKind.AdvanceCommitIndex, x)
    // Clients wait while many entries are uncommitted, as a real client's window would.
    if (lastIndex(p) - v.commitIndex < 64) this.menu.add(this.options.clientRate, StepKind.ClientRequest, x)
    for (let y = 0; y < this.nodes.length; y++) {
      if (y === x) continue
      const link = this.links[x][y]
      const news =
        link.term !== p.currentTerm ||
        link.nextIndex !== v.nextIndex[this.config.servers[y]] ||
        link.lastIndex !== lastIndex(p) ||
        link.commitIndex !== v.commitIndex
      if (news || this.now - link.sentAt >= this.options.heartbeatInterval) this.menu.add(3, StepKind.SendEntries, x, y)
    }
  }

  private take(kind: StepKind, x: number, y: number): void {
    const node = this.nodes[x]
    switch (kind) {
      case StepKind.Timeout:
        this.takeServerStep(x, timeout(node, this.config))
        return
      case StepKind.RequestVote:
        this.takeServerStep(x, requestVote(node, this.config.servers[y], this.config))
        return
      case StepKind.BecomeLeader:
        this.takeServerStep(x, becomeLeader(node, this.config))
        return
      case StepKind.AdvanceCommitIndex:
        this.takeServerStep(x, this.commitChoice[x])
        return
      case StepKind.ClientRequest:
        this.takeServerStep(x, clientRequest(node, this.freshValue(), this.config))
        return
      case StepKind.SendEntries: {
        const j = this.config.servers[y]
        const link = this.links[x][y]
        link.sentAt = this.now
        link.term = node.persistent.currentTerm
        link.nextIndex = node.volatile.nextIndex[j]
        link.lastIndex = lastIndex(node.persistent)
        link.commitIndex = node.volatile.commitIndex
        const compacted = node.volatile.nextIndex[j] <= node.persistent.snapshot.index
        this.takeServerStep(x, compacted ? installSnapshot(node, j, this.config) : appendEntries(node, j, this.config))
        return
      }
      case StepKind.TakeSnapshot:
        this.takeServerStep(x, takeSnapshot(node, this.config))
        return
      case StepKind.Crash:
        this.stats.crashes++
        this.takeServerStep(x, restart(node, this.config))
        return
      case StepKind.Deliver:
        this.deliverAt(this.options.faults.has("reorder") ? this.prng.nextInt(this.network.size) : 0)
        return
      case StepKind.Drop: {
        const index = this.prng.nextInt(this.network.size)
        this.stats.messagesDropped++
        this.takeNetworkStep(index, dropMessage(this.network.at(index).message))
        return
      }
      case StepKind.Duplicate: {
        const index = this.prng.nextInt(this.network.size)
        this.stats.messagesDuplicated++
        this.takeNetworkStep(index, duplicateMessage(this.network.at(index).message))
        return
      }
    }
  }

  /** The earliest time an election timer runs out, a leader owes a heartbeat or a server crashes. */
  private nextTimer(): number {
    let next = Infinity
    for (let x = 0; x < this.nodes.length; x++) {
      if (this.options.faults.has("crash")) next = Math.min(next, this.crashDeadline[x])
      if (this.nodes[x].volatile.role !== "Leader") {
        next = Math.min(next, this.electionDeadline[x])
        continue
      }
      for (let y = 0; y < this.nodes.length; y++) {
        if (y !== x) next = Math.min(next, this.links[x][y].sentAt + this.options.heartbeatInterval)
      }
    }
    return Math.max(next, this.clock)
  }

  private startRandomPartition(): void {
    const servers = [...this.config.servers]
    const size = 1 + this.prng.nextInt(Math.floor(servers.length / 2))
    const group = new Set<ServerId>()
    while (group.size < size) group.add(servers[this.prng.nextInt(servers.length)])
    this.minority = group
    const [low, high] = this.options.partitionSteps
    this.partitionEnds = this.now + this.prng.between(low, high)
    this.stats.partitions++
  }

  private crossesCut(envelope: Envelope): boolean {
    return this.minority !== null && this.minority.has(envelope.message.source) !== this.minority.has(envelope.message.dest)
  }

  private deliverAt(index: number): void {
    const envelope = this.network.at(index)
    const m = envelope.message
    if (this.crossesCut(envelope)) {
      this.stats.partitionDrops++
      this.takeNetworkStep(index, dropMessage(m))
      return
    }
    if (index > 0) this.stats.messagesReordered++
    const x = this.indexOf(m.dest)
    const node = this.nodes[x]
    const delivery = receive(node, m, this.config)
    if (delivery === null) {
      // No handler is enabled (a leader got a request of its own term): the network loses it.
      this.takeNetworkStep(index, dropMessage(m))
      return
    }
    if (delivery.consumed) this.network.removeAt(index)
    this.resetTimerOnContact(x, node, delivery)
    this.commit(x, node, delivery, envelope.id)
  }

  /** Hearing from the current leader, or granting a vote, restarts a follower's election timer. */
  private resetTimerOnContact(x: number, before: Node, step: Step): void {
    const after = step.state
    const m = step.trace.params.m
    if (m === undefined || m.term !== after.persistent.currentTerm) return
    const fromLeader = m.type === "AppendEntriesRequest" || m.type === "InstallSnapshotRequest"
    const granted = before.persistent.votedFor === null && after.persistent.votedFor !== null
    if (fromLeader || granted) this.electionDeadline[x] = this.drawElectionDeadline()
  }

  private takeServerStep(x: number, result: Step | null): boolean {
    if (result === null) return false
    this.commit(x, this.nodes[x], result, undefined)
    return true
  }

  private takeNetworkStep(index: number, result: NetworkStep): void {
    const envelope = this.network.at(index)
    if (result.consumed) this.network.removeAt(index)
    const sent = this.network.send(result.send)
    this.finish(result.trace, null, null, envelope.id, sent)
  }

  /** Applies a server's step: new state, messages sent, bookkeeping, invariants, trace. */
  private commit(x: number, before: Node, result: Step, msgId: number | undefined): void {
    const after = result.state
    this.nodes[x] = after
    const sent = this.network.send(result.send)
    const action = result.trace.action
    switch (action) {
      case "Timeout":
        this.electionDeadline[x] = this.drawElectionDeadline()
        break
      case "Restart":
        this.electionDeadline[x] = this.drawElectionDeadline()
        this.crashDeadline[x] = this.drawCrashDeadline()
        break
      case "RequestVote":
        this.links[x][this.indexOf(result.trace.params.j!)].voteRequested = before.persistent.currentTerm
        break
      case "BecomeLeader":
        this.stats.leadersElected++
        break
      case "ClientRequest":
        this.stats.clientRequests++
        this.submitted.push(result.trace.params.v as string)
        break
      case "TakeSnapshot":
        this.stats.snapshotsTaken++
        break
      case "HandleInstallSnapshotRequest":
        if (after.persistent.snapshot !== before.persistent.snapshot) this.stats.snapshotsInstalled++
        break
    }
    this.finish(result.trace, before, after, msgId, sent)
  }

  private finish(event: StepEvent, before: Node | null, after: Node | null, msgId: number | undefined, sent: ReadonlyArray<number>): void {
    const seq = ++this.stats.steps
    this.clock++
    this.stats.actions[event.action] = (this.stats.actions[event.action] ?? 0) + 1
    const entry: StepRecord = msgId === undefined ? { seq, event } : { seq, event, msgId }
    this.recent.push(entry)
    if (this.recent.length > RECENT) this.recent.shift()
    if (this.record) this.recordStep(seq, event, msgId, sent)
    if (!this.options.checkInvariants) return
    this.stats.invariantChecks += INVARIANTS.length
    const violation = this.monitor.check(event, before, after, this.nodes)
    if (violation) this.violation = { ...violation, seq, recent: [...this.recent] }
  }

  private recordStep(seq: number, event: StepEvent, msgId: number | undefined, sent: ReadonlyArray<number>): void {
    const line: Record<string, unknown> = { seq, action: event.action, params: encodeParams(event.params) }
    if (msgId !== undefined) line.msgId = msgId
    if (sent.length > 0) line.sent = sent
    if (event.persist.length > 0) line.persist = event.persist
    if (this.minority !== null) line.partition = [...this.minority].sort()
    if (this.delta) {
      // A delta trace names messages in flight by id instead of repeating them.
      const received = event.params.m
      if (received !== undefined && msgId !== undefined) (line.params as Record<string, unknown>)[TRACE_BAG.param] = { $msg: msgId }
      // The bag's messages are the encodings of copies in flight (or of the one just received).
      line.delta = this.delta.next(this.specState(), (message) => {
        if (received !== undefined && msgId !== undefined && encodeMessage(received) === message) return msgId
        return this.network.envelopes().find((e) => !sent.includes(e.id) && encodeMessage(e.message) === message)?.id
      })
    } else line.state = this.specState()
    this.record!(JSON.stringify(line))
  }

  private freshValue(): string {
    return `v${this.nextValue++}`
  }

  /** Crashes come as a Poisson process of crashRate per server and tick. */
  private drawCrashDeadline(): number {
    if (this.options.crashRate <= 0) return Infinity
    return this.now + Math.ceil(-Math.log(1 - this.prng.nextFloat()) / this.options.crashRate)
  }

  private drawElectionDeadline(): number {
    const [low, high] = this.options.electionTimeout
    return this.now + this.prng.between(low, high)
  }

  private indexOf(id: ServerId): number {
    const index = this.config.servers.indexOf(id)
    if (index < 0) throw new Error(`no server ${id}`)
    return index
  }
}

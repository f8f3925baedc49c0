/**
 * A deterministic simulator: a seeded PRNG picks, step after step, one enabled action of the
 * spec's Next (timeouts, votes, client requests, replication, snapshots, delivering, dropping or
 * duplicating a message in flight, crashes) and checks the invariants after each.
 *
 * Weights model time: an election timer fires once its drawn number of steps has passed, a leader
 * sends to a follower when it has news or has been silent for a heartbeat interval. These are
 * scheduling choices only; every step taken is a spec action on the cluster.
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
  toSpecState
} from "../raft/index.ts"
import { INVARIANTS, InvariantMonitor, type Violation } from "./invariants.ts"
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

/** One candidate step of the menu: its weight and how to take it. */
interface Choice {
  readonly weight: number
  readonly take: () => void
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
  /** Per leader and follower: the step of the last AppendEntries or InstallSnapshot, and what it carried. */
  private readonly lastSentAt = new Map<string, number>()
  private readonly lastSentWhat = new Map<string, string>()
  /** Per candidate and voter: the term in which the vote was last requested. */
  private readonly voteRequested = new Map<string, number>()
  /** The servers cut off from the rest, while a partition lasts. */
  private minority: ReadonlySet<ServerId> | null = null
  private partitionEnds = 0
  private nextValue = 1

  constructor(
    readonly options: SimOptions,
    private readonly record?: (line: string) => void
  ) {
    const servers = Array.from({ length: options.servers }, (_, k) => `s${k + 1}`)
    this.config = makeConfig(servers, options.bugs)
    this.nodes = servers.map((id) => initialNode(id, this.config))
    this.prng = new Prng(options.seed)
    this.electionDeadline = servers.map(() => this.drawElectionDeadline())
    if (record) {
      record(
        JSON.stringify({
          format: "raft-tla-trace",
          version: 1,
          spec: "spec/Raft.tla",
          constants: specConstants(this.config),
          init: this.specState(),
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

  get now(): number {
    return this.stats.steps
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

  get partitioned(): ReadonlySet<ServerId> | null {
    return this.minority
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
    return this.takeServerStep(this.indexOf(leader.id), clientRequest(leader, value)) ? value : null
  }

  /** Takes a named server action; false when it is not enabled. */
  act(
    action: "Timeout" | "RequestVote" | "BecomeLeader" | "AdvanceCommitIndex" | "AppendEntries" | "InstallSnapshot" | "TakeSnapshot",
    i: ServerId,
    j?: ServerId
  ): boolean {
    const node = this.node(i)
    const target = j ?? i
    const result =
      action === "Timeout"
        ? timeout(node)
        : action === "RequestVote"
          ? requestVote(node, target)
          : action === "BecomeLeader"
            ? becomeLeader(node, this.config)
            : action === "AdvanceCommitIndex"
              ? advanceCommitIndex(node, this.config)
              : action === "AppendEntries"
                ? appendEntries(node, target)
                : action === "InstallSnapshot"
                  ? installSnapshot(node, target)
                  : takeSnapshot(node)
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
    const choices = this.menu()
    let total = 0
    for (const choice of choices) total += choice.weight
    let pick = this.prng.nextFloat() * total
    for (const choice of choices) {
      pick -= choice.weight
      if (pick < 0) {
        choice.take()
        return
      }
    }
    // Rounding left nothing picked: take the last choice.
    if (choices.length > 0) choices[choices.length - 1].take()
  }

  private menu(): Array<Choice> {
    const choices: Array<Choice> = []
    const o = this.options
    const hasLeader = this.nodes.some((node) => node.volatile.role === "Leader")
    for (let x = 0; x < this.nodes.length; x++) {
      const node = this.nodes[x]
      const role = node.volatile.role
      if (role !== "Leader") {
        // A timer that has run out fires soon; a rare early one stands for clock drift.
        const weight = this.now >= this.electionDeadline[x] ? 5 : hasLeader ? 0.0002 : 0.002
        choices.push({ weight, take: () => this.takeServerStep(x, timeout(node)) })
      }
      if (role === "Candidate") {
        if (isQuorum(node.volatile.votesGranted.length, this.config)) {
          choices.push({ weight: 10, take: () => this.takeServerStep(x, becomeLeader(node, this.config)) })
        }
        for (const j of this.config.servers) {
          if (j === node.id || node.volatile.votesGranted.includes(j)) continue
          if (this.voteRequested.get(`${node.id}>${j}`) === node.persistent.currentTerm) continue
          choices.push({ weight: 5, take: () => this.takeServerStep(x, requestVote(node, j)) })
        }
      }
      if (role === "Leader") this.leaderChoices(x, node, choices)
      if (o.faults.has("snapshot") && node.volatile.commitIndex - node.persistent.snapshot.index >= o.snapshotThreshold) {
        choices.push({ weight: 1, take: () => this.takeServerStep(x, takeSnapshot(node)) })
      }
      if (o.faults.has("crash")) {
        choices.push({
          weight: o.crashRate,
          take: () => {
            this.stats.crashes++
            this.takeServerStep(x, restart(node, this.config))
          }
        })
      }
    }
    const size = this.network.size
    if (size > 0) {
      choices.push({
        weight: size,
        take: () => this.deliverAt(o.faults.has("reorder") ? this.prng.nextInt(this.network.size) : 0)
      })
      if (o.faults.has("drop")) {
        choices.push({
          weight: size * o.dropRate,
          take: () => {
            const index = this.prng.nextInt(this.network.size)
            this.stats.messagesDropped++
            this.takeNetworkStep(index, dropMessage(this.network.at(index).message))
          }
        })
      }
      if (o.faults.has("dup")) {
        choices.push({
          weight: size * o.duplicateRate,
          take: () => {
            const index = this.prng.nextInt(this.network.size)
            this.stats.messagesDuplicated++
            this.takeNetworkStep(index, duplicateMessage(this.network.at(index).message))
          }
        })
      }
    }
    return choices
  }

  private leaderChoices(x: number, node: Node, choices: Array<Choice>): void {
    const v = node.volatile
    const p = node.persistent
    const committing = advanceCommitIndex(node, this.config)
    if (committing) choices.push({ weight: 10, take: () => this.takeServerStep(x, committing) })
    // Clients wait while many entries are uncommitted, as a real client's window would.
    if (this.options.clientRate > 0 && lastIndex(p) - v.commitIndex < 64) {
      choices.push({ weight: this.options.clientRate, take: () => this.takeServerStep(x, clientRequest(node, this.freshValue())) })
    }
    for (const j of this.config.servers) {
      if (j === node.id) continue
      const key = `${node.id}>${j}`
      const what = `${p.currentTerm}:${v.nextIndex[j]}:${lastIndex(p)}:${v.commitIndex}`
      const news = this.lastSentWhat.get(key) !== what
      const silent = this.now - (this.lastSentAt.get(key) ?? -Infinity) >= this.options.heartbeatInterval
      if (!news && !silent) continue
      const send = v.nextIndex[j] > p.snapshot.index ? appendEntries : installSnapshot
      choices.push({
        weight: 3,
        take: () => {
          this.lastSentAt.set(key, this.now)
          this.lastSentWhat.set(key, what)
          this.takeServerStep(x, send(node, j))
        }
      })
    }
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
    const x = this.indexOf(m.dest)
    const node = this.nodes[x]
    const delivery = receive(node, m, this.config.bugs)
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
      case "Restart":
        this.electionDeadline[x] = this.drawElectionDeadline()
        break
      case "RequestVote":
        this.voteRequested.set(`${before.id}>${result.trace.params.j}`, before.persistent.currentTerm)
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
    this.stats.actions[event.action] = (this.stats.actions[event.action] ?? 0) + 1
    this.stats.invariantChecks += INVARIANTS.length
    const entry: StepRecord = msgId === undefined ? { seq, event } : { seq, event, msgId }
    this.recent.push(entry)
    if (this.recent.length > RECENT) this.recent.shift()
    if (this.record) this.recordStep(seq, event, msgId, sent)
    const violation = this.monitor.check(event, before, after, this.nodes)
    if (violation) this.violation = { ...violation, seq, recent: [...this.recent] }
  }

  private recordStep(seq: number, event: StepEvent, msgId: number | undefined, sent: ReadonlyArray<number>): void {
    const line: Record<string, unknown> = { seq, action: event.action, params: encodeParams(event.params) }
    if (msgId !== undefined) line.msgId = msgId
    if (sent.length > 0) line.sent = sent
    if (event.persist.length > 0) line.persist = event.persist
    line.state = this.specState()
    this.record!(JSON.stringify(line))
  }

  private freshValue(): string {
    return `v${this.nextValue++}`
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

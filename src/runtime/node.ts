/**
 * A Raft node as an Effect program. The pure core (src/raft) decides what each step does; the node
 * decides when steps happen (timers, arriving messages, client commands) and does their I/O in the
 * order the core requires: the fields a step names in `trace.persist` are made durable first, then
 * its messages are sent and the step is recorded. The steps for inputs that arrived together share
 * one write to the disk where they can (`take`, `flush`).
 *
 * One fiber runs the node: it takes one input at a time from its mailbox, or wakes up when its timer
 * is due, and after each it reacts (a candidate with a majority takes office, a leader commits what
 * it can, committed entries are applied and their clients answered). A crash closes the node's scope,
 * which interrupts that fiber; the node restarts from its storage.
 */
import { Clock, Effect, Exit, Option, Queue, type Scope } from "effect"
import {
  advanceCommitIndex,
  appendEntries,
  becomeLeader,
  clientRequest,
  type Entry,
  entryAt,
  freshVolatile,
  installSnapshot,
  lastIndex,
  type AppendEntriesResponse,
  type Message,
  isQuorum,
  type Node,
  type PersistentField,
  type RaftConfig,
  receive,
  requestVote,
  restart,
  type ServerId,
  type Step,
  type StepEvent,
  takeSnapshot,
  termAt,
  timeout
} from "../raft/index.ts"
import { NodeStorage } from "./node-storage.ts"
import { encodeBatch } from "./kv-command.ts"
import { ReadIndex } from "./read-index.ts"
import { type Answer, StateMachine } from "./state-machine.ts"
import type { CorruptionError, StorageError } from "./storage/storage-error.ts"
import { Lost, NodeDown, NotLeader, type SubmitError } from "./submit-error.ts"
import { Timing } from "./timing.ts"
import { TraceSink } from "./trace-sink.ts"
import { type Delivery, Transport } from "./transport.ts"

export interface NodeOptions {
  readonly id: ServerId
  readonly config: RaftConfig
  /** Coming back after a crash: the node's first step is the spec's Restart. */
  readonly restarted: boolean
  /** Take a snapshot once this many committed entries are not compacted; 0: only when asked. */
  readonly snapshotThreshold: number
  /**
   * A new leader appends a no-op entry at once, so that it soon commits an entry of its own term:
   * reads (ReadIndex) wait for one. Off by default, so that scripted runs take only the steps asked.
   */
  readonly leaderNoop?: boolean
  /**
   * At most this many AppendEntries to one follower not yet answered, apart from heartbeats (which
   * always go). Default: no limit, every batch of entries is sent at once.
   */
  readonly pipelineDepth?: number
  /**
   * At most this many client commands in one entry. Smaller batches keep several in flight at
   * once, so clients are not all answered (and all ask again) at the same moment. Default: no limit.
   */
  readonly maxBatch?: number
  /**
   * Tell the followers of a new commitIndex at once, with an empty AppendEntries, rather than with
   * the next entries or heartbeat. Default true. Off, a round of replication takes half the messages:
   * under load the next entries follow within a round anyway, and when idle the heartbeat carries it.
   */
  readonly commitNotice?: boolean
}

/** The value of a leader's no-op entry: no client command, so the state machine skips it. */
export const NOOP_VALUE = "noop"

/** Who waits for an answer: called once, from the node's fiber, with the outcome. */
export type Reply<A> = (outcome: Exit.Exit<A, SubmitError>) => void

type ReadReply = Reply<string | null>

type Submit = { readonly kind: "submit"; readonly command: string; readonly reply: Reply<Answer> }
type Read = { readonly kind: "read"; readonly key: string; readonly reply: ReadReply }

type Input =
  | { readonly kind: "deliver"; readonly delivery: Delivery }
  | Submit
  | Read
  | { readonly kind: "timeout" }
  | { readonly kind: "snapshot" }

/**
 * Inputs handled together: a single input, client commands (one entry, at most maxBatch commands),
 * or reads. All the commands taken at once join, however many messages arrived between them: they
 * are concurrent requests, so any order among them and the messages is one the clients could have
 * seen, and one entry needs one write to the disk where several would each need their own.
 */
type Run = { readonly kind: "one"; readonly input: Input } | { readonly kind: "submits"; readonly inputs: Array<Submit> } | { readonly kind: "reads"; readonly inputs: Array<Read> }

const runsOf = (inputs: ReadonlyArray<Input>, maxBatch: number): Array<Run> => {
  const runs: Array<Run> = []
  let submits: Array<Submit> | undefined
  let reads: Array<Read> | undefined
  for (const input of inputs) {
    if (input.kind === "submit") {
      if (submits === undefined || submits.length >= maxBatch) runs.push({ kind: "submits", inputs: (submits = []) })
      submits.push(input)
    } else if (input.kind === "read") {
      if (reads === undefined) runs.push({ kind: "reads", inputs: (reads = []) })
      reads.push(input)
    } else runs.push({ kind: "one", input })
  }
  return runs
}

export interface NodeHandle {
  readonly id: ServerId
  /** Submits a client command; succeeds with its answer once the command is committed and applied. */
  readonly submit: (command: string) => Effect.Effect<Answer, SubmitError>
  /**
   * Reads a key without a log entry (./read-index.ts): succeeds on the leader once it has confirmed
   * that it still leads; fails with NotLeader elsewhere, or if it loses office meanwhile.
   */
  readonly read: (key: string) => Effect.Effect<string | null, SubmitError>
  /**
   * `submit` and `read` for callers outside Effect (the gRPC service): `reply` is called with the
   * outcome. No fiber is started per request, which matters at thousands of requests a second.
   */
  readonly submitWith: (command: string, reply: Reply<Answer>) => void
  readonly readWith: (key: string, reply: Reply<string | null>) => void
  /** Makes the election timer fire now. */
  readonly forceTimeout: () => void
  /** Compacts the log up to commitIndex now. */
  readonly forceSnapshot: () => void
  /** The node's state as of its last step. */
  readonly state: () => Node
  /** The leader this node last heard from in its current term, if any. */
  readonly leaderHint: () => ServerId | null
  /** The index of the last entry applied to the state machine. */
  readonly applied: () => number
  /** The state machine's contents: what the applied entries made of the store. */
  readonly store: () => ReadonlyMap<string, string>
  /** The failure that stopped the node, if one did (a storage error: the node stops, fail-stop). */
  readonly fatal: () => StorageError | null
}

/** Waiting client commands: the entry they were appended as, and who waits for each answer, in order. */
interface Waiting {
  readonly entry: Entry
  readonly replies: ReadonlyArray<Reply<Answer>>
}

/**
 * The time in whole milliseconds. Timers work in whole milliseconds: with fractions, a deadline and
 * the clock could stay a rounding error apart, and the node would wait for nothing over and over.
 */
const now = Effect.map(Clock.currentTimeMillis, Math.floor)

/** Starts a node in the current scope; closing the scope is the node's crash. */
export const startNode = (
  options: NodeOptions
): Effect.Effect<NodeHandle, StorageError | CorruptionError, Scope.Scope | NodeStorage | StateMachine | Transport | TraceSink | Timing> =>
  Effect.gen(function* () {
    const storage = yield* NodeStorage
    const stateMachine = yield* StateMachine
    const transport = yield* Transport
    const sink = yield* TraceSink
    const timing = yield* Timing
    const { id, config } = options
    const bugs = config.bugs
    const peers = config.servers.filter((server) => server !== id)
    const mailbox = yield* Queue.unbounded<Input>()
    const loaded = yield* storage.load()

    let node: Node = { id, persistent: loaded, volatile: freshVolatile(loaded.snapshot.index, config) }
    let leaderHint: ServerId | null = null
    let lastApplied = 0
    let electionDue = 0
    let heartbeatDue = 0
    let down = false
    let fatal: StorageError | null = null
    const waiting = new Map<number, Waiting>()
    /** The answer to every client waiting when the node goes down. */
    const gone = Exit.fail(new NodeDown({ server: id }))
    // Bug catalogue, read-without-quorum: a read is answered without any follower's confirmation.
    const confirmed = bugs.has("read-without-quorum") ? () => true : (size: number) => isQuorum(size, config)
    const reads = new ReadIndex<ReadReply>(id, confirmed)
    /** A read arrived since the last round of AppendEntries: send one to confirm leadership. */
    let readsNeedRound = false
    /** The id of the last message this node sent; ids only grow. */
    let lastSentId = 0
    const pipelineDepth = options.pipelineDepth ?? Infinity
    /** Per follower: AppendEntries sent and not yet answered, and the id of the latest one. */
    const unanswered = new Map<ServerId, number>()
    const latestSent = new Map<ServerId, number>()
    /** Per follower: the last index the latest AppendEntries or InstallSnapshot to it reached. */
    const sentUpTo = new Map<ServerId, number>()

    const resetElectionTimer = Effect.gen(function* () {
      electionDue = (yield* now) + (yield* timing.electionTimeout)
    })

    /** The fields a step makes durable. */
    const persisted = (step: Step): ReadonlyArray<PersistentField> =>
      // Bug catalogue, vote-not-persisted: the vote is answered before it is durable; it reaches
      // the disk only with the next write of the hard state.
      bugs.has("vote-not-persisted") && step.trace.action === "HandleRequestVoteRequest"
        ? step.trace.persist.filter((field) => field !== "votedFor")
        : step.trace.persist

    type Copy = { readonly id: number; readonly consumed: boolean }
    /** Called with the ids of a step's messages once they are sent. */
    type OnSent = (ids: ReadonlyArray<number>) => void

    /**
     * Steps taken while handling inputs that arrived together, held until `flush` makes them durable
     * with one write: a follower handed several AppendEntries at once pays one fsync, not one each.
     * Only steps that change nothing but the log are held (see `take`); none of them has sent or
     * recorded anything yet. `heldFrom` is what storage holds: the state before the first.
     */
    let holding = false
    const held: Array<{ readonly step: Step; readonly event: StepEvent; readonly copy?: Copy; readonly onSent?: OnSent }> = []
    let heldFrom: Node["persistent"] = node.persistent

    /** Sends the step's messages and records it, in one go; it is durable. */
    const release = (step: Step, event: StepEvent, copy: Copy | undefined, onSent: OnSent | undefined) => {
      const ids = transport.exchange(copy?.consumed ? copy.id : undefined, step.send)
      sink.record({ server: id, event, after: step.state, msgId: copy?.id, sent: ids })
      if (ids.length > 0) lastSentId = ids[ids.length - 1]
      onSent?.(ids)
      return ids
    }

    /** Makes the held steps durable with one write, then sends their messages and records them, in order. */
    const flush = Effect.gen(function* () {
      if (held.length === 0) return
      yield* storage.persist(heldFrom, node.persistent, held.some(({ event }) => event.persist.length > 0) ? ["log"] : [])
      const steps = held.splice(0)
      const sent = yield* Effect.sync(() => steps.flatMap(({ step, event, copy, onSent }) => release(step, event, copy, onSent)))
      yield* transport.dispatch(sent)
    })

    /**
     * Persists what the step changed, then changes the network and records the step at once. While
     * holding, a step that changes only the log waits for `flush`; any other first flushes the held
     * ones, so that the disk only ever holds the state after some step (what a restart shows of a
     * killed process must be a state its step log went through, ../cluster/cluster-trace.ts).
     */
    const take = (step: Step, copy?: Copy, onSent?: OnSent) =>
      Effect.gen(function* () {
        const event = { ...step.trace, persist: persisted(step) }
        if (holding && event.persist.every((field) => field === "log")) {
          sink.prepare?.({ server: id, event, after: step.state, msgId: copy?.id, send: step.send })
          if (held.length === 0) heldFrom = node.persistent
          node = step.state
          held.push({ step, event, copy, onSent })
          return
        }
        yield* flush
        sink.prepare?.({ server: id, event, after: step.state, msgId: copy?.id, send: step.send })
        yield* storage.persist(node.persistent, step.state.persistent, event.persist)
        const sent = yield* Effect.sync(() => {
          node = step.state
          return release(step, event, copy, onSent)
        })
        yield* transport.dispatch(sent)
      })

    const takeIfEnabled = (step: Step | null) => (step === null ? Effect.void : take(step))

    /**
     * A leader sends j what it needs: entries from nextIndex on, or the snapshot if they are
     * compacted. Unless `force`d (heartbeats, read rounds), not while j has pipelineDepth unanswered.
     */
    const replicate = (j: ServerId, force: boolean) =>
      Effect.gen(function* () {
        const pending = unanswered.get(j) ?? 0
        if (!force && pending >= pipelineDepth) return
        const step =
          node.volatile.nextIndex[j] > node.persistent.snapshot.index ? appendEntries(node, j, config) : installSnapshot(node, j, config)
        if (step === null) return
        yield* take(step, undefined, (sent) => latestSent.set(j, sent[0]))
        unanswered.set(j, pending + 1)
        sentUpTo.set(j, lastIndex(node.persistent))
      })

    /**
     * With flow control (a pipeline depth), whether j needs an AppendEntries now that it answered
     * one: only if it refused, or if entries exist that were never sent to it. Entries already on
     * their way are not sent again: each AppendEntries carries everything from nextIndex on, so
     * sending on every answer would send the entries in flight over and over. A heartbeat repairs a
     * loss. Without flow control, every answer that leaves j behind gets one, as before.
     */
    const needsMore = (j: ServerId, m: AppendEntriesResponse): boolean => {
      const last = lastIndex(node.persistent)
      if (!m.success) return true
      if (node.volatile.nextIndex[j] > last) return false
      return pipelineDepth === Infinity || (sentUpTo.get(j) ?? 0) < last
    }

    const replicateAll = (force: boolean) => Effect.forEach(peers, (j) => replicate(j, force), { discard: true })

    /** j answered the AppendEntries or InstallSnapshot with id `cause` (if known). */
    const noteAnswer = (j: ServerId, cause: number | undefined) => {
      const pending = unanswered.get(j) ?? 0
      // A lost request or answer would leave the count high for ever; the answer to the latest
      // request means none is outstanding.
      unanswered.set(j, cause !== undefined && cause >= (latestSent.get(j) ?? 0) ? 0 : Math.max(0, pending - 1))
    }

    const startElection = Effect.gen(function* () {
      const stood = timeout(node, config)
      if (stood === null) return
      yield* take(stood)
      leaderHint = null
      yield* resetElectionTimer
      yield* Effect.forEach(peers, (j) => takeIfEnabled(requestVote(node, j, config)), { discard: true })
    })

    /** Applies committed entries (after installing the snapshot if it is ahead) and answers clients. */
    const applyCommitted = Effect.gen(function* () {
      const p = node.persistent
      if (p.snapshot.index > lastApplied) {
        yield* stateMachine.restore(p.snapshot.entries.map((entry) => entry.value))
        for (const [index, { replies }] of waiting) {
          if (index <= p.snapshot.index) {
            waiting.delete(index)
            for (const reply of replies) reply(Exit.fail(new Lost({ index })))
          }
        }
        lastApplied = p.snapshot.index
      }
      // Bug catalogue, apply-uncommitted: entries are applied as soon as they are in the log.
      const upTo = bugs.has("apply-uncommitted") ? lastIndex(p) : node.volatile.commitIndex
      while (lastApplied < upTo) {
        const index = lastApplied + 1
        const entry = entryAt(p, index)
        const answers = yield* stateMachine.apply(entry.value)
        lastApplied = index
        const clients = waiting.get(index)
        if (clients === undefined) continue
        waiting.delete(index)
        const same = clients.entry.term === entry.term && clients.entry.value === entry.value && answers.length === clients.replies.length
        clients.replies.forEach((reply, k) => reply(same ? Exit.succeed(answers[k]) : Exit.fail(new Lost({ index }))))
      }
    })

    /** Answers the reads the leader may answer now, and turns away those it no longer can. */
    const serveReads = Effect.sync(() => {
      if (reads.size === 0) return
      const term = node.persistent.currentTerm
      const leading = node.volatile.role === "Leader"
      for (const read of reads.takeStale(leading ? term : null)) read.reply(Exit.fail(new NotLeader({ leader: leaderHint })))
      if (!leading) return
      const commitIndex = node.volatile.commitIndex
      if (termAt(node.persistent, commitIndex) === term) reads.fixIndex(term, commitIndex)
      const contents = stateMachine.contents()
      for (const read of reads.takeReady(term, lastApplied)) read.reply(Exit.succeed(contents.get(read.key) ?? null))
    })

    /** What follows any input: taking office, committing, applying, compacting, answering reads. */
    const react = Effect.gen(function* () {
      const elected = becomeLeader(node, config)
      if (elected !== null) {
        yield* take(elected)
        leaderHint = id
        heartbeatDue = (yield* now) + timing.heartbeatInterval
        unanswered.clear()
        sentUpTo.clear()
        if (options.leaderNoop) yield* take(clientRequest(node, NOOP_VALUE, config)!)
        yield* replicateAll(true)
      }
      if (readsNeedRound) {
        readsNeedRound = false
        if (node.volatile.role === "Leader") yield* replicateAll(true)
      }
      const committed = advanceCommitIndex(node, config)
      if (committed !== null) yield* take(committed)
      // Clients first: telling the followers of the commit takes no step they wait for.
      yield* applyCommitted
      yield* serveReads
      // Followers learn the new commitIndex at once rather than at the next heartbeat; with flow
      // control, only those that hold the whole log (for them it is an empty AppendEntries): the
      // others have entries on their way and hear of it with the next ones.
      if (committed !== null && options.commitNotice !== false) {
        const last = lastIndex(node.persistent)
        yield* Effect.forEach(
          peers.filter((j) => pipelineDepth === Infinity || node.volatile.matchIndex[j] === last),
          (j) => replicate(j, false),
          { discard: true }
        )
      }
      const threshold = options.snapshotThreshold
      if (threshold > 0 && node.volatile.commitIndex - node.persistent.snapshot.index >= threshold) {
        yield* takeIfEnabled(takeSnapshot(node, config))
      }
    })

    /** Timer and leader bookkeeping after a step that handled message m. */
    const noteContact = (before: Node, step: Step, m: Message) =>
      Effect.gen(function* () {
        const after = step.state
        switch (step.trace.action) {
          case "UpdateTerm":
            leaderHint = null
            // A deposed leader starts its election timer afresh rather than from a stale deadline.
            if (before.volatile.role === "Leader") yield* resetElectionTimer
            return
          case "HandleAppendEntriesRequest":
          case "HandleInstallSnapshotRequest":
            if (m.term !== after.persistent.currentTerm) return
            leaderHint = m.source
            // Bug catalogue, timer-not-reset: hearing from the leader does not put off an election.
            if (!bugs.has("timer-not-reset")) yield* resetElectionTimer
            return
          case "HandleRequestVoteRequest":
            if (before.persistent.votedFor !== m.source && after.persistent.votedFor === m.source) yield* resetElectionTimer
            return
        }
      })

    const receiveCopy = (delivery: Delivery) =>
      Effect.gen(function* () {
        const m = delivery.message
        // A message of a newer term first moves the node to it (UpdateTerm), then is handled.
        for (;;) {
          const before = node
          const result = receive(node, m, config)
          if (result === null) {
            transport.lose(delivery.id)
            return
          }
          yield* take(result, { id: delivery.id, consumed: result.consumed })
          yield* noteContact(before, result, m)
          if (result.consumed) break
        }
        // A leader answers a refusal, or an acknowledgement that leaves the follower behind, at once.
        if (m.type === "AppendEntriesResponse" && node.volatile.role === "Leader" && m.term === node.persistent.currentTerm) {
          noteAnswer(m.source, delivery.cause)
          if (delivery.cause !== undefined) reads.acknowledge(m.source, m.term, delivery.cause)
          if (needsMore(m.source, m)) yield* replicate(m.source, false)
        }
      })

    /** Client commands that arrived together become one entry (a batch), made durable at once. */
    const appendCommands = (submits: ReadonlyArray<Submit>) =>
      Effect.gen(function* () {
        const value = submits.length === 1 ? submits[0].command : encodeBatch(submits.map((submit) => submit.command))
        const appended = clientRequest(node, value, config)
        if (appended === null) {
          for (const submit of submits) submit.reply(Exit.fail(new NotLeader({ leader: leaderHint })))
          return
        }
        yield* take(appended)
        const index = lastIndex(node.persistent)
        waiting.set(index, { entry: entryAt(node.persistent, index), replies: submits.map((submit) => submit.reply) })
        yield* replicateAll(false)
      })

    const startReads = (inputs: ReadonlyArray<Read>) =>
      Effect.sync(() => {
        for (const input of inputs) {
          if (node.volatile.role !== "Leader") input.reply(Exit.fail(new NotLeader({ leader: leaderHint })))
          else {
            reads.add(input.key, input.reply, node.persistent.currentTerm, lastSentId)
            readsNeedRound = true
          }
        }
      })

    const handle = (input: Input) =>
      Effect.gen(function* () {
        switch (input.kind) {
          case "deliver":
            return yield* receiveCopy(input.delivery)
          case "timeout":
            return yield* startElection
          case "snapshot":
            return yield* takeIfEnabled(takeSnapshot(node, config))
          case "submit":
            return yield* appendCommands([input])
          case "read":
            return yield* startReads([input])
        }
      })

    const handleRun = (run: Run) => {
      switch (run.kind) {
        case "one":
          return handle(run.input)
        case "submits":
          return appendCommands(run.inputs)
        case "reads":
          return startReads(run.inputs)
      }
    }

    const loop = Effect.gen(function* () {
      for (;;) {
        const time = yield* now
        const leading = node.volatile.role === "Leader"
        const due = leading ? heartbeatDue : electionDue
        if (time >= due) {
          if (leading) {
            heartbeatDue = time + timing.heartbeatInterval
            yield* replicateAll(true)
          } else {
            yield* startElection
          }
          yield* react
          continue
        }
        // Everything that arrived together is taken at once, so that commands share one append.
        const inputs = yield* Queue.takeAll(mailbox).pipe(Effect.timeoutOption(due - time))
        if (Option.isNone(inputs)) {
          yield* react
          continue
        }
        // Their steps share one write to the disk; what follows them (commits, answers) waits for it.
        holding = true
        for (const run of runsOf(inputs.value, options.maxBatch ?? Infinity)) yield* handleRun(run)
        holding = false
        yield* flush
        yield* react
      }
    })

    /** The crash: every waiting client learns the node is gone; messages it held are lost. */
    const shutdown = Effect.gen(function* () {
      down = true
      for (const { replies } of waiting.values()) for (const reply of replies) reply(gone)
      waiting.clear()
      for (const read of reads.takeAll()) read.reply(gone)
      for (const input of yield* Queue.clear(mailbox)) {
        if (input.kind === "submit") input.reply(gone)
        else if (input.kind === "read") input.reply(gone)
      }
      yield* transport.detach(id)
    })

    if (options.restarted) yield* take(restart(node, config))
    yield* stateMachine.restore(node.persistent.snapshot.entries.map((entry) => entry.value))
    lastApplied = node.persistent.snapshot.index
    yield* resetElectionTimer
    yield* Effect.addFinalizer(() => shutdown)
    yield* transport.attach(id, (delivery) => {
      Queue.offerUnsafe(mailbox, { kind: "deliver", delivery })
    })
    yield* Effect.forkScoped(
      loop.pipe(
        Effect.catchTag("StorageError", (error) =>
          Effect.sync(() => {
            fatal = error
          })
        )
      )
    )

    const offer = (input: Input) => {
      if (!down) Queue.offerUnsafe(mailbox, input)
    }
    const submitWith = (command: string, reply: Reply<Answer>) => (down ? reply(gone) : offer({ kind: "submit", command, reply }))
    const readWith = (key: string, reply: ReadReply) => (down ? reply(gone) : offer({ kind: "read", key, reply }))
    return {
      id,
      submit: (command) => Effect.callback<Answer, SubmitError>((resume) => submitWith(command, resume)),
      read: (key) => Effect.callback<string | null, SubmitError>((resume) => readWith(key, resume)),
      submitWith,
      readWith,
      forceTimeout: () => offer({ kind: "timeout" }),
      forceSnapshot: () => offer({ kind: "snapshot" }),
      state: () => node,
      leaderHint: () => leaderHint,
      applied: () => lastApplied,
      store: () => stateMachine.contents(),
      fatal: () => fatal
    } satisfies NodeHandle
  })

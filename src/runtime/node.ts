/**
 * A Raft node as an Effect program. The pure core (src/raft) decides what each step does; the node
 * decides when steps happen (timers, arriving messages, client commands) and does their I/O in the
 * order the core requires: the fields a step names in `trace.persist` are made durable first, then
 * its messages are sent and the step is recorded.
 *
 * One fiber runs the node: it takes one input at a time from its mailbox, or wakes up when its timer
 * is due, and after each it reacts (a candidate with a majority takes office, a leader commits what
 * it can, committed entries are applied and their clients answered). A crash closes the node's scope,
 * which interrupts that fiber; the node restarts from its storage.
 */
import { Clock, Deferred, Effect, Exit, Option, Queue, type Scope } from "effect"
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
  type Message,
  type Node,
  type RaftConfig,
  receive,
  requestVote,
  restart,
  type ServerId,
  type Step,
  takeSnapshot,
  timeout
} from "../raft/index.ts"
import { NodeStorage } from "./node-storage.ts"
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
}

type Input =
  | { readonly kind: "deliver"; readonly delivery: Delivery }
  | { readonly kind: "submit"; readonly command: string; readonly reply: Deferred.Deferred<Answer, SubmitError> }
  | { readonly kind: "timeout" }
  | { readonly kind: "snapshot" }

export interface NodeHandle {
  readonly id: ServerId
  /** Submits a client command; succeeds with its answer once the command is committed and applied. */
  readonly submit: (command: string) => Effect.Effect<Answer, SubmitError>
  /** Makes the election timer fire now. */
  readonly forceTimeout: () => void
  /** Compacts the log up to commitIndex now. */
  readonly forceSnapshot: () => void
  /** The node's state as of its last step. */
  readonly state: () => Node
  /** The leader this node last heard from in its current term, if any. */
  readonly leaderHint: () => ServerId | null
  /** The state machine's contents: what the applied entries made of the store. */
  readonly store: () => ReadonlyMap<string, string>
  /** The failure that stopped the node, if one did (a storage error: the node stops, fail-stop). */
  readonly fatal: () => StorageError | null
}

/** A waiting client command: the entry it was appended as, and who waits for the answer. */
interface Waiting {
  readonly entry: Entry
  readonly reply: Deferred.Deferred<Answer, SubmitError>
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

    const settle = (reply: Deferred.Deferred<Answer, SubmitError>, outcome: Exit.Exit<Answer, SubmitError>) => {
      Deferred.doneUnsafe(reply, outcome)
    }

    const resetElectionTimer = Effect.gen(function* () {
      electionDue = (yield* now) + (yield* timing.electionTimeout)
    })

    /** Persists what the step changed, then changes the network and records the step at once. */
    const take = (step: Step, copy?: { readonly id: number; readonly consumed: boolean }) =>
      Effect.gen(function* () {
        // Bug catalogue, vote-not-persisted: the vote is answered before it is durable; it reaches
        // the disk only with the next write of the hard state.
        const persist =
          bugs.has("vote-not-persisted") && step.trace.action === "HandleRequestVoteRequest"
            ? step.trace.persist.filter((field) => field !== "votedFor")
            : step.trace.persist
        yield* storage.persist(node.persistent, step.state.persistent, persist)
        const sent = yield* Effect.sync(() => {
          node = step.state
          const ids = transport.exchange(copy?.consumed ? copy.id : undefined, step.send)
          sink.record({ server: id, event: { ...step.trace, persist }, after: step.state, msgId: copy?.id, sent: ids })
          return ids
        })
        yield* transport.dispatch(sent)
      })

    const takeIfEnabled = (step: Step | null) => (step === null ? Effect.void : take(step))

    /** A leader sends j what it needs: entries from nextIndex on, or the snapshot if they are compacted. */
    const replicate = (j: ServerId) =>
      takeIfEnabled(node.volatile.nextIndex[j] > node.persistent.snapshot.index ? appendEntries(node, j, config) : installSnapshot(node, j, config))

    const replicateAll = Effect.forEach(peers, replicate, { discard: true })

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
        for (const [index, { reply }] of waiting) {
          if (index <= p.snapshot.index) {
            waiting.delete(index)
            settle(reply, Exit.fail(new Lost({ index })))
          }
        }
        lastApplied = p.snapshot.index
      }
      // Bug catalogue, apply-uncommitted: entries are applied as soon as they are in the log.
      const upTo = bugs.has("apply-uncommitted") ? lastIndex(p) : node.volatile.commitIndex
      while (lastApplied < upTo) {
        const index = lastApplied + 1
        const entry = entryAt(p, index)
        const answer = yield* stateMachine.apply(entry.value)
        lastApplied = index
        const client = waiting.get(index)
        if (client === undefined) continue
        waiting.delete(index)
        const same = client.entry.term === entry.term && client.entry.value === entry.value
        settle(client.reply, same && answer !== null ? Exit.succeed(answer) : Exit.fail(new Lost({ index })))
      }
    })

    /** What follows any input: taking office, committing, applying, compacting. */
    const react = Effect.gen(function* () {
      const elected = becomeLeader(node, config)
      if (elected !== null) {
        yield* take(elected)
        leaderHint = id
        heartbeatDue = (yield* now) + timing.heartbeatInterval
        yield* replicateAll
      }
      const committed = advanceCommitIndex(node, config)
      if (committed !== null) {
        yield* take(committed)
        // Followers learn the new commitIndex at once rather than at the next heartbeat.
        yield* replicateAll
      }
      yield* applyCommitted
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
          if (!m.success || node.volatile.nextIndex[m.source] <= lastIndex(node.persistent)) yield* replicate(m.source)
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
          case "submit": {
            const appended = clientRequest(node, input.command, config)
            if (appended === null) {
              settle(input.reply, Exit.fail(new NotLeader({ leader: leaderHint })))
              return
            }
            yield* take(appended)
            const index = lastIndex(node.persistent)
            waiting.set(index, { entry: entryAt(node.persistent, index), reply: input.reply })
            yield* replicateAll
          }
        }
      })

    const loop = Effect.gen(function* () {
      for (;;) {
        const time = yield* now
        const leading = node.volatile.role === "Leader"
        const due = leading ? heartbeatDue : electionDue
        if (time >= due) {
          if (leading) {
            heartbeatDue = time + timing.heartbeatInterval
            yield* replicateAll
          } else {
            yield* startElection
          }
        } else {
          const input = yield* Queue.take(mailbox).pipe(Effect.timeoutOption(due - time))
          if (Option.isSome(input)) yield* handle(input.value)
        }
        yield* react
      }
    })

    /** The crash: every waiting client learns the node is gone; messages it held are lost. */
    const shutdown = Effect.gen(function* () {
      down = true
      const gone = Exit.fail(new NodeDown({ server: id }))
      for (const { reply } of waiting.values()) settle(reply, gone)
      waiting.clear()
      for (const input of yield* Queue.clear(mailbox)) if (input.kind === "submit") settle(input.reply, gone)
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
    return {
      id,
      submit: (command) =>
        Effect.suspend(() => {
          if (down) return Effect.fail(new NodeDown({ server: id }))
          const reply = Deferred.makeUnsafe<Answer, SubmitError>()
          offer({ kind: "submit", command, reply })
          return Deferred.await(reply)
        }),
      forceTimeout: () => offer({ kind: "timeout" }),
      forceSnapshot: () => offer({ kind: "snapshot" }),
      state: () => node,
      leaderHint: () => leaderHint,
      store: () => stateMachine.contents(),
      fatal: () => fatal
    } satisfies NodeHandle
  })

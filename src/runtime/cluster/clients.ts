/**
 * The cluster's clients and the history of what they asked and were told, for the linearizability
 * check. A client has at most one command it waits for; `retry` sends it again with the same session
 * (to the leader it last heard of), `submit` gives up on it and starts the next. A follower's
 * redirect is followed once at once. Times are logical: one tick per call or answer.
 *
 * `read` is a get served by the leader without a log entry (ReadIndex): it has no session, since
 * the state machine's session table never sees it.
 */
import { Effect, type Scope } from "effect"
import type { ServerId } from "../../raft/index.ts"
import { encodeCommand, type KvOperation, type KvResult, type Session } from "../kv-command.ts"
import type { NodeHandle } from "../node.ts"
import type { SubmitError } from "../submit-error.ts"

export interface ClientOperation {
  readonly client: string
  /** Absent for a read (ReadIndex), which goes through no session. */
  readonly session?: Session
  readonly op: KvOperation
  readonly call: number
  /** What the client was told; absent when it never got an answer. */
  readonly answer?: { readonly result: KvResult }
  /** When it was told; Infinity when never. */
  readonly return: number
}

interface Invocation {
  readonly op: KvOperation
  readonly call: number
  /** A command through the log: its session and log entry value; absent for a read. */
  readonly logged?: { readonly session: Session; readonly command: string }
}

export class Clients {
  private time = 0
  private readonly waitingFor = new Map<string, Invocation>()
  private readonly lastSeq = new Map<string, number>()
  private readonly leaderGuess = new Map<string, ServerId>()
  private readonly done: Array<ClientOperation> = []
  /** Commands given up on by `submit`: their outcome stays unknown. */
  private readonly abandoned: Array<Invocation & { readonly client: string }> = []

  constructor(
    private readonly servers: ReadonlyArray<ServerId>,
    /** The running incarnation of a server, or undefined while it is down. */
    private readonly node: (id: ServerId) => NodeHandle | undefined,
    /** Where attempts wait for their answers. */
    private readonly scope: Scope.Scope
  ) {}

  submit(client: string, op: KvOperation): Effect.Effect<void> {
    return Effect.suspend(() => {
      const session: Session = { clientId: client, seq: (this.lastSeq.get(client) ?? 0) + 1 }
      this.lastSeq.set(client, session.seq)
      return this.start(client, { op, call: ++this.time, logged: { session, command: encodeCommand({ session, op }) } })
    })
  }

  /** The client reads `key` from the leader, without a log entry (ReadIndex). */
  read(client: string, key: string): Effect.Effect<void> {
    return Effect.suspend(() => this.start(client, { op: { f: "get", key }, call: ++this.time }))
  }

  private start(client: string, invocation: Invocation): Effect.Effect<void> {
    const previous = this.waitingFor.get(client)
    if (previous !== undefined) this.abandoned.push({ ...previous, client })
    this.waitingFor.set(client, invocation)
    return this.attempt(client, invocation, this.guess(client), 1)
  }

  retry(client: string): Effect.Effect<void> {
    return Effect.suspend(() => {
      const invocation = this.waitingFor.get(client)
      return invocation === undefined ? Effect.void : this.attempt(client, invocation, this.guess(client), 1)
    })
  }

  /** Every command so far; those still without an answer return at Infinity. */
  history(): ReadonlyArray<ClientOperation> {
    const open = [...this.abandoned, ...[...this.waitingFor].map(([client, invocation]) => ({ ...invocation, client }))]
    return [
      ...this.done,
      ...open.map(({ client, logged, op, call }) => ({ client, ...(logged && { session: logged.session }), op, call, return: Infinity }))
    ].sort((a, b) => a.call - b.call)
  }

  private guess(client: string): ServerId {
    return this.leaderGuess.get(client) ?? this.servers[0]
  }

  private next(server: ServerId): ServerId {
    return this.servers[(this.servers.indexOf(server) + 1) % this.servers.length]
  }

  private attempt(client: string, invocation: Invocation, first: ServerId, redirects: number): Effect.Effect<void> {
    // A server that is down refuses the connection: the client goes on to the next one.
    let target = first
    for (let tried = 1; this.node(target) === undefined && tried < this.servers.length; tried++) target = this.next(target)
    const handle = this.node(target)
    if (handle === undefined) return Effect.void
    this.leaderGuess.set(client, target)
    const asked: Effect.Effect<KvResult, SubmitError> =
      invocation.logged === undefined
        ? handle.read(invocation.op.key)
        : Effect.map(handle.submit(invocation.logged.command), (answer) => answer.result)
    const outcome = asked.pipe(
      Effect.matchEffect({
        onSuccess: (result) => Effect.sync(() => this.answered(client, invocation, result)),
        onFailure: (error) => {
          const leader = error._tag === "NotLeader" ? error.leader : null
          this.leaderGuess.set(client, leader ?? this.next(target))
          return leader !== null && leader !== target && redirects > 0
            ? this.attempt(client, invocation, leader, redirects - 1)
            : Effect.void
        }
      })
    )
    return Effect.asVoid(Effect.forkIn(outcome, this.scope))
  }

  private answered(client: string, invocation: Invocation, result: KvResult): void {
    if (this.waitingFor.get(client) !== invocation) return
    this.waitingFor.delete(client)
    const { logged, op, call } = invocation
    this.done.push({ client, ...(logged && { session: logged.session }), op, call, answer: { result }, return: ++this.time })
  }
}

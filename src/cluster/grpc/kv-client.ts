/**
 * A client of a raft-tla cluster over gRPC. `KvClient` holds one channel per node and makes single
 * attempts; `ClientSession` is one client session (Ongaro's thesis §6.3): it numbers its writes and
 * retries each, with the same number, until some node answers it, following the leader a follower
 * names and moving on from a node that does not answer.
 */
import * as grpc from "@grpc/grpc-js"
import type { ServerId } from "../../raft/index.ts"
import type { KvOperation, KvResult } from "../../runtime/kv-command.ts"
import type { ClusterFile } from "../cluster-file.ts"
import { HOST } from "../cluster-file.ts"
import { type GetReply, KvClientConstructor, LEADER_KEY, type StatusReply } from "./proto.ts"

export interface Endpoint {
  readonly id: ServerId
  readonly address: string
}

export const endpointsOf = (cluster: ClusterFile): ReadonlyArray<Endpoint> =>
  cluster.nodes.map((node) => ({ id: node.id, address: `${HOST}:${node.grpcPort}` }))

/** How one attempt ended, when it did not answer. */
export type AttemptFailure =
  | { readonly kind: "not-leader"; readonly leader: ServerId | null }
  /** The node did not answer, or answered that the outcome is unknown: the command may have applied. */
  | { readonly kind: "unknown"; readonly reason: string }
  | { readonly kind: "rejected"; readonly reason: string }

export class AttemptError extends Error {
  constructor(readonly failure: AttemptFailure) {
    super(failure.kind === "not-leader" ? `not the leader (leader: ${failure.leader ?? "unknown"})` : failure.reason)
  }
}

/** The request a command becomes, and how its reply reads as a result. */
const requestOf = (op: KvOperation, session: { clientId: string; seq: number } | null) => {
  switch (op.f) {
    case "put":
    case "append":
      return { method: op.f === "put" ? "Put" : "Append", request: { session, key: op.key, value: op.value }, result: (): KvResult => null }
    case "delete":
      return { method: "Delete", request: { session, key: op.key }, result: (): KvResult => null }
    case "cas":
      return {
        method: "CompareAndSwap",
        request: { session, key: op.key, value: op.value, ...(op.expected === null ? {} : { expected: op.expected }) },
        result: (reply: unknown): KvResult => (reply as { swapped: boolean }).swapped
      }
    case "get":
      return { method: "Get", request: { key: op.key }, result: (reply: unknown): KvResult => ((reply as GetReply).found ? (reply as GetReply).value : null) }
  }
}

export class KvClient {
  private readonly channels = new Map<ServerId, grpc.Client>()

  /** `channelOptions`: grpc-js channel options added to the client's own (e.g. a connection of its own). */
  constructor(
    readonly endpoints: ReadonlyArray<Endpoint>,
    private readonly channelOptions: grpc.ChannelOptions = {}
  ) {}

  /** One attempt of `op` at node `target`, with a deadline. */
  async attempt(target: ServerId, op: KvOperation, session: { clientId: string; seq: number } | null, deadlineMs: number): Promise<KvResult> {
    const { method, request, result } = requestOf(op, session)
    return result(await this.call(target, method, request, deadlineMs))
  }

  status(target: ServerId, deadlineMs: number): Promise<StatusReply> {
    return this.call(target, "Status", {}, deadlineMs) as Promise<StatusReply>
  }

  close(): void {
    for (const channel of this.channels.values()) channel.close()
    this.channels.clear()
  }

  private channel(id: ServerId): grpc.Client {
    let channel = this.channels.get(id)
    if (channel === undefined) {
      const endpoint = this.endpoints.find((candidate) => candidate.id === id)
      if (endpoint === undefined) throw new Error(`no node ${id}`)
      // Reconnect quickly: a restarted node should be reachable again within a second, not minutes.
      channel = new KvClientConstructor(endpoint.address, grpc.credentials.createInsecure(), {
        "grpc.initial_reconnect_backoff_ms": 50,
        "grpc.min_reconnect_backoff_ms": 50,
        "grpc.max_reconnect_backoff_ms": 500,
        // grpc-js's introspection service, which nobody here queries, costs time on every call.
        "grpc.enable_channelz": 0,
        ...this.channelOptions
      })
      this.channels.set(id, channel)
    }
    return channel
  }

  private call(target: ServerId, method: string, request: unknown, deadlineMs: number): Promise<unknown> {
    const channel = this.channel(target) as unknown as Record<string, (request: unknown, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, reply: unknown) => void) => void>
    return new Promise((resolve, reject) => {
      channel[method].call(channel, request, { deadline: Date.now() + deadlineMs }, (error, reply) => {
        if (error === null) resolve(reply)
        else reject(new AttemptError(classify(error)))
      })
    })
  }
}

const classify = (error: grpc.ServiceError): AttemptFailure => {
  switch (error.code) {
    case grpc.status.FAILED_PRECONDITION: {
      const leader = error.metadata?.get(LEADER_KEY)[0]
      return { kind: "not-leader", leader: typeof leader === "string" && leader !== "" ? leader : null }
    }
    case grpc.status.INVALID_ARGUMENT:
      return { kind: "rejected", reason: error.details }
    default: {
      // grpc-js's own details for a refused connection run to several sentences.
      const details = error.details.startsWith("No connection established") ? "no connection" : error.details
      return { kind: "unknown", reason: `${grpc.status[error.code] ?? error.code}: ${details}` }
    }
  }
}

export interface SessionOptions {
  /** Deadline of one attempt (ms). */
  readonly attemptMs: number
  /** Give up after this long (ms); Infinity: retry until `stop()`. */
  readonly giveUpMs: number
  /** Pause before trying another node after one did not answer (ms). */
  readonly pauseMs: number
  /**
   * Start every command at this node (following a redirect from there), instead of at the node that
   * answered last: a client of a node, as a load balancer would make it.
   */
  readonly home?: ServerId
}

export const defaultSessionOptions: SessionOptions = { attemptMs: 1000, giveUpMs: 10_000, pauseMs: 50 }

/** The command was not answered in time; it may or may not have been applied. */
export class GaveUp extends Error {}

/** One client session: one command at a time, each retried with the same number until answered. */
export class ClientSession {
  private lastSeq = 0
  private guess: ServerId
  private stopped = false
  /** What the latest attempts ran into, for a report when the session gives up. */
  readonly failures: Array<string> = []

  constructor(
    private readonly client: KvClient,
    readonly clientId: string,
    private readonly options: SessionOptions = defaultSessionOptions
  ) {
    this.guess = client.endpoints[0].id
  }

  /** The number of the latest write started (its session is {clientId, seq}). */
  get seq(): number {
    return this.lastSeq
  }

  /** Makes every waiting and later command give up at its next attempt. */
  stop(): void {
    this.stopped = true
  }

  /**
   * Runs `op`: a write with the session's next number, a get with none. Resolves with its answer;
   * rejects with GaveUp (outcome unknown), or AttemptError "rejected" for a malformed request.
   */
  async run(op: KvOperation): Promise<KvResult> {
    const session = op.f === "get" ? null : { clientId: this.clientId, seq: ++this.lastSeq }
    const started = Date.now()
    const endpoints = this.client.endpoints
    if (this.options.home !== undefined) this.guess = this.options.home
    for (;;) {
      if (this.stopped || Date.now() - started > this.options.giveUpMs) {
        throw new GaveUp(`no node answered ${op.f} ${op.key} within ${this.options.giveUpMs} ms (${this.failures.slice(-3).join("; ")})`)
      }
      const target = this.guess
      try {
        return await this.client.attempt(target, op, session, this.options.attemptMs)
      } catch (error) {
        if (!(error instanceof AttemptError)) throw error
        const failure = error.failure
        if (failure.kind === "rejected") throw error
        this.failures.push(`${target}: ${error.message}`)
        if (this.failures.length > 20) this.failures.splice(0, this.failures.length - 20)
        const next = endpoints[(endpoints.findIndex((endpoint) => endpoint.id === target) + 1) % endpoints.length].id
        if (failure.kind === "not-leader" && failure.leader !== null && failure.leader !== target) {
          this.guess = failure.leader
          continue
        }
        this.guess = next
        await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs))
      }
    }
  }
}

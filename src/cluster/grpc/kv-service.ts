/**
 * The gRPC server of a node: raft_tla.proto's Kv service over the node's runtime handle. Writes are
 * log commands with their client session; Get is a ReadIndex read; Status reports what the node
 * knows. A malformed request (even bytes that are not protobuf) is answered INVALID_ARGUMENT.
 * Messages are (de)serialized with the .proto's codecs and served by ./unary-server.ts.
 */
import { Cause, Exit } from "effect"
import type { ServerId } from "../../raft/index.ts"
import { encodeCommand, type KvOperation, type KvResult } from "../../runtime/kv-command.ts"
import type { NodeHandle, Reply } from "../../runtime/node.ts"
import type { Answer } from "../../runtime/state-machine.ts"
import type { StorageStats } from "../../runtime/storage/durable-storage.ts"
import { NodeDown, type SubmitError } from "../../runtime/submit-error.ts"
import { HOST } from "../cluster-file.ts"
import { AnswerPacer } from "./answer-pacer.ts"
import {
  type CompareAndSwapRequest,
  type DeleteRequest,
  type GetRequest,
  kvService,
  LEADER_ADDRESS_KEY,
  LEADER_KEY,
  type PutRequest,
  type SessionMessage,
  type StatusReply
} from "./proto.ts"
import { type CallError, serveUnary, Status, type UnaryMethod, type UnaryServer } from "./unary-server.ts"

const MAX_KEY_BYTES = 1024
const MAX_VALUE_BYTES = 1024 * 1024
const MAX_CLIENT_ID = 128

class BadRequest extends Error {}

/** Answers a call once: an error, or the reply. */
type Respond = (error: CallError | null, reply?: unknown) => void

/** A method: it answers through `respond`, at once or when the node has the outcome; it may throw BadRequest. */
type Handler<Req> = (request: Req, respond: Respond) => void

const checkKey = (key: string): string => {
  const bytes = Buffer.byteLength(key, "utf8")
  if (bytes === 0) throw new BadRequest("key is empty")
  if (bytes > MAX_KEY_BYTES) throw new BadRequest(`key is ${bytes} bytes (at most ${MAX_KEY_BYTES})`)
  return key
}

const checkValue = (value: string): string => {
  const bytes = Buffer.byteLength(value, "utf8")
  if (bytes > MAX_VALUE_BYTES) throw new BadRequest(`value is ${bytes} bytes (at most ${MAX_VALUE_BYTES})`)
  return value
}

const checkSession = (session: SessionMessage | null) => {
  if (session === null) throw new BadRequest("session is missing: a write needs {client_id, seq}")
  if (session.clientId.length === 0 || session.clientId.length > MAX_CLIENT_ID) {
    throw new BadRequest(`session.client_id must be 1 to ${MAX_CLIENT_ID} characters`)
  }
  if (!Number.isSafeInteger(session.seq) || session.seq < 1) throw new BadRequest("session.seq must be at least 1")
  return { clientId: session.clientId, seq: session.seq }
}

export interface KvServiceOptions {
  readonly node: NodeHandle
  /** The gRPC address of each node, to name the leader to a client. */
  readonly addresses: ReadonlyMap<ServerId, string>
  /** The storage engine's counters since the node started. */
  readonly storage: () => StorageStats
}

/**
 * Calls answered per turn of the event loop, at most (./answer-pacer.ts). 16 and 20 measured no
 * faster than 32 at 64 clients on one connection (docs/cluster.md, stop 14).
 */
const ANSWERS_PER_TURN = 32

/** The service's handlers, by method name. */
const handlers = ({ node, addresses, storage }: KvServiceOptions) => {
  const failure = (error: SubmitError): CallError => {
    if (error._tag === "NotLeader") {
      const leader = error.leader
      if (leader === null) return { code: Status.FAILED_PRECONDITION, details: "not the leader, and no leader is known yet" }
      const address = addresses.get(leader) ?? ""
      return {
        code: Status.FAILED_PRECONDITION,
        details: `not the leader; the leader is ${leader} at ${address}`,
        metadata: { [LEADER_KEY]: leader, [LEADER_ADDRESS_KEY]: address }
      }
    }
    const details =
      error._tag === "NodeDown"
        ? "outcome unknown: the node went down; retry with the same session"
        : "outcome unknown: the command's entry was replaced by another leader's; retry with the same session"
    return { code: Status.UNAVAILABLE, details }
  }

  /** A node's failure as a gRPC error; an interruption (the node stopping) as an unknown outcome. */
  const failureOf = (cause: Cause.Cause<SubmitError>): CallError => {
    const error = Cause.findErrorOption(cause)
    return failure(error._tag === "Some" ? error.value : new NodeDown({ server: node.id }))
  }

  /**
   * Asks the node and answers the call from the node's callback, synchronously: no promise or fiber
   * stands between the commit and the reply.
   */
  const ask = <A, R>(respond: Respond, asking: (reply: (exit: Exit.Exit<A, SubmitError>) => void) => void, replyOf: (answer: A) => R) =>
    asking((exit) => (Exit.isSuccess(exit) ? respond(null, replyOf(exit.value)) : respond(failureOf(exit.cause))))

  const submit = <R>(respond: Respond, session: SessionMessage | null, op: KvOperation, replyOf: (result: KvResult) => R) => {
    const command = encodeCommand({ session: checkSession(session), op })
    ask(respond, (reply: Reply<Answer>) => node.submitWith(command, reply), (answer: Answer) => replyOf(answer.result))
  }

  const empty = () => ({})

  return {
    Put: (request: PutRequest, respond: Respond) =>
      submit(respond, request.session, { f: "put", key: checkKey(request.key), value: checkValue(request.value) }, empty),
    Append: (request: PutRequest, respond: Respond) =>
      submit(respond, request.session, { f: "append", key: checkKey(request.key), value: checkValue(request.value) }, empty),
    Delete: (request: DeleteRequest, respond: Respond) => submit(respond, request.session, { f: "delete", key: checkKey(request.key) }, empty),
    CompareAndSwap: (request: CompareAndSwapRequest, respond: Respond) => {
      const expected = request._expected === "expected" ? checkValue(request.expected ?? "") : null
      submit(respond, request.session, { f: "cas", key: checkKey(request.key), expected, value: checkValue(request.value) }, (swapped) => ({
        swapped: swapped === true
      }))
    },
    Get: (request: GetRequest, respond: Respond) => {
      const key = checkKey(request.key)
      ask(respond, (reply: Reply<string | null>) => node.readWith(key, reply), (value: string | null) =>
        value === null ? { found: false, value: "" } : { found: true, value }
      )
    },
    Status: (_request: unknown, respond: Respond) => {
      const state = node.state()
      const leader = state.volatile.role === "Leader" ? node.id : (node.leaderHint() ?? "")
      respond(null, {
        id: node.id,
        role: state.volatile.role,
        term: state.persistent.currentTerm,
        commitIndex: state.volatile.commitIndex,
        lastIndex: state.persistent.snapshot.index + state.persistent.log.length,
        lastApplied: node.applied(),
        snapshotIndex: state.persistent.snapshot.index,
        leader,
        leaderAddress: leader === "" ? "" : (addresses.get(leader) ?? ""),
        storage: storage()
      } satisfies StatusReply)
    }
  } satisfies Record<string, Handler<never>>
}

/** The request's message; BadRequest when the bytes are not one (even bytes that are not protobuf). */
const decode = (definition: (typeof kvService)[string], name: string, bytes: Buffer): unknown => {
  try {
    return definition.requestDeserialize(bytes)
  } catch (error) {
    throw new BadRequest(`the request is not a ${name} message: ${(error as Error).message}`)
  }
}

/** Starts the gRPC server on 127.0.0.1:port; rejects with a message naming the address. */
export const startKvServer = (options: KvServiceOptions, port: number): Promise<UnaryServer> => {
  const handlersByName = handlers(options) as Record<string, Handler<unknown>>
  const pacer = new AnswerPacer(ANSWERS_PER_TURN)
  const methods = new Map<string, UnaryMethod>()
  for (const [name, definition] of Object.entries(kvService)) {
    const handler = handlersByName[name]
    methods.set(definition.path, (bytes, answer) => {
      const respond: Respond = (error, reply) =>
        pacer.answer(() => {
          // Called from inside the node's step: nothing the server throws may escape into the node.
          try {
            if (error === null) answer(null, definition.responseSerialize(reply))
            else answer(error)
          } catch (thrown) {
            answer({ code: Status.INTERNAL, details: `cannot answer: ${String(thrown)}` })
          }
        })
      try {
        handler(decode(definition, name, bytes), respond)
      } catch (error) {
        if (error instanceof BadRequest) respond({ code: Status.INVALID_ARGUMENT, details: error.message })
        else respond({ code: Status.INTERNAL, details: String(error) })
      }
    })
  }
  return serveUnary(methods, HOST, port)
}

/**
 * The clients of a failure test and the history of what they asked and were told. Each client is
 * one session (./grpc/kv-client.ts) running one command at a time, drawn from a seed: reads, puts,
 * compare-and-sets and deletes on a few shared keys (more with more clients: keysFor), and appends
 * of unique tokens to "log" keys that nothing else writes, so that the end of the test can look for
 * every acknowledged append.
 * A command is retried until some node answers it; the one a client waits for when the test stops
 * stays open (it may or may not have taken effect).
 */
import { performance } from "node:perf_hooks"
import { Prng } from "../../sim/prng.ts"
import type { KvOperation, KvResult, Session } from "../../runtime/kv-command.ts"
import { ClientSession, GaveUp, type KvClient } from "../grpc/kv-client.ts"

/** The keys clients share, and the log keys only appended to and read. */
export interface Keys {
  readonly shared: ReadonlyArray<string>
  readonly logs: ReadonlyArray<string>
}

/**
 * 4 shared keys and 2 log keys up to 16 clients, then one more shared key per 4 clients and one
 * more log key per 8, as Jepsen keeps the processes per key bounded: the linearizability search is
 * exponential in the operations in flight on one key. With 64 clients on 4 shared keys (up to 21 in
 * flight on one) every shared key was still undecided after 60 s (stop 15).
 */
export const keysFor = (clients: number): Keys => ({
  shared: Array.from({ length: Math.max(4, Math.ceil(clients / 4)) }, (_, k) => `k${k}`),
  logs: Array.from({ length: Math.max(2, Math.ceil(clients / 8)) }, (_, k) => `log${k}`)
})

export interface RecordedOperation {
  readonly client: number
  /** Writes go through the log with a session; reads (ReadIndex) have none. */
  readonly session?: Session
  readonly op: KvOperation
  /** ms since the test started. */
  readonly call: number
  /** Infinity when the client never got an answer. */
  readonly return: number
  /** Absent when the client never got an answer. */
  readonly answer?: { readonly result: KvResult }
}

export interface WorkloadOptions {
  readonly clients: number
  readonly seed: number
  /** Time zero of the history (performance.now()). */
  readonly origin: number
  /** Deadline of one attempt (ms): how long a client waits on a node that does not answer. */
  readonly attemptMs: number
  /** The nodes; every other client starts each command at one of them in turn (its home). */
  readonly nodes: ReadonlyArray<string>
  /** A pause after each answered command (ms): 0 runs flat out; traced runs keep traces small. */
  readonly thinkMs: number
}

/** A command drawn for client `c`: its n-th, using what it last saw of each key for a cas. */
const drawOperation = (random: Prng, keys: Keys, c: number, n: number, seen: Map<string, string | null>): KvOperation => {
  const roll = random.nextInt(100)
  const key = keys.shared[random.nextInt(keys.shared.length)]
  const value = `c${c}.${n}`
  if (roll < 24) return { f: "get", key }
  if (roll < 46) return { f: "put", key, value }
  if (roll < 58) return { f: "cas", key, expected: seen.get(key) ?? null, value }
  if (roll < 62) return { f: "delete", key }
  const log = keys.logs[random.nextInt(keys.logs.length)]
  // Tokens end with ";" so that the final value splits back into them.
  if (roll < 81) return { f: "append", key: log, value: `${value};` }
  // A log key is read as often as it is appended to: its reads spell out the order of its appends,
  // which is how the linearizability check decides it (lincheck's append witness), and a long run
  // of appends with no read would leave their order open.
  return { f: "get", key: log }
}

export class Workload {
  private readonly done: Array<RecordedOperation> = []
  private readonly open = new Map<number, Omit<RecordedOperation, "return" | "answer">>()
  private readonly sessions: Array<ClientSession> = []
  private loops: Array<Promise<void>> = []
  private stopping = false
  readonly keys: Keys

  constructor(
    private readonly client: KvClient,
    private readonly options: WorkloadOptions
  ) {
    this.keys = keysFor(options.clients)
  }

  now(): number {
    return performance.now() - this.options.origin
  }

  start(): void {
    for (let c = 0; c < this.options.clients; c++) {
      // Even clients follow the leader; odd ones start every command at their home node, so
      // that a node cut off from the others keeps being asked.
      const home = c % 2 === 1 ? { home: this.options.nodes[((c - 1) / 2) % this.options.nodes.length] } : {}
      const session = new ClientSession(this.client, `client-${this.options.seed}-${c}`, {
        attemptMs: this.options.attemptMs,
        giveUpMs: Infinity,
        pauseMs: 50,
        ...home
      })
      this.sessions.push(session)
      this.loops.push(this.run(c, session))
    }
  }

  /** Stops every client; commands still waiting stay open. */
  async stop(): Promise<void> {
    this.stopping = true
    for (const session of this.sessions) session.stop()
    await Promise.all(this.loops)
    this.loops = []
  }

  /** Runs one command as its own client (e.g. the final reads), recording it. */
  async once(client: number, session: ClientSession, op: KvOperation): Promise<KvResult> {
    const call = this.now()
    const promise = session.run(op)
    const started = { client, op, call, ...(op.f === "get" ? {} : { session: { clientId: session.clientId, seq: session.seq } }) }
    try {
      const result = await promise
      this.done.push({ ...started, return: this.now(), answer: { result } })
      return result
    } catch (error) {
      this.done.push({ ...started, return: Infinity })
      throw error
    }
  }

  history(): ReadonlyArray<RecordedOperation> {
    const open = [...this.open.values()].map((started) => ({ ...started, return: Infinity }))
    return [...this.done, ...open].sort((a, b) => a.call - b.call)
  }

  private async run(c: number, session: ClientSession): Promise<void> {
    const random = new Prng(this.options.seed * 1_000 + c)
    const seen = new Map<string, string | null>()
    for (let n = 1; !this.stopping; n++) {
      const op = drawOperation(random, this.keys, c, n, seen)
      const call = this.now()
      const promise = session.run(op)
      const started = { client: c, op, call, ...(op.f === "get" ? {} : { session: { clientId: session.clientId, seq: session.seq } }) }
      this.open.set(c, started)
      let result: KvResult
      try {
        result = await promise
      } catch (error) {
        if (error instanceof GaveUp) return
        throw error
      }
      this.open.delete(c)
      this.done.push({ ...started, return: this.now(), answer: { result } })
      if (op.f === "get") seen.set(op.key, result as string | null)
      if (op.f === "put" || (op.f === "cas" && result === true)) seen.set(op.key, op.value)
      if (op.f === "delete") seen.set(op.key, null)
      if (this.options.thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, this.options.thinkMs))
    }
  }
}

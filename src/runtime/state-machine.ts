/**
 * StateMachine: what a node applies committed entries to. The KV store here keeps a session table,
 * the last command and answer of each client, so that a command retried after a lost answer is
 * applied once and answered with the first answer. A node gets a fresh state machine each time it
 * starts and rebuilds it from its snapshot: the state machine itself is volatile.
 */
import { Context, Effect, Layer } from "effect"
import { decodeCommand, decodeEntryValue, type KvCommand, type KvResult, type Session } from "./kv-command.ts"

/** The answer to one applied entry: whose command it was and what it returns. */
export interface Answer {
  readonly session: Session
  readonly result: KvResult
}

export interface StateMachineService {
  /**
   * Applies a committed entry's value: the answer to each command it carries (./kv-command.ts), in
   * order; none for a value that is no command (nobody to answer).
   */
  readonly apply: (value: string) => Effect.Effect<ReadonlyArray<Answer>>
  /** Starts over from a snapshot: the entries it stands for, applied in order. */
  readonly restore: (values: ReadonlyArray<string>) => Effect.Effect<void>
  /** The store's contents, for tests and reports. */
  readonly contents: () => ReadonlyMap<string, string>
}

interface LastCommand {
  readonly seq: number
  readonly result: KvResult
}

/** The store itself, synchronous; the service wraps it. */
export class KvStore {
  private data = new Map<string, string>()
  private sessions = new Map<string, LastCommand>()

  constructor(private readonly bugs: ReadonlySet<string> = new Set()) {}

  /** Applies an entry's value (see StateMachineService). */
  applyEntry(value: string): ReadonlyArray<Answer> {
    return decodeEntryValue(value).map((command) => this.applyCommand(command))
  }

  /** Applies one command's value; null when it is no command. */
  apply(value: string): Answer | null {
    const command = decodeCommand(value)
    return command === null ? null : this.applyCommand(command)
  }

  private applyCommand(command: KvCommand): Answer {
    const { session } = command
    const last = this.sessions.get(session.clientId)
    // Bug catalogue, no-client-dedup: the session table is ignored and a retry applies again.
    if (last !== undefined && session.seq <= last.seq && !this.bugs.has("no-client-dedup")) {
      // A retry of the latest command gets its first answer; an older one can have no waiting client.
      return { session, result: session.seq === last.seq ? last.result : null }
    }
    const result = this.execute(command)
    this.sessions.set(session.clientId, { seq: session.seq, result })
    return { session, result }
  }

  reset(): void {
    this.data = new Map()
    this.sessions = new Map()
  }

  contents(): ReadonlyMap<string, string> {
    return this.data
  }

  private execute({ op }: KvCommand): KvResult {
    const current = this.data.get(op.key) ?? null
    switch (op.f) {
      case "get":
        return current
      case "put":
        this.data.set(op.key, op.value)
        return null
      case "delete":
        this.data.delete(op.key)
        return null
      case "append":
        this.data.set(op.key, (current ?? "") + op.value)
        return null
      case "cas":
        if (current !== op.expected) return false
        this.data.set(op.key, op.value)
        return true
    }
  }
}

export class StateMachine extends Context.Service<StateMachine, StateMachineService>()("raft-tla/StateMachine") {
  /** A fresh, empty KV store; `bugs` may switch off its session table (no-client-dedup). */
  static layerKv(bugs: ReadonlySet<string> = new Set()): Layer.Layer<StateMachine> {
    return Layer.sync(StateMachine, () => {
      const store = new KvStore(bugs)
      return {
        apply: (value) => Effect.sync(() => store.applyEntry(value)),
        restore: (values) =>
          Effect.sync(() => {
            store.reset()
            for (const value of values) store.applyEntry(value)
          }),
        contents: () => store.contents()
      }
    })
  }
}

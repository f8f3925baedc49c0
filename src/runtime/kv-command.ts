/**
 * The commands of the replicated KV store, as clients send them and as log entries carry them.
 * Every command names its client session `{clientId, seq}`, so that the state machine can apply a
 * retried command once and answer the retry with the first result (Ongaro's thesis, §6.3).
 */
import { Result, Schema } from "effect"

export const Session = Schema.Struct({ clientId: Schema.String, seq: Schema.Int })
export type Session = typeof Session.Type

export const KvOperation = Schema.Union([
  Schema.Struct({ f: Schema.Literal("put"), key: Schema.String, value: Schema.String }),
  Schema.Struct({ f: Schema.Literal("append"), key: Schema.String, value: Schema.String }),
  Schema.Struct({ f: Schema.Literal("get"), key: Schema.String }),
  Schema.Struct({ f: Schema.Literal("delete"), key: Schema.String }),
  Schema.Struct({ f: Schema.Literal("cas"), key: Schema.String, expected: Schema.NullOr(Schema.String), value: Schema.String })
])
export type KvOperation = typeof KvOperation.Type

export const KvCommand = Schema.Struct({ session: Session, op: KvOperation })
export type KvCommand = typeof KvCommand.Type

/** What a command answers: the value read (null: absent), whether a cas matched, null for writes and deletes. */
export type KvResult = string | boolean | null

/**
 * The log entry value that carries a command: a short JSON array, [clientId, seq, f, key, args...],
 * so that traces and counterexamples stay readable.
 */
export const encodeCommand = ({ session, op }: KvCommand): string => {
  const args = op.f === "get" || op.f === "delete" ? [] : op.f === "cas" ? [op.expected, op.value] : [op.value]
  return JSON.stringify([session.clientId, session.seq, op.f, op.key, ...args])
}

const decodeEntry = Schema.decodeUnknownResult(KvCommand)

/**
 * The log entry value that carries several commands that reached the leader together: the JSON
 * array of their values. A leader appends one entry for them instead of one each, so that the log,
 * which every step copies, grows by one entry per batch.
 */
export const encodeBatch = (commands: ReadonlyArray<string>): string => `[${commands.join(",")}]`

/**
 * The commands a log entry carries, in order: one for a command, several for a batch, none for a
 * value that is not a command (a leader's no-op).
 */
export const decodeEntryValue = (value: string): ReadonlyArray<KvCommand> => {
  if (!value.startsWith("[[")) {
    const command = decodeCommand(value)
    return command === null ? [] : [command]
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    return []
  }
  if (!Array.isArray(parsed)) return []
  const commands: Array<KvCommand> = []
  for (const element of parsed) {
    const command = Array.isArray(element) ? decodeParsed(element) : null
    if (command !== null) commands.push(command)
  }
  return commands
}

/** The command a log entry carries, or null for a value that is not a command. */
export const decodeCommand = (value: string): KvCommand | null => {
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    return null
  }
  return Array.isArray(parsed) ? decodeParsed(parsed) : null
}

const decodeParsed = (parsed: ReadonlyArray<unknown>): KvCommand | null => {
  const [clientId, seq, f, key, first, second] = parsed
  const op =
    f === "get" || f === "delete" ? { f, key } : f === "cas" ? { f, key, expected: first, value: second } : { f, key, value: first }
  const decoded = decodeEntry({ session: { clientId, seq }, op })
  return Result.isSuccess(decoded) ? decoded.success : null
}

export const describeOperation = (op: KvOperation): string => {
  switch (op.f) {
    case "get":
    case "delete":
      return `${op.f}(${op.key})`
    case "cas":
      return `cas(${op.key}, ${JSON.stringify(op.expected)}, ${JSON.stringify(op.value)})`
    default:
      return `${op.f}(${op.key}, ${JSON.stringify(op.value)})`
  }
}

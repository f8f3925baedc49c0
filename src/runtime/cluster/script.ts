/**
 * The commands that drive an in-memory cluster: the vocabulary of model-based tests, of the bug
 * catalogue's scenarios and of the counterexample files. A script is a list of them; running the
 * same script with the same seed takes the same steps.
 */
import { Schema } from "effect"
import { ServerId } from "../../raft/index.ts"
import { describeOperation, KvOperation } from "../kv-command.ts"

export const MessageType = Schema.Literals([
  "RequestVoteRequest",
  "RequestVoteResponse",
  "AppendEntriesRequest",
  "AppendEntriesResponse",
  "InstallSnapshotRequest"
])

/** Which waiting copy a command means: the nth (default the oldest) of those that match. */
export const Selector = Schema.Struct({
  from: Schema.optionalKey(ServerId),
  to: Schema.optionalKey(ServerId),
  /** Both ends among these servers. */
  between: Schema.optionalKey(Schema.Array(ServerId)),
  type: Schema.optionalKey(MessageType),
  nth: Schema.optionalKey(Schema.Int)
})
export type Selector = typeof Selector.Type

const server = { server: ServerId }

export const ScriptCommand = Schema.Union([
  /** Time passes: timers fire, a clocked network delivers. */
  Schema.Struct({ do: Schema.Literal("tick"), ms: Schema.Int }),
  /** The server's election timer fires now. */
  Schema.Struct({ do: Schema.Literal("timeout"), ...server }),
  /** Delivers one matching copy, or with `all` every matching copy, replies included, until none is left. */
  Schema.Struct({ do: Schema.Literal("deliver"), select: Schema.optionalKey(Selector), all: Schema.optionalKey(Schema.Boolean) }),
  Schema.Struct({ do: Schema.Literal("drop"), select: Schema.optionalKey(Selector), all: Schema.optionalKey(Schema.Boolean) }),
  Schema.Struct({ do: Schema.Literal("duplicate"), select: Schema.optionalKey(Selector) }),
  /** The oldest waiting copy falls behind all the others. */
  Schema.Struct({ do: Schema.Literal("reorder") }),
  /** The client starts a new command (giving up on any it still waits for). */
  Schema.Struct({ do: Schema.Literal("submit"), client: Schema.String, op: KvOperation }),
  /** The client reads a key from the leader without a log entry (ReadIndex), giving up on any command it waits for. */
  Schema.Struct({ do: Schema.Literal("read"), client: Schema.String, key: Schema.String }),
  /** The client sends the command it waits for again, with the same session. */
  Schema.Struct({ do: Schema.Literal("retry"), client: Schema.String }),
  /** The server crashes: its fibers stop and what it had not synced is lost. */
  Schema.Struct({ do: Schema.Literal("crash"), ...server }),
  /** The server comes back from its storage (crashing first if it is up). */
  Schema.Struct({ do: Schema.Literal("restart"), ...server }),
  /** Splits the servers into these groups and one more of the rest, until `heal`. */
  Schema.Struct({ do: Schema.Literal("partition"), groups: Schema.Array(Schema.Array(ServerId)) }),
  Schema.Struct({ do: Schema.Literal("heal") }),
  Schema.Struct({ do: Schema.Literal("snapshot"), ...server }),
  /**
   * The server falls behind a compacted log: it is cut off while `entries` commands commit among
   * the others, who then snapshot; healing makes the leader send it an InstallSnapshot.
   */
  Schema.Struct({ do: Schema.Literal("lag"), ...server, entries: Schema.Int })
])
export type ScriptCommand = typeof ScriptCommand.Type

export const Script = Schema.Array(ScriptCommand)
export type Script = typeof Script.Type

/** The selector's criteria in words; empty when it has none. */
const describeSelector = (select: Selector | undefined): string => {
  if (select === undefined) return ""
  const parts: Array<string> = []
  if (select.type !== undefined) parts.push(select.type)
  if (select.from !== undefined) parts.push(`from ${select.from}`)
  if (select.to !== undefined) parts.push(`to ${select.to}`)
  if (select.between !== undefined) parts.push(`between ${select.between.join(",")}`)
  if (select.nth !== undefined && select.nth > 0) parts.push(`(waiting copy #${select.nth})`)
  return parts.join(" ")
}

/** One line a person can read. */
export const describeCommand = (command: ScriptCommand): string => {
  switch (command.do) {
    case "tick":
      return `tick ${command.ms} ms`
    case "timeout":
    case "crash":
    case "restart":
    case "snapshot":
      return `${command.do} ${command.server}`
    case "deliver":
    case "drop":
    case "duplicate": {
      const what = describeSelector(command.select)
      if ("all" in command && command.all) return what === "" ? `${command.do} all` : `${command.do} all ${what}`
      return `${command.do} ${what === "" ? "the oldest" : what}`
    }
    case "reorder":
    case "heal":
      return command.do
    case "submit":
      return `${command.client} submits ${describeOperation(command.op)}`
    case "read":
      return `${command.client} reads ${command.key}`
    case "retry":
      return `${command.client} retries`
    case "partition":
      return `partition ${[...command.groups.map((group) => group.join(",")), "the rest"].join(" | ")}`
    case "lag":
      return `lag ${command.server} behind ${command.entries} entries and a snapshot`
  }
}

/**
 * The two ways durable storage can fail, as tagged errors whose message is what a command prints.
 *
 * `StorageError`: an operation could not be carried out (an I/O error, a call that breaks the log's
 * rules, storage already closed). `CorruptionError`: the data directory holds bytes recovery refuses to
 * trust; the node must not start, and the message names the file and byte offset to look at.
 */
import { Data } from "effect"

export class StorageError extends Data.TaggedError("StorageError")<{
  /** The file or directory the operation was about. */
  readonly file: string
  /** What was being done: "fsync", "append", "rename", ... */
  readonly operation: string
  readonly reason: string
}> {
  override get message(): string {
    return `${this.file}: ${this.operation}: ${this.reason}`
  }
}

export class CorruptionError extends Data.TaggedError("CorruptionError")<{
  readonly file: string
  /** Byte offset in `file` where the bad data starts. */
  readonly offset: number
  readonly reason: string
}> {
  override get message(): string {
    return `${this.file}: offset ${this.offset}: ${this.reason}`
  }
}

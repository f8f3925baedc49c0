/**
 * A history as read from a file, in the built-in models' vocabulary, with where each operation
 * was written (for error messages) and the fault annotations the timeline can draw.
 */
import type { Annotation } from "../annotation.ts"
import type { Operation } from "../history.ts"
import type { KvInput, KvOutput } from "../models/kv-input.ts"
import type { ModelName } from "../models/catalogue.ts"
import type { Position } from "./source.ts"

export const formatNames = ["json", "edn", "jepsen-log"] as const
export type FormatName = (typeof formatNames)[number]

export interface HistoryFile {
  readonly file: string
  readonly format: FormatName
  readonly operations: ReadonlyArray<Operation<KvInput, KvOutput>>
  /** Where each operation's call is written. */
  readonly positions: ReadonlyArray<Position>
  readonly annotations: ReadonlyArray<Annotation>
  /** The model the file names, if it names one (our JSON format can). */
  readonly model?: ModelName
}

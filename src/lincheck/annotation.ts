/** A fault or remark over a span of history time, drawn on the timeline as a band. */
import type { ClientId } from "./history.ts"

export interface Annotation {
  readonly kind: "crash" | "partition" | "note"
  readonly start: number
  /** `Infinity` when it lasted to the end of the history. */
  readonly end: number
  readonly label: string
  /** The client it concerns; absent: all of them. */
  readonly client?: ClientId
}

/**
 * Jepsen's history semantics, shared by the EDN and the log formats: pairs each completion with
 * the open invocation of the same process and decides what the pair means, as Jepsen's etcd and
 * cas-register tests record them:
 *  - `:ok`: the operation happened; a read's completion carries the value read.
 *  - `:fail` of a cas: the compare did not match (it happened and answered false).
 *  - `:fail` of a read that timed out: it returned, with an unknown output.
 *  - any other `:fail`: it did not happen, and is left out.
 *  - `:info`, or no completion at all: indeterminate; the call stays open to the end of the
 *    history (returns at +∞) and may take effect at any time after it was made, or never.
 * Operations from a non-numeric process (Jepsen's `:nemesis`) become fault annotations.
 * A record's time is its place in the file.
 */
import { Unknown, type Operation } from "../history.ts"
import type { KvInput, KvOutput } from "../models/kv-input.ts"
import type { Value } from "../value.ts"
import type { Annotation } from "../annotation.ts"
import { SyntaxProblem, type Position } from "./source.ts"

export type RecordType = "invoke" | "ok" | "fail" | "info"

export interface JepsenRecord {
  readonly process: number | string
  readonly type: RecordType
  readonly f: string
  readonly key?: Value
  readonly value: Value
  /** `:error :timed-out` (or a log line whose trailing field is `:timed-out`). */
  readonly timedOut: boolean
  readonly position: Position
}

export interface JepsenHistory {
  readonly operations: Array<Operation<KvInput, KvOutput>>
  readonly positions: Array<Position>
  readonly annotations: Array<Annotation>
}

const readsValue = (f: string): boolean => f === "read" || f === "get"

export const historyOfRecords = (records: ReadonlyArray<JepsenRecord>): JepsenHistory => {
  const open = new Map<number | string, { record: JepsenRecord; time: number }>()
  const operations: Array<Operation<KvInput, KvOutput>> = []
  const positions: Array<Position> = []
  const nemesis: Array<{ record: JepsenRecord; time: number }> = []
  const add = (invoke: JepsenRecord, call: number, output: Operation<KvInput, KvOutput>["output"], ret: number): void => {
    const input: KvInput = {
      f: invoke.f,
      ...(invoke.key !== undefined ? { key: invoke.key } : {}),
      ...(readsValue(invoke.f) ? {} : { value: invoke.value })
    }
    operations.push({ client: invoke.process, input, call, output, return: ret })
    positions.push(invoke.position)
  }
  records.forEach((record, time) => {
    if (typeof record.process === "string") {
      nemesis.push({ record, time })
      return
    }
    if (record.type === "invoke") {
      const already = open.get(record.process)
      if (already !== undefined) {
        throw new SyntaxProblem(
          record.position,
          `process ${record.process} invokes again while its call at line ${already.record.position.line} is still open`
        )
      }
      open.set(record.process, { record, time })
      return
    }
    const call = open.get(record.process)
    if (call === undefined) {
      throw new SyntaxProblem(record.position, `:${record.type} of process ${record.process} has no open :invoke`)
    }
    if (call.record.f !== record.f) {
      throw new SyntaxProblem(record.position, `:${record.type} :${record.f} completes an :invoke of :${call.record.f}`)
    }
    open.delete(record.process)
    switch (record.type) {
      case "ok":
        add(call.record, call.time, readsValue(record.f) ? record.value : record.f === "cas" ? true : null, time)
        return
      case "fail":
        if (record.f === "cas") add(call.record, call.time, false, time)
        else if (readsValue(record.f) && record.timedOut) add(call.record, call.time, Unknown, time)
        return
      case "info":
        add(call.record, call.time, Unknown, Infinity)
        return
    }
  })
  for (const call of open.values()) add(call.record, call.time, Unknown, Infinity)
  return { operations, positions, annotations: faultBands(nemesis) }
}

const startsFault = /start|kill|crash|pause|partition|isolate|cut|break/i
const endsFault = /stop|heal|resume|restart|recover|repair/i
const isCrash = /kill|crash|pause/i

/**
 * Jepsen's nemesis logs a fault starting (`:start`, `:kill`...) and ending (`:stop`, `:heal`...);
 * each start up to the next end becomes a band, labelled with the start's function and value.
 */
const faultBands = (records: ReadonlyArray<{ record: JepsenRecord; time: number }>): Array<Annotation> => {
  const bands: Array<Annotation> = []
  let started: { record: JepsenRecord; time: number } | undefined
  for (const entry of records) {
    const { f } = entry.record
    if (entry.record.type === "invoke") continue
    if (endsFault.test(f) && started !== undefined) {
      bands.push(band(started, entry.time))
      started = undefined
    } else if (startsFault.test(f) && !endsFault.test(f) && started === undefined) {
      started = entry
    }
  }
  if (started !== undefined) bands.push(band(started, Infinity))
  return bands
}

const band = (start: { record: JepsenRecord; time: number }, end: number): Annotation => {
  const { f, value } = start.record
  const detail = typeof value === "string" ? ` ${value}` : ""
  return { kind: isCrash.test(f) ? "crash" : "partition", start: start.time, end, label: `${f}${detail}` }
}

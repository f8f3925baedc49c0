/**
 * What the trace viewer draws, computed from the steps of a trace as they stream by: a lane per
 * server (its role and term over time), every message from the step that sent it to the step that
 * received or dropped it, commits, snapshots, crashes and partitions, and each step's state diff.
 *
 * Only a window of steps is drawn, so that a page stays small for a trace of any length; steps
 * before the window are still read, to know the state and the messages in flight when it opens.
 */
import type { TlaJson } from "../../raft/index.ts"
import { InputFileError } from "../input-file-error.ts"
import { applyDelta, canonical, PatchError, resolveReferences } from "./delta-state.ts"
import { type Change, diffStates } from "./state-diff.ts"
import { isTagged, pointsOf, tlaText } from "./tla-text.ts"
import type { NumberedStep, RawStep, TraceHeader } from "./trace-reader.ts"

export interface StepView {
  readonly seq: number
  /** The line of the trace file. */
  readonly line: number
  readonly action: string
  /** The server that took the step (its parameter i), if any. */
  readonly server: string | undefined
  /** The action applied to its parameters, e.g. `AppendEntries(s1, s2)`. */
  readonly call: string
  readonly params: ReadonlyArray<readonly [string, string]>
  readonly msgId: number | undefined
  readonly sent: ReadonlyArray<number>
  readonly persist: ReadonlyArray<string>
  readonly changes: ReadonlyArray<Change>
}

/** A stretch of steps during which a server kept one role and one term. */
export interface Segment {
  readonly server: string
  readonly from: number
  readonly to: number
  readonly role: string
  readonly term: number
}

export type ArrowEnd = "received" | "dropped" | "in flight"

/** One copy of a message. `sentAt` null: sent before the window; `endAt` null: after it, or never. */
export interface Arrow {
  readonly id: number
  readonly source: string
  readonly dest: string
  readonly sentAt: number | null
  readonly endAt: number | null
  readonly end: ArrowEnd
  /** The copy this one duplicates, for a copy made by DuplicateMessage. */
  readonly copyOf: number | undefined
  /** Short: the message type and term, e.g. `AppendEntriesRequest t3 +2`. */
  readonly label: string
  readonly text: string
}

export type MarkKind = "commit" | "snapshot" | "crash" | "duplicate"

export interface Mark {
  readonly seq: number
  readonly server: string
  readonly kind: MarkKind
  readonly label: string
}

/** Servers cut off from the others during steps from..to. */
export interface Band {
  readonly servers: ReadonlyArray<string>
  readonly from: number
  readonly to: number
}

/** Where a validation found the trace leaving the spec. */
export interface Failure {
  /** The failing step; undefined when a check judged the whole run (e.g. linearizability). */
  readonly seq: number | undefined
  /** What failed and where, e.g. "Validation failed at step 12". */
  readonly heading: string
  readonly summary: string
  readonly conjunct?: { readonly text: string; readonly file: string; readonly line: number; readonly column: number }
  readonly details: ReadonlyArray<string>
}

export interface Timeline {
  readonly header: TraceHeader
  readonly servers: ReadonlyArray<string>
  /** Steps in the whole file. */
  readonly total: number
  readonly first: number
  readonly last: number
  readonly steps: ReadonlyArray<StepView>
  readonly segments: ReadonlyArray<Segment>
  readonly arrows: ReadonlyArray<Arrow>
  readonly marks: ReadonlyArray<Mark>
  readonly partitions: ReadonlyArray<Band>
  readonly failure: Failure | undefined
  /** The step the page opens on. */
  readonly focus: number | undefined
}

export interface Window {
  /** The first step drawn (1-based). */
  readonly from: number
  /** How many steps are drawn at most. */
  readonly steps: number
}

type State = Readonly<Record<string, TlaJson>>

/** A step with its parameters as TLA+ values. */
type Step = Omit<RawStep, "params" | "state" | "delta"> & { readonly params: Readonly<Record<string, TlaJson>> }

interface BagEntry {
  readonly record: TlaJson
  readonly count: number
}

/** The message bag (a function from record to count) by canonical key. */
const bagOf = (messages: TlaJson | undefined): Map<string, BagEntry> => {
  const bag = new Map<string, BagEntry>()
  if (messages !== undefined && isTagged(messages, "$fn")) {
    for (const [record, count] of messages.$fn) bag.set(canonical(record), { record, count: count as number })
  }
  return bag
}

const serverName = (v: TlaJson | undefined): string | undefined => (v === undefined ? undefined : tlaText(v, 200))

const field = (record: TlaJson, name: string): TlaJson | undefined =>
  typeof record === "object" && record !== null && !Array.isArray(record) ? (record as Record<string, TlaJson>)[name] : undefined

/** `AppendEntriesRequest t3 +2`: what tells messages apart at a glance. */
const messageLabel = (record: TlaJson): string => {
  const type = field(record, "mtype")
  const term = field(record, "mterm")
  const entries = field(record, "mentries")
  const granted = field(record, "mvoteGranted") ?? field(record, "msuccess")
  const parts = [typeof type === "string" ? type : "message"]
  if (typeof term === "number") parts.push(`t${term}`)
  if (Array.isArray(entries) && entries.length > 0) parts.push(`+${entries.length}`)
  if (typeof granted === "boolean") parts.push(granted ? "yes" : "no")
  return parts.join(" ")
}

interface InFlight {
  readonly sentAt: number
  readonly source: string
  readonly dest: string
  readonly record: TlaJson
  readonly copyOf: number | undefined
}

const numberAt = (state: State, variable: string, server: string): number | undefined => {
  const value = pointsOf(state[variable]).get(server)
  return typeof value === "number" ? value : undefined
}

/**
 * Builds a Timeline from the steps fed to it in order. `step` returns false once the window is
 * complete, so that the reader can stop decoding.
 */
export class TimelineBuilder {
  private header: TraceHeader | undefined
  private servers: Array<string> = []
  private state: State = {}
  private bag = new Map<string, BagEntry>()
  private readonly inFlight = new Map<number, InFlight>()
  private readonly steps: Array<StepView> = []
  private readonly arrows: Array<Arrow> = []
  private readonly marks: Array<Mark> = []
  private readonly partitions: Array<Band> = []
  private readonly open = new Map<string, { from: number; role: string; term: number }>()
  private readonly segments: Array<Segment> = []
  private last = 0

  constructor(
    /** The trace file, to name in errors. */
    private readonly file: string,
    private readonly window: Window
  ) {}

  readHeader(header: TraceHeader): void {
    this.header = header
    this.state = header.init
    this.bag = bagOf(header.init.messages)
    const declared = header.constants.Server
    this.servers = declared !== undefined && isTagged(declared, "$set") ? declared.$set.map((s) => tlaText(s, 200)) : [...pointsOf(header.init.state).keys()]
  }

  readStep({ line, step: raw }: NumberedStep): boolean {
    const before = this.state
    const { step, after } = this.resolve(line, raw)
    const inWindow = step.seq >= this.window.from
    if (inWindow && this.steps.length === 0) this.openLanes(before, step.seq)
    const nextBag = bagOf(after.messages)
    this.followMessages(step, nextBag, inWindow)
    if (inWindow) {
      this.last = step.seq
      this.steps.push(this.view(line, step, before, after))
      this.markChanges(step, before, after)
      this.extendLanes(after, step.seq)
      this.notePartition(step)
    }
    this.state = after
    this.bag = nextBag
    return this.steps.length < this.window.steps
  }

  finish(total: number, failure: Failure | undefined): Timeline {
    if (this.header === undefined) throw new Error("finish before the header was read")
    if (this.steps.length === 0) this.openLanes(this.state, this.window.from)
    for (const [server, lane] of this.open) this.segments.push({ server, from: lane.from, to: Math.max(lane.from, this.last), role: lane.role, term: lane.term })
    for (const [id, flight] of this.inFlight) {
      if (flight.sentAt >= this.window.from) this.arrows.push(this.arrow(id, flight, null, "in flight"))
    }
    const seq = failure?.seq
    const shown = seq !== undefined && seq >= this.window.from && seq <= this.last
    return {
      header: this.header,
      servers: this.servers,
      total,
      first: this.window.from,
      last: this.last,
      steps: this.steps,
      segments: this.segments,
      arrows: this.arrows.sort((a, b) => (a.sentAt ?? 0) - (b.sentAt ?? 0) || a.id - b.id),
      marks: this.marks,
      partitions: this.partitions,
      failure,
      focus: shown ? seq : undefined
    }
  }

  /** The step's parameters with message references resolved, and the whole state after it. */
  private resolve(line: number, raw: RawStep): { step: Step; after: State } {
    const refs = { previous: this.state, message: (id: number) => this.inFlight.get(id)?.record }
    try {
      const params = resolveReferences(raw.params, "params", refs) as Readonly<Record<string, TlaJson>>
      const after = raw.delta !== undefined ? applyDelta(raw.delta, refs) : (raw.state as State)
      return { step: { ...raw, params }, after }
    } catch (error) {
      if (error instanceof PatchError) throw new InputFileError(this.file, line, 1, `bad delta: ${error.message}`)
      throw error
    }
  }

  private arrow(id: number, flight: InFlight, endAt: number | null, end: ArrowEnd): Arrow {
    return {
      id,
      source: flight.source,
      dest: flight.dest,
      sentAt: flight.sentAt >= this.window.from ? flight.sentAt : null,
      endAt,
      end,
      copyOf: flight.copyOf,
      label: messageLabel(flight.record),
      text: tlaText(flight.record, 600)
    }
  }

  /** Ties each sent id to the record it added to the bag, and each consumed id to its arrow's end. */
  private followMessages(step: Step, nextBag: Map<string, BagEntry>, inWindow: boolean): void {
    const m = step.params.m
    if (step.msgId !== undefined && m !== undefined) {
      const key = canonical(m)
      const consumed = (nextBag.get(key)?.count ?? 0) < (this.bag.get(key)?.count ?? 0)
      const flight = this.inFlight.get(step.msgId)
      if (consumed && flight !== undefined) {
        this.inFlight.delete(step.msgId)
        if (inWindow || flight.sentAt >= this.window.from) {
          const dropped = step.params.i === undefined
          this.arrows.push(this.arrow(step.msgId, flight, step.seq, dropped ? "dropped" : "received"))
        }
      }
    }
    const sent = step.sent ?? []
    if (sent.length === 0) return
    const added: Array<TlaJson> = []
    for (const [key, entry] of nextBag) {
      const more = entry.count - (this.bag.get(key)?.count ?? 0)
      for (let k = 0; k < more; k++) added.push(entry.record)
    }
    sent.forEach((id, k) => {
      const record = added[k] ?? m ?? {}
      this.inFlight.set(id, {
        sentAt: step.seq,
        source: serverName(field(record, "msource")) ?? serverName(step.params.i) ?? "?",
        dest: serverName(field(record, "mdest")) ?? serverName(step.params.j) ?? "?",
        record,
        copyOf: step.action === "DuplicateMessage" ? step.msgId : undefined
      })
    })
  }

  private view(line: number, step: Step, before: State, after: State): StepView {
    const params = Object.entries(step.params).map(([name, value]) => [name, tlaText(value, 600)] as const)
    const short = Object.entries(step.params).map(([name, value]) => (name === "m" ? "m" : tlaText(value, 40)))
    return {
      seq: step.seq,
      line,
      action: step.action,
      server: serverName(step.params.i),
      call: `${step.action}(${short.join(", ")})`,
      params,
      msgId: step.msgId,
      sent: step.sent ?? [],
      persist: step.persist ?? [],
      changes: diffStates(before, after)
    }
  }

  private markChanges(step: Step, before: State, after: State): void {
    for (const server of this.servers) {
      const commit = numberAt(after, "commitIndex", server)
      const snapshot = numberAt(after, "snapshotIndex", server)
      if (commit !== undefined && commit > (numberAt(before, "commitIndex", server) ?? 0)) {
        this.marks.push({ seq: step.seq, server, kind: "commit", label: `commit ${commit}` })
      }
      if (snapshot !== undefined && snapshot > (numberAt(before, "snapshotIndex", server) ?? 0)) {
        this.marks.push({ seq: step.seq, server, kind: "snapshot", label: `snapshot ${snapshot}` })
      }
    }
    const i = serverName(step.params.i)
    if (step.action === "Restart" && i !== undefined) this.marks.push({ seq: step.seq, server: i, kind: "crash", label: "crash" })
    const m = step.params.m
    if (step.action === "DuplicateMessage" && m !== undefined) {
      this.marks.push({ seq: step.seq, server: serverName(field(m, "msource")) ?? "?", kind: "duplicate", label: `duplicated ${messageLabel(m)}` })
    }
  }

  private notePartition(step: Step): void {
    const cut = step.partition
    if (cut === undefined || cut.length === 0) return
    const previous = this.partitions[this.partitions.length - 1]
    if (previous !== undefined && previous.to === step.seq - 1 && previous.servers.join() === cut.join()) {
      this.partitions[this.partitions.length - 1] = { ...previous, to: step.seq }
    } else {
      this.partitions.push({ servers: [...cut], from: step.seq, to: step.seq })
    }
  }

  private laneOf(state: State, server: string): { role: string; term: number } {
    const role = pointsOf(state.state).get(server)
    return { role: typeof role === "string" ? role : "?", term: numberAt(state, "currentTerm", server) ?? 0 }
  }

  private openLanes(state: State, from: number): void {
    for (const server of this.servers) this.open.set(server, { from, ...this.laneOf(state, server) })
  }

  private extendLanes(after: State, seq: number): void {
    for (const server of this.servers) {
      const now = this.laneOf(after, server)
      const lane = this.open.get(server)!
      if (lane.role === now.role && lane.term === now.term) continue
      if (seq > lane.from) this.segments.push({ server, from: lane.from, to: seq - 1, role: lane.role, term: lane.term })
      this.open.set(server, { from: seq, ...now })
    }
  }
}

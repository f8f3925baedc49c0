/**
 * The cluster's TraceSink: it keeps every server's latest state, numbers the steps, hands each step
 * to the checks watching the run, and writes the trace in the format of `raft-tla simulate --out`
 * (docs/trace-format.md): a header line, then one line per step with the spec's variables after it,
 * whole or, in "delta" state mode, as patches of what the step changed.
 */
import {
  type CheckName,
  DeltaWriter,
  encodeParams,
  initialNode,
  type Message,
  type Node,
  type RaftConfig,
  type ServerId,
  specConstants,
  type StepEvent,
  toSpecState,
  TRACE_BAG
} from "../../raft/index.ts"
import type { StepRecord, TraceSinkService } from "../trace-sink.ts"

export interface ObservedStep {
  readonly seq: number
  readonly event: StepEvent
  readonly server: ServerId | null
  readonly before: Node | null
  readonly after: Node | null
  /** Every server after the step, in the cluster's order. */
  readonly nodes: ReadonlyArray<Node>
}

/** A check that watches every step, e.g. the spec's invariants or trace validation. */
export interface StepObserver {
  readonly check: CheckName
  /** What is wrong after this step, or null. */
  readonly onStep: (step: ObservedStep) => string | null
}

/** The first thing a check found wrong; `seq` is the step it failed on, when it watches steps. */
export interface Failure {
  readonly check: CheckName
  readonly detail: string
  readonly seq: number | null
}

export class ClusterRecorder implements TraceSinkService {
  private readonly nodes: Array<Node>
  private steps = 0
  private firstFailure: Failure | null = null
  /** The messages in flight, for the trace's `messages` variable; set once the network exists. */
  bag: () => Iterable<Message> = () => []
  /** In delta state mode, the state last written; made with the header. */
  private delta: DeltaWriter | undefined

  constructor(
    readonly config: RaftConfig,
    private readonly observers: ReadonlyArray<StepObserver>,
    private readonly writeLine?: (line: string) => void,
    /** How step lines give states; a real cluster's logs grow long, and "delta" keeps lines short. */
    private readonly stateMode: "full" | "delta" = "full"
  ) {
    this.nodes = config.servers.map((id) => initialNode(id, config))
  }

  get seq(): number {
    return this.steps
  }

  get failure(): Failure | null {
    return this.firstFailure
  }

  /** The trace's first line. `source` says what produced the run. */
  header(source: Record<string, unknown>): string {
    const init = this.specState()
    if (this.stateMode === "delta") this.delta = new DeltaWriter(init, TRACE_BAG.variable)
    return JSON.stringify({
      format: "raft-tla-trace",
      version: 1,
      spec: "spec/Raft.tla",
      constants: specConstants(this.config),
      ...(this.stateMode === "delta" ? { stateMode: this.stateMode, bag: TRACE_BAG } : {}),
      init,
      source
    })
  }

  readonly record = (step: StepRecord): void => {
    const seq = ++this.steps
    let before: Node | null = null
    if (step.server !== null && step.after !== null) {
      const index = this.config.servers.indexOf(step.server)
      before = this.nodes[index]
      this.nodes[index] = step.after
    }
    if (this.writeLine) this.writeLine(this.line(seq, step))
    if (this.firstFailure !== null) return
    const observed: ObservedStep = { seq, event: step.event, server: step.server, before, after: step.after, nodes: this.nodes }
    for (const observer of this.observers) {
      const detail = observer.onStep(observed)
      if (detail !== null) {
        this.firstFailure = { check: observer.check, detail, seq }
        return
      }
    }
  }

  private specState() {
    return toSpecState({ config: this.config, nodes: this.nodes, messages: this.bag() })
  }

  private line(seq: number, step: StepRecord): string {
    const line: Record<string, unknown> = { seq, action: step.event.action, params: encodeParams(step.event.params) }
    if (step.msgId !== undefined) line.msgId = step.msgId
    if (step.sent.length > 0) line.sent = step.sent
    if (step.event.persist.length > 0) line.persist = step.event.persist
    if (this.delta !== undefined) line.delta = this.delta.next(this.specState())
    else line.state = this.specState()
    return JSON.stringify(line)
  }
}

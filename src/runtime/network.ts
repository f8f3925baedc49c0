/**
 * An in-memory network, the Transport of a cluster inside one process. The copies in flight are
 * kept in send order. Driven by hand, a copy moves only when a test delivers, drops, duplicates or
 * reorders it; driven by the clock, each copy is dropped or duplicated with a probability and
 * delivered after a random delay (so copies overtake each other). A partition splits the servers
 * into sides (the groups given, and one more of every server not in them): a copy between two sides
 * is dropped when it arrives.
 */
import { Effect, Random, type Scope } from "effect"
import { dropMessage, duplicateMessage, type Message, type ServerId } from "../raft/index.ts"
import type { TraceSinkService } from "./trace-sink.ts"
import type { Delivery, TransportService } from "./transport.ts"

export interface NetworkFaults {
  readonly dropProbability: number
  readonly duplicateProbability: number
  /** A copy arrives after a delay drawn from this range (ms). */
  readonly delay: readonly [number, number]
}

export type NetworkMode = { readonly kind: "manual" } | { readonly kind: "clocked"; readonly faults: NetworkFaults }

export class InMemoryNetwork implements TransportService {
  private inFlight: Array<Delivery> = []
  private nextId = 1
  private readonly mailboxes = new Map<ServerId, (delivery: Delivery) => void>()
  /** Copies handed to a node's mailbox and not yet consumed, by id, with their destination. */
  private readonly handedOver = new Map<number, ServerId>()
  /** The groups of a partition in force; empty while the network is whole. */
  private sides: ReadonlyArray<ReadonlySet<ServerId>> = []

  constructor(
    private readonly sink: TraceSinkService,
    private readonly mode: NetworkMode,
    /** Where the delivery fibers of a clocked network live. */
    private readonly scope: Scope.Scope
  ) {}

  // Transport, used by the nodes.

  readonly attach = (server: ServerId, deliver: (delivery: Delivery) => void) =>
    Effect.sync(() => {
      this.mailboxes.set(server, deliver)
    })

  readonly detach = (server: ServerId) =>
    Effect.sync(() => {
      this.mailboxes.delete(server)
      for (const [id, dest] of [...this.handedOver]) if (dest === server) this.dropCopy(id)
    })

  readonly exchange = (consumed: number | undefined, send: ReadonlyArray<Message>): ReadonlyArray<number> => {
    if (consumed !== undefined) this.remove(consumed)
    return send.map((message) => this.add(message, consumed))
  }

  readonly dispatch = (ids: ReadonlyArray<number>): Effect.Effect<void> => {
    const mode = this.mode
    if (mode.kind === "manual") return Effect.void
    return Effect.forEach(ids, (id) => this.launch(id, mode.faults), { discard: true })
  }

  readonly lose = (id: number): void => this.dropCopy(id)

  // What tests and the cluster see and control.

  /** The copies in flight that no node holds yet, oldest first. */
  waiting(): ReadonlyArray<Delivery> {
    return this.inFlight.filter((copy) => !this.handedOver.has(copy.id))
  }

  /** Every copy in flight, for the spec's bag. */
  messages(): Iterable<Message> {
    return this.inFlight.map((copy) => copy.message)
  }

  get partitioned(): boolean {
    return this.sides.length > 0
  }

  /** Hands the copy to its destination, or drops it when the destination is down or cut off. */
  deliver(id: number): void {
    const copy = this.find(id)
    if (copy === undefined || this.handedOver.has(id)) return
    const { source, dest } = copy.message
    const mailbox = this.mailboxes.get(dest)
    const crossesCut = this.sideOf(source) !== this.sideOf(dest)
    if (mailbox === undefined || crossesCut) {
      this.dropCopy(id)
      return
    }
    this.handedOver.set(id, dest)
    mailbox(copy)
  }

  drop(id: number): void {
    if (this.find(id) !== undefined && !this.handedOver.has(id)) this.dropCopy(id)
  }

  /** Puts a second copy in flight; returns its id. */
  duplicate(id: number): number | undefined {
    const copy = this.find(id)
    if (copy === undefined) return undefined
    const step = duplicateMessage(copy.message)
    const sent = step.send.map((message) => this.add(message, copy.cause))
    this.sink.record({ server: null, event: step.trace, after: null, msgId: id, sent })
    return sent[0]
  }

  /** The oldest waiting copy goes to the back: the others will now arrive before it. */
  reorder(): void {
    const oldest = this.waiting()[0]
    if (oldest === undefined) return
    this.inFlight = [...this.inFlight.filter((copy) => copy !== oldest), oldest]
  }

  partition(groups: ReadonlyArray<ReadonlySet<ServerId>>): void {
    this.sides = groups
  }

  heal(): void {
    this.sides = []
  }

  /** The index of the server's group; -1 for the side of every server in none. */
  private sideOf(server: ServerId): number {
    return this.sides.findIndex((group) => group.has(server))
  }

  private launch(id: number, faults: NetworkFaults): Effect.Effect<void> {
    return Effect.gen({ self: this }, function* () {
      if ((yield* Random.next) < faults.dropProbability) {
        this.dropCopy(id)
        return
      }
      const copies = [id]
      if ((yield* Random.next) < faults.duplicateProbability) {
        const copy = this.duplicate(id)
        if (copy !== undefined) copies.push(copy)
      }
      for (const copy of copies) {
        const delay = yield* Random.nextIntBetween(faults.delay[0], faults.delay[1])
        yield* Effect.forkIn(
          Effect.sleep(delay).pipe(Effect.andThen(Effect.sync(() => this.deliver(copy)))),
          this.scope
        )
      }
    })
  }

  private add(message: Message, cause?: number): number {
    const id = this.nextId++
    this.inFlight.push(cause === undefined ? { id, message } : { id, message, cause })
    return id
  }

  private find(id: number): Delivery | undefined {
    return this.inFlight.find((copy) => copy.id === id)
  }

  private remove(id: number): void {
    this.inFlight = this.inFlight.filter((copy) => copy.id !== id)
    this.handedOver.delete(id)
  }

  private dropCopy(id: number): void {
    const copy = this.find(id)
    if (copy === undefined) return
    this.remove(id)
    this.sink.record({ server: null, event: dropMessage(copy.message).trace, after: null, msgId: id, sent: [] })
  }
}

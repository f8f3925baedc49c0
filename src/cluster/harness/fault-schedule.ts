/**
 * The faults of a failure test, drawn from a seed: which kinds, in what order, when and for how
 * long. Every run starts with a tour of every kind (in an order the seed shuffles), so that even a
 * short run kills a leader and a follower, pauses a node, isolates nodes and cuts and slows links
 * (the run lasts as long as the tour takes, at least); then kinds are drawn at random until the
 * time is up. One fault at a time, with quiet gaps, so
 * that a majority can make progress between them. Whom a fault hits ("the leader") is decided when
 * it starts, from what the nodes say then.
 */
import { Prng } from "../../sim/prng.ts"

export const FAULT_KINDS = [
  "kill-leader",
  "kill-follower",
  "pause-node",
  "isolate-leader",
  "isolate-follower",
  "cut-link",
  "slow-links"
] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

export const FAULT_WORDS: Record<FaultKind, string> = {
  "kill-leader": "kill -9 the leader, restart it from its data",
  "kill-follower": "kill -9 a follower, restart it from its data",
  "pause-node": "SIGSTOP a node, then SIGCONT",
  "isolate-leader": "drop every frame to and from the leader",
  "isolate-follower": "drop every frame to and from a follower",
  "cut-link": "drop every frame on one link, one way",
  "slow-links": "delay every frame to and from a node"
}

export interface PlannedFault {
  readonly kind: FaultKind
  /** When it starts and how long it lasts, in ms from the start of the run. */
  readonly at: number
  readonly lasts: number
  /** Picks among the candidates when the fault starts (a follower, a node, a link). */
  readonly pick: number
  /** For slow-links: the delay of each frame (ms). */
  readonly delayMs: number
}

export interface ScheduleOptions {
  readonly seed: number
  /** The run's length (ms); faults after the tour end before it does. */
  readonly durationMs: number
  /** Quiet time at the start, and between faults (ms). */
  readonly warmupMs: number
  readonly gapMs: readonly [number, number]
  readonly faultMs: readonly [number, number]
}

export const planFaults = (options: ScheduleOptions): ReadonlyArray<PlannedFault> => {
  const random = new Prng(options.seed)
  const tour = [...FAULT_KINDS]
  for (let k = tour.length - 1; k > 0; k--) {
    const j = random.nextInt(k + 1)
    ;[tour[k], tour[j]] = [tour[j], tour[k]]
  }
  const faults: Array<PlannedFault> = []
  let at = options.warmupMs
  for (;;) {
    const touring = faults.length < tour.length
    const kind = touring ? tour[faults.length] : FAULT_KINDS[random.nextInt(FAULT_KINDS.length)]
    // A cut-off leader stays cut off long enough for the others to elect a new one and commit
    // under it while it still believes it leads: that is when a stale read could happen.
    const [low, high] = kind === "isolate-leader" ? [options.faultMs[0] + 1500, options.faultMs[1] + 1500] : options.faultMs
    const lasts = random.between(low, high)
    // The tour is always complete, even if it runs past the duration asked for.
    if (!touring && at + lasts > options.durationMs) break
    faults.push({ kind, at, lasts, pick: random.nextUint32(), delayMs: random.between(20, 150) })
    at += lasts + random.between(options.gapMs[0], options.gapMs[1])
  }
  return faults
}

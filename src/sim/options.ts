/**
 * The simulator's knobs. Time is counted in steps: timers expire after a number of steps, and
 * each fault has a weight against the ordinary work of the cluster.
 */

export const FAULTS = ["drop", "dup", "reorder", "partition", "crash", "snapshot"] as const
export type Fault = (typeof FAULTS)[number]

export interface SimOptions {
  readonly seed: number
  /** Number of servers. */
  readonly servers: number
  /** Which faults may happen. Without "reorder" the network delivers in send order. */
  readonly faults: ReadonlySet<Fault>
  /** Weight of a client request while there is a leader (0: clients only when scripted). */
  readonly clientRate: number
  /** Weight of delivering one message in flight; below 1, messages linger and reorder more. */
  readonly deliverRate: number
  /** Weight of dropping one message in flight (against deliverRate for delivering it). */
  readonly dropRate: number
  /** Weight of duplicating one message in flight. */
  readonly duplicateRate: number
  /** Crashes per server and tick: a server crashes and restarts every 1/crashRate ticks on average. */
  readonly crashRate: number
  /** Chance per step that a partition starts when there is none. */
  readonly partitionRate: number
  /** How many steps a partition lasts, at least and at most. */
  readonly partitionSteps: readonly [number, number]
  /** Election timeout range in steps; a new value is drawn each time a timer is reset. */
  readonly electionTimeout: readonly [number, number]
  /** A leader sends a heartbeat to a follower it has not sent to for this many steps. */
  readonly heartbeatInterval: number
  /** A server snapshots once this many committed entries are not yet compacted. */
  readonly snapshotThreshold: number
  /** Names of historical bugs to switch on (none by default). */
  readonly bugs: ReadonlySet<string>
  /** Check the invariants after every step (off only to measure what checking costs). */
  readonly checkInvariants: boolean
}

export const defaultOptions = (seed: number): SimOptions => ({
  seed,
  servers: 3,
  faults: new Set(FAULTS),
  clientRate: 0.6,
  deliverRate: 1,
  dropRate: 0.05,
  duplicateRate: 0.03,
  crashRate: 0.0005,
  partitionRate: 0.0004,
  partitionSteps: [200, 2000],
  electionTimeout: [150, 300],
  heartbeatInterval: 40,
  snapshotThreshold: 64,
  bugs: new Set(),
  checkInvariants: true
})

/** Parses a comma-separated fault list; returns the unknown name on failure. */
export const parseFaults = (text: string): ReadonlySet<Fault> | { readonly unknown: string } => {
  const faults = new Set<Fault>()
  for (const raw of text.split(",")) {
    const name = raw.trim()
    if (name === "" || name === "none") continue
    if (name === "all") {
      for (const fault of FAULTS) faults.add(fault)
      continue
    }
    if (!(FAULTS as ReadonlyArray<string>).includes(name)) return { unknown: name }
    faults.add(name as Fault)
  }
  return faults
}

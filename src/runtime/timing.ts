/**
 * Timing: the node's timers. Time itself comes from Effect's Clock, so a TestClock drives a whole
 * cluster in tests; this service draws randomized election timeouts and fixes the heartbeat.
 */
import { Context, Effect, Layer, Random } from "effect"

export interface TimingOptions {
  /** An election timeout is drawn uniformly from this range (ms) each time the timer is reset. */
  readonly electionTimeout: readonly [number, number]
  /** A leader sends to every follower this often (ms); well below the election timeout. */
  readonly heartbeatInterval: number
}

export interface TimingService {
  readonly electionTimeout: Effect.Effect<number>
  readonly heartbeatInterval: number
}

/** Why these timings cannot keep a healthy leader in place, or undefined when they can. */
export const timingProblem = ({ electionTimeout: [low, high], heartbeatInterval }: TimingOptions): string | undefined => {
  if (!(Number.isInteger(low) && Number.isInteger(high) && low >= 1 && low <= high)) {
    return `election timeout range ${low}..${high} is not a range of whole milliseconds`
  }
  if (!(Number.isInteger(heartbeatInterval) && heartbeatInterval >= 1)) return `heartbeat interval ${heartbeatInterval} is not a positive whole number of ms`
  // A follower must hear at least one heartbeat, even delayed, before its shortest timeout.
  if (heartbeatInterval * 2 > low) return `heartbeat interval ${heartbeatInterval} ms is not well below the election timeout (${low} ms)`
  return undefined
}

export class Timing extends Context.Service<Timing, TimingService>()("raft-tla/Timing") {
  static layer(options: TimingOptions): Layer.Layer<Timing> {
    const [low, high] = options.electionTimeout
    return Layer.succeed(Timing, {
      electionTimeout: Random.nextIntBetween(low, high),
      heartbeatInterval: options.heartbeatInterval
    })
  }
}

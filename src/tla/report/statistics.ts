/**
 * TLC's lines about the search itself (TLC-FACTS §1): initial states, progress, the final
 * summary, depth, the fingerprint-collision estimate and the outdegree statistics.
 */
import { duration, probabilityText, timestamp, withThousands } from "./numbers.ts"

/** "Finished computing initial states: ..." (two forms, "state" singular for one). */
export function initialStatesLine(generated: number, distinct: number, at: Date): string {
  if (generated === distinct) {
    return `Finished computing initial states: ${distinct} distinct state${distinct === 1 ? "" : "s"} generated at ${timestamp(at)}.`
  }
  return `Finished computing initial states: ${generated} state${generated === 1 ? "" : "s"} generated, with ${distinct} of them distinct at ${timestamp(at)}.`
}

/**
 * The line TLC prints before processing initial state number `processed` + 1, or undefined:
 * "Computed 2 initial states...", then 4, 8, ...
 */
export function initialStatesProgress(processed: number): string | undefined {
  const isPowerOfTwo = processed >= 2 && (processed & (processed - 1)) === 0
  return isPowerOfTwo ? `Computed ${processed} initial states...` : undefined
}

export interface Progress {
  /** The depth reached so far (printed as is). */
  readonly depth: number
  readonly generated: number
  readonly distinct: number
  readonly queue: number
  readonly at: Date
  /** States and distinct states per minute, printed only by TLC's periodic reports. */
  readonly perMinute?: { readonly generated: number; readonly distinct: number }
}

/** "Progress(D) at <time>: 1,501 states generated, ..." (counts with thousands separators). */
export function progressLine(p: Progress): string {
  const head = `Progress(${p.depth}) at ${timestamp(p.at)}: ${withThousands(p.generated)} states generated`
  if (p.perMinute === undefined) {
    return `${head}, ${withThousands(p.distinct)} distinct states found, ${withThousands(p.queue)} states left on queue.`
  }
  return (
    `${head} (${withThousands(p.perMinute.generated)} s/min), ${withThousands(p.distinct)} distinct states found ` +
    `(${withThousands(p.perMinute.distinct)} ds/min), ${withThousands(p.queue)} states left on queue.`
  )
}

/** "G states generated, D distinct states found, Q states left on queue." (always "states"). */
export const summaryLine = (generated: number, distinct: number, queue: number): string =>
  `${generated} states generated, ${distinct} distinct states found, ${queue} states left on queue.`

export const depthLine = (depth: number): string => `The depth of the complete state graph search is ${depth}.`

/** TLC's optimistic estimate of a fingerprint collision: D * (G - D) / 2^64. */
export const collisionProbability = (generated: number, distinct: number): number =>
  distinct * ((generated - distinct) / 2 ** 64)

/** The success message and its three probability lines. */
export function successLines(generated: number, distinct: number): string[] {
  return [
    "Model checking completed. No error has been found.",
    "  Estimates of the probability that TLC did not check all reachable states",
    "  because two distinct states had the same fingerprint:",
    `  calculated (optimistic):  val = ${probabilityText(collisionProbability(generated, distinct))}`
  ]
}

/** "Finished in 05s at (<time>)" */
export const finishedLine = (elapsedMs: number, at: Date): string => `Finished in ${duration(elapsedMs)} at (${timestamp(at)})`

/**
 * Outdegree statistics: one sample per expanded state, the number of its new distinct
 * successors, capped at 31 as in TLC's bucket statistics.
 */
export class OutdegreeStatistics {
  static readonly CAP = 31
  readonly #buckets = new Array<number>(OutdegreeStatistics.CAP + 1).fill(0)
  #count = 0
  #sum = 0
  #min = Infinity
  #max = -Infinity

  record(newSuccessors: number): void {
    const n = Math.min(newSuccessors, OutdegreeStatistics.CAP)
    this.#buckets[n]++
    this.#count++
    this.#sum += n
    this.#min = Math.min(this.#min, n)
    this.#max = Math.max(this.#max, n)
  }

  get samples(): number {
    return this.#count
  }

  /** The first outdegree whose cumulative count exceeds floor(q * samples). */
  percentile(q: number): number {
    const threshold = Math.floor(q * this.#count)
    let cumulative = 0
    for (let n = 0; n < this.#buckets.length; n++) {
      cumulative += this.#buckets[n]
      if (cumulative > threshold) return n
    }
    return this.#max
  }

  /** TLC's outdegree line, or undefined when no state was expanded (TLC then omits it). */
  line(): string | undefined {
    if (this.#count === 0) return undefined
    const mean = Math.round(this.#sum / this.#count)
    return (
      `The average outdegree of the complete state graph is ${mean} (minimum is ${this.#min}, ` +
      `the maximum ${this.#max} and the 95th percentile is ${this.percentile(0.95)}).`
    )
  }
}

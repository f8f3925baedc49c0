/**
 * The scheduler's menu for one step: weighted choices, each a kind of step and up to two server
 * positions. Kept in reused parallel arrays because it is rebuilt on every simulated step.
 */
import type { Prng } from "./prng.ts"

export const StepKind = {
  Timeout: 0,
  RequestVote: 1,
  BecomeLeader: 2,
  AdvanceCommitIndex: 3,
  ClientRequest: 4,
  SendEntries: 5,
  TakeSnapshot: 6,
  Crash: 7,
  Deliver: 8,
  Drop: 9,
  Duplicate: 10
} as const
export type StepKind = (typeof StepKind)[keyof typeof StepKind]

export class Menu {
  private readonly weights: Array<number> = []
  private readonly kinds: Array<StepKind> = []
  private readonly xs: Array<number> = []
  private readonly ys: Array<number> = []
  private size = 0
  total = 0

  clear(): void {
    this.size = 0
    this.total = 0
  }

  add(weight: number, kind: StepKind, x = 0, y = 0): void {
    if (weight <= 0) return
    this.weights[this.size] = weight
    this.kinds[this.size] = kind
    this.xs[this.size] = x
    this.ys[this.size] = y
    this.size++
    this.total += weight
  }

  /** The position of a choice drawn in proportion to its weight, or -1 for an empty menu. */
  pick(prng: Prng): number {
    if (this.size === 0) return -1
    let left = prng.nextFloat() * this.total
    for (let k = 0; k < this.size; k++) {
      left -= this.weights[k]
      if (left < 0) return k
    }
    return this.size - 1
  }

  kind(k: number): StepKind {
    return this.kinds[k]
  }

  x(k: number): number {
    return this.xs[k]
  }

  y(k: number): number {
    return this.ys[k]
  }
}

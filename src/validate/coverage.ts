/**
 * How often each action of the spec, and each top-level disjunct of its next-state relation,
 * was taken by the steps of one or more traces, and which never were.
 */
import type { Loc } from "../tla/index.ts"

export interface Disjunct {
  readonly loc: Loc
  readonly text: string
  readonly actions: ReadonlyArray<string>
}

export interface CoverageReport {
  readonly steps: number
  readonly disjuncts: ReadonlyArray<{ readonly where: string; readonly text: string; readonly count: number }>
  readonly actions: ReadonlyArray<{ readonly action: string; readonly count: number }>
  readonly neverTaken: ReadonlyArray<string>
}

export class Coverage {
  private readonly counts = new Map<string, number>()
  private steps = 0

  constructor(readonly disjuncts: ReadonlyArray<Disjunct>) {}

  /** The actions of Next, in the order its disjuncts name them. */
  get actions(): ReadonlyArray<string> {
    return [...new Set(this.disjuncts.flatMap((d) => d.actions))]
  }

  take(action: string): void {
    this.steps++
    this.counts.set(action, (this.counts.get(action) ?? 0) + 1)
  }

  report(): CoverageReport {
    const known = this.actions
    const count = (a: string) => this.counts.get(a) ?? 0
    return {
      steps: this.steps,
      disjuncts: this.disjuncts.map((d) => ({
        where: `${d.loc.file}:${d.loc.line}:${d.loc.col}`,
        text: d.text.split("\n")[0].trim(),
        count: d.actions.reduce((sum, a) => sum + count(a), 0)
      })),
      actions: known.map((action) => ({ action, count: count(action) })),
      neverTaken: known.filter((a) => count(a) === 0)
    }
  }
}

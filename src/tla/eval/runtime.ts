/**
 * What compiled TLA+ code runs against: the evaluation context (current state, partially
 * assigned next state, level) and the environment frames of bound variables and parameters.
 */
import type { Value } from "../values/index.ts"

/** A runtime frame: values of bound variables / parameters, and the enclosing frame. */
export class Env {
  constructor(
    readonly v: unknown[],
    readonly up: Env | null
  ) {}
}

/**
 * The bit of variable `idx` in a read mask; variables past the 31st share the sign bit, so a
 * mask is conservative for them (reading one counts as reading all of them).
 */
export const readBit = (idx: number): number => (idx < 31 ? 1 << idx : 1 << 31)

export class Ctx {
  private primedCtx: Ctx | undefined
  /**
   * The variables read from `s` since the last reset, as a mask of readBit(idx): the checker
   * uses it to skip a predicate on a successor whose read variables did not change.
   */
  reads = 0
  constructor(
    /** The current state (in Init: the partially assigned initial state). */
    readonly s: Array<Value | undefined>,
    /** The next state being assigned, or null outside actions. */
    readonly n: Array<Value | undefined> | null,
    /** TLCGet("level"): 0 in ASSUME, the state's level otherwise. */
    readonly level: number
  ) {}
  /** The context in which a primed expression is evaluated. */
  primed(): Ctx | undefined {
    if (this.n === null) return undefined
    if (this.primedCtx === undefined) this.primedCtx = new Ctx(this.n, null, this.level + 1)
    return this.primedCtx
  }
}

/** A compiled expression. */
export type Ev = (c: Ctx, env: Env | null) => Value

/** An operator passed as an argument (a parameter `F(_)`, a LAMBDA, or a named operator). */
export type OpVal = (c: Ctx, args: Value[]) => Value

/**
 * A compiled action in enumeration mode: calls `k` once for every way the action can be
 * satisfied, with the assignable variables written into the context's partial state.
 */
export type Act = (c: Ctx, env: Env | null, k: () => void) => void

/** Where Print/PrintT output goes (stdout for the CLI, a buffer in tests). */
export interface OutputSink {
  print(line: string): void
}

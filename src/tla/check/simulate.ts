/**
 * Simulation mode (like TLC -simulate): random walks from a random initial state, up to a depth
 * bound, checking invariants on every state and action properties on every step. For models
 * too large to exhaust. Walks are reproducible from the seed.
 */
import { AssertionFailed, EvalError } from "../eval/errors.ts"
import { Ctx } from "../eval/runtime.ts"
import type { Model } from "../eval/spec.ts"
import type { Value } from "../values/index.ts"
import type { CheckResult, TraceStep } from "./explore.ts"

export interface SimulateOptions {
  readonly depth: number
  readonly traces: number
  readonly seed: number
  readonly checkDeadlock?: boolean
}

/** mulberry32: a small, fast, seedable PRNG (public-domain algorithm by Tommy Ettinger). */
export const prng = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const truthy = (v: Value): boolean => v === true

export const simulate = (model: Model, opts: SimulateOptions): CheckResult & { readonly traces: number } => {
  const random = prng(opts.seed)
  const nvars = model.vars.length
  const checkDeadlock = opts.checkDeadlock ?? model.checkDeadlock
  let generated = 0
  let maxDepth = 0
  const base = { distinct: 0, queue: 0, noStats: false, initialGenerated: 0, initialDistinct: 0 }
  const fail = (r: Partial<CheckResult> & Pick<CheckResult, "outcome" | "tlcExit">, trace: TraceStep[], walks: number): CheckResult & { traces: number } => ({
    ...base,
    generated,
    depth: maxDepth,
    trace,
    traces: walks,
    ...r
  })

  const inits: Array<Array<Value | undefined>> = []
  const asg: Array<Value | undefined> = new Array(nvars).fill(undefined)
  try {
    model.init(new Ctx(asg, null, 1), null, () => {
      generated++
      inits.push(asg.slice())
    })
  } catch (e) {
    if (e instanceof EvalError) return fail({ outcome: "error", message: e.message, tlcExit: 75, errorKind: "init" }, [], 0)
    throw e
  }
  if (inits.length === 0) return fail({ outcome: "ok", tlcExit: 0 }, [], 0)

  const badInvariant = (s: Array<Value | undefined>, level: number): string | undefined => {
    const c = new Ctx(s, null, level)
    return model.invariants.find((inv) => !truthy(inv.ev(c, null)))?.name
  }

  for (let walk = 0; walk < opts.traces; walk++) {
    let state = inits[Math.floor(random() * inits.length)]
    const trace: TraceStep[] = [{ state, action: -1 }]
    try {
      const bad = badInvariant(state, 1)
      if (bad !== undefined) return fail({ outcome: "invariant", violated: bad, message: `Invariant ${bad} is violated by the initial state:`, tlcExit: 12, noStats: true }, trace, walk + 1)
      for (let level = 1; level < opts.depth; level++) {
        const successors: Array<{ state: Array<Value | undefined>; action: number }> = []
        const n: Array<Value | undefined> = new Array(nvars).fill(undefined)
        const c = new Ctx(state, n, level)
        model.next.forEach((a, action) =>
          a.act(c, null, () => {
            generated++
            successors.push({ state: n.slice(), action })
          })
        )
        if (successors.length === 0) {
          if (checkDeadlock) return fail({ outcome: "deadlock", message: "Deadlock reached.", tlcExit: 11 }, trace, walk + 1)
          break
        }
        const pick = successors[Math.floor(random() * successors.length)]
        const missing = pick.state.findIndex((v) => v === undefined)
        trace.push(pick)
        if (missing >= 0) {
          return fail({ outcome: "error", errorKind: "unassigned", message: `Successor state is not completely specified by the next-state action. The following variable is not defined: ${model.vars[missing]}.`, tlcExit: 75 }, trace, walk + 1)
        }
        maxDepth = Math.max(maxDepth, level + 1)
        const inv = badInvariant(pick.state, level + 1)
        if (inv !== undefined) return fail({ outcome: "invariant", violated: inv, message: `Invariant ${inv} is violated.`, tlcExit: 12 }, trace, walk + 1)
        const step = new Ctx(state, pick.state, level)
        const prop = model.actionProperties.find((p) => !truthy(p.ev(step, null)))
        if (prop !== undefined) return fail({ outcome: "property", violated: prop.name, message: `Action property ${prop.name} is violated.`, tlcExit: 13 }, trace, walk + 1)
        const next = new Ctx(pick.state, null, level + 1)
        if (!model.constraints.every((cn) => truthy(cn.ev(next, null)))) break
        state = pick.state
      }
    } catch (e) {
      if (!(e instanceof EvalError)) throw e
      const assert = e instanceof AssertionFailed
      return fail({ outcome: "error", message: e.message, tlcExit: assert ? 14 : 75, errorKind: assert ? "assert" : "next" }, trace, walk + 1)
    }
  }
  return { ...base, outcome: "ok", generated, depth: maxDepth, trace: [], tlcExit: 0, traces: opts.traces }
}

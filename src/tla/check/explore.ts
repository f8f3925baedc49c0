/**
 * Breadth-first model checking with TLC's counting semantics:
 *  - generated counts every way an action is satisfied (duplicates, stutters, seen states,
 *    constraint-rejected states); distinct is the fingerprint set's size;
 *  - a successor is checked in TLC's order: assigned? -> constraints -> fingerprint insert ->
 *    invariants (new or constraint-rejected states) -> action properties (every transition);
 *  - the first violation stops the search, so counts at a violation match TLC's.
 * Distinct states are stored in discovery order, which is also BFS order, so the queue is an
 * index into that array, and parent indices give the shortest counterexample.
 */
import { AssertionFailed, EvalError } from "../eval/errors.ts"
import type { Loc } from "../syntax/source.ts"
import { Ctx, type Ev } from "../eval/runtime.ts"
import type { Model } from "../eval/spec.ts"
import { initialStatesProgress } from "../report/index.ts"
import { bool } from "../eval/compile.ts"
import { FingerprintSet, record, StateFingerprints, stateFingerprint, valueToString, type Fingerprint, type Value } from "../values/index.ts"
import { StateTable } from "./state-table.ts"
import { ActionPredicates, changedVariables, StatePredicates, type CheckedPredicate } from "./incremental.ts"

export type Outcome = "ok" | "invariant" | "property" | "deadlock" | "error" | "assume"

export interface TraceStep {
  readonly state: ReadonlyArray<Value | undefined>
  /** Index into model.next of the sub-action that produced it; -1 for an initial state. */
  readonly action: number
}

export interface CheckResult {
  readonly outcome: Outcome
  /** The invariant or property name, as TLC reports it. */
  readonly violated?: string
  /** TLC's error message (without the "Error: " prefix). */
  readonly message?: string
  readonly generated: number
  readonly distinct: number
  readonly queue: number
  readonly depth: number
  /** True when TLC prints no statistics (violation in an initial state, ASSUME problems). */
  readonly noStats: boolean
  readonly trace: ReadonlyArray<TraceStep>
  /** TLC's process exit code for this outcome. */
  readonly tlcExit: number
  readonly initialGenerated: number
  readonly initialDistinct: number
  /** Outdegree samples summary (TLC's last success line). */
  readonly outdegree?: { readonly mean: number; readonly min: number; readonly max: number; readonly p95: number }
  /** For evaluation errors: the source ranges being evaluated, outermost first. */
  readonly positions?: ReadonlyArray<Loc>
  readonly errorKind?: "init" | "next" | "invariant" | "assume" | "assert" | "unassigned" | "postcondition"
}

export interface ExploreOptions {
  /** Called with TLC-style progress lines (about every 10 s). */
  readonly progress?: (p: { generated: number; distinct: number; queue: number; depth: number; elapsedMs: number }) => void
  readonly progressIntervalMs?: number
  /** Overrides CHECK_DEADLOCK (like TLC's -deadlock flag, which turns it off). */
  readonly checkDeadlock?: boolean
  /** TLC's "Computed 2^k initial states..." lines, before initial state 2^k + 1. */
  readonly onInitialCount?: (line: string) => void
  /** Called once the initial states are computed, with generated and distinct counts. */
  readonly onInitialDone?: (generated: number, distinct: number) => void
  /** Stop after this many distinct states (0: no limit). */
  readonly maxDistinct?: number
  /**
   * false: evaluate every constraint, invariant and action property on every state and step,
   * without the skips and memos of incremental.ts (same results, slower; for tests).
   */
  readonly incremental?: boolean
}

class Stop {
  constructor(readonly result: Partial<CheckResult> & { outcome: Outcome }) {}
}

const isTrue = (v: Value, what: string): boolean => {
  if (v !== true && v !== false) throw new EvalError(`The ${what} is not a boolean:\n${valueToString(v)}`)
  return v
}

const holds = (ev: Ev, c: Ctx, what: string): boolean => isTrue(ev(c, null), what)

export const explore = (model: Model, opts: ExploreOptions = {}): CheckResult => {
  const nvars = model.vars.length
  const seen = new FingerprintSet()
  const states = new StateTable()
  const fp: Fingerprint = { hi: 0, lo: 0 }
  const checkDeadlock = opts.checkDeadlock ?? model.checkDeadlock
  let generated = 0
  let initialGenerated = 0
  let depth = 0
  let head = 0
  let unqueued = 0
  const outdeg: number[] = new Array(32).fill(0)
  let expanded = 0
  let started = Date.now()
  let lastProgress = started

  const symmetry = model.symmetry
  const plain = new StateFingerprints()
  const own: Fingerprint = { hi: 0, lo: 0 }
  // With SYMMETRY: the states' own fingerprints whose class is known to be in `seen`, so that a
  // successor identical to a state already handled skips the fingerprints under permutations.
  const handled = symmetry === undefined ? undefined : new FingerprintSet()

  /** Adds `t` (a successor of the state being expanded, or an initial state) to the seen set; true when it is new. */
  const addState = (t: ReadonlyArray<Value | undefined>, level: number, initial: boolean): boolean => {
    const values = t as Value[]
    if (model.view !== undefined) {
      stateFingerprint([model.view(new Ctx(values, null, level), null)], fp)
      return seen.add(fp.hi, fp.lo)
    }
    if (initial) plain.smallest(values, own)
    else plain.smallestOfSuccessor(values, own)
    if (symmetry === undefined || handled === undefined) return seen.add(own.hi, own.lo)
    if (handled.has(own.hi, own.lo)) return false
    if (initial) symmetry.fingerprint(values, fp)
    else symmetry.fingerprintSuccessor(values, fp)
    handled.add(own.hi, own.lo)
    return seen.add(fp.hi, fp.lo)
  }

  const traceTo = (idx: number): TraceStep[] => {
    const out: TraceStep[] = []
    for (let i = idx; i >= 0; i = states.parent(i)) out.push({ state: states.state(i), action: states.action(i) })
    return out.reverse()
  }

  const stats = (): Pick<CheckResult, "generated" | "distinct" | "queue" | "depth"> => ({
    generated,
    distinct: states.size,
    queue: states.size - head - unqueued,
    depth
  })

  // The conjuncts of CONSTRAINTs and invariants, and ACTION_CONSTRAINTs then action properties,
  // each re-evaluated on a successor only when it read a variable the step changed (incremental.ts).
  const incremental = opts.incremental ?? true
  const always = <P extends CheckedPredicate>(p: P): P => (incremental ? p : { ...p, stateOnly: false })
  const checked = [...model.constraints, ...model.invariants]
  const stateChecks = new StatePredicates(checked.flatMap((p) => p.conjuncts).map(always))
  const firstConjunct: number[] = []
  for (let i = 0, at = 0; i < checked.length; at += checked[i].conjuncts.length, i++) firstConjunct.push(at)
  const invariantsFrom = model.constraints.length
  const actionConstraintCount = model.actionConstraints.length
  const actionChecks = new ActionPredicates([...model.actionConstraints, ...model.actionProperties].map(always))

  /** Whether predicate i of `checked` holds in state `c.s` (a successor of stored state `parent`, or -1). */
  const holdsIn = (i: number, c: Ctx, parent: number, changed: number, what: string): boolean => {
    const p = checked[i]
    const n = p.conjuncts.length
    for (let j = 0; j < n; j++) {
      const v = stateChecks.value(firstConjunct[i] + j, c, parent, changed)
      if (!(n === 1 ? isTrue(v, what) : bool(v, p.conjuncts[j].loc))) return false
    }
    return true
  }

  /** Whether state `c.s` passes the CONSTRAINTs (checked in order up to the first that fails, as TLC does). */
  const passesConstraints = (c: Ctx, parent: number, changed: number): boolean => {
    for (let i = 0; i < invariantsFrom; i++) if (!holdsIn(i, c, parent, changed, "constraint")) return false
    return true
  }

  const checkInvariants = (c: Ctx, parent: number, changed: number, initial: boolean, trace: () => TraceStep[]): void => {
    for (let i = 0; i < model.invariants.length; i++) {
      const inv = model.invariants[i]
      let ok: boolean
      try {
        ok = holdsIn(invariantsFrom + i, c, parent, changed, `invariant ${inv.name}`)
      } catch (e) {
        if (!(e instanceof EvalError)) throw e
        if (initial) throw new Stop({ outcome: "error", message: e.message, trace: trace(), errorKind: "init", tlcExit: 75 })
        throw new Stop({ outcome: "error", violated: inv.name, message: `Evaluating invariant ${inv.name} failed.\n${e.message}`, trace: trace(), errorKind: "invariant", tlcExit: 76 })
      }
      if (!ok) {
        throw new Stop({
          outcome: "invariant",
          violated: inv.name,
          message: initial ? `Invariant ${inv.name} is violated by the initial state:` : `Invariant ${inv.name} is violated.`,
          trace: trace(),
          noStats: initial,
          tlcExit: 12
        })
      }
    }
    if (initial) {
      for (const p of model.initialProperties) {
        if (!holds(p.ev, c, `property ${p.name}`)) {
          throw new Stop({ outcome: "property", violated: p.name, message: `Property ${p.name} is violated by the initial state:`, trace: trace(), noStats: true, tlcExit: 13 })
        }
      }
    }
  }

  // The state being expanded; onSuccessor is created once, not per state (see bindFrom in compile.ts).
  let idx = 0
  let s: Array<Value | undefined> = []
  let level = 0
  let n: Array<Value | undefined> = []
  let c = new Ctx([], null, 0)
  let successors = 0
  let fresh = 0
  let current = 0
  const traceWith = (t: Array<Value | undefined>): TraceStep[] => [...traceTo(idx), { state: t, action: current }]
  const onSuccessor = (): void => {
    generated++
    successors++
    for (let i = 0; i < nvars; i++) {
      if (n[i] === undefined) {
        throw new Stop({
          outcome: "error",
          message: `Successor state is not completely specified by the next-state action. The following variable is not defined: ${model.vars[i]}.`,
          trace: traceWith(n.slice()),
          errorKind: "unassigned",
          tlcExit: 75
        })
      }
    }
    const t = n.slice()
    const tc = new Ctx(t, null, level + 1)
    const changed = changedVariables(s, t)
    let ok = passesConstraints(tc, idx, changed)
    for (let k = 0; ok && k < actionConstraintCount; k++) ok = isTrue(actionChecks.value(k, c, t as Value[], changed), "action constraint")
    let isNew = false
    if (ok) {
      isNew = addState(t, level + 1, false)
      if (isNew) {
        // Until its checks pass, the new state is found but not queued (TLC enqueues last).
        unqueued = 1
        states.add(t, idx, level + 1, current)
        if (level + 1 > depth) depth = level + 1
        fresh++
      }
    }
    if (isNew || !ok) checkInvariants(tc, idx, changed, false, () => traceWith(t))
    if (isNew) stateChecks.keep(states.size - 1)
    for (let k = 0; k < model.actionProperties.length; k++) {
      const p = model.actionProperties[k]
      if (!isTrue(actionChecks.value(actionConstraintCount + k, c, t as Value[], changed), `action property ${p.name}`)) {
        throw new Stop({ outcome: "property", violated: p.name, message: `Action property ${p.name} is violated.`, trace: traceWith(t), tlcExit: 13 })
      }
    }
    unqueued = 0
  }

  /** After a complete search: POSTCONDITIONs, with TLCGet("stats") describing the search. */
  const checkPostconditions = (): void => {
    if (model.postconditions.length === 0) return
    const fields: Array<[string, number]> = [
      ["distinct", states.size],
      ["worker", 1],
      ["duration", Math.floor((Date.now() - started) / 1000)],
      ["generated", generated],
      ["diameter", depth],
      ["initial", initialStats.initialDistinct],
      ["queue", states.size - head]
    ]
    model.setStats(record(fields))
    const c = new Ctx([], null, 0)
    for (const p of model.postconditions) {
      let ok: boolean
      try {
        ok = holds(p.ev, c, `postcondition ${p.name}`)
      } catch (e) {
        if (!(e instanceof EvalError)) throw e
        throw new Stop({ outcome: "error", message: `Evaluating postcondition ${p.name} failed.\n${e.message}`, errorKind: "postcondition", tlcExit: 10 })
      }
      if (!ok) {
        const where = `line ${p.loc.line}, col ${p.loc.col} to line ${p.loc.endLine}, col ${p.loc.endCol} of module ${p.loc.module}`
        throw new Stop({ outcome: "error", violated: p.name, message: `Postcondition ${p.name} at ${where} is false.`, errorKind: "postcondition", tlcExit: 10 })
      }
    }
  }

  const run = (): CheckResult => {
    // ---- assumptions
    for (const a of model.assumptions) {
      let v: Value
      try {
        v = a.ev(new Ctx([], null, 0), null)
      } catch (e) {
        if (!(e instanceof EvalError)) throw e
        const where = `line ${a.loc.line}, col ${a.loc.col} to line ${a.loc.endLine}, col ${a.loc.endCol} of module ${a.loc.module}`
        throw new Stop({ outcome: "error", message: `Evaluating assumption ${where} failed.\n${e.message}`, noStats: true, errorKind: "assume", tlcExit: 10 })
      }
      if (v !== true) {
        const where = `line ${a.loc.line}, col ${a.loc.col} to line ${a.loc.endLine}, col ${a.loc.endCol} of module ${a.loc.module}`
        throw new Stop({ outcome: "assume", message: `Assumption ${where} is false.`, noStats: true, tlcExit: 10 })
      }
    }
    // ---- initial states
    const asg: Array<Value | undefined> = new Array(nvars).fill(undefined)
    const ictx = new Ctx(asg, null, 1)
    try {
      model.init(ictx, null, () => {
        const announce = initialStatesProgress(initialGenerated)
        if (announce !== undefined) opts.onInitialCount?.(announce)
        generated++
        initialGenerated++
        const missing = asg.findIndex((v) => v === undefined)
        if (missing >= 0) {
          throw new Stop({ outcome: "error", message: `The initial predicate does not assign a value to the variable ${model.vars[missing]}.`, trace: [], errorKind: "init", tlcExit: 75 })
        }
        const s = asg.slice()
        const sc = new Ctx(s, null, 1)
        const ok = passesConstraints(sc, -1, 0)
        let isNew = false
        if (ok) {
          isNew = addState(s, 1, true)
          if (isNew) {
            states.add(s, -1, 1, -1)
            depth = 1
          }
        }
        if (isNew || !ok) checkInvariants(sc, -1, 0, true, () => [{ state: s, action: -1 }])
        if (isNew) stateChecks.keep(states.size - 1)
      })
    } catch (e) {
      if (e instanceof Stop) throw e
      if (e instanceof EvalError) {
        throw new Stop({ outcome: "error", message: e.message, trace: [], errorKind: e instanceof AssertionFailed ? "assert" : "init", tlcExit: e instanceof AssertionFailed ? 14 : 75 })
      }
      throw e
    }
    const initialDistinct = states.size
    initialStats = { initialGenerated, initialDistinct }
    opts.onInitialDone?.(initialGenerated, initialDistinct)
    // ---- breadth-first search
    while (head < states.size) {
      idx = head++
      s = states.state(idx) as Array<Value | undefined>
      level = states.level(idx)
      n = new Array(nvars).fill(undefined)
      c = new Ctx(s, n, level)
      actionChecks.expand(s, level)
      if (model.view === undefined) {
        plain.expand(s as Value[])
        symmetry?.expand(s as Value[])
      }
      successors = 0
      fresh = 0
      current = 0
      try {
        for (current = 0; current < model.next.length; current++) model.next[current].act(c, null, onSuccessor)
      } catch (e) {
        if (e instanceof Stop) throw e
        if (e instanceof EvalError) {
          const assert = e instanceof AssertionFailed
          throw new Stop({
            outcome: "error",
            message: assert ? e.message : `TLC threw an unexpected exception.\nThis was probably caused by an error in the spec or model.\nSee the User Output or TLC Console for clues to what happened.\nThe exception was a java.lang.RuntimeException\n: ${e.message}`,
            trace: traceTo(idx),
            positions: [model.next[current].loc, ...e.positions],
            errorKind: assert ? "assert" : "next",
            tlcExit: assert ? 14 : 75
          })
        }
        throw e
      }
      expanded++
      stateChecks.expanded(idx)
      outdeg[Math.min(fresh, 31)]++
      if (successors === 0 && checkDeadlock) {
        throw new Stop({ outcome: "deadlock", message: "Deadlock reached.", trace: traceTo(idx), tlcExit: 11 })
      }
      if (opts.maxDistinct && states.size >= opts.maxDistinct) break
      if (opts.progress !== undefined && (expanded & 1023) === 0) {
        const now = Date.now()
        if (now - lastProgress >= (opts.progressIntervalMs ?? 10_000)) {
          lastProgress = now
          opts.progress({ ...stats(), elapsedMs: now - started })
        }
      }
    }
    checkPostconditions()
    return {
      outcome: "ok",
      ...stats(),
      noStats: false,
      trace: [],
      tlcExit: 0,
      ...initialStats,
      outdegree: summarize(outdeg, expanded)
    }
  }

  let initialStats = { initialGenerated: 0, initialDistinct: 0 }
  started = Date.now()
  try {
    return run()
  } catch (e) {
    if (!(e instanceof Stop)) throw e
    return {
      ...stats(),
      noStats: false,
      trace: [],
      tlcExit: 1,
      ...initialStats,
      ...e.result,
      ...(e.result.noStats ? {} : {})
    } as CheckResult
  }
}

const summarize = (hist: number[], n: number): CheckResult["outdegree"] => {
  if (n === 0) return undefined
  let sum = 0
  let min = -1
  let max = 0
  for (let d = 0; d < hist.length; d++) {
    if (hist[d] === 0) continue
    sum += d * hist[d]
    if (min < 0) min = d
    max = d
  }
  const threshold = Math.floor(0.95 * n)
  let cum = 0
  let p95 = max
  for (let d = 0; d < hist.length; d++) {
    cum += hist[d]
    if (cum > threshold) {
      p95 = d
      break
    }
  }
  return { mean: Math.round(sum / n), min, max, p95 }
}

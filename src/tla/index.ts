/**
 * The embedded TLA+ toolkit's public API: load a spec with its constants, evaluate operators
 * and actions on given states (boolean mode), list an action's successors (enumeration mode),
 * check invariants, and find the smallest failing conjunct of an action for diagnosis.
 * The model checker itself is `explore` / `runCheck` (src/tla/check).
 */
import { readFileSync } from "node:fs"
import { parseExpression } from "./syntax/parser.ts"
import { type Loc, SyntaxError } from "./syntax/source.ts"
import { parseConfig } from "./eval/config.ts"
import { defaultConfigPath } from "./check/run.ts"
import { changedVariables } from "./check/incremental.ts"
import { EvalError } from "./eval/errors.ts"
import { Ctx, Env } from "./eval/runtime.ts"
import { loadModel, type Model } from "./eval/spec.ts"
import { findFailingConjunct } from "./eval/failing-conjunct.ts"
import { nextDisjuncts } from "./eval/next-actions.ts"
import type { Value } from "./values/index.ts"

/** A state: one value per variable, in the order of `vars`. */
export type State = ReadonlyArray<Value>

export interface FailingConjunct {
  readonly loc: Loc
  /** The conjunct's source text. */
  readonly text: string
}

export interface LoadOptions {
  /** The .cfg file; default: Spec.cfg beside the spec. */
  readonly cfgPath?: string
  /** The cfg as text instead of a file (e.g. constants supplied by a trace header). */
  readonly cfgText?: string
  /** Where Print/PrintT output goes (default: dropped). */
  readonly print?: (line: string) => void
}

export class LoadedSpec {
  private readonly sources = new Map<string, string[]>()
  constructor(readonly model: Model) {}

  get vars(): ReadonlyArray<string> {
    return this.model.vars
  }

  /** Evaluates a constant-level expression written in the root module's scope, e.g. `Server`. */
  evalExpression(text: string, state?: State): Value {
    const e = parseExpression(text)
    return this.model.compiler.ev(e, this.model.rootScope)(new Ctx(state ? [...state] : [], null, state ? 1 : 0), null)
  }

  /** The value of operator `name` applied to `args` in `state` (and `next`, for actions). */
  evalOperator(name: string, args: ReadonlyArray<Value> = [], state: State = [], next?: State): Value {
    const entry = this.entry(name)
    return this.model.compiler.defCall(entry)(new Ctx([...state], next ? [...next] : null, 1), null, [...args])
  }

  /**
   * Parameterless state operator `name` (an invariant) as a function of the state that remembers
   * which variables it read on the last state it was evaluated on. When each of them holds the
   * very same value object in the new state (values are immutable, and a trace reader or an
   * action keeps the objects of unchanged variables) the last value is returned without
   * evaluating: along a trace most steps change one or two variables. Operators with effects
   * (Print, TLCGet) are always evaluated.
   */
  stateOperator(name: string): (state: State) => Value {
    const entry = this.entry(name)
    const call = this.model.compiler.defCall(entry)
    let last: State | undefined
    let lastReads = 0
    let lastValue: Value = false
    return (state) => {
      if (last !== undefined && entry.effects === false && (changedVariables(last, state) & lastReads) === 0) return lastValue
      const copy = [...state]
      const c = new Ctx(copy, null, 1)
      const value = call(c, null, [])
      last = copy
      lastReads = c.reads
      lastValue = value
      return value
    }
  }

  /** Whether action `name(args)` holds on the step state -> next (boolean mode, like TLC's trace checks). */
  actionHolds(name: string, args: ReadonlyArray<Value>, state: State, next: State): boolean {
    return this.evalOperator(name, args, state, next) === true
  }

  /** The successors action `name(args)` generates from `state`, each way it is satisfied (enumeration mode). */
  successors(name: string, args: ReadonlyArray<Value>, state: State): State[] {
    const entry = this.entry(name)
    const n: Array<Value | undefined> = new Array(this.vars.length).fill(undefined)
    const out: State[] = []
    this.model.compiler.actions.defAct(entry)(new Ctx([...state], n, 1), null, [...args], () => {
      const missing = n.findIndex((v) => v === undefined)
      if (missing >= 0) throw new EvalError(`Successor state is not completely specified by the action ${name}. The following variable is not defined: ${this.vars[missing]}.`)
      out.push(n.slice() as Value[])
    })
    return out
  }

  /** Successors under the model's whole next-state relation, with the sub-action that produced each (its name and place). */
  nextStates(state: State): Array<{ readonly action: string; readonly loc: Loc; readonly state: State }> {
    const n: Array<Value | undefined> = new Array(this.vars.length).fill(undefined)
    const c = new Ctx([...state], n, 1)
    const out: Array<{ action: string; loc: Loc; state: State }> = []
    for (const a of this.model.next) a.act(c, null, () => void out.push({ action: a.name, loc: a.loc, state: n.slice() as Value[] }))
    return out
  }

  initialStates(): State[] {
    const s: Array<Value | undefined> = new Array(this.vars.length).fill(undefined)
    const out: State[] = []
    this.model.init(new Ctx(s, null, 1), null, () => void out.push(s.slice() as Value[]))
    return out
  }

  /** Names of the cfg's invariants that fail in `state`. */
  violatedInvariants(state: State): string[] {
    const c = new Ctx([...state], null, 1)
    return this.model.invariants.filter((i) => i.ev(c, null) !== true).map((i) => i.name)
  }

  /**
   * For a step that action `name(args)` does not allow: the innermost conjunct that is FALSE,
   * descending through conjunctions, LET bodies, taken IF/CASE branches and applied operators.
   */
  failingConjunct(name: string, args: ReadonlyArray<Value>, state: State, next: State): FailingConjunct | undefined {
    const loc = findFailingConjunct(this.model.compiler, this.entry(name), args, new Ctx([...state], [...next], 1))
    return loc === undefined ? undefined : this.describe(loc)
  }

  // ---- for trace validation (src/validate) ------------------------------------------------------

  /** The parameter names of operator `name`, or undefined when the module has no such operator. */
  actionParams(name: string): ReadonlyArray<string> | undefined {
    const entry = this.model.operator(name)
    if (entry === undefined) return undefined
    return entry.def.kind === "opDef" ? entry.def.params.map((p) => p.name) : []
  }

  /**
   * Compiles a state-level expression once, with named parameters, in the root module's scope
   * (e.g. `IF m \in DOMAIN messages THEN messages[m] ELSE 0` with parameter `m`).
   */
  compileExpression(text: string, params: ReadonlyArray<string> = []): (state: State, args?: ReadonlyArray<Value>) => Value {
    const e = parseExpression(text)
    const scope = params.length === 0 ? this.model.rootScope : this.model.rootScope.withFrame(params.map((p) => [p, (depth, idx) => ({ kind: "slot", depth, idx })]))
    const ev = this.model.compiler.ev(e, scope)
    return (state, args = []) => ev(new Ctx([...state], null, 1), params.length === 0 ? null : new Env([...args], null))
  }

  /** The top-level disjuncts of the next-state operator `name` and the actions under each. */
  nextDisjuncts(name = "Next"): Array<{ readonly loc: Loc; readonly text: string; readonly actions: ReadonlyArray<string> }> {
    const entry = this.entry(name)
    if (entry.def.kind !== "opDef") return []
    return nextDisjuncts(entry.def.body, entry.scope).map((d) => ({ ...d, text: this.describe(d.loc).text }))
  }

  /** Whether module `name` defines an operator of that name (action, invariant, ...). */
  hasOperator(name: string): boolean {
    return this.model.operator(name) !== undefined
  }

  private describe(loc: Loc): FailingConjunct {
    let lines = this.sources.get(loc.file)
    if (lines === undefined) {
      lines = readFileSync(loc.file, "utf8").split("\n")
      this.sources.set(loc.file, lines)
    }
    const picked = lines.slice(loc.line - 1, loc.endLine)
    if (picked.length > 0) {
      picked[picked.length - 1] = picked[picked.length - 1].slice(0, loc.endCol)
      picked[0] = picked[0].slice(loc.col - 1)
    }
    return { loc, text: picked.join("\n") }
  }

  private entry(name: string) {
    const entry = this.model.operator(name)
    if (entry === undefined) throw new SyntaxError(this.model.spec.root.file, 1, 1, `no operator named ${name} in module ${this.model.spec.root.name}`)
    return entry
  }
}

/** Loads a spec and its constants. Throws SyntaxError (bad or missing files) or ModelError (bad model). */
export const loadTlaSpec = (specPath: string, options: LoadOptions = {}): LoadedSpec => {
  const cfgPath = options.cfgPath ?? defaultConfigPath(specPath)
  const text = options.cfgText ?? readFileSync(cfgPath, "utf8")
  const cfg = parseConfig(text, options.cfgText !== undefined ? "<cfg>" : cfgPath)
  return new LoadedSpec(loadModel(specPath, cfg, { print: options.print ?? (() => {}) }))
}

export { explore, type CheckResult, type TraceStep } from "./check/explore.ts"
export { runCheck, type RunOptions, type RunOutcome } from "./check/run.ts"
export { simulate } from "./check/simulate.ts"
export { parseModule, parseExpression } from "./syntax/parser.ts"
export { SyntaxError, type Loc, tlcRange } from "./syntax/source.ts"
export { EvalError, AssertionFailed } from "./eval/errors.ts"
export { ModelError, type Model } from "./eval/spec.ts"
export { ConfigError } from "./config/index.ts"
/** The toolkit's one value module (src/tla/values): building, comparing, printing, JSON. */
export * as values from "./values/index.ts"
export { valueToJson } from "./check/report.ts"

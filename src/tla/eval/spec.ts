/**
 * Loads a spec and its configuration into a runnable model: module contexts (EXTENDS, INSTANCE,
 * LOCAL), constants from the cfg, and the compiled Init, Next (split into sub-actions),
 * invariants, properties, constraints, VIEW and SYMMETRY.
 */
import type { Definition, Expr } from "../syntax/ast.ts"
import { type Loc, SyntaxError, tlcRange } from "../syntax/source.ts"
import type { CfgValue, Config } from "./config.ts"
import { loadSpec, type LoadedSpec } from "../modules/load.ts"
import { Compiler } from "./compile.ts"
import { ModuleGraph } from "./modules.ts"
import { variablePrintOrder } from "../report/index.ts"
import { type Act, Ctx, Env, type Ev, type OutputSink } from "./runtime.ts"
import type { Binding, DefEntry, ModCtx, Scope } from "./scope.ts"
import { makeBuiltins } from "./stdlib.ts"
import { configValueToValue } from "../config/index.ts"
import {
  beginInterning, elementsOf, entries, isFunction, isModelValue, permutationsOf, record, SymmetryReduction, valueToString, type Value
} from "../values/index.ts"

/** A problem with the spec or the configuration found before checking starts (TLC exit 150/151/255). */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly tlcExit: number
  ) {
    super(message)
  }
}

export interface SubAction {
  readonly name: string
  readonly loc: Loc
  readonly act: Act
}

export interface NamedPredicate {
  /** The name TLC reports: the operator name, or a source range for a conjunct of a property. */
  readonly name: string
  readonly ev: Ev
  /**
   * Its value depends on the variables alone (no Print, TLCGet...), so on a successor that
   * shares every variable it read with its parent it has the parent's value.
   */
  readonly stateOnly: boolean
}

/** One top-level conjunct of an invariant or constraint, checked on its own. */
export interface Conjunct {
  readonly ev: Ev
  readonly loc: Loc
  readonly stateOnly: boolean
}

/** An invariant or a CONSTRAINT, with its top-level conjuncts in order (it holds when each is TRUE). */
export interface StatePredicate extends NamedPredicate {
  readonly conjuncts: ReadonlyArray<Conjunct>
}

export interface Model {
  readonly spec: LoadedSpec
  readonly vars: ReadonlyArray<string>
  /** Variable indices in the order TLC prints them. */
  readonly printOrder: ReadonlyArray<number>
  readonly init: Act
  readonly next: ReadonlyArray<SubAction>
  readonly invariants: ReadonlyArray<StatePredicate>
  /** State-level PROPERTY conjuncts: checked on initial states only. */
  readonly initialProperties: ReadonlyArray<NamedPredicate>
  readonly actionProperties: ReadonlyArray<NamedPredicate>
  readonly constraints: ReadonlyArray<StatePredicate>
  readonly actionConstraints: ReadonlyArray<NamedPredicate>
  readonly view: Ev | undefined
  /** ALIAS: what a trace shows for each state (a record), instead of the variables. */
  readonly alias: Ev | undefined
  /** POSTCONDITIONs, evaluated once after a complete search with TLCGet("stats") available. */
  readonly postconditions: ReadonlyArray<NamedPredicate & { readonly loc: Loc }>
  /** Publishes the statistics TLCGet("stats") returns (a record of counts). */
  readonly setStats: (record: Value) => void
  /** SYMMETRY: how states are fingerprinted (undefined without one, or with only the identity). */
  readonly symmetry: SymmetryReduction | undefined
  readonly assumptions: ReadonlyArray<{ readonly loc: Loc; readonly ev: Ev }>
  readonly checkDeadlock: boolean
  /** False when the cfg names no behavior (neither INIT/NEXT nor SPECIFICATION). */
  readonly hasBehavior: boolean
  /** Temporal properties this checker does not verify (liveness); reported, not checked. */
  readonly unsupported: ReadonlyArray<string>
  readonly warnings: ReadonlyArray<string>
  /** Evaluates a zero-arity or parametrized operator of the root module. */
  readonly operator: (name: string) => DefEntry | undefined
  readonly compiler: Compiler
  readonly rootScope: Scope
}

export const loadModel = (specPath: string, cfg: Config, out: OutputSink): Model => {
  const spec = loadSpec(specPath)
  // TLC's order of strings and model values: its startup names, the cfg's, then the spec's.
  beginInterning().internAll([...cfg.tokens, ...spec.identifierOrder])
  let stats: Value | undefined
  const builtins = makeBuiltins(out, () => stats)
  const compiler = new Compiler(0)
  const graph = new ModuleGraph(spec, builtins, compiler)
  const { vars, constants, constOps, assumptions, root } = graph
  const constValues = new Map<string, Value>()
  const rootScope = root.baseScope!
  ;(compiler as { nvars: number }).nvars = vars.length

  // ---- apply the configuration's constants ------------------------------------------------------
  const cfgError = (line: number, msg: string): never => {
    throw new SyntaxError(cfg.file, line, 1, msg)
  }
  const defEntry = (ctx: ModCtx, name: string): DefEntry | undefined => {
    const b = ctx.defs.get(name)
    return b?.kind === "def" ? b.entry : undefined
  }
  for (const c of cfg.constants) {
    if (c.kind === "value") {
      const v = configValueToValue(c.value)
      if (constants.has(c.name)) constValues.set(c.name, v)
      else {
        const entry = defEntry(root, c.name)
        if (entry === undefined) cfgError(c.line, `${c.name} is neither a CONSTANT nor a definition of the spec`)
        entry!.overrideValue = v
      }
      continue
    }
    const replacementBinding = root.resolve(c.op)
    if (replacementBinding === undefined || (replacementBinding.kind !== "def" && replacementBinding.kind !== "builtin")) {
      cfgError(c.line, `the operator ${c.op} substituted for ${c.name} is not defined`)
    }
    if (c.module !== undefined) {
      const apply = (ctx: ModCtx): void => {
        const entry = defEntry(ctx, c.name)
        if (entry !== undefined && replacementBinding!.kind === "def") entry.override = replacementBinding!.entry
      }
      graph.whenInstantiated(c.module, apply)
      continue
    }
    if (constants.has(c.name)) constOps.set(c.name, replacementBinding!)
    else {
      const entry = defEntry(root, c.name)
      if (entry === undefined) cfgError(c.line, `${c.name} is neither a CONSTANT nor a definition of the spec`)
      if (replacementBinding!.kind === "def") entry!.override = replacementBinding!.entry
    }
  }
  for (const [name, loc] of constants) {
    if (!constValues.has(name) && !constOps.has(name)) {
      throw new ModelError(`The constant parameter ${name} is not assigned a value by the configuration file.\n(declared at ${tlcRange(loc)})`, 151)
    }
  }
  compiler.constValue = (name) => {
    const v = constValues.get(name)!
    return () => v
  }

  // ---- Init, Next, properties -------------------------------------------------------------------
  const named = (name: string, what: string): DefEntry => {
    const b = root.resolve(name)
    if (b === undefined || b.kind !== "def") throw new ModelError(`The ${what} ${name} is not defined in the spec.`, 151)
    return b.entry
  }
  const bodyOf = (entry: DefEntry): { expr: Expr; scope: Scope } => {
    let e = entry
    while (e.override !== undefined) e = e.override
    if (e.def.kind !== "opDef" || e.def.params.length > 0) throw new ModelError(`${entry.name} must be an operator without parameters.`, 151)
    return { expr: e.def.body, scope: e.scope }
  }

  /** Splits a formula at /\ (through zero-arity definitions and instances), keeping each conjunct's scope. */
  const conjuncts = (expr: Expr, scope: Scope): Array<{ expr: Expr; scope: Scope }> => {
    if (expr.kind === "and") return expr.items.flatMap((i) => conjuncts(i, scope))
    if (expr.kind === "label") return conjuncts(expr.body, scope)
    if (expr.kind === "apply" && expr.args.length === 0) {
      const b = scope.lookup(expr.name)
      if (b?.kind === "def" && b.entry.def.kind === "opDef" && b.entry.def.params.length === 0 && b.entry.override === undefined && isTemporal(b.entry.def.body, b.entry.scope)) {
        return conjuncts(b.entry.def.body, b.entry.scope)
      }
    }
    if (expr.kind === "instanceRef") {
      const d = instanceDef(expr, scope)
      if (d !== undefined && isTemporal(d.entry.def.body, d.entry.scope)) return conjuncts(d.entry.def.body, d.entry.scope)
    }
    return [{ expr, scope }]
  }

  /** `I!Op` for a non-parametrized instance and a zero-arity Op: the definition it names. */
  const instanceDef = (expr: Expr & { kind: "instanceRef" }, scope: Scope): { entry: DefEntry & { def: { kind: "opDef" } } } | undefined => {
    if (expr.path.length !== 2 || !expr.path.every((p) => p.args.length === 0)) return undefined
    const b = scope.lookup(expr.path[0].name)
    if (b?.kind !== "instance" || b.entry.def.params.length > 0) return undefined
    const ctx = graph.instance(b.entry)
    const d = ctx.resolve(expr.path[1].name)
    if (d?.kind === "def" && d.entry.def.kind === "opDef" && d.entry.def.params.length === 0) return d as { entry: DefEntry & { def: { kind: "opDef" } } }
    return undefined
  }

  /** Whether a formula contains temporal operators (directly or through zero-arity definitions). */
  const isTemporal = (expr: Expr, scope: Scope, seen = new Set<Definition>()): boolean => {
    const visit = (e: unknown, s: Scope): boolean => {
      if (e === null || typeof e !== "object") return false
      if (Array.isArray(e)) return e.some((x) => visit(x, s))
      const o = e as Expr
      if (o.kind === "always" || o.kind === "eventually" || o.kind === "leadsTo" || o.kind === "fairness") return true
      if (o.kind === "apply" && o.args.length === 0) {
        const b = s.lookup(o.name)
        if (b?.kind === "def" && !seen.has(b.entry.def) && b.entry.def.kind === "opDef") {
          seen.add(b.entry.def)
          return visit(b.entry.def.body, b.entry.scope)
        }
        return false
      }
      if (o.kind === "instanceRef") {
        const d = instanceDef(o, s)
        if (d === undefined) return false
        if (seen.has(d.entry.def)) return false
        seen.add(d.entry.def)
        return visit(d.entry.def.body, d.entry.scope)
      }
      return Object.entries(o).some(([k, v]) => k !== "loc" && k !== "nameLoc" && visit(v, s))
    }
    return visit(expr, scope)
  }

  let initParts: Array<{ expr: Expr; scope: Scope }>
  let nextExpr: { expr: Expr; scope: Scope; name: string } | undefined
  const warnings: string[] = []
  const unsupported: string[] = []
  if (cfg.specification !== undefined) {
    const parts = conjuncts(bodyOf(named(cfg.specification, "specification")).expr, bodyOf(named(cfg.specification, "specification")).scope)
    const inits = parts.filter((p) => !isTemporal(p.expr, p.scope))
    const boxes = parts.filter((p) => p.expr.kind === "always" && p.expr.arg.kind === "actionBox")
    if (inits.length === 0 || boxes.length !== 1) {
      throw new ModelError(`The specification ${cfg.specification} must have the form Init /\\ [][Next]_vars (/\\ fairness).`, 151)
    }
    initParts = inits
    const box = (boxes[0].expr as Expr & { kind: "always" }).arg as Expr & { kind: "actionBox" }
    const nextName = box.action.kind === "apply" ? box.action.name : "Next"
    nextExpr = { expr: box.action, scope: boxes[0].scope, name: nextName }
  } else {
    // Without INIT/NEXT the model still serves for evaluating operators (see src/tla/index.ts).
    initParts = cfg.init === undefined ? [] : [bodyOf(named(cfg.init, "initial predicate"))]
    const nb = cfg.next === undefined ? undefined : bodyOf(named(cfg.next, "next-state action"))
    nextExpr = nb === undefined ? undefined : { ...nb, name: cfg.next! }
    if (nb?.expr.kind === "bool") throw new ModelError(`The next state action ${cfg.next} cannot be a constant.`, 151)
  }

  /** Sub-actions: Next's top-level disjuncts, through zero-arity definitions. */
  /**
   * Sub-actions, as TLC splits Next: its top-level disjuncts (through zero-arity definitions),
   * with a top-level \E over a constant set split into one sub-action per value. A sub-action
   * that applies a parametrized operator is named after it with its arguments ("Move(1,3)").
   * The order is the enumeration order, so counts are unaffected.
   */
  const subActions = (expr: Expr, scope: Scope, env: Env | null, name: string, loc: Loc): SubAction[] => {
    const bound = (act: Act): Act => (env === null ? act : (c, _e, k) => act(c, env, k))
    if (expr.kind === "or") return expr.items.flatMap((i) => subActions(i, scope, env, name, i.loc))
    if (expr.kind === "label") return subActions(expr.body, scope, env, name, loc)
    if (expr.kind === "apply" && expr.args.length === 0) {
      const b = scope.lookup(expr.name)
      if (b?.kind === "def" && b.entry.override === undefined && b.entry.overrideValue === undefined && b.entry.def.kind === "opDef" && b.entry.def.params.length === 0) {
        return subActions(b.entry.def.body, b.entry.scope, null, expr.name, b.entry.def.body.loc)
      }
    }
    if (expr.kind === "exists" && expr.bounds.every((bd) => bd.set !== undefined && bd.patterns.every((p) => !p.tuple))) {
      const sets = constantSets(expr.bounds.map((bd) => bd.set!), scope, env)
      if (sets !== undefined) {
        const names = expr.bounds.flatMap((bd) => bd.patterns.flatMap((p) => p.names))
        const inner = scope.withFrame(names.map((n) => [n, (depth, idx) => ({ kind: "slot", depth, idx })]))
        const perName = expr.bounds.flatMap((bd, i) => bd.patterns.map(() => sets[i]))
        const out: SubAction[] = []
        const rec = (i: number, vals: Value[]): void => {
          if (i === perName.length) {
            out.push(...subActions(expr.body, inner, new Env(vals, env), name, loc))
            return
          }
          for (const v of perName[i]) rec(i + 1, [...vals, v])
        }
        rec(0, [])
        return out
      }
    }
    const core = expr.kind === "and" ? expr.items.find((i) => i.kind === "apply" && i.args.length > 0 && isUserOp(i.name, scope)) : expr
    if (core !== undefined && core.kind === "apply" && core.args.length > 0 && isUserOp(core.name, scope)) {
      const b = scope.lookup(core.name) as Binding & { kind: "def" }
      let label = core.name
      try {
        const args = core.args.map((a) => compiler.ev(a, scope)(new Ctx([], null, 0), env))
        label = `${core.name}(${args.map(valueToString).join(",")})`
      } catch {
        // arguments that depend on the state: the operator's name alone
      }
      return [{ name: label, loc: b.entry.def.body.loc, act: bound(compiler.actions.act(expr, scope)) }]
    }
    return [{ name, loc, act: bound(compiler.actions.act(expr, scope)) }]
  }

  const isUserOp = (name: string, scope: Scope): boolean => {
    const b = scope.lookup(name)
    return b?.kind === "def" && b.entry.def.kind === "opDef" && b.entry.def.params.length > 0
  }

  /** The elements of sets that do not depend on the state, or undefined. */
  const constantSets = (sets: Expr[], scope: Scope, env: Env | null): Value[][] | undefined => {
    try {
      return sets.map((e) => [...elementsOf(compiler.ev(e, scope)(new Ctx([], null, 0), env))])
    } catch {
      return undefined
    }
  }

  const initActs = initParts.map((p) => compiler.actions.act(p.expr, p.scope))
  const init: Act = (c, env, k) => {
    const run = (i: number): void => (i === initActs.length ? k() : initActs[i](c, env, () => run(i + 1)))
    run(0)
  }
  const next = nextExpr === undefined ? [] : subActions(nextExpr.expr, nextExpr.scope, null, nextExpr.name, nextExpr.expr.loc)

  const compiled = (name: string, expr: Expr, scope: Scope): NamedPredicate => ({ name, ...compiler.predicate(expr, scope) })
  const predicate = (name: string, what: string): NamedPredicate => {
    const { expr, scope } = bodyOf(named(name, what))
    return compiled(name, expr, scope)
  }
  /** An invariant or constraint and its top-level conjuncts (checking them in order is checking it). */
  const split = (name: string, expr: Expr, scope: Scope): StatePredicate => {
    const items = (e: Expr): Expr[] => (e.kind === "and" ? e.items.flatMap(items) : e.kind === "label" ? items(e.body) : [e])
    return { ...compiled(name, expr, scope), conjuncts: items(expr).map((e) => ({ ...compiler.predicate(e, scope), loc: e.loc })) }
  }
  const invariants = cfg.invariants.map((n) => {
    const { expr, scope } = bodyOf(named(n, "invariant"))
    if (expr.kind === "bool" && !expr.value) throw new ModelError(`The invariant of ${n} is equal to FALSE`, 151)
    return split(n, expr, scope)
  })
  const initialProperties: NamedPredicate[] = []
  const actionProperties: NamedPredicate[] = []
  for (const p of cfg.properties) {
    const { expr, scope } = bodyOf(named(p, "property"))
    const parts = conjuncts(expr, scope)
    const whole = parts.length === 1 && parts[0].expr === expr
    for (const part of parts) {
      const label = whole ? p : tlcRange(part.expr.loc)
      const e = part.expr
      if (!isTemporal(e, part.scope)) {
        warnings.push(`Warning: The formula ${label} is a state-level formula; it is checked on the initial states only.`)
        initialProperties.push(compiled(label, e, part.scope))
      } else if (e.kind === "always" && e.arg.kind === "actionBox") {
        actionProperties.push(compiled(label, e.arg, part.scope))
      } else if (e.kind === "always" && !isTemporal(e.arg, part.scope) && !hasPrime(e.arg)) {
        const inner = e.arg.kind === "apply" && e.arg.args.length === 0 ? e.arg.name : label
        invariants.push(split(inner, e.arg, part.scope))
      } else {
        unsupported.push(label)
      }
    }
  }
  const constraints = cfg.constraints.map((n) => {
    const { expr, scope } = bodyOf(named(n, "constraint"))
    return split(n, expr, scope)
  })
  const actionConstraints = cfg.actionConstraints.map((n) => predicate(n, "action constraint"))
  const view = cfg.view === undefined ? undefined : predicate(cfg.view, "view").ev
  const alias = cfg.alias === undefined ? undefined : predicate(cfg.alias, "alias").ev
  const postconditions = cfg.postconditions.map((n) => ({ ...predicate(n, "postcondition"), loc: bodyOf(named(n, "postcondition")).expr.loc }))

  let symmetry: SymmetryReduction | undefined
  if (cfg.symmetry !== undefined) {
    const permsV = predicate(cfg.symmetry, "symmetry").ev(new Ctx([], null, 0), null)
    const notPermutations = (): never => {
      throw new ModelError(`The symmetry ${cfg.symmetry} is not a set of permutations.`, 151)
    }
    if (!elementsOf(permsV).every((p) => isFunction(p) && valuesAndArgs(p).every(isModelValue))) notPermutations()
    // The identity is always applied (the state itself); only the other renamings are kept.
    const perms = permutationsOf(permsV)
    if (perms.length > 0) symmetry = new SymmetryReduction(perms)
  }

  const printOrder = variablePrintOrder(vars).map((v) => vars.indexOf(v))

  return {
    spec,
    vars,
    printOrder,
    init,
    next,
    invariants,
    initialProperties,
    actionProperties,
    constraints,
    actionConstraints,
    view,
    alias,
    postconditions,
    setStats: (record) => {
      stats = record
    },
    symmetry,
    assumptions,
    checkDeadlock: cfg.checkDeadlock ?? true,
    hasBehavior: initParts.length > 0 && nextExpr !== undefined,
    unsupported,
    warnings,
    operator: (name) => {
      const b = root.resolve(name)
      return b?.kind === "def" ? b.entry : undefined
    },
    compiler,
    rootScope
  }
}

const hasPrime = (e: unknown): boolean => {
  if (e === null || typeof e !== "object") return false
  if (Array.isArray(e)) return e.some(hasPrime)
  const o = e as Record<string, unknown>
  if (o.kind === "prime" || o.kind === "unchanged") return true
  return Object.entries(o).some(([k, v]) => k !== "loc" && k !== "nameLoc" && hasPrime(v))
}

/** A function's arguments and values. */
const valuesAndArgs = (f: Value): Value[] => {
  if (!isFunction(f)) return []
  const out: Value[] = []
  for (const [k, v] of entries(f)) out.push(k, v)
  return out
}

/**
 * Loads a spec and its configuration into a runnable model: module contexts (EXTENDS, INSTANCE,
 * LOCAL), constants from the cfg, and the compiled Init, Next (split into sub-actions),
 * invariants, properties, constraints, VIEW and SYMMETRY.
 */
import { readFileSync } from "node:fs"
import type { Definition, Expr, Module } from "../syntax/ast.ts"
import { type Loc, SyntaxError, tlcRange } from "../syntax/source.ts"
import type { CfgValue, Config } from "../check/cfg.ts"
import { loadSpec, type LoadedSpec } from "../modules/load.ts"
import { Compiler } from "./compile.ts"
import { EvalError } from "./errors.ts"
import { type Act, Ctx, Env, type Ev, type OutputSink } from "./runtime.ts"
import { type Binding, type DefEntry, type InstanceEntry, ModCtx, Scope } from "./scope.ts"
import { type Builtin, makeBuiltins, STANDARD_MODULES } from "./stdlib.ts"
import { Fcn, makeFcn, Str, ModelValue, modelValue, resetInterns, SetValue, str, toSet, type Value, isSet, LazySet } from "./value.ts"

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
}

export interface Model {
  readonly spec: LoadedSpec
  readonly vars: ReadonlyArray<string>
  /** Variable indices in the order TLC prints them. */
  readonly printOrder: ReadonlyArray<number>
  readonly init: Act
  readonly next: ReadonlyArray<SubAction>
  readonly invariants: ReadonlyArray<NamedPredicate>
  /** State-level PROPERTY conjuncts: checked on initial states only. */
  readonly initialProperties: ReadonlyArray<NamedPredicate>
  readonly actionProperties: ReadonlyArray<NamedPredicate>
  readonly constraints: ReadonlyArray<Ev>
  readonly actionConstraints: ReadonlyArray<Ev>
  readonly view: Ev | undefined
  readonly symmetry: ReadonlyArray<Permutation>
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

/** Java's String.hashCode, for TLC's variable print order. */
const javaHash = (s: string): number => {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0
  return h
}

const cfgToValue = (v: CfgValue): Value => {
  switch (v.kind) {
    case "int":
      return v.value
    case "str":
      return str(v.value)
    case "bool":
      return v.value
    case "model":
      return modelValue(v.name)
    case "set":
      return SetValue.of(v.items.map(cfgToValue))
  }
}

const TLC_BUILTIN_NAMES = ["FALSE", "TRUE", "level", "diameter", "distinct", "queue", "duration", "stats"]

export const loadModel = (specPath: string, cfg: Config, out: OutputSink): Model => {
  const spec = loadSpec(specPath)
  resetInterns([...TLC_BUILTIN_NAMES, ...cfg.tokens, ...spec.identifierOrder])
  const builtins = makeBuiltins(out)
  const vars: string[] = []
  const constants = new Map<string, Loc>()
  const constValues = new Map<string, Value>()
  const constOps = new Map<string, Binding>()
  const assumptions: Array<{ loc: Loc; ev: Ev }> = []
  const moduleCtxs = new Map<string, ModCtx[]>()
  const compiler = new Compiler(0)

  const rootFree = (name: string): Binding | undefined => {
    const op = constOps.get(name)
    if (op !== undefined) return op
    const vi = vars.indexOf(name)
    if (vi >= 0) return { kind: "var", idx: vi }
    if (constants.has(name)) return { kind: "const", name }
    return undefined
  }

  const ctxFor = (mod: Module, free: ModCtx["free"], baseDepth: number, family: Map<string, ModCtx>, rootFamily: boolean): ModCtx => {
    const existing = family.get(mod.name)
    if (existing !== undefined) return existing
    const ctx = new ModCtx(mod, free, builtins, baseDepth)
    family.set(mod.name, ctx)
    ctx.baseScope = Scope.base(ctx, baseDepth)
    const list = moduleCtxs.get(mod.name) ?? []
    list.push(ctx)
    moduleCtxs.set(mod.name, list)
    for (const ext of mod.extends) {
      if (STANDARD_MODULES.has(ext.name)) continue
      const sub = ctxFor(spec.modules.get(ext.name)!, free, baseDepth, family, rootFamily)
      for (const n of sub.exported) {
        ctx.defs.set(n, sub.defs.get(n)!)
        ctx.exported.add(n)
      }
      for (const d of sub.declared) ctx.declared.add(d)
    }
    const define = (name: string, b: Binding, local: boolean, loc: Loc): void => {
      const prev = ctx.defs.get(name)
      if (prev !== undefined && !(prev.kind === "def" && b.kind === "def" && prev.entry === b.entry)) {
        if (!(prev.kind === "builtin")) throw SyntaxError.at(loc, `multiple definitions of '${name}'`)
      }
      ctx.defs.set(name, b)
      if (!local) ctx.exported.add(name)
    }
    for (const u of mod.units) {
      switch (u.kind) {
        case "constants":
          for (const d of u.decls) {
            ctx.declared.add(d.name)
            if (rootFamily) constants.set(d.name, u.loc)
          }
          break
        case "variables":
          for (const n of u.names) {
            ctx.declared.add(n)
            if (rootFamily && !vars.includes(n)) vars.push(n)
          }
          break
        case "opDef":
        case "fcnDef":
          define(u.name, { kind: "def", entry: { name: u.name, def: u, scope: ctx.baseScope } }, u.local, u.loc)
          break
        case "instanceDef":
          define(u.name, { kind: "instance", entry: { name: u.name, def: u, scope: ctx.baseScope } }, u.local, u.loc)
          break
        case "instance": {
          const inst = instantiate(u.instance, ctx, ctx.baseScope, 0)
          for (const n of inst.exported) define(n, inst.defs.get(n)!, u.local, u.loc)
          break
        }
        case "assume":
          if (rootFamily) {
            const scope = ctx.baseScope
            const body = u.body
            assumptions.push({ loc: body.loc, ev: lazyEv(() => compiler.ev(body, scope)) })
          }
          break
        case "recursive":
          break
      }
    }
    for (const o of pendingModuleOverrides.get(mod.name) ?? []) o(ctx)
    return ctx
  }

  /** Builds the context of `INSTANCE M WITH ...`, substitutions compiled in `substScope`. */
  const instantiate = (inst: { module: string; substitutions: ReadonlyArray<{ name: string; value: Expr }>; loc: Loc }, from: ModCtx, substScope: Scope, baseDepth: number): ModCtx => {
    if (STANDARD_MODULES.has(inst.module)) {
      const ctx = new ModCtx({ name: inst.module, file: "", extends: [], units: [], loc: inst.loc }, () => undefined, builtins, 0)
      ctx.baseScope = Scope.base(ctx)
      for (const name of builtins.keys()) ctx.exported.add(name)
      for (const [name, b] of builtins) ctx.defs.set(name, { kind: "builtin", builtin: b as Builtin, name })
      return ctx
    }
    const mod = spec.modules.get(inst.module)
    if (mod === undefined) throw SyntaxError.at(inst.loc, `cannot find module ${inst.module}`)
    const subst = new Map(inst.substitutions.map((s) => [s.name, s.value]))
    const free = (name: string): Binding | undefined => {
      const e = subst.get(name)
      if (e !== undefined) return { kind: "subst", expr: e, scope: substScope, name }
      return from.resolve(name)
    }
    return ctxFor(mod, free, baseDepth, new Map(), false)
  }

  const instanceCtxs = new Map<InstanceEntry, ModCtx>()
  const resolveInstance = (entry: InstanceEntry): ModCtx => {
    let ctx = instanceCtxs.get(entry)
    if (ctx === undefined) {
      const params = entry.def.params
      const substScope = params.length === 0 ? entry.scope : entry.scope.withFrame(params.map((p) => [p.name, (depth, idx) => ({ kind: "slot", depth, idx })]))
      ctx = instantiate(entry.def.instance, entry.scope.mod, substScope, params.length === 0 ? 0 : 1)
      instanceCtxs.set(entry, ctx)
    }
    return ctx
  }
  compiler.setInstanceResolver(resolveInstance)

  const pendingModuleOverrides = new Map<string, Array<(ctx: ModCtx) => void>>()
  const root = ctxFor(spec.root, rootFree, 0, new Map(), true)
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
      const v = cfgToValue(c.value)
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
      for (const ctx of moduleCtxs.get(c.module) ?? []) apply(ctx)
      pendingModuleOverrides.set(c.module, [...(pendingModuleOverrides.get(c.module) ?? []), apply])
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
    const ctx = instanceCtxs.get(b.entry) ?? resolveInstance(b.entry)
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
  const subActions = (expr: Expr, scope: Scope, name: string, loc: Loc): SubAction[] => {
    if (expr.kind === "or") return expr.items.flatMap((i) => subActions(i, scope, name, i.loc))
    if (expr.kind === "label") return subActions(expr.body, scope, name, loc)
    if (expr.kind === "apply" && expr.args.length === 0) {
      const b = scope.lookup(expr.name)
      if (b?.kind === "def" && b.entry.override === undefined && b.entry.overrideValue === undefined && b.entry.def.kind === "opDef" && b.entry.def.params.length === 0) {
        return subActions(b.entry.def.body, b.entry.scope, expr.name, b.entry.def.body.loc)
      }
    }
    if (expr.kind === "apply" && expr.args.length > 0) {
      const b = scope.lookup(expr.name)
      if (b?.kind === "def" && b.entry.def.kind === "opDef") return [{ name: expr.name, loc: b.entry.def.body.loc, act: compiler.act(expr, scope) }]
    }
    return [{ name, loc, act: compiler.act(expr, scope) }]
  }

  const initActs = initParts.map((p) => compiler.act(p.expr, p.scope))
  const init: Act = (c, env, k) => {
    const run = (i: number): void => (i === initActs.length ? k() : initActs[i](c, env, () => run(i + 1)))
    run(0)
  }
  const next = nextExpr === undefined ? [] : subActions(nextExpr.expr, nextExpr.scope, nextExpr.name, nextExpr.expr.loc)

  const predicate = (name: string, what: string): NamedPredicate => {
    const { expr, scope } = bodyOf(named(name, what))
    if (what === "invariant" && expr.kind === "bool" && !expr.value) throw new ModelError(`The invariant of ${name} is equal to FALSE`, 151)
    return { name, ev: compiler.ev(expr, scope) }
  }
  const invariants = cfg.invariants.map((n) => predicate(n, "invariant"))
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
        initialProperties.push({ name: label, ev: compiler.ev(e, part.scope) })
      } else if (e.kind === "always" && e.arg.kind === "actionBox") {
        actionProperties.push({ name: label, ev: compiler.ev(e.arg, part.scope) })
      } else if (e.kind === "always" && !isTemporal(e.arg, part.scope) && !hasPrime(e.arg)) {
        const inner = e.arg.kind === "apply" && e.arg.args.length === 0 ? e.arg.name : label
        invariants.push({ name: inner, ev: compiler.ev(e.arg, part.scope) })
      } else {
        unsupported.push(label)
      }
    }
  }
  const constraints = cfg.constraints.map((n) => predicate(n, "constraint").ev)
  const actionConstraints = cfg.actionConstraints.map((n) => predicate(n, "action constraint").ev)
  const view = cfg.view === undefined ? undefined : predicate(cfg.view, "view").ev

  let symmetry: Permutation[] = []
  if (cfg.symmetry !== undefined) {
    const permsV = predicate(cfg.symmetry, "symmetry").ev(new Ctx([], null, 0), null)
    if (!isSet(permsV)) throw new ModelError(`The symmetry ${cfg.symmetry} is not a set of permutations.`, 151)
    symmetry = toSet(permsV).elems.map((p, id) => {
      if (!(p instanceof Fcn)) throw new ModelError(`The symmetry ${cfg.symmetry} is not a set of permutations.`, 151)
      const m = new Map<ModelValue, ModelValue>()
      p.dom.forEach((d, i) => {
        if (d instanceof ModelValue && p.vals[i] instanceof ModelValue) m.set(d, p.vals[i] as ModelValue)
      })
      return new Permutation(m, id)
    })
  }

  const printOrder = vars
    .map((v, i) => ({ i, k: (javaHash(v) & 0x7fffffff) % 191 }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.i)

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

const lazyEv = (make: () => Ev): Ev => {
  let ev: Ev | undefined
  return (c, env) => (ev ??= make())(c, env)
}

const hasPrime = (e: unknown): boolean => {
  if (e === null || typeof e !== "object") return false
  if (Array.isArray(e)) return e.some(hasPrime)
  const o = e as Record<string, unknown>
  if (o.kind === "prime" || o.kind === "unchanged") return true
  return Object.entries(o).some(([k, v]) => k !== "loc" && k !== "nameLoc" && hasPrime(v))
}

/** One SYMMETRY permutation: a renaming of model values, numbered for the fingerprint caches. */
export class Permutation {
  constructor(
    readonly map: ReadonlyMap<ModelValue, ModelValue>,
    readonly id: number
  ) {}
}

export const readConfigFile = (path: string): string => readFileSync(path, "utf8")
export { EvalError, Env }

/**
 * The module graph of a spec: one context per module as seen from where it is used. The root
 * module and the modules it EXTENDS share the spec's constants and variables; every INSTANCE
 * gets its own contexts, whose constants and variables are the WITH substitutions (or, when not
 * substituted, the same names where the INSTANCE appears). LOCAL definitions are not exported.
 */
import type { Expr, Module } from "../syntax/ast.ts"
import { type Loc, SyntaxError } from "../syntax/source.ts"
import type { LoadedSpec } from "../modules/load.ts"
import type { Compiler } from "./compile.ts"
import type { Ev } from "./runtime.ts"
import { type Binding, type InstanceEntry, ModCtx, Scope } from "./scope.ts"
import { type Builtin, STANDARD_MODULES } from "./stdlib.ts"

export class ModuleGraph {
  /** The state variables, in declaration order (root module and what it extends). */
  readonly vars: string[] = []
  /** The spec's CONSTANTs and where they are declared. */
  readonly constants = new Map<string, Loc>()
  /** Constants replaced by an operator in the cfg (`C <- Op`). */
  readonly constOps = new Map<string, Binding>()
  readonly assumptions: Array<{ readonly loc: Loc; readonly ev: Ev }> = []
  /** Every context built for a module, by module name (cfg `[Mod]` overrides apply to all). */
  readonly moduleCtxs = new Map<string, ModCtx[]>()
  readonly root: ModCtx
  private readonly instances = new Map<InstanceEntry, ModCtx>()
  private readonly onInstantiate = new Map<string, Array<(ctx: ModCtx) => void>>()

  constructor(
    private readonly spec: LoadedSpec,
    private readonly builtins: ReadonlyMap<string, Builtin>,
    private readonly compiler: Compiler
  ) {
    compiler.setInstanceResolver((entry) => this.instance(entry))
    const rootFree = (name: string): Binding | undefined => {
      const op = this.constOps.get(name)
      if (op !== undefined) return op
      const vi = this.vars.indexOf(name)
      if (vi >= 0) return { kind: "var", idx: vi }
      if (this.constants.has(name)) return { kind: "const", name }
      return undefined
    }
    this.root = this.build(spec.root, rootFree, 0, new Map(), true)
  }

  /** The context of a named instance (`I == INSTANCE M WITH ..`), built on first use. */
  instance(entry: InstanceEntry): ModCtx {
    let ctx = this.instances.get(entry)
    if (ctx === undefined) {
      const params = entry.def.params
      const substScope = params.length === 0 ? entry.scope : entry.scope.withFrame(params.map((p) => [p.name, (depth, idx) => ({ kind: "slot", depth, idx })]))
      ctx = this.instantiate(entry.def.instance, entry.scope.mod, substScope, params.length === 0 ? 0 : 1)
      this.instances.set(entry, ctx)
    }
    return ctx
  }

  /** Runs `f` on every context of `module`, now and when more are built. */
  whenInstantiated(module: string, f: (ctx: ModCtx) => void): void {
    for (const ctx of this.moduleCtxs.get(module) ?? []) f(ctx)
    this.onInstantiate.set(module, [...(this.onInstantiate.get(module) ?? []), f])
  }

  private build(mod: Module, free: ModCtx["free"], baseDepth: number, family: Map<string, ModCtx>, rootFamily: boolean): ModCtx {
    const existing = family.get(mod.name)
    if (existing !== undefined) return existing
    const ctx = new ModCtx(mod, free, this.builtins, baseDepth)
    family.set(mod.name, ctx)
    ctx.baseScope = Scope.base(ctx, baseDepth)
    this.moduleCtxs.set(mod.name, [...(this.moduleCtxs.get(mod.name) ?? []), ctx])
    for (const ext of mod.extends) {
      if (STANDARD_MODULES.has(ext.name)) continue
      const sub = this.build(this.spec.modules.get(ext.name)!, free, baseDepth, family, rootFamily)
      for (const n of sub.exported) {
        ctx.defs.set(n, sub.defs.get(n)!)
        ctx.exported.add(n)
      }
      for (const d of sub.declared) ctx.declared.add(d)
    }
    const define = (name: string, b: Binding, local: boolean, loc: Loc): void => {
      const prev = ctx.defs.get(name)
      if (prev !== undefined && prev.kind !== "builtin" && !(prev.kind === "def" && b.kind === "def" && prev.entry === b.entry)) {
        throw SyntaxError.at(loc, `multiple definitions of '${name}'`)
      }
      ctx.defs.set(name, b)
      if (!local) ctx.exported.add(name)
    }
    for (const u of mod.units) {
      switch (u.kind) {
        case "constants":
          for (const d of u.decls) {
            ctx.declared.add(d.name)
            if (rootFamily) this.constants.set(d.name, u.loc)
          }
          break
        case "variables":
          for (const n of u.names) {
            ctx.declared.add(n)
            if (rootFamily && !this.vars.includes(n)) this.vars.push(n)
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
          const inst = this.instantiate(u.instance, ctx, ctx.baseScope, 0)
          for (const n of inst.exported) define(n, inst.defs.get(n)!, u.local, u.loc)
          break
        }
        case "assume":
          if (rootFamily) this.assumptions.push({ loc: u.body.loc, ev: this.lazyEv(u.body, ctx.baseScope) })
          break
        case "recursive":
          break
      }
    }
    for (const f of this.onInstantiate.get(mod.name) ?? []) f(ctx)
    return ctx
  }

  /** The context of `INSTANCE M WITH ...`, its substitutions compiled in `substScope`. */
  private instantiate(
    inst: { module: string; substitutions: ReadonlyArray<{ name: string; value: Expr }>; loc: Loc },
    from: ModCtx,
    substScope: Scope,
    baseDepth: number
  ): ModCtx {
    if (STANDARD_MODULES.has(inst.module)) {
      const ctx = new ModCtx({ name: inst.module, file: "", extends: [], units: [], loc: inst.loc }, () => undefined, this.builtins, 0)
      ctx.baseScope = Scope.base(ctx)
      for (const [name, b] of this.builtins) {
        ctx.defs.set(name, { kind: "builtin", builtin: b, name })
        ctx.exported.add(name)
      }
      return ctx
    }
    const mod = this.spec.modules.get(inst.module)
    if (mod === undefined) throw SyntaxError.at(inst.loc, `cannot find module ${inst.module}`)
    const subst = new Map(inst.substitutions.map((s) => [s.name, s.value]))
    const free = (name: string): Binding | undefined => {
      const e = subst.get(name)
      if (e !== undefined) return { kind: "subst", expr: e, scope: substScope, name }
      return from.resolve(name)
    }
    return this.build(mod, free, baseDepth, new Map(), false)
  }

  /** ASSUMEs compile when first checked (the cfg's constants are known by then). */
  private lazyEv(body: Expr, scope: Scope): Ev {
    let ev: Ev | undefined
    return (c, env) => (ev ??= this.compiler.ev(body, scope))(c, env)
  }
}

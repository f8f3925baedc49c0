/**
 * Name resolution: compile-time scopes (bound variables, parameters, LET definitions) and module
 * contexts (the definitions, constants and variables a module can see, with INSTANCE
 * substitutions). A scope knows how many runtime frames lie below it, so a name compiles to
 * "walk up k frames, take slot i".
 */
import type { Definition, Expr, Module } from "../syntax/ast.ts"
import type { Builtin } from "./stdlib.ts"
import type { Act, Env, Ev } from "./runtime.ts"
import type { Value } from "../values/index.ts"

export type Binding =
  | { readonly kind: "slot"; readonly depth: number; readonly idx: number }
  | { readonly kind: "opParam"; readonly depth: number; readonly idx: number; readonly arity: number }
  | { readonly kind: "let"; readonly depth: number; readonly idx: number; readonly def: LetDef }
  | { readonly kind: "def"; readonly entry: DefEntry }
  | { readonly kind: "instance"; readonly entry: InstanceEntry }
  | { readonly kind: "builtin"; readonly builtin: Builtin; readonly name: string }
  | { readonly kind: "const"; readonly name: string }
  | { readonly kind: "var"; readonly idx: number }
  | { readonly kind: "subst"; readonly expr: Expr; readonly scope: Scope; readonly name: string }

export class Scope {
  constructor(
    readonly names: ReadonlyMap<string, Binding>,
    readonly parent: Scope | null,
    /** Runtime frames below and including this scope's own frame. */
    readonly depth: number,
    readonly mod: ModCtx
  ) {}
  static base(mod: ModCtx, depth = 0, parent: Scope | null = null): Scope {
    return new Scope(new Map(), parent, depth, mod)
  }
  /** A scope whose names live in one new runtime frame, in the given order. */
  withFrame(entries: ReadonlyArray<[string, (depth: number, idx: number) => Binding]>): Scope {
    const depth = this.depth + 1
    const names = new Map<string, Binding>()
    entries.forEach(([name, make], idx) => names.set(name, make(depth, idx)))
    return new Scope(names, this, depth, this.mod)
  }
  lookup(name: string): Binding | undefined {
    for (let s: Scope | null = this; s !== null; s = s.parent) {
      const b = s.names.get(name)
      if (b !== undefined) return b
    }
    return this.mod.resolve(name)
  }
}

/** A LET definition: compiled once, instantiated per evaluation of its LET with the frame it closes over. */
export interface LetDef {
  readonly def: Definition
  readonly scope: Scope
  ev?: (c: import("./runtime.ts").Ctx, env: Env | null, args: unknown[]) => Value
  act?: (c: import("./runtime.ts").Ctx, env: Env | null, args: unknown[], k: () => void) => void
  /** Zero-arity definitions that read no primed variable can be cached per LET evaluation. */
  cacheable?: boolean
  /** Whether its body reads the next state (undefined until compiled). */
  primes?: boolean
}

/** A module-level operator or function definition. */
export interface DefEntry {
  readonly name: string
  readonly def: Definition & { kind: "opDef" | "fcnDef" }
  /** The scope its body is compiled in (the module's base scope). */
  readonly scope: Scope
  /** cfg `Op <- Other`: references go to the replacement instead. */
  override?: DefEntry
  /** cfg `Op = value` for a definition overridden by a value. */
  overrideValue?: Value
  call?: (c: import("./runtime.ts").Ctx, base: Env | null, args: unknown[]) => Value
  act?: (c: import("./runtime.ts").Ctx, base: Env | null, args: unknown[], k: () => void) => void
  /** undefined while compiling; true when its value depends on state or effects. */
  stateful?: boolean
  /** undefined while compiling; true when its body reads the next state (primes). */
  primes?: boolean
  /** undefined while compiling; true when it has effects or reads the checker's state (Print, TLCGet). */
  effects?: boolean
  compiling?: boolean
}

export interface InstanceEntry {
  readonly name: string
  readonly def: Definition & { kind: "instanceDef" }
  readonly scope: Scope
  ctx?: ModCtx
}

/** The names a module sees. `free` resolves declared constants and variables (globally, or via substitution). */
export class ModCtx {
  readonly defs = new Map<string, Binding>()
  readonly exported = new Set<string>()
  readonly declared = new Set<string>()
  constructor(
    readonly module: Module,
    readonly free: (name: string) => Binding | undefined,
    readonly builtins: ReadonlyMap<string, Builtin>,
    /** Depth of the base scope (1 inside a parametrized instance). */
    readonly baseDepth: number
  ) {}
  baseScope?: Scope
  resolve(name: string): Binding | undefined {
    const d = this.defs.get(name)
    if (d !== undefined) return d
    if (this.declared.has(name)) {
      const f = this.free(name)
      if (f !== undefined) return f
    }
    const b = this.builtins.get(name)
    if (b !== undefined) return { kind: "builtin", builtin: b, name }
    return undefined
  }
}

export type { Act, Ev }

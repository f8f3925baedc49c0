/**
 * Actions and initial predicates in enumeration mode: a compiled action calls its continuation
 * once for every way it can be satisfied, with the assignable variables written into the
 * context's partial state (`x' = e`, `x' \in S`, or unprimed `x = e` in Init). While some
 * variable is unassigned it branches on \/, => and \E and goes into operator and LET bodies;
 * \A is a conjunction over its elements; IF and CASE evaluate their conditions; once every
 * variable is assigned the rest is a plain boolean test. That is how TLC counts "states
 * generated" (one per way an action is satisfied, duplicates included).
 */
import type { Definition, Expr } from "../syntax/ast.ts"
import { type Loc, tlcRange } from "../syntax/source.ts"
import { bool, type Compiler, letInstance, runChain, runFrames, walk } from "./compile.ts"
import { EvalError } from "./errors.ts"
import { type Act, type Ctx, Env, type Ev } from "./runtime.ts"
import type { DefEntry, LetDef, Scope } from "./scope.ts"
import { elementsOf, equals } from "../values/index.ts"

export class Enumerator {
  /** Acts that only test a formula (they assign nothing and never branch), with that formula. */
  private readonly tests = new WeakMap<Act, { readonly ev: Ev; readonly loc: Loc }>()
  constructor(private readonly c: Compiler) {}

  /** Compiles `e` as an action/initial predicate in enumeration mode. */
  act(e: Expr, scope: Scope): Act {
    const nvars = this.c.nvars
    const assigned = (c: Ctx): boolean => {
      const a = c.n ?? c.s
      for (let i = 0; i < nvars; i++) if (a[i] === undefined) return false
      return true
    }
    const test = (): Act => {
      const ev = this.c.ev(e, scope)
      const loc = e.loc
      const act: Act = (c, env, k) => {
        if (bool(ev(c, env), loc, "action")) k()
      }
      this.tests.set(act, { ev, loc })
      return act
    }
    switch (e.kind) {
      case "bool":
        return e.value ? (_c, _env, k) => k() : () => {}
      case "label":
        return this.act(e.body, scope)
      case "and": {
        const items = e.items.map((i) => this.act(i, scope))
        if (items.length === 1) return items[0]
        // Leading tests (an action's guards) are checked in a loop, without continuations:
        // most actions are disabled by them.
        let lead = 0
        while (lead < items.length && this.tests.has(items[lead])) lead++
        if (lead === 0) return (c, env, k) => runChain(items, 0, c, env, k)
        const guards = items.slice(0, lead).map((a) => this.tests.get(a)!)
        const rest = items.slice(lead)
        return (c, env, k) => {
          for (let i = 0; i < guards.length; i++) if (!bool(guards[i].ev(c, env), guards[i].loc, "action")) return
          if (rest.length === 0) k()
          else runChain(rest, 0, c, env, k)
        }
      }
      case "or": {
        const items = e.items.map((i) => this.act(i, scope))
        const asTest = test()
        return (c, env, k) => {
          if (assigned(c)) return asTest(c, env, k)
          for (const it of items) it(c, env, k)
        }
      }
      case "implies": {
        const a = this.c.ev(e.left, scope)
        const b = this.act(e.right, scope)
        const asTest = test()
        return (c, env, k) => {
          if (assigned(c)) return asTest(c, env, k)
          if (!bool(a(c, env), e.left.loc)) k()
          else b(c, env, k)
        }
      }
      case "if": {
        const cond = this.c.ev(e.cond, scope)
        const t = this.act(e.then, scope)
        const f = this.act(e.else, scope)
        return (c, env, k) => (bool(cond(c, env), e.cond.loc, "IF condition") ? t(c, env, k) : f(c, env, k))
      }
      case "case": {
        const arms = e.arms.map((a) => ({ guard: this.c.ev(a.guard, scope), body: this.act(a.body, scope), loc: a.guard.loc }))
        const other = e.other === undefined ? undefined : this.act(e.other, scope)
        return (c, env, k) => {
          for (const a of arms) if (bool(a.guard(c, env), a.loc)) return a.body(c, env, k)
          if (other !== undefined) return other(c, env, k)
          throw new EvalError(`Attempted to evaluate a CASE with no conditions true.\n${tlcRange(e.loc)}`)
        }
      }
      case "let": {
        const { inner, defs } = this.c.letScope(e, scope)
        for (const d of defs) this.c.compileLetDef(d)
        const body = this.act(e.body, inner)
        const n = defs.length
        return (c, env, k) => body(c, new Env(new Array(n), env), k)
      }
      case "exists":
      case "forall": {
        const bounds = this.c.compileBounds(e.bounds, scope)
        const names = e.bounds.flatMap((b) => this.c.patternNames(b.patterns))
        const body = this.act(e.body, this.c.frameScope(scope, names))
        const asTest = test()
        const size = names.length
        const frames = (c: Ctx, env: Env | null): Env[] => {
          const out: Env[] = []
          this.c.forEachBinding(c, env, bounds, size, (frame) => {
            out.push(new Env(frame.v.slice(), env))
          })
          return out
        }
        if (e.kind === "exists") {
          return (c, env, k) => {
            if (assigned(c)) return asTest(c, env, k)
            for (const f of frames(c, env)) body(c, f, k)
          }
        }
        return (c, env, k) => runFrames(body, frames(c, env), 0, c, k)
      }
      case "apply":
        return this.actApply(e, scope) ?? test()
      case "instanceRef": {
        const { binding, last, base } = this.c.resolvePath(e, scope)
        if (binding.kind !== "def") return test()
        const entry = this.c.target(binding.entry)
        if (entry.def.kind !== "opDef" || entry.overrideValue !== undefined) return test()
        const params = entry.def.params
        const args = this.c.argsFn(this.c.compileArgs(last.args, params.map((p) => p.arity), scope))
        return (c, env, k) => this.defAct(entry)(c, base(c, env), args(c, env), k)
      }
      case "unchanged": {
        const idxs = this.varsOf(e.arg, scope)
        if (idxs === undefined) return test()
        return (c, env, k) => this.assignEach(c, idxs, 0, k)
      }
      case "actionBox": {
        const a = this.act(e.action, scope)
        const idxs = this.varsOf(e.sub, scope)
        if (idxs === undefined) return test()
        return (c, env, k) => {
          a(c, env, k)
          this.assignEach(c, idxs, 0, k)
        }
      }
      default:
        return test()
    }
  }

  /** UNCHANGED <<x, y>>: assign each unassigned x' to x, or test it. */
  private assignEach(c: Ctx, idxs: number[], i: number, k: () => void): void {
    if (i === idxs.length) return k()
    const n = c.n
    if (n === null) throw new EvalError("UNCHANGED used outside an action")
    const j = idxs[i]
    if (n[j] === undefined) {
      n[j] = c.s[j]
      try {
        this.assignEach(c, idxs, i + 1, k)
      } finally {
        n[j] = undefined
      }
    } else if (equals(n[j]!, c.s[j]!)) this.assignEach(c, idxs, i + 1, k)
  }

  /** The state variables an expression like `x`, `<<x, y>>` or `vars` stands for, if it is just that. */
  private varsOf(e: Expr, scope: Scope): number[] | undefined {
    if (e.kind === "tuple") {
      const out: number[] = []
      for (const i of e.items) {
        const sub = this.varsOf(i, scope)
        if (sub === undefined) return undefined
        out.push(...sub)
      }
      return out
    }
    if (e.kind === "apply" && e.args.length === 0) {
      const b = scope.lookup(e.name)
      if (b === undefined) return undefined
      if (b.kind === "var") return [b.idx]
      if (b.kind === "subst") return this.varsOf(b.expr, b.scope)
      if (b.kind === "def") {
        const entry = this.c.target(b.entry)
        if (entry.def.kind === "opDef" && entry.def.params.length === 0 && entry.overrideValue === undefined) return this.varsOf(entry.def.body, entry.scope)
      }
    }
    return undefined
  }

  /** The state variable assigned by `x' = e` / `x' \in S` (or `x = e` in Init), if the left side is one. */
  private assignTarget(left: Expr, scope: Scope): { idx: number; primed: boolean } | undefined {
    const primed = left.kind === "prime"
    const inner = primed ? (left as Expr & { kind: "prime" }).arg : left
    const idxs = inner.kind === "apply" && inner.args.length === 0 ? this.varsOf(inner, scope) : undefined
    if (idxs === undefined || idxs.length !== 1) return undefined
    return { idx: idxs[0], primed }
  }

  private actApply(e: Expr & { kind: "apply" }, scope: Scope): Act | undefined {
    if ((e.name === "=" || e.name === "\\in") && e.args.length === 2) {
      const t = this.assignTarget(e.args[0], scope)
      if (t === undefined) return undefined
      const rhs = this.c.ev(e.args[1], scope)
      const fallback = this.c.ev(e, scope)
      const idx = t.idx
      const isIn = e.name === "\\in"
      return (c, env, k) => {
        const target = t.primed ? c.n : c.n === null ? c.s : null
        if (target === null || target[idx] !== undefined) {
          if (bool(fallback(c, env), e.loc)) k()
          return
        }
        const v = rhs(c, env)
        try {
          if (isIn) {
            for (const x of elementsOf(v)) {
              target[idx] = x
              k()
            }
          } else {
            target[idx] = v
            k()
          }
        } finally {
          target[idx] = undefined
        }
      }
    }
    if (e.name === "=" || e.name === "#" || e.name === "\\in" || e.name === "\\notin") return undefined
    const b = scope.lookup(e.name)
    if (b === undefined) return undefined
    if (b.kind === "def") {
      const entry = this.c.target(b.entry)
      if (entry.def.kind !== "opDef" || entry.overrideValue !== undefined) return undefined
      const params = entry.def.params
      if (params.length !== e.args.length) return undefined
      const args = this.c.argsFn(this.c.compileArgs(e.args, params.map((p) => p.arity), scope))
      const base = this.c.baseFor(entry.scope, scope)
      // Looked up on first use, when every definition is compiled (recursive ones included).
      let act: NonNullable<DefEntry["act"]> | undefined
      return (c, env, k) => (act ??= this.defAct(entry))(c, base(env), args(c, env), k)
    }
    if (b.kind === "let") {
      const d = b.def.def
      if (d.kind !== "opDef" || d.params.length !== e.args.length) return undefined
      const up = scope.depth - b.depth
      const args = this.c.argsFn(this.c.compileArgs(e.args, d.params.map((p) => p.arity), scope))
      return (c, env, k) => letInstance(walk(env, up)!, b.idx, b.def).act(c, args(c, env), k, this)
    }
    if (b.kind === "subst") {
      const up = scope.depth - b.scope.depth
      const a = this.act(b.expr, b.scope)
      return (c, env, k) => a(c, walk(env, up), k)
    }
    return undefined
  }

  defAct(entry: DefEntry): NonNullable<DefEntry["act"]> {
    if (entry.act !== undefined) return entry.act
    const def = entry.def as Definition & { kind: "opDef" }
    entry.act = (c, base, args, k) => {
      // placeholder while compiling recursive definitions
      const call = this.c.defCall(entry)
      if (bool(call(c, base, args), def.body.loc, "action")) k()
    }
    const scope = def.params.length === 0 ? entry.scope : this.c.paramScope(entry.scope, def.params)
    const body = this.act(def.body, scope)
    entry.act = def.params.length === 0 ? (c, base, _args, k) => body(c, base, k) : (c, base, args, k) => body(c, new Env(args, base), k)
    return entry.act
  }

  letAct(ld: LetDef): NonNullable<LetDef["act"]> {
    if (ld.act !== undefined) return ld.act
    const d = ld.def as Definition & { kind: "opDef" }
    const s = d.params.length === 0 ? ld.scope : this.c.paramScope(ld.scope, d.params)
    ld.act = (c, env, args, k) => {
      if (bool(ld.ev!(c, env, args), d.body.loc, "action")) k()
    }
    const body = this.act(d.body, s)
    ld.act = d.params.length === 0 ? (c, env, _args, k) => body(c, env, k) : (c, env, args, k) => body(c, new Env(args, env), k)
    return ld.act
  }
}

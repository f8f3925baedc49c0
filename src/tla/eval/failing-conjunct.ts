/**
 * Diagnosis of an action that does not hold on a step: the innermost FALSE conjunct. The search
 * follows the evaluation the way a reader of the spec would: through conjunctions, LET bodies,
 * the taken branch of IF and CASE, labels, and into the definitions of operators applied there,
 * so the answer is a line such as `m.mterm = currentTerm[i]` rather than the whole action.
 */
import type { Expr } from "../syntax/ast.ts"
import type { Loc } from "../syntax/source.ts"
import type { Compiler } from "./compile.ts"
import { EvalError } from "./errors.ts"
import { type Ctx, Env } from "./runtime.ts"
import type { DefEntry, Scope } from "./scope.ts"
import type { Value } from "../values/index.ts"

/** How deep operator applications are followed (recursive operators stop here). */
const MAX_DEPTH = 24

/** The innermost FALSE (or failing to evaluate) conjunct of `entry(args)` on the context's step. */
export const findFailingConjunct = (compiler: Compiler, entry: DefEntry, args: ReadonlyArray<Value>, c: Ctx): Loc | undefined => {
  const def = entry.def
  if (def.kind !== "opDef") return undefined
  const slots = (scope: Scope, names: ReadonlyArray<string>): Scope =>
    scope.withFrame(names.map((n) => [n, (depth, idx) => ({ kind: "slot", depth, idx })]))

  /** Evaluates to a boolean, or to the error that stopped it. */
  const evaluate = (e: Expr, scope: Scope, env: Env | null): Value | EvalError => {
    try {
      return compiler.ev(e, scope)(c, env)
    } catch (error) {
      if (error instanceof EvalError) return error
      throw error
    }
  }

  /** Within an expression known to be FALSE (or failing): the smallest part that makes it so. */
  const within = (e: Expr, scope: Scope, env: Env | null, depth: number): Loc => {
    if (depth > MAX_DEPTH) return e.loc
    switch (e.kind) {
      case "and":
        for (const item of e.items) {
          if (evaluate(item, scope, env) !== true) return within(item, scope, env, depth + 1)
        }
        return e.loc
      case "label":
        return within(e.body, scope, env, depth + 1)
      case "let": {
        const { inner, defs } = compiler.letScope(e, scope)
        for (const d of defs) compiler.compileLetDef(d)
        // Definitions are instantiated in the frame on first use, as in evaluation (compile.ts).
        const frame = new Env(new Array(defs.length), env)
        return within(e.body, inner, frame, depth + 1)
      }
      case "if": {
        const cond = evaluate(e.cond, scope, env)
        if (cond === true) return within(e.then, scope, env, depth + 1)
        if (cond === false) return within(e.else, scope, env, depth + 1)
        return e.cond.loc
      }
      case "case": {
        for (const arm of e.arms) {
          const guard = evaluate(arm.guard, scope, env)
          if (guard === true) return within(arm.body, scope, env, depth + 1)
          if (guard !== false) return arm.guard.loc
        }
        return e.other === undefined ? e.loc : within(e.other, scope, env, depth + 1)
      }
      case "apply": {
        const b = scope.lookup(e.name)
        if (b?.kind !== "def" || b.entry.def.kind !== "opDef" || b.entry.override !== undefined || b.entry.overrideValue !== undefined) return e.loc
        // Only module-level definitions: their bodies need no frame but their own parameters.
        if (b.entry.scope.depth !== 0) return e.loc
        const d = b.entry.def
        if (d.params.some((p) => p.arity > 0)) return e.loc
        const argv: Value[] = []
        for (const a of e.args) {
          const v = evaluate(a, scope, env)
          if (v instanceof EvalError) return a.loc
          argv.push(v)
        }
        const inner = d.params.length === 0 ? b.entry.scope : slots(b.entry.scope, d.params.map((p) => p.name))
        const found = within(d.body, inner, d.params.length === 0 ? null : new Env(argv, null), depth + 1)
        // Inside the definition only the whole body failed: the application itself says more.
        return found === d.body.loc ? e.loc : found
      }
      default:
        return e.loc
    }
  }

  const scope = def.params.length === 0 ? entry.scope : slots(entry.scope, def.params.map((p) => p.name))
  const env = def.params.length === 0 ? null : new Env([...args], null)
  if (evaluate(def.body, scope, env) === true) return undefined
  return within(def.body, scope, env, 0)
}

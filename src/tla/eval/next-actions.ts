/**
 * The shape of a next-state relation, read from its text: its top-level disjuncts and, under
 * each, the actions a behaviour takes through it. An action is an operator applied where Next
 * chooses (under \/, \E, IF/CASE branches, LET bodies) whose own body does not choose further;
 * an operator that only dispatches (`Receive(m) == \/ A(m) \/ B(m)`) is looked through.
 * Coverage reports count trace steps against this shape.
 */
import type { Expr } from "../syntax/ast.ts"
import type { Loc } from "../syntax/source.ts"
import type { Scope } from "./scope.ts"

export interface NextDisjunct {
  readonly loc: Loc
  /** The actions reached through this disjunct, in the order they appear. */
  readonly actions: ReadonlyArray<string>
}

/** Strips what does not choose between actions: labels and LET. */
const core = (e: Expr): Expr => (e.kind === "label" || e.kind === "let" ? core(e.body) : e)

const choosing = (e: Expr): boolean => {
  const k = core(e).kind
  return k === "or" || k === "exists" || k === "if" || k === "case"
}

export const nextDisjuncts = (body: Expr, scope: Scope): NextDisjunct[] => {
  const collect = (e: Expr, scope: Scope, out: string[], seen: ReadonlySet<string>): void => {
    switch (e.kind) {
      case "or":
        for (const item of e.items) collect(item, scope, out, seen)
        return
      case "exists":
      case "label":
      case "let":
        // Bound names and LET definitions never name an action of the module, so the
        // module scope is enough to resolve what the body applies.
        collect(e.body, scope, out, seen)
        return
      case "if":
        collect(e.then, scope, out, seen)
        collect(e.else, scope, out, seen)
        return
      case "case":
        for (const arm of e.arms) collect(arm.body, scope, out, seen)
        if (e.other !== undefined) collect(e.other, scope, out, seen)
        return
      case "and": {
        // `Guard /\ A(x)`: the one applied operator that is an action stands for the conjunction.
        const applied = e.items.filter((item) => item.kind === "apply" && isDefinition(item.name, scope))
        if (applied.length === 1) collect(applied[0], scope, out, seen)
        return
      }
      case "apply": {
        const b = scope.lookup(e.name)
        if (b?.kind !== "def" || b.entry.def.kind !== "opDef" || seen.has(e.name)) return
        if (choosing(b.entry.def.body)) collect(b.entry.def.body, b.entry.scope, out, new Set([...seen, e.name]))
        else if (!out.includes(e.name)) out.push(e.name)
        return
      }
      default:
        return
    }
  }
  const isDefinition = (name: string, scope: Scope): boolean => {
    const b = scope.lookup(name)
    return b?.kind === "def" && b.entry.def.kind === "opDef"
  }
  const top = core(body)
  const items = top.kind === "or" ? top.items : [top]
  return items.map((item) => {
    const actions: string[] = []
    collect(item, scope, actions, new Set())
    return { loc: item.loc, actions }
  })
}

/**
 * Our own syntax tree for TLA+ modules. Every node keeps its source range so that
 * diagnostics (TLC-style locations, failing conjuncts) can point back at the text.
 */
import type { Loc } from "./source.ts"

/** A bound variable pattern: a name, or a tuple of names `<<x, y>>`. */
export type Pattern = { readonly names: ReadonlyArray<string>; readonly tuple: boolean }

/** `x \in S` (or `x, y \in S`, or `<<x, y>> \in S`); `set` is absent for unbounded `\E x : P`. */
export interface Bound {
  readonly patterns: ReadonlyArray<Pattern>
  readonly set: Expr | undefined
}

/** One step of an EXCEPT path: `[e]` (args) or `.f` (a field, stored as its string). */
export type ExceptStep = { readonly kind: "index"; readonly args: ReadonlyArray<Expr> } | { readonly kind: "field"; readonly name: string }

/** `name(args)` after a `!` in `M!Op(args)` or `I(x)!Op`. */
export interface PathStep {
  readonly name: string
  readonly args: ReadonlyArray<Expr>
}

export type Expr =
  | { readonly kind: "num"; readonly value: number; readonly loc: Loc }
  | { readonly kind: "str"; readonly value: string; readonly loc: Loc }
  | { readonly kind: "bool"; readonly value: boolean; readonly loc: Loc }
  /** An identifier or operator applied to arguments (infix/prefix operators too, by symbol). */
  | { readonly kind: "apply"; readonly name: string; readonly args: ReadonlyArray<Expr>; readonly loc: Loc; readonly nameLoc: Loc }
  /** `A!B(x)!Op(args)`: operators reached through instances. */
  | { readonly kind: "instanceRef"; readonly path: ReadonlyArray<PathStep>; readonly loc: Loc }
  | { readonly kind: "and"; readonly items: ReadonlyArray<Expr>; readonly loc: Loc; readonly bulleted: boolean }
  | { readonly kind: "or"; readonly items: ReadonlyArray<Expr>; readonly loc: Loc; readonly bulleted: boolean }
  | { readonly kind: "not"; readonly arg: Expr; readonly loc: Loc }
  | { readonly kind: "implies"; readonly left: Expr; readonly right: Expr; readonly loc: Loc }
  | { readonly kind: "equiv"; readonly left: Expr; readonly right: Expr; readonly loc: Loc }
  | { readonly kind: "if"; readonly cond: Expr; readonly then: Expr; readonly else: Expr; readonly loc: Loc }
  | { readonly kind: "case"; readonly arms: ReadonlyArray<{ readonly guard: Expr; readonly body: Expr }>; readonly other: Expr | undefined; readonly loc: Loc }
  | { readonly kind: "let"; readonly defs: ReadonlyArray<Definition>; readonly body: Expr; readonly loc: Loc }
  | { readonly kind: "forall" | "exists"; readonly bounds: ReadonlyArray<Bound>; readonly body: Expr; readonly loc: Loc }
  | { readonly kind: "choose"; readonly pattern: Pattern; readonly set: Expr | undefined; readonly body: Expr; readonly loc: Loc }
  | { readonly kind: "setEnum"; readonly items: ReadonlyArray<Expr>; readonly loc: Loc }
  | { readonly kind: "setFilter"; readonly pattern: Pattern; readonly set: Expr; readonly body: Expr; readonly loc: Loc }
  | { readonly kind: "setMap"; readonly body: Expr; readonly bounds: ReadonlyArray<Bound>; readonly loc: Loc }
  | { readonly kind: "tuple"; readonly items: ReadonlyArray<Expr>; readonly loc: Loc }
  | { readonly kind: "product"; readonly items: ReadonlyArray<Expr>; readonly loc: Loc }
  | { readonly kind: "fcnCons"; readonly bounds: ReadonlyArray<Bound>; readonly body: Expr; readonly loc: Loc }
  | { readonly kind: "fcnApp"; readonly fcn: Expr; readonly args: ReadonlyArray<Expr>; readonly loc: Loc }
  | { readonly kind: "fcnSet"; readonly domain: Expr; readonly range: Expr; readonly loc: Loc }
  | { readonly kind: "record"; readonly fields: ReadonlyArray<{ readonly name: string; readonly value: Expr }>; readonly loc: Loc }
  | { readonly kind: "recordSet"; readonly fields: ReadonlyArray<{ readonly name: string; readonly value: Expr }>; readonly loc: Loc }
  | { readonly kind: "except"; readonly fcn: Expr; readonly updates: ReadonlyArray<{ readonly path: ReadonlyArray<ExceptStep>; readonly value: Expr }>; readonly loc: Loc }
  | { readonly kind: "at"; readonly loc: Loc }
  | { readonly kind: "prime"; readonly arg: Expr; readonly loc: Loc }
  | { readonly kind: "unchanged"; readonly arg: Expr; readonly loc: Loc }
  | { readonly kind: "enabled"; readonly arg: Expr; readonly loc: Loc }
  /** `[A]_v` (box) and `<<A>>_v` (angle). */
  | { readonly kind: "actionBox" | "actionAngle"; readonly action: Expr; readonly sub: Expr; readonly loc: Loc }
  | { readonly kind: "always" | "eventually"; readonly arg: Expr; readonly loc: Loc }
  | { readonly kind: "leadsTo"; readonly left: Expr; readonly right: Expr; readonly loc: Loc }
  | { readonly kind: "fairness"; readonly strong: boolean; readonly sub: Expr; readonly action: Expr; readonly loc: Loc }
  | { readonly kind: "lambda"; readonly params: ReadonlyArray<string>; readonly body: Expr; readonly loc: Loc }
  | { readonly kind: "label"; readonly name: string; readonly body: Expr; readonly loc: Loc }

/** A formal parameter: arity 0 for an ordinary one, n for `F(_, _)`. */
export interface Param {
  readonly name: string
  readonly arity: number
}

export type Definition =
  | { readonly kind: "opDef"; readonly name: string; readonly params: ReadonlyArray<Param>; readonly body: Expr; readonly local: boolean; readonly recursive: boolean; readonly loc: Loc }
  | { readonly kind: "fcnDef"; readonly name: string; readonly bounds: ReadonlyArray<Bound>; readonly body: Expr; readonly local: boolean; readonly loc: Loc }
  | { readonly kind: "instanceDef"; readonly name: string; readonly params: ReadonlyArray<Param>; readonly instance: Instance; readonly local: boolean; readonly loc: Loc }

export interface Instance {
  readonly module: string
  readonly substitutions: ReadonlyArray<{ readonly name: string; readonly value: Expr }>
  readonly loc: Loc
}

export type Unit =
  | Definition
  | { readonly kind: "constants"; readonly decls: ReadonlyArray<Param>; readonly loc: Loc }
  | { readonly kind: "variables"; readonly names: ReadonlyArray<string>; readonly loc: Loc }
  | { readonly kind: "assume"; readonly name: string | undefined; readonly body: Expr; readonly loc: Loc }
  | { readonly kind: "instance"; readonly instance: Instance; readonly local: boolean; readonly loc: Loc }
  | { readonly kind: "recursive"; readonly decls: ReadonlyArray<Param>; readonly loc: Loc }

export interface Module {
  readonly name: string
  readonly file: string
  readonly extends: ReadonlyArray<{ readonly name: string; readonly loc: Loc }>
  readonly units: ReadonlyArray<Unit>
  readonly loc: Loc
}

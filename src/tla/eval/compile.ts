/**
 * Compiles TLA+ expressions to JS closures once, so that checking a state runs closures, not a
 * tree walk. Here an expression compiles to its value (formulas are JS booleans; /\ \/ => IF
 * short-circuit left to right like TLC); ./enumerate.ts compiles actions and initial predicates
 * in enumeration mode, using the helpers below (names resolve to "k frames up, slot i").
 */
import type { Bound, Definition, Expr, ExceptStep, Pattern } from "../syntax/ast.ts"
import { type Loc, SyntaxError, tlcRange } from "../syntax/source.ts"
import {
  apply, BOOLEAN, bigUnion, difference, domainOf, elementsOf, EMPTY_SET, equals, FcnSetValue, functionBuilder,
  indexInDomain, intersection, isFunction, isInfinite, isSet, isStr, isSubset, Kind, LazyFunctionValue, makeFunction,
  member, ProductValue, RecordSetValue, RecordValue, setFromCanonical, setOf, show, str, STRING, subsetOf, tuple,
  union, valuesOf, withValueAt, type FunctionLike, type SetLike, type StrValue, type Value
} from "../values/index.ts"
import { EvalError } from "./errors.ts"

/** No points: a function constructor whose body is not `f[k]` walks nothing. */
const EMPTY_DOMAIN: readonly Value[] = []
import { Enumerator } from "./enumerate.ts"
import { type Act, Ctx, Env, type Ev, type OpVal, readBit } from "./runtime.ts"
import { type Binding, type DefEntry, type InstanceEntry, type LetDef, ModCtx, Scope } from "./scope.ts"

export const walk = (env: Env | null, n: number): Env | null => {
  for (let i = 0; i < n; i++) env = env!.up
  return env
}

export const bool = (v: Value, loc: Loc, what = "formula"): boolean => {
  if (v === true || v === false) return v
  throw new EvalError(`A non-boolean expression (${show(v)}) was used as a ${what}.\n${tlcRange(loc)}`)
}

/** A set operand, with TLC-style wording when it is not one. */
export const setArg = (v: Value, op: string): SetLike => {
  if (!isSet(v)) throw new EvalError(`Attempted to apply ${op} to the non-set value:\n${show(v)}`)
  return v
}

/** Adds the source range of the expression being evaluated to errors passing through. */
const located = (ev: Ev, loc: Loc): Ev => (c, env) => {
  try {
    return ev(c, env)
  } catch (e) {
    if (e instanceof EvalError && e.positions.length < 8) e.positions.unshift(loc)
    throw e
  }
}

const FOUND = Symbol("found")

export class Compiler {
  /**
   * Set while compiling an expression: 1 reads the state or has effects, 2 reads bound
   * variables, 4 reads the next state (primes), 8 has effects or reads the checker's state
   * (Print, TLCGet...). Constant parts (0) are computed once.
   */
  private deps = 0
  /** The enumeration-mode compilation of actions (./enumerate.ts). */
  readonly actions: Enumerator
  constructor(readonly nvars: number) {
    this.actions = new Enumerator(this)
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * For a function constructor's body `f[k]`, with `f` a plain name other than the bound `k`: `f`
   * compiled in the enclosing scope (it cannot depend on `k`); undefined for any other body.
   */
  private restrictedFunction(body: Expr, bound: string, scope: Scope): Ev | undefined {
    if (body.kind !== "fcnApp" || body.args.length !== 1) return undefined
    const arg = body.args[0]
    const fcn = body.fcn
    if (arg.kind !== "apply" || arg.args.length !== 0 || arg.name !== bound) return undefined
    if (fcn.kind !== "apply" || fcn.args.length !== 0 || fcn.name === bound) return undefined
    return this.ev(fcn, scope)
  }

  patternNames(patterns: ReadonlyArray<Pattern>): string[] {
    return patterns.flatMap((p) => p.names)
  }

  /** Binds one element to a pattern's slots in a frame. */
  private bindPattern(p: Pattern, v: Value, frame: unknown[], at: number): number {
    if (!p.tuple) {
      frame[at] = v
      return at + 1
    }
    if (typeof v !== "object" || v.kind !== Kind.Tuple || v.elems.length !== p.names.length) {
      throw new EvalError(`A tuple binder <<${p.names.join(", ")}>> cannot be matched with ${show(v)}`)
    }
    for (let i = 0; i < p.names.length; i++) frame[at + i] = v.elems[i]
    return at + p.names.length
  }

  /** All combinations of bound values, in TLC's enumeration order (first bound outermost). */
  forEachBinding(
    c: Ctx,
    env: Env | null,
    bounds: ReadonlyArray<{ patterns: ReadonlyArray<Pattern>; set: Ev }>,
    size: number,
    body: (frame: Env) => boolean | void
  ): boolean {
    return this.bindFrom(c, env, bounds, new Env(new Array(size), env), body, 0, 0, 0, undefined)
  }

  // Written as a method, not as nested named closures: tsx compiles with keepNames, which
  // wraps every named closure created at run time in a costly __name call.
  private bindFrom(
    c: Ctx,
    env: Env | null,
    bounds: ReadonlyArray<{ patterns: ReadonlyArray<Pattern>; set: Ev }>,
    frame: Env,
    body: (frame: Env) => boolean | void,
    bi: number,
    pi: number,
    pos: number,
    elems: ReadonlyArray<Value> | undefined
  ): boolean {
    if (bi === bounds.length) return body(frame) === true
    const b = bounds[bi]
    if (pi === b.patterns.length) return this.bindFrom(c, env, bounds, frame, body, bi + 1, 0, pos, undefined)
    const es = elems ?? elementsOf(b.set(c, env))
    for (const v of es) {
      const next = this.bindPattern(b.patterns[pi], v, frame.v, pos)
      if (this.bindFrom(c, env, bounds, frame, body, bi, pi + 1, next, es)) return true
    }
    return false
  }

  compileBounds(bounds: ReadonlyArray<Bound>, scope: Scope): Array<{ patterns: ReadonlyArray<Pattern>; set: Ev }> {
    return bounds.map((b) => {
      if (b.set === undefined) throw new EvalError(`TLC cannot handle an unbounded quantifier over ${this.patternNames(b.patterns).join(", ")}`)
      return { patterns: b.patterns, set: this.ev(b.set, scope) }
    })
  }

  frameScope(scope: Scope, names: ReadonlyArray<string>): Scope {
    return scope.withFrame(names.map((n) => [n, (depth, idx) => ({ kind: "slot", depth, idx })]))
  }

  /** Wraps a constant subexpression so it is computed once, on first use. */
  private memo(ev: Ev): Ev {
    let done = false
    let val: Value
    return (c, env) => {
      if (!done) {
        val = ev(c, env)
        done = true
      }
      return val
    }
  }

  // ---- definitions ------------------------------------------------------------------------------

  target(entry: DefEntry): DefEntry {
    let e = entry
    while (e.override !== undefined) e = e.override
    return e
  }

  /** Compiles a module-level definition's body (lazily, once). */
  defCall(entry0: DefEntry): NonNullable<DefEntry["call"]> {
    const entry = this.target(entry0)
    if (entry.call !== undefined) return entry.call
    if (entry.overrideValue !== undefined) {
      const v = entry.overrideValue
      entry.stateful = false
      return (entry.call = () => v)
    }
    entry.compiling = true
    const saved = this.deps
    this.deps = 0
    const def = entry.def
    try {
      if (def.kind === "fcnDef") {
        entry.call = this.fcnDefValue(def, entry.scope)
      } else {
        const params = def.params
        const scope = params.length === 0 ? entry.scope : this.paramScope(entry.scope, params)
        const body = located(this.ev(def.body, scope), def.body.loc)
        entry.call = params.length === 0 ? (c, base) => body(c, base) : (c, base, args) => body(c, new Env(args, base))
      }
      entry.stateful = (this.deps & 1) !== 0 || entry.scope.mod.baseDepth > 0
      entry.primes = (this.deps & 4) !== 0
      entry.effects = (this.deps & 8) !== 0
      if (!entry.stateful && def.kind === "opDef" && def.params.length === 0) {
        const inner = entry.call
        let done = false
        let val: Value
        entry.call = (c, base, args) => {
          if (!done) {
            val = inner(c, base, args)
            done = true
          }
          return val
        }
      }
    } finally {
      entry.compiling = false
      this.deps = saved | (entry.stateful !== false ? 1 : 0) | (entry.primes !== false ? 4 : 0) | (entry.effects !== false ? 8 : 0)
    }
    return entry.call
  }

  paramScope(scope: Scope, params: ReadonlyArray<{ name: string; arity: number }>): Scope {
    return scope.withFrame(
      params.map((p) => [p.name, (depth, idx) => (p.arity === 0 ? { kind: "slot", depth, idx } : { kind: "opParam", depth, idx, arity: p.arity })])
    )
  }

  /** `f[x \in S] == body`: the function, possibly recursive (the body may apply f itself). */
  private fcnDefValue(def: Definition & { kind: "fcnDef" }, scope: Scope): NonNullable<DefEntry["call"]> {
    const bounds = this.compileBounds(def.bounds, scope)
    const names = def.bounds.flatMap((b) => this.patternNames(b.patterns))
    const bodyScope = this.frameScope(scope, names)
    const body = this.ev(def.body, bodyScope)
    const single = def.bounds.length === 1 && def.bounds[0].patterns.length === 1
    const build = (c: Ctx, env: Env | null): Value => {
      if (single) {
        const setV = setArg(bounds[0].set(c, env), "a function definition")
        const pat = def.bounds[0].patterns[0]
        const evalAt = (v: Value): Value => {
          const frame = new Env(new Array(names.length), env)
          this.bindPattern(pat, v, frame.v, 0)
          return body(c, frame)
        }
        if (isInfinite(setV)) return new LazyFunctionValue(def.name, setV, evalAt)
        const dom = elementsOf(setV)
        const vals: Value[] = new Array(dom.length)
        // While the function is built, applications of it compute the missing points first.
        const pending = new LazyFunctionValue(def.name, setV, (v) => {
          const i = dom.findIndex((d) => equals(d, v))
          if (vals[i] === undefined) vals[i] = evalAt(v)
          return vals[i]
        })
        building.set(def, pending)
        try {
          for (let i = 0; i < dom.length; i++) if (vals[i] === undefined) vals[i] = evalAt(dom[i])
        } finally {
          building.delete(def)
        }
        return functionBuilder(dom)(vals)
      }
      return this.buildFcn(c, env, bounds, names.length, body)
    }
    const building = new Map<Definition, Value>()
    return (c, base) => building.get(def) ?? build(c, base)
  }

  private buildFcn(c: Ctx, env: Env | null, bounds: Array<{ patterns: ReadonlyArray<Pattern>; set: Ev }>, size: number, body: Ev): Value {
    const dom: Value[] = []
    const vals: Value[] = []
    // The domain is made of tuples when there are several bound variables, or a tuple binder.
    const multi = bounds.length > 1 || bounds[0].patterns.length > 1 || bounds[0].patterns[0].tuple
    this.forEachBinding(c, env, bounds, size, (frame) => {
      dom.push(multi ? tuple(frame.v.slice(0, size) as Value[]) : (frame.v[0] as Value))
      vals.push(body(c, frame))
    })
    return makeFunction(dom, vals)
  }

  /** A compiled reference to an operator used as an argument (`F(_)` parameters). */
  private opArg(e: Expr, scope: Scope, arity: number): (c: Ctx, env: Env | null) => OpVal {
    if (e.kind === "lambda") {
      const s = this.frameScope(scope, e.params)
      const body = this.ev(e.body, s)
      this.deps |= 2
      return (_c, env) => (c2, args) => body(c2, new Env(args, env))
    }
    if (e.kind === "apply" && e.args.length === 0) {
      const b = scope.lookup(e.name)
      if (b !== undefined) {
        switch (b.kind) {
          case "opParam": {
            const up = scope.depth - b.depth
            this.deps |= 2
            return (_c, env) => walk(env, up)!.v[b.idx] as OpVal
          }
          case "def": {
            const entry = b.entry
            const base = this.baseFor(entry.scope, scope)
            return (_c, env) => (c2, args) => this.defCall(entry)(c2, base(env), args)
          }
          case "builtin":
            return () => (c2, args) => b.builtin.fn(c2, args)
          case "let": {
            const up = scope.depth - b.depth
            this.deps |= 2
            return (_c, env) => {
              const inst = letInstance(walk(env, up)!, b.idx, b.def)
              return (c2, args) => inst.call(c2, args)
            }
          }
        }
      }
    }
    throw SyntaxError.at(e.loc, `expected an operator of ${arity} argument(s)`)
  }

  /** The runtime base frame for a definition compiled in `defScope`, seen from `from`. */
  baseFor(defScope: Scope, from: Scope): (env: Env | null) => Env | null {
    const baseDepth = defScope.depth
    if (baseDepth === 0) return () => null
    const up = from.depth - baseDepth
    if (from.mod !== defScope.mod || up < 0) throw new EvalError("a definition of a parametrized instance used outside its instance")
    this.deps |= 2
    return (env) => walk(env, up)
  }

  compileArgs(args: ReadonlyArray<Expr>, arities: ReadonlyArray<number>, scope: Scope): Array<(c: Ctx, env: Env | null) => unknown> {
    return args.map((a, i) => ((arities[i] ?? 0) > 0 ? this.opArg(a, scope, arities[i]) : this.ev(a, scope)))
  }

  argsFn(args: Array<(c: Ctx, env: Env | null) => unknown>): (c: Ctx, env: Env | null) => unknown[] {
    switch (args.length) {
      case 0:
        return () => []
      case 1: {
        const [a] = args
        return (c, env) => [a(c, env)]
      }
      case 2: {
        const [a, b] = args
        return (c, env) => [a(c, env), b(c, env)]
      }
      default:
        return (c, env) => args.map((a) => a(c, env))
    }
  }

  // ---- expressions ------------------------------------------------------------------------------

  /**
   * Compiles a predicate the checker evaluates on states; `stateOnly` when its value depends on
   * the variables alone (no effects, no TLCGet), so it can be skipped when they are unchanged.
   */
  predicate(e: Expr, scope: Scope): { ev: Ev; stateOnly: boolean } {
    const saved = this.deps
    this.deps = 0
    const ev = this.ev(e, scope)
    const stateOnly = (this.deps & 8) === 0
    this.deps = saved
    return { ev, stateOnly }
  }

  /** Compiles `e` to a value closure; constant subexpressions are computed once. */
  ev(e: Expr, scope: Scope): Ev {
    const saved = this.deps
    this.deps = 0
    let ev = this.evInner(e, scope)
    if (this.deps === 0 && e.kind !== "num" && e.kind !== "str" && e.kind !== "bool") ev = this.memo(ev)
    this.deps |= saved
    return ev
  }

  private evInner(e: Expr, scope: Scope): Ev {
    switch (e.kind) {
      case "num":
      case "str":
      case "bool": {
        const v: Value = e.kind === "str" ? str(e.value) : e.value
        return () => v
      }
      case "apply":
        return this.evApply(e, scope)
      case "instanceRef":
        return this.evInstanceRef(e, scope)
      case "and": {
        const items = e.items.map((i) => this.ev(i, scope))
        const locs = e.items.map((i) => i.loc)
        return (c, env) => {
          for (let i = 0; i < items.length; i++) if (!bool(items[i](c, env), locs[i])) return false
          return true
        }
      }
      case "or": {
        const items = e.items.map((i) => this.ev(i, scope))
        const locs = e.items.map((i) => i.loc)
        return (c, env) => {
          for (let i = 0; i < items.length; i++) if (bool(items[i](c, env), locs[i])) return true
          return false
        }
      }
      case "not": {
        const a = this.ev(e.arg, scope)
        return (c, env) => !bool(a(c, env), e.loc)
      }
      case "implies": {
        const a = this.ev(e.left, scope)
        const b = this.ev(e.right, scope)
        return (c, env) => !bool(a(c, env), e.left.loc) || bool(b(c, env), e.right.loc)
      }
      case "equiv": {
        const a = this.ev(e.left, scope)
        const b = this.ev(e.right, scope)
        return (c, env) => bool(a(c, env), e.left.loc) === bool(b(c, env), e.right.loc)
      }
      case "if": {
        const cond = this.ev(e.cond, scope)
        const t = this.ev(e.then, scope)
        const f = this.ev(e.else, scope)
        return (c, env) => (bool(cond(c, env), e.cond.loc, "IF condition") ? t(c, env) : f(c, env))
      }
      case "case": {
        const arms = e.arms.map((a) => ({ guard: this.ev(a.guard, scope), body: this.ev(a.body, scope), loc: a.guard.loc }))
        const other = e.other === undefined ? undefined : this.ev(e.other, scope)
        return (c, env) => {
          for (const a of arms) if (bool(a.guard(c, env), a.loc)) return a.body(c, env)
          if (other !== undefined) return other(c, env)
          throw new EvalError(`Attempted to evaluate a CASE with no conditions true.\n${tlcRange(e.loc)}`)
        }
      }
      case "let":
        return this.evLet(e, scope)
      case "forall":
      case "exists": {
        const bounds = this.compileBounds(e.bounds, scope)
        const names = e.bounds.flatMap((b) => this.patternNames(b.patterns))
        const body = this.ev(e.body, this.frameScope(scope, names))
        const isAll = e.kind === "forall"
        const loc = e.body.loc
        if (bounds.length === 1 && bounds[0].patterns.length === 1 && !bounds[0].patterns[0].tuple) {
          const set = bounds[0].set
          return (c, env) => {
            const frame = new Env([undefined], env)
            const sv = set(c, env)
            if (typeof sv === "object" && sv.kind === Kind.Interval) {
              // `\A k \in 1..n`: the integers in order, without building the set.
              for (let k = sv.lo; k <= sv.hi; k++) {
                frame.v[0] = k
                if (bool(body(c, frame), loc) !== isAll) return !isAll
              }
              return isAll
            }
            for (const v of elementsOf(sv)) {
              frame.v[0] = v
              if (bool(body(c, frame), loc) !== isAll) return !isAll
            }
            return isAll
          }
        }
        if (names.length === 2 && e.bounds.every((b) => b.patterns.every((p) => !p.tuple))) {
          // `\A i, j \in S` and `\A i \in S, j \in T`: two loops. The second set is computed
          // once (not per element of the first), and only if the first is not empty.
          const first = bounds[0].set
          const second = bounds.length === 1 ? undefined : bounds[1].set
          return (c, env) => {
            const outer = elementsOf(first(c, env))
            if (outer.length === 0) return isAll
            const inner = second === undefined ? outer : elementsOf(second(c, env))
            const frame = new Env([undefined, undefined], env)
            for (let a = 0; a < outer.length; a++) {
              frame.v[0] = outer[a]
              for (let b = 0; b < inner.length; b++) {
                frame.v[1] = inner[b]
                if (bool(body(c, frame), loc) !== isAll) return !isAll
              }
            }
            return isAll
          }
        }
        return (c, env) => {
          const hit = this.forEachBinding(c, env, bounds, names.length, (frame) => bool(body(c, frame), loc) !== isAll)
          return hit ? !isAll : isAll
        }
      }
      case "choose": {
        if (e.set === undefined) throw SyntaxError.at(e.loc, "TLC cannot evaluate an unbounded CHOOSE")
        const set = this.ev(e.set, scope)
        const body = this.ev(e.body, this.frameScope(scope, e.pattern.names))
        return (c, env) => {
          const frame = new Env(new Array(e.pattern.names.length), env)
          for (const v of elementsOf(set(c, env))) {
            this.bindPattern(e.pattern, v, frame.v, 0)
            if (bool(body(c, frame), e.body.loc)) return v
          }
          throw new EvalError(
            `Attempted to compute the value of an expression of form\nCHOOSE x \\in S: P, but no element of S satisfied P.\n${tlcRange(e.loc)}`
          )
        }
      }
      case "setEnum": {
        const items = e.items.map((i) => this.ev(i, scope))
        if (items.length === 0) return () => EMPTY_SET
        return (c, env) => setOf(items.map((i) => i(c, env)))
      }
      case "setFilter": {
        const set = this.ev(e.set, scope)
        const body = this.ev(e.body, this.frameScope(scope, e.pattern.names))
        return (c, env) => {
          const frame = new Env(new Array(e.pattern.names.length), env)
          const out: Value[] = []
          // A subset of a canonical element list, in its order: canonical too.
          for (const v of elementsOf(set(c, env))) {
            this.bindPattern(e.pattern, v, frame.v, 0)
            if (bool(body(c, frame), e.body.loc)) out.push(v)
          }
          return setFromCanonical(out)
        }
      }
      case "setMap": {
        const bounds = this.compileBounds(e.bounds, scope)
        const names = e.bounds.flatMap((b) => this.patternNames(b.patterns))
        const body = this.ev(e.body, this.frameScope(scope, names))
        return (c, env) => {
          const out: Value[] = []
          this.forEachBinding(c, env, bounds, names.length, (frame) => {
            out.push(body(c, frame))
          })
          return setOf(out)
        }
      }
      case "tuple": {
        const items = e.items.map((i) => this.ev(i, scope))
        return (c, env) => tuple(items.map((i) => i(c, env)))
      }
      case "product": {
        const items = e.items.map((i) => this.ev(i, scope))
        return (c, env) => new ProductValue(items.map((i) => setArg(i(c, env), "\\X")))
      }
      case "fcnCons": {
        const bounds = this.compileBounds(e.bounds, scope)
        const names = e.bounds.flatMap((b) => this.patternNames(b.patterns))
        const body = this.ev(e.body, this.frameScope(scope, names))
        if (bounds.length === 1 && bounds[0].patterns.length === 1 && !bounds[0].patterns[0].tuple) {
          const set = bounds[0].set
          const restricted = this.restrictedFunction(e.body, names[0], scope)
          // The domain is often the same (constant) set every time: reuse its builder.
          let lastDom: readonly Value[] | undefined
          let build: (values: Value[]) => FunctionLike = () => tuple([])
          return (c, env) => {
            const dom = elementsOf(set(c, env))
            if (dom !== lastDom) {
              build = functionBuilder(dom)
              lastDom = dom
            }
            const vals = new Array<Value>(dom.length)
            const frame = new Env([undefined], env)
            // `[k \in S |-> f[k]]` where S is part of DOMAIN f (`[k \in DOMAIN msgs \ {m} |-> msgs[k]]`,
            // a bag losing a message): S's elements are f's own domain elements in the same order,
            // so f's values are taken by walking along its domain rather than by a search per
            // element. Anything else is left to the body, which gives the same value or error.
            const f = restricted !== undefined && dom.length > 0 ? restricted(c, env) : undefined
            const fDom = typeof f === "object" && f.kind === Kind.Fcn ? f.domain : EMPTY_DOMAIN
            const fVals = typeof f === "object" && f.kind === Kind.Fcn ? f.values : EMPTY_DOMAIN
            let j = 0
            for (let i = 0; i < dom.length; i++) {
              const x = dom[i]
              if (fDom[j] !== x && fDom[j + 1] === x) j++
              if (fDom[j] === x) {
                vals[i] = fVals[j++]
                continue
              }
              frame.v[0] = x
              vals[i] = body(c, frame)
            }
            return build(vals)
          }
        }
        return (c, env) => this.buildFcn(c, env, bounds, names.length, body)
      }
      case "fcnApp": {
        const f = this.ev(e.fcn, scope)
        const args = e.args.map((a) => this.ev(a, scope))
        const loc = e.loc
        if (args.length === 1) {
          const a = args[0]
          return (c, env) => applyAt(f(c, env), a(c, env), loc)
        }
        return (c, env) => applyAt(f(c, env), tuple(args.map((a) => a(c, env))), loc)
      }
      case "fcnSet": {
        const d = this.ev(e.domain, scope)
        const r = this.ev(e.range, scope)
        return (c, env) => new FcnSetValue(setArg(d(c, env), "[S -> T]"), setArg(r(c, env), "[S -> T]"))
      }
      case "record": {
        // Fields in TLC's order (by intern position), fixed once the names are interned.
        const { names, order } = fieldOrder(e.fields.map((f) => f.name), e.loc)
        const vals = order.map((k) => this.ev(e.fields[k].value, scope))
        return (c, env) => {
          const values = new Array<Value>(vals.length)
          for (let i = 0; i < vals.length; i++) values[i] = vals[i](c, env)
          return new RecordValue(names, values)
        }
      }
      case "recordSet": {
        const { names, order } = fieldOrder(e.fields.map((f) => f.name), e.loc)
        const vals = order.map((k) => this.ev(e.fields[k].value, scope))
        return (c, env) => new RecordSetValue(names, vals.map((v) => setArg(v(c, env), "a record set")))
      }
      case "except":
        return this.evExcept(e, scope)
      case "at": {
        const b = scope.lookup("@")
        if (b === undefined || b.kind !== "slot") throw SyntaxError.at(e.loc, "'@' used outside an EXCEPT")
        const up = scope.depth - b.depth
        this.deps |= 2
        return (_c, env) => walk(env, up)!.v[b.idx] as Value
      }
      case "prime": {
        const a = this.ev(e.arg, scope)
        this.deps |= 5
        return (c, env) => {
          const p = c.primed()
          if (p === undefined) throw new EvalError(`A primed expression was evaluated outside an action.\n${tlcRange(e.loc)}`)
          return a(p, env)
        }
      }
      case "unchanged": {
        const a = this.ev(e.arg, scope)
        this.deps |= 5
        return (c, env) => {
          const p = c.primed()
          if (p === undefined) throw new EvalError(`UNCHANGED was evaluated outside an action.\n${tlcRange(e.loc)}`)
          return equals(a(p, env), a(c, env))
        }
      }
      case "enabled": {
        const act = this.actions.act(e.arg, scope)
        this.deps |= 1
        const n = this.nvars
        return (c, env) => {
          // Reads the state in its own context: count it as reading every variable.
          c.reads = -1
          const ctx = new Ctx(c.s, new Array(n).fill(undefined), c.level)
          try {
            // Enabled as soon as the action can be satisfied; unmentioned variables may take any value.
            act(ctx, env, () => {
              throw FOUND
            })
          } catch (x) {
            if (x === FOUND) return true
            throw x
          }
          return false
        }
      }
      case "actionBox":
      case "actionAngle": {
        const a = this.ev(e.action, scope)
        const v = this.ev(e.sub, scope)
        this.deps |= 5
        const box = e.kind === "actionBox"
        // Like TLC, the action first: [A]_v is TRUE when A is, and only then is v compared.
        return (c, env) => {
          const p = c.primed()
          if (p === undefined) throw new EvalError(`An action was evaluated outside a step.\n${tlcRange(e.loc)}`)
          if (box) return bool(a(c, env), e.action.loc) || equals(v(p, env), v(c, env))
          return bool(a(c, env), e.action.loc) && !equals(v(p, env), v(c, env))
        }
      }
      case "label":
        return this.ev(e.body, scope)
      case "lambda":
        throw SyntaxError.at(e.loc, "a LAMBDA can only be an argument of an operator")
      case "always":
      case "eventually":
      case "leadsTo":
      case "fairness":
        this.deps |= 5
        return () => {
          throw new EvalError(`Temporal formulas cannot be evaluated here.\n${tlcRange(e.loc)}`)
        }
    }
  }

  private evApply(e: Expr & { kind: "apply" }, scope: Scope): Ev {
    const args = e.args
    const two = (f: (a: Value, b: Value) => Value): Ev => {
      const a = this.ev(args[0], scope)
      const b = this.ev(args[1], scope)
      return (c, env) => f(a(c, env), b(c, env))
    }
    const one = (f: (a: Value) => Value): Ev => {
      const a = this.ev(args[0], scope)
      return (c, env) => f(a(c, env))
    }
    // Operators built into the language; they cannot be redefined.
    switch (e.name) {
      case "=":
      case "#": {
        // The most frequent operators, without the extra call of `two`.
        const a = this.ev(args[0], scope)
        const b = this.ev(args[1], scope)
        if (e.name === "#") return (c, env) => !equals(a(c, env), b(c, env))
        return (c, env) => equals(a(c, env), b(c, env))
      }
      case "\\in": {
        const a = this.ev(args[0], scope)
        const b = this.ev(args[1], scope)
        return (c, env) => member(a(c, env), b(c, env))
      }
      case "\\notin":
        return two((a, b) => !member(a, b))
      case "\\cup":
        return two(union)
      case "\\cap":
        return two(intersection)
      case "\\":
        return two(difference)
      case "\\subseteq":
        return two(isSubset)
      case "SUBSET":
        return one((a) => subsetOf(setArg(a, "SUBSET")))
      case "UNION":
        return one(bigUnion)
      case "DOMAIN":
        return one(domainOf)
      case "BOOLEAN":
        return () => BOOLEAN
      case "STRING":
        return () => STRING
    }
    const b = scope.lookup(e.name)
    if (b === undefined) throw SyntaxError.at(e.nameLoc, `unknown operator '${e.name}'`)
    return this.evBinding(b, e, scope)
  }

  private evBinding(b: Binding, e: Expr & { kind: "apply" }, scope: Scope): Ev {
    const nargs = e.args.length
    const checkArity = (n: number): void => {
      if (n !== nargs) throw SyntaxError.at(e.nameLoc, `operator '${e.name}' takes ${n} argument(s), ${nargs} given`)
    }
    switch (b.kind) {
      case "slot": {
        checkArity(0)
        const up = scope.depth - b.depth
        this.deps |= 2
        const idx = b.idx
        if (up === 0) return (_c, env) => env!.v[idx] as Value
        if (up === 1) return (_c, env) => env!.up!.v[idx] as Value
        if (up === 2) return (_c, env) => env!.up!.up!.v[idx] as Value
        return (_c, env) => walk(env, up)!.v[idx] as Value
      }
      case "opParam": {
        checkArity(b.arity)
        const up = scope.depth - b.depth
        const args = this.argsFn(this.compileArgs(e.args, [], scope))
        // an operator argument may be anything, primes and effects included
        this.deps |= 15
        return (c, env) => (walk(env, up)!.v[b.idx] as OpVal)(c, args(c, env) as Value[])
      }
      case "let": {
        const params = b.def.def.kind === "opDef" ? b.def.def.params : []
        checkArity(params.length)
        const up = scope.depth - b.depth
        const args = this.argsFn(this.compileArgs(e.args, params.map((p) => p.arity), scope))
        this.deps |= b.def.primes === false ? 3 : 15
        return (c, env) => letInstance(walk(env, up)!, b.idx, b.def).call(c, args(c, env))
      }
      case "def": {
        const entry = this.target(b.entry)
        const params = entry.def.kind === "opDef" ? entry.def.params : []
        checkArity(params.length)
        const args = this.argsFn(this.compileArgs(e.args, params.map((p) => p.arity), scope))
        const base = this.baseFor(entry.scope, scope)
        if (!entry.compiling) this.defCall(entry)
        if (entry.stateful !== false) this.deps |= 1
        if (entry.primes !== false) this.deps |= 4
        if (entry.effects !== false) this.deps |= 8
        const call = entry.call
        // A definition compiled by now (all but recursive ones) is called directly.
        if (call !== undefined && entry.scope.depth === 0) return (c, env) => call(c, null, args(c, env))
        return (c, env) => (entry.call ?? this.defCall(entry))(c, base(env), args(c, env))
      }
      case "instance":
        throw SyntaxError.at(e.nameLoc, `instance '${e.name}' must be used as ${e.name}!Op`)
      case "builtin": {
        checkArity(b.builtin.params.length)
        const { unary, binary } = b.builtin
        if (!b.builtin.pure) this.deps |= 9
        if (binary !== undefined) {
          const x = this.ev(e.args[0], scope)
          const y = this.ev(e.args[1], scope)
          return (c, env) => binary(x(c, env), y(c, env))
        }
        if (unary !== undefined) {
          const x = this.ev(e.args[0], scope)
          return (c, env) => unary(x(c, env))
        }
        const args = this.argsFn(this.compileArgs(e.args, b.builtin.params, scope))
        const fn = b.builtin.fn
        return (c, env) => fn(c, args(c, env))
      }
      case "const":
        checkArity(0)
        return this.constValue(b.name, e.nameLoc)
      case "var": {
        checkArity(0)
        const idx = b.idx
        const bit = readBit(idx)
        this.deps |= 1
        return (c) => {
          const v = c.s[idx]
          if (v === undefined) throw new EvalError(`The variable ${e.name} was referenced before it was assigned a value.\n${tlcRange(e.loc)}`)
          c.reads |= bit
          return v
        }
      }
      case "subst": {
        checkArity(0)
        const ev = this.ev(b.expr, b.scope)
        const up = scope.depth - b.scope.depth
        this.deps |= 2
        return (c, env) => ev(c, walk(env, up))
      }
    }
  }

  /** Supplied by the spec loader: the value of a CONSTANT from the configuration. */
  constValue: (name: string, loc: Loc) => Ev = (name, loc) => {
    throw SyntaxError.at(loc, `constant ${name} has no value`)
  }

  private instanceCtx: (entry: InstanceEntry) => ModCtx = () => {
    throw new Error("instance contexts are not configured")
  }
  setInstanceResolver(f: (entry: InstanceEntry) => ModCtx): void {
    this.instanceCtx = f
  }

  /** Resolves `A!B!Op` to the final binding and the function computing the base frame. */
  resolvePath(e: Expr & { kind: "instanceRef" }, scope: Scope): { binding: Binding; last: { name: string; args: ReadonlyArray<Expr> }; base: (c: Ctx, env: Env | null) => Env | null; scope: Scope } {
    let base: (c: Ctx, env: Env | null) => Env | null = () => null
    let current: Scope = scope
    for (let i = 0; i < e.path.length - 1; i++) {
      const step = e.path[i]
      const b = i === 0 ? scope.lookup(step.name) : current.mod.resolve(step.name)
      if (b === undefined || b.kind !== "instance") throw SyntaxError.at(e.loc, `'${step.name}' is not an instance`)
      const ctx = this.instanceCtx(b.entry)
      const params = b.entry.def.params
      if (params.length !== step.args.length) throw SyntaxError.at(e.loc, `instance '${step.name}' takes ${params.length} argument(s)`)
      if (params.length > 0) {
        const args = this.argsFn(this.compileArgs(step.args, params.map((p) => p.arity), scope))
        base = (c, env) => new Env(args(c, env), null)
        this.deps |= 2
      }
      current = ctx.baseScope!
    }
    const last = e.path[e.path.length - 1]
    const binding = current.mod.resolve(last.name)
    if (binding === undefined || (binding.kind === "def" && binding.entry.def.local)) {
      throw SyntaxError.at(e.loc, `unknown operator '${last.name}' in instance`)
    }
    return { binding, last, base, scope: current }
  }

  private evInstanceRef(e: Expr & { kind: "instanceRef" }, scope: Scope): Ev {
    const { binding, last, base } = this.resolvePath(e, scope)
    if (binding.kind === "def") {
      const entry = this.target(binding.entry)
      const params = entry.def.kind === "opDef" ? entry.def.params : []
      if (params.length !== last.args.length) throw SyntaxError.at(e.loc, `operator '${last.name}' takes ${params.length} argument(s)`)
      const args = this.argsFn(this.compileArgs(last.args, params.map((p) => p.arity), scope))
      this.deps |= 13
      return (c, env) => this.defCall(entry)(c, base(c, env), args(c, env))
    }
    if (binding.kind === "builtin") {
      const args = this.argsFn(this.compileArgs(last.args, binding.builtin.params, scope))
      if (!binding.builtin.pure) this.deps |= 9
      return (c, env) => binding.builtin.fn(c, args(c, env))
    }
    throw SyntaxError.at(e.loc, `'${last.name}' cannot be used through an instance`)
  }

  letScope(e: Expr & { kind: "let" }, scope: Scope): { inner: Scope; defs: LetDef[] } {
    const defs: LetDef[] = []
    const inner = scope.withFrame(
      e.defs.map((d) => [
        d.name,
        (depth, idx) => {
          const ld: LetDef = { def: d, scope: undefined as unknown as Scope }
          defs[idx] = ld
          return { kind: "let", depth, idx, def: ld }
        }
      ])
    )
    for (const d of defs) (d as { scope: Scope }).scope = inner
    return { inner, defs }
  }

  compileLetDef(ld: LetDef): void {
    if (ld.ev !== undefined) return
    const d = ld.def
    if (d.kind === "opDef") {
      const s = d.params.length === 0 ? ld.scope : this.paramScope(ld.scope, d.params)
      ld.ev = () => {
        throw new EvalError(`recursive LET definition ${d.name} used before it was compiled`)
      }
      const saved = this.deps
      this.deps = 0
      const body = this.ev(d.body, s)
      // Without primes its value is fixed for one evaluation of the LET (in one context).
      ld.primes = (this.deps & 4) !== 0
      ld.cacheable = !ld.primes
      this.deps |= saved
      ld.ev = d.params.length === 0 ? (c, env) => body(c, env) : (c, env, args) => body(c, new Env(args, env))
    } else if (d.kind === "fcnDef") {
      const call = this.fcnDefValue(d, ld.scope)
      ld.primes = false
      ld.cacheable = true
      ld.ev = (c, env) => call(c, env, [])
    } else throw SyntaxError.at(d.loc, "INSTANCE inside LET is not supported")
  }

  private evLet(e: Expr & { kind: "let" }, scope: Scope): Ev {
    const { inner, defs } = this.letScope(e, scope)
    for (const d of defs) this.compileLetDef(d)
    const body = this.ev(e.body, inner)
    const n = defs.length
    return (c, env) => body(c, new Env(new Array(n), env))
  }

  private evExcept(e: Expr & { kind: "except" }, scope: Scope): Ev {
    const f = this.ev(e.fcn, scope)
    const atScope = this.frameScope(scope, ["@"])
    const updates = e.updates.map((u) => {
      // A new value that does not mention @ needs no frame for it.
      const at = mentionsAt(u.value)
      return { path: u.path.map((s) => this.exceptStep(s, scope)), value: this.ev(u.value, at ? atScope : scope), at }
    })
    if (updates.length === 1 && updates[0].path.length === 1) {
      // `[f EXCEPT ![k] = v]`, the usual form.
      const { path, value, at } = updates[0]
      const key = path[0]
      return (c, env) => {
        const fv = f(c, env)
        const k = key(c, env)
        if (!isFunction(fv)) throw new EvalError(`Attempted to apply EXCEPT to a non-function:\n${show(fv)}`)
        const j = indexOfArg(fv, k)
        if (j < 0) return fv
        return withValueAt(fv, j, value(c, at ? new Env([valuesOf(fv)[j]], env) : env))
      }
    }
    return (c, env) => {
      let v = f(c, env)
      for (const u of updates) {
        const keys = u.path.map((k) => k(c, env))
        v = updateAt(v, keys, 0, u.value, u.at, c, env)
      }
      return v
    }
  }

  private exceptStep(s: ExceptStep, scope: Scope): Ev {
    if (s.kind === "field") {
      const k = str(s.name)
      return () => k
    }
    const args = s.args.map((a) => this.ev(a, scope))
    if (args.length === 1) return args[0]
    return (c, env) => tuple(args.map((a) => a(c, env)))
  }
}

/** One evaluation of a LET definition: closes over the LET's frame; zero-arity values are cached when safe. */
export class LetInstance {
  private cached: Value | undefined
  private cachedIn: Ctx | undefined
  constructor(
    readonly def: LetDef,
    readonly frame: Env
  ) {}
  call(c: Ctx, args: unknown[]): Value {
    // Cached per context, and not while Init is still assigning the (unprimed) variables.
    if (args.length === 0 && this.def.cacheable && (c.n !== null || !c.s.includes(undefined))) {
      if (this.cachedIn !== c) {
        this.cached = this.def.ev!(c, this.frame, args)
        this.cachedIn = c
      }
      return this.cached!
    }
    return this.def.ev!(c, this.frame, args)
  }
  act(c: Ctx, args: unknown[], k: () => void, actions: Enumerator): void {
    actions.letAct(this.def)(c, this.frame, args, k)
  }
}

/**
 * The LET definition in slot idx of a LET's frame, instantiated on first use (most evaluations
 * of a LET use few of its definitions). It closes over that frame, so definitions see each other.
 */
export const letInstance = (frame: Env, idx: number, def: LetDef): LetInstance =>
  (frame.v[idx] as LetInstance | undefined) ?? (frame.v[idx] = new LetInstance(def, frame))

/** Runs conjuncts in order, each continuing into the next (enumeration of `A /\ B /\ ...`). */
export function runChain(items: ReadonlyArray<Act>, i: number, c: Ctx, env: Env | null, k: () => void): void {
  if (i === items.length) k()
  else items[i](c, env, () => runChain(items, i + 1, c, env, k))
}

/** Runs one body per frame in order (enumeration of `\A x \in S : A`, a conjunction over S). */
export function runFrames(body: Act, frames: ReadonlyArray<Env>, i: number, c: Ctx, k: () => void): void {
  if (i === frames.length) k()
  else body(c, frames[i], () => runFrames(body, frames, i + 1, c, k))
}

/** `[f EXCEPT ![k1][k2] = v]`: a point outside the domain leaves the function unchanged (as TLC does). */
const updateAt = (v: Value, keys: Value[], i: number, value: Ev, at: boolean, c: Ctx, env: Env | null): Value => {
  if (i === keys.length) return value(c, at ? new Env([v], env) : env)
  if (!isFunction(v)) throw new EvalError(`Attempted to apply EXCEPT to a non-function:\n${show(v)}`)
  const j = indexOfArg(v, keys[i])
  if (j < 0) return v
  return withValueAt(v, j, updateAt(valuesOf(v)[j], keys, i + 1, value, at, c, env))
}

/** Where `arg` is in f's domain (-1: nowhere); mostly found by identity (model values, strings, integers). */
const indexOfArg = (f: FunctionLike, arg: Value): number => {
  switch (f.kind) {
    case Kind.Tuple:
      if (typeof arg === "number") return arg >= 1 && arg <= f.elems.length ? arg - 1 : -1
      break
    case Kind.Record:
      for (let i = 0; i < f.names.length; i++) if (f.names[i] === arg) return i
      break
    case Kind.Fcn: {
      const domain = f.domain
      if (domain.length < 32) for (let i = 0; i < domain.length; i++) if (domain[i] === arg) return i
    }
  }
  return indexInDomain(f, arg)
}

/** Whether an expression mentions @ (conservatively: also inside a nested EXCEPT). */
const mentionsAt = (e: unknown): boolean => {
  if (e === null || typeof e !== "object") return false
  if (Array.isArray(e)) return e.some(mentionsAt)
  const o = e as Record<string, unknown>
  if (o.kind === "at") return true
  return Object.entries(o).some(([k, v]) => k !== "loc" && k !== "nameLoc" && mentionsAt(v))
}

/** `f[arg]`, with TLC's messages for a non-function and a missing record field. */
const applyAt = (f: Value, arg: Value, loc: Loc): Value => {
  if (typeof f !== "object" || (!isFunction(f) && f.kind !== Kind.LazyFcn)) {
    throw new EvalError(`Attempted to apply a non-function:\n${show(f)}\nto the argument ${show(arg)}\n${tlcRange(loc)}`)
  }
  switch (f.kind) {
    case Kind.Tuple:
      if (typeof arg === "number" && arg >= 1 && arg <= f.elems.length) return f.elems[arg - 1]
      break
    case Kind.Record:
      if (isStr(arg)) {
        const names = f.names
        for (let i = 0; i < names.length; i++) if (names[i] === arg) return f.values[i]
        throw new EvalError(`Attempted to select nonexistent field ${show(arg)} from the record\n${show(f)}\n${tlcRange(loc)}`)
      }
      break
    case Kind.Fcn: {
      // Arguments are mostly model values, strings or integers: the identical one is the equal one.
      const domain = f.domain
      if (domain.length < 32) for (let i = 0; i < domain.length; i++) if (domain[i] === arg) return f.values[i]
    }
  }
  return apply(f, arg)
}

/** Interned field names sorted in TLC's order, and for each the position of its field in the text. */
const fieldOrder = (fields: ReadonlyArray<string>, loc: Loc): { names: StrValue[]; order: number[] } => {
  const interned = fields.map((f) => str(f))
  const order = interned.map((_, i) => i).sort((a, b) => interned[a].id - interned[b].id)
  for (let i = 1; i < order.length; i++) {
    if (interned[order[i]] === interned[order[i - 1]]) throw SyntaxError.at(loc, `field ${fields[order[i]]} occurs twice in a record`)
  }
  return { names: order.map((k) => interned[k]), order }
}

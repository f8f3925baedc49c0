/**
 * The standard modules implemented natively: Naturals, Integers, Sequences, FiniteSets, Bags
 * and TLC, plus the set and function operators built into TLA+ itself.
 */
import { AssertionFailed, EvalError } from "./errors.ts"
import type { Ctx, OpVal, OutputSink } from "./runtime.ts"
import {
  compare, EMPTY_SET, equals, Fcn, FcnSet, INT, Interval, isMember, isSet, LazySet, makeFcn, ModelValue, NAT,
  printValue, SeqSet, SetValue, Str, str, STRING_SET, SubsetSet, toSet, tuple, type Value
} from "./value.ts"

export interface Builtin {
  /** Arity of each parameter: 0 for a value, n for an operator argument. */
  readonly params: ReadonlyArray<number>
  readonly fn: (c: Ctx, args: unknown[]) => Value
  /** False for operators with effects or that read the checker's state (Print, TLCGet...). */
  readonly pure: boolean
  /** The same operator on one or two plain values, called without building an argument array. */
  readonly unary?: (a: unknown) => Value
  readonly binary?: (a: unknown, b: unknown) => Value
}

export const STANDARD_MODULES = new Set(["Naturals", "Integers", "Sequences", "FiniteSets", "Bags", "TLC", "TLCExt"])

const int = (v: unknown, op: string, pos: string): number => {
  if (typeof v !== "number") {
    throw new EvalError(`The ${pos} argument of ${op} should be an integer, but instead it is:\n${printValue(v as Value)}`)
  }
  return v
}

const seq = (v: unknown, op: string): Fcn => {
  if (!(v instanceof Fcn) || !v.isSeq()) {
    throw new EvalError(`Attempted to apply ${op} to the non-sequence:\n${printValue(v as Value)}`)
  }
  return v
}

const set = (v: unknown, op: string): SetValue => {
  if (!isSet(v as Value)) throw new EvalError(`Attempted to apply ${op} to the non-set:\n${printValue(v as Value)}`)
  return toSet(v as Value)
}

const fcn = (v: unknown, op: string): Fcn => {
  if (!(v instanceof Fcn)) throw new EvalError(`Attempted to apply ${op} to the non-function:\n${printValue(v as Value)}`)
  return v
}

const checked = (n: number): number => {
  if (!Number.isSafeInteger(n)) throw new EvalError(`Overflow: the result ${n} is not a safe integer`)
  return n
}

const arith = (op: string, f: (a: number, b: number) => number): Builtin => fn2((a, b) => checked(f(int(a, op, "first"), int(b, op, "second"))))

const rel = (op: string, f: (a: number, b: number) => boolean): Builtin => fn2((a, b) => f(int(a, op, "first"), int(b, op, "second")))

const value = (v: Value): Builtin => ({ params: [], pure: true, fn: () => v })

const fn1 = (f: (a: unknown) => Value, pure = true): Builtin => ({ params: [0], pure, fn: (_c, [a]) => f(a), unary: f })
const fn2 = (f: (a: unknown, b: unknown) => Value): Builtin => ({ params: [0, 0], pure: true, fn: (_c, [a, b]) => f(a, b), binary: f })

const floorDiv = (a: number, b: number): number => {
  if (b === 0) throw new EvalError("The second argument of \\div is 0.")
  return Math.floor(a / b)
}
const floorMod = (a: number, b: number): number => {
  if (b <= 0) throw new EvalError("The second argument of % should be a positive number, but instead it is:\n" + b)
  return ((a % b) + b) % b
}

/** Bags: functions from elements to positive counts. */
const bag = (v: unknown, op: string): Fcn => fcn(v, op)
const bagAdd = (a: Fcn, b: Fcn, sign: 1 | -1): Fcn => {
  const dom: Value[] = []
  const vals: Value[] = []
  for (const d of SetValue.of([...a.dom, ...b.dom]).elems) {
    const ia = a.indexOf(d)
    const ib = b.indexOf(d)
    const n = (ia >= 0 ? (a.vals[ia] as number) : 0) + sign * (ib >= 0 ? (b.vals[ib] as number) : 0)
    if (n > 0) {
      dom.push(d)
      vals.push(n)
    }
  }
  return new Fcn(dom, vals)
}

const permutations = (s: SetValue): SetValue => {
  const elems = s.elems
  const out: Fcn[] = []
  const used = new Array<boolean>(elems.length).fill(false)
  const acc: Value[] = []
  const rec = (): void => {
    if (acc.length === elems.length) {
      out.push(makeFcn(elems, acc.slice()))
      return
    }
    // A permutation maps each element (in order) to a distinct element.
    for (let i = 0; i < elems.length; i++) {
      if (used[i]) continue
      used[i] = true
      acc.push(elems[i])
      rec()
      acc.pop()
      used[i] = false
    }
  }
  rec()
  return SetValue.of(out)
}

/**
 * Builds the table of builtin operators; Print uses the given sink, TLCGet/TLCSet the registers,
 * and TLCGet("stats") the checker's statistics when it has published them.
 */
export const makeBuiltins = (out: OutputSink, stats: () => Value | undefined = () => undefined): Map<string, Builtin> => {
  const registers = new Map<number, Value>()
  const b = new Map<string, Builtin>()
  // Naturals / Integers
  b.set("+", arith("+", (x, y) => x + y))
  b.set("-", arith("-", (x, y) => x - y))
  b.set("*", arith("*", (x, y) => x * y))
  b.set("^", arith("^", (x, y) => x ** y))
  b.set("\\div", arith("\\div", floorDiv))
  b.set("%", arith("%", floorMod))
  b.set("<", rel("<", (x, y) => x < y))
  b.set(">", rel(">", (x, y) => x > y))
  b.set("<=", rel("<=", (x, y) => x <= y))
  b.set(">=", rel(">=", (x, y) => x >= y))
  b.set("..", { params: [0, 0], pure: true, fn: (_c, [x, y]) => new Interval(int(x, "..", "first"), int(y, "..", "second")) })
  b.set("-.", fn1((x) => -int(x, "-", "first")))
  b.set("Nat", value(NAT))
  b.set("Int", value(INT))
  // Sequences
  b.set("Seq", fn1((s) => new SeqSet(s as Value)))
  b.set("Len", fn1((s) => seq(s, "Len").vals.length))
  b.set("Head", fn1((s) => {
    const q = seq(s, "Head")
    if (q.vals.length === 0) throw new EvalError("Attempted to apply Head to the empty sequence.")
    return q.vals[0]
  }))
  b.set("Tail", fn1((s) => {
    const q = seq(s, "Tail")
    if (q.vals.length === 0) throw new EvalError("Attempted to apply Tail to the empty sequence.")
    return tuple(q.vals.slice(1))
  }))
  b.set("Append", fn2((s, e) => tuple([...seq(s, "Append").vals, e as Value])))
  // \o also concatenates strings.
  b.set("\\o", fn2((s, t) => (s instanceof Str && t instanceof Str ? str(s.s + t.s) : tuple([...seq(s, "\\o").vals, ...seq(t, "\\o").vals]))))
  b.set("SubSeq", {
    params: [0, 0, 0],
    pure: true,
    fn: (_c, [s, m, n]) => {
      const q = seq(s, "SubSeq")
      const lo = int(m, "SubSeq", "second")
      const hi = int(n, "SubSeq", "third")
      if (lo > hi) return tuple([])
      if (lo < 1 || hi > q.vals.length) {
        throw new EvalError(`The second argument of SubSeq must be in the domain of its first argument:\n${printValue(q)}\n, but instead it is\n${lo}`)
      }
      return tuple(q.vals.slice(lo - 1, hi))
    }
  })
  b.set("SelectSeq", {
    params: [0, 1],
    pure: true,
    fn: (c, [s, test]) => tuple(seq(s, "SelectSeq").vals.filter((e) => (test as OpVal)(c, [e]) === true))
  })
  // FiniteSets
  b.set("Cardinality", fn1((s) => {
    if (!isSet(s as Value)) throw new EvalError(`Attempted to compute cardinality of the value ${printValue(s as Value)}`)
    return (s as SetValue | LazySet) instanceof LazySet ? (s as LazySet).size() : (s as SetValue).elems.length
  }))
  b.set("IsFiniteSet", fn1((s) => !(s instanceof LazySet) || s.finite()))
  // Bags
  b.set("EmptyBag", value(tuple([])))
  b.set("IsABag", fn1((v) => v instanceof Fcn && v.vals.every((n) => typeof n === "number" && n > 0)))
  b.set("SetToBag", fn1((s) => {
    const e = set(s, "SetToBag").elems
    return new Fcn(e, e.map(() => 1))
  }))
  b.set("BagToSet", fn1((v) => new SetValue(bag(v, "BagToSet").dom)))
  b.set("BagIn", fn2((e, v) => bag(v, "BagIn").indexOf(e as Value) >= 0))
  b.set("CopiesIn", fn2((e, v) => {
    const f = bag(v, "CopiesIn")
    const i = f.indexOf(e as Value)
    return i >= 0 ? f.vals[i] : 0
  }))
  b.set("(+)", fn2((x, y) => bagAdd(bag(x, "(+)"), bag(y, "(+)"), 1)))
  b.set("(-)", fn2((x, y) => bagAdd(bag(x, "(-)"), bag(y, "(-)"), -1)))
  b.set("BagUnion", fn1((s) => set(s, "BagUnion").elems.reduce<Fcn>((acc, x) => bagAdd(acc, bag(x, "BagUnion"), 1), tuple([]))))
  b.set("\\sqsubseteq", fn2((x, y) => {
    const f = bag(x, "\\sqsubseteq")
    const g = bag(y, "\\sqsubseteq")
    return f.dom.every((d, i) => {
      const j = g.indexOf(d)
      return j >= 0 && (f.vals[i] as number) <= (g.vals[j] as number)
    })
  }))
  b.set("BagCardinality", fn1((v) => bag(v, "BagCardinality").vals.reduce<number>((a, n) => a + (n as number), 0)))
  b.set("SubBag", fn1((v) => {
    const f = bag(v, "SubBag")
    const out: Fcn[] = []
    const rec = (i: number, dom: Value[], vals: Value[]): void => {
      if (i === f.dom.length) {
        out.push(new Fcn(dom, vals))
        return
      }
      rec(i + 1, dom, vals)
      for (let n = 1; n <= (f.vals[i] as number); n++) rec(i + 1, [...dom, f.dom[i]], [...vals, n])
    }
    rec(0, [], [])
    return SetValue.of(out)
  }))
  b.set("BagOfAll", {
    params: [1, 0],
    pure: true,
    fn: (c, [op, v]) => {
      const f = bag(v, "BagOfAll")
      let acc = tuple([])
      f.dom.forEach((d, i) => {
        acc = bagAdd(acc, new Fcn([(op as OpVal)(c, [d])], [f.vals[i]]), 1)
      })
      return acc
    }
  })
  // TLC
  b.set(":>", fn2((d, e) => new Fcn([d as Value], [e as Value])))
  b.set("@@", fn2((x, y) => {
    const f = fcn(x, "@@")
    const g = fcn(y, "@@")
    const dom = [...f.dom]
    const vals = [...f.vals]
    g.dom.forEach((d, i) => {
      if (f.indexOf(d) < 0) {
        dom.push(d)
        vals.push(g.vals[i])
      }
    })
    return makeFcn(dom, vals)
  }))
  b.set("Permutations", fn1((s) => permutations(set(s, "Permutations"))))
  b.set("SortSeq", {
    params: [0, 2],
    pure: true,
    fn: (c, [s, less]) => {
      const lt = less as OpVal
      return tuple([...seq(s, "SortSeq").vals].sort((x, y) => (lt(c, [x, y]) === true ? -1 : lt(c, [y, x]) === true ? 1 : 0)))
    }
  })
  b.set("ToString", fn1((v) => str(printValue(v as Value))))
  b.set("Print", {
    params: [0, 0],
    pure: false,
    fn: (_c, [o, v]) => {
      out.print(`${printValue(o as Value)}  ${printValue(v as Value)}`)
      return v as Value
    }
  })
  b.set("PrintT", {
    params: [0],
    pure: false,
    fn: (_c, [v]) => {
      out.print(printValue(v as Value))
      return true
    }
  })
  b.set("Assert", {
    params: [0, 0],
    pure: true,
    fn: (_c, [cond, o]) => {
      if (cond === true) return true
      if (cond !== false) throw new EvalError(`The first argument of Assert must be a boolean, but instead it is:\n${printValue(cond as Value)}`)
      throw new AssertionFailed(printValue(o as Value))
    }
  })
  b.set("JavaTime", { params: [], pure: false, fn: () => 0 })
  b.set("TLCEval", fn1((v) => v as Value))
  b.set("Any", value(new (class AnySet extends LazySet {
    member(): boolean {
      return true
    }
    build(): SetValue {
      throw new EvalError("Attempted to enumerate Any")
    }
    override finite(): boolean {
      return false
    }
    override describe(): string {
      return "Any"
    }
  })()))
  b.set("RandomElement", { params: [0], pure: false, fn: (_c, [s]) => {
    const e = set(s, "RandomElement").elems
    if (e.length === 0) throw new EvalError("Attempted to apply RandomElement to the empty set.")
    return e[Math.floor(Math.random() * e.length)]
  } })
  b.set("TLCSet", { params: [0, 0], pure: false, fn: (_c, [i, v]) => {
    registers.set(int(i, "TLCSet", "first"), v as Value)
    return true
  } })
  b.set("TLCGet", { params: [0], pure: false, fn: (c, [i]) => {
    if (i instanceof Str && i.s === "level") return c.level
    if (i instanceof Str && i.s === "stats" && stats() !== undefined) return stats()!
    if (typeof i === "number" && registers.has(i)) return registers.get(i)!
    throw new EvalError(`TLCGet(${printValue(i as Value)}) is not supported`)
  } })
  return b
}

// ---- operators built into the language ----------------------------------------------------------

const infinite = (v: Value): boolean => v instanceof LazySet && !v.finite()

/** A set operation over an infinite operand, kept symbolic: only membership is asked of it. */
class SymbolicSet extends LazySet {
  constructor(
    private readonly test: (v: Value) => boolean,
    private readonly text: string
  ) {
    super()
  }
  member(v: Value): boolean {
    return this.test(v)
  }
  build(): SetValue {
    throw new EvalError(`Attempted to enumerate the infinite set ${this.text}`)
  }
  override finite(): boolean {
    return false
  }
  override describe(): string {
    return this.text
  }
}

export const setUnion = (a: Value, b: Value): Value => {
  if (infinite(a) || infinite(b)) return new SymbolicSet((v) => isMember(v, a) || isMember(v, b), `${printValue(a)} \\cup ${printValue(b)}`)
  return SetValue.of([...set(a, "\\cup").elems, ...set(b, "\\cup").elems])
}
export const setIntersect = (a: Value, b: Value): Value => {
  if (infinite(a) && infinite(b)) return new SymbolicSet((v) => isMember(v, a) && isMember(v, b), `${printValue(a)} \\cap ${printValue(b)}`)
  const [x, y] = infinite(a) ? [b, a] : [a, b]
  return new SetValue(set(x, "\\cap").elems.filter((e) => isMember(e, y)))
}
export const setMinus = (a: Value, b: Value): Value => {
  if (infinite(a)) return new SymbolicSet((v) => isMember(v, a) && !isMember(v, b), `${printValue(a)} \\ ${printValue(b)}`)
  const x = set(a, "\\")
  return new SetValue(x.elems.filter((e) => !isMember(e, b)))
}
export const subseteq = (a: Value, b: Value): boolean => {
  if (a instanceof Interval && b instanceof Interval) return a.size() === 0 || (a.lo >= b.lo && a.hi <= b.hi)
  return set(a, "\\subseteq").elems.every((e) => isMember(e, b))
}
export const unionOf = (a: Value): Value => SetValue.of(set(a, "UNION").elems.flatMap((s) => [...set(s, "UNION").elems]))
export const subsetOf = (a: Value): Value => new SubsetSet(a)
export const domainOf = (f: Value): Value => {
  if (!(f instanceof Fcn)) throw new EvalError(`Attempted to compute the domain of a non-function:\n${printValue(f)}`)
  if (f.isSeq()) return new Interval(1, f.dom.length)
  return new SetValue(f.dom)
}
export const fcnSet = (d: Value, r: Value): Value => new FcnSet(d, r)
export const BOOLEAN_SET = new SetValue([false, true])
export { STRING_SET, EMPTY_SET, equals, compare, ModelValue }

/**
 * The standard modules implemented natively: Naturals, Integers, Sequences, FiniteSets, Bags
 * and TLC. The operators themselves are the value module's (src/tla/values); this file binds
 * them to their TLA+ names and adds the sequence operators and the TLC module's effects (Print,
 * TLCGet/TLCSet, Assert).
 */
import {
  ANY, atAt, bagAdd, bagCardinality, bagIn, bagOfAll, bagSub, bagToSet, bagUnion, cardinality, colonGreater, copiesIn,
  div, elementsOf, EMPTY_BAG, greaterOrEqual, greaterThan, INT, intArg, isABag, isInfinite, isSet, isStr, isSubBag, Kind,
  lessOrEqual, lessThan, minus, mod, NAT, negate, permutations, plus, pow, printLine, printTLine, range, seqSet,
  setToBag, show, sortSeq, str, subBags, times, toStringValue, tuple, type TupleValue, type Value
} from "../values/index.ts"
import { setArg } from "./compile.ts"
import { AssertionFailed, EvalError } from "./errors.ts"
import type { Ctx, OpVal, OutputSink } from "./runtime.ts"

export interface Builtin {
  /** Arity of each parameter: 0 for a value, n for an operator argument. */
  readonly params: ReadonlyArray<number>
  readonly fn: (c: Ctx, args: unknown[]) => Value
  /** False for operators with effects or that read the checker's state (Print, TLCGet...). */
  readonly pure: boolean
  /** The same operator on one or two plain values, called without building an argument array. */
  readonly unary?: (a: Value) => Value
  readonly binary?: (a: Value, b: Value) => Value
}

export const STANDARD_MODULES = new Set(["Naturals", "Integers", "Sequences", "FiniteSets", "Bags", "TLC", "TLCExt"])

const seq = (v: Value, op: string): TupleValue => {
  if (typeof v !== "object" || v.kind !== Kind.Tuple) throw new EvalError(`Attempted to apply ${op} to the non-sequence:\n${show(v)}`)
  return v
}

const value = (v: Value): Builtin => ({ params: [], pure: true, fn: () => v })
const fn1 = (f: (a: Value) => Value): Builtin => ({ params: [0], pure: true, fn: (_c, [a]) => f(a as Value), unary: f })
const fn2 = (f: (a: Value, b: Value) => Value): Builtin => ({ params: [0, 0], pure: true, fn: (_c, [a, b]) => f(a as Value, b as Value), binary: f })

/**
 * Builds the table of builtin operators; Print uses the given sink, TLCGet/TLCSet the registers,
 * and TLCGet("stats") the checker's statistics when it has published them.
 */
export const makeBuiltins = (out: OutputSink, stats: () => Value | undefined = () => undefined): Map<string, Builtin> => {
  const registers = new Map<number, Value>()
  const b = new Map<string, Builtin>()
  // Naturals / Integers
  b.set("+", fn2(plus))
  b.set("-", fn2(minus))
  b.set("*", fn2(times))
  b.set("^", fn2(pow))
  b.set("\\div", fn2(div))
  b.set("%", fn2(mod))
  b.set("<", fn2(lessThan))
  b.set(">", fn2(greaterThan))
  b.set("<=", fn2(lessOrEqual))
  b.set(">=", fn2(greaterOrEqual))
  b.set("..", fn2(range))
  b.set("-.", fn1(negate))
  b.set("Nat", value(NAT))
  b.set("Int", value(INT))
  // Sequences
  b.set("Seq", fn1((s) => seqSet(setArg(s, "Seq"))))
  b.set("Len", fn1((s) => seq(s, "Len").elems.length))
  b.set("Head", fn1((s) => {
    const q = seq(s, "Head")
    if (q.elems.length === 0) throw new EvalError("Attempted to apply Head to the empty sequence.")
    return q.elems[0]
  }))
  b.set("Tail", fn1((s) => {
    const q = seq(s, "Tail")
    if (q.elems.length === 0) throw new EvalError("Attempted to apply Tail to the empty sequence.")
    return tuple(q.elems.slice(1))
  }))
  b.set("Append", fn2((s, e) => tuple([...seq(s, "Append").elems, e])))
  // \o also concatenates strings.
  b.set("\\o", fn2((s, t) => {
    if (isStr(s) && isStr(t)) return str(s.value + t.value)
    const x = seq(s, "\\o").elems
    const y = seq(t, "\\o").elems
    return y.length === 0 ? s : x.length === 0 ? t : tuple([...x, ...y])
  }))
  b.set("SubSeq", {
    params: [0, 0, 0],
    pure: true,
    fn: (_c, [s, m, n]) => {
      const q = seq(s as Value, "SubSeq")
      const lo = intArg(m as Value, "second", "SubSeq")
      const hi = intArg(n as Value, "third", "SubSeq")
      if (lo > hi) return tuple([])
      if (lo < 1 || hi > q.elems.length) {
        throw new EvalError(`The second argument of SubSeq must be in the domain of its first argument:\n${show(q)}\n, but instead it is\n${lo}`)
      }
      return lo === 1 && hi === q.elems.length ? q : tuple(q.elems.slice(lo - 1, hi))
    }
  })
  b.set("SelectSeq", {
    params: [0, 1],
    pure: true,
    fn: (c, [s, test]) => tuple(seq(s as Value, "SelectSeq").elems.filter((e) => (test as OpVal)(c, [e]) === true))
  })
  // FiniteSets
  b.set("Cardinality", fn1(cardinality))
  b.set("IsFiniteSet", fn1((s) => isSet(s) && !isInfinite(s)))
  // Bags
  b.set("EmptyBag", value(EMPTY_BAG))
  b.set("IsABag", fn1(isABag))
  b.set("SetToBag", fn1(setToBag))
  b.set("BagToSet", fn1(bagToSet))
  b.set("BagIn", fn2(bagIn))
  b.set("CopiesIn", fn2(copiesIn))
  b.set("(+)", fn2(bagAdd))
  b.set("(-)", fn2(bagSub))
  b.set("BagUnion", fn1(bagUnion))
  b.set("\\sqsubseteq", fn2(isSubBag))
  b.set("BagCardinality", fn1(bagCardinality))
  b.set("SubBag", fn1(subBags))
  b.set("BagOfAll", { params: [1, 0], pure: true, fn: (c, [op, v]) => bagOfAll((e) => (op as OpVal)(c, [e]), v as Value) })
  // TLC
  b.set(":>", fn2(colonGreater))
  b.set("@@", fn2(atAt))
  b.set("Permutations", fn1(permutations))
  b.set("SortSeq", {
    params: [0, 2],
    pure: true,
    fn: (c, [s, less]) => sortSeq(s as Value, (x, y) => (less as OpVal)(c, [x, y]) === true)
  })
  // Not pure for the checker: equal values built differently print differently (1..2, {1, 2}).
  b.set("ToString", { ...fn1(toStringValue), pure: false })
  b.set("Print", {
    params: [0, 0],
    pure: false,
    fn: (_c, [o, v]) => {
      out.print(printLine(o as Value, v as Value))
      return v as Value
    }
  })
  b.set("PrintT", {
    params: [0],
    pure: false,
    fn: (_c, [v]) => {
      out.print(printTLine(v as Value))
      return true
    }
  })
  b.set("Assert", {
    params: [0, 0],
    pure: true,
    fn: (_c, [cond, o]) => {
      if (cond === true) return true
      if (cond !== false) throw new EvalError(`The first argument of Assert must be a boolean, but instead it is:\n${show(cond as Value)}`)
      throw new AssertionFailed(show(o as Value))
    }
  })
  b.set("JavaTime", { params: [], pure: false, fn: () => 0 })
  b.set("TLCEval", fn1((v) => v))
  b.set("Any", value(ANY))
  b.set("RandomElement", {
    params: [0],
    pure: false,
    fn: (_c, [s]) => {
      const e = elementsOf(s as Value)
      if (e.length === 0) throw new EvalError("Attempted to apply RandomElement to the empty set.")
      return e[Math.floor(Math.random() * e.length)]
    }
  })
  b.set("TLCSet", {
    params: [0, 0],
    pure: false,
    fn: (_c, [i, v]) => {
      registers.set(intArg(i as Value, "first", "TLCSet"), v as Value)
      return true
    }
  })
  b.set("TLCGet", {
    params: [0],
    pure: false,
    fn: (c, [i]) => {
      if (isStr(i as Value) && (i as { value: string }).value === "level") return c.level
      if (isStr(i as Value) && (i as { value: string }).value === "stats" && stats() !== undefined) return stats()!
      if (typeof i === "number" && registers.has(i)) return registers.get(i)!
      throw new EvalError(`TLCGet(${show(i as Value)}) is not supported`)
    }
  })
  return b
}

/**
 * Every value-level fact of TLC-FACTS §7, §8 and §9, checked against the exact texts TLC printed.
 */
import { beforeEach, describe, expect, it } from "vitest"
import {
  atAt,
  bagAdd,
  bagCardinality,
  bagSub,
  bagUnion,
  beginInterning,
  colonGreater,
  compare,
  contains,
  copiesIn,
  div,
  EMPTY_BAG,
  EMPTY_SET,
  EMPTY_TUPLE,
  equals,
  EvalError,
  FALSE,
  fingerprint64,
  functionSet,
  int,
  intern,
  interval,
  isSet,
  isSubBag,
  lessThan,
  makeFunction,
  mod,
  modelValue,
  NAT,
  permutations,
  printLine,
  record,
  setElements,
  setOf,
  setToBag,
  sortSeq,
  str,
  subsetOf,
  toStringValue,
  TRUE,
  tuple,
  valueToString,
  type Value
} from "../../../src/tla/values/index.ts"
import { evalErrorOf } from "./eval-error.ts"

const ints = (...ns: number[]): Value[] => ns.map(int)
const set = (...elems: Value[]) => setOf(elems)
const show = valueToString


/** CHOOSE x \in S : TRUE, TLC-style: the first element in normalized order. */
const choose = (s: Value): Value => {
  if (!isSet(s)) throw new Error("not a set")
  return setElements(s)[0]
}

beforeEach(() => {
  beginInterning()
})

describe("§8 equality", () => {
  it("functions equal whatever their construction (V8)", () => {
    const tenTimes = makeFunction(ints(1, 2, 3), ints(10, 20, 30))
    expect(equals(tenTimes, tuple(ints(10, 20, 30)))).toBe(true)
    expect(equals(record([["f", int(1)], ["g", int(2)]]), makeFunction([str("g"), str("f")], ints(2, 1)))).toBe(true)
    expect(equals(EMPTY_TUPLE, makeFunction([], []))).toBe(true)
    expect(equals(tuple(ints(1)), tuple(ints(1, 2)))).toBe(false)
  })

  it("sets equal whatever their construction (V8)", () => {
    expect(equals(set(...ints(1, 2, 2, 3)), set(...ints(3, 2, 1)))).toBe(true)
    expect(equals(interval(1, 3), set(...ints(1, 2, 3)))).toBe(true)
    expect(equals(EMPTY_SET, interval(1, 0))).toBe(true)
  })

  it("raises TLC's errors instead of answering FALSE", () => {
    expect(evalErrorOf(() => equals(EMPTY_SET, EMPTY_TUPLE))).toBe(
      "Attempted to check equality of the set {} with the value:\n<<>>"
    )
    expect(evalErrorOf(() => equals(EMPTY_TUPLE, EMPTY_SET))).toBe(
      "Attempted to check equality of the function <<>> with the value:\n{}"
    )
    expect(evalErrorOf(() => equals(record([["a", int(1)]]), tuple(ints(1))))).toMatch(
      /^Attempted to check equality of record:\n\[a \|-> 1\]/
    )
    expect(evalErrorOf(() => equals(str("abc"), tuple([str("a"), str("b"), str("c")])))).toBe(
      'Attempted to check equality of string "abc" with non-string:\n<<"a", "b", "c">>'
    )
    expect(() => equals(set(int(1)), set(str("a")))).toThrow(EvalError)
    expect(() => equals(colonGreater(int(1), int(2)), colonGreater(str("a"), int(2)))).toThrow(EvalError)
  })

  it("reports an integer compared with a string as TLC does (E6eq, EvalErrCompare)", () => {
    expect(evalErrorOf(() => equals(int(1), str("a")))).toBe('Attempted to check equality of integer 1 with non-integer:\n"a"')
    expect(evalErrorOf(() => equals(int(5), str("a")))).toBe('Attempted to check equality of integer 5 with non-integer:\n"a"')
  })
})

describe("§3 fingerprints", () => {
  it("equal values built differently fingerprint the same (V8fp)", () => {
    expect(fingerprint64(interval(1, 3))).toBe(fingerprint64(set(...ints(3, 2, 1))))
    expect(fingerprint64(tuple(ints(1, 2)))).toBe(fingerprint64(makeFunction(ints(2, 1), ints(2, 1))))
    expect(fingerprint64(record([["f", int(1)]]))).toBe(fingerprint64(makeFunction([str("f")], ints(1))))
    expect(fingerprint64(tuple(ints(1, 2)))).not.toBe(fingerprint64(tuple(ints(2, 1))))
  })
})

describe("§7 model values", () => {
  it("an untyped model value equals only itself and is in no set of other values (G7cfg, V8)", () => {
    const mv = modelValue("MV")
    expect([equals(mv, int(1)), contains(NAT, mv), equals(mv, str("s")), !equals(mv, EMPTY_SET)]).toEqual([
      false,
      false,
      false,
      true
    ])
    expect(contains(set(...ints(1, 2)), modelValue("a"))).toBe(false)
    expect(equals(mv, modelValue("MV"))).toBe(true)
  })

  it("typed model values refuse comparisons across types (G7typed)", () => {
    expect(evalErrorOf(() => equals(modelValue("A_2"), modelValue("B_1")))).toBe(
      "Attempted to check equality of the differently-typed model values A_2 and B_1"
    )
    expect(equals(modelValue("A_2"), modelValue("A_1"))).toBe(false)
    expect(() => equals(modelValue("A_2"), int(2))).toThrow(EvalError)
    expect(() => equals(int(2), modelValue("A_2"))).toThrow(EvalError)
  })
})

describe("§8 TLC's normalized order", () => {
  it("integers ascending, FALSE before TRUE (V8)", () => {
    expect(show(choose(set(...ints(3, -1, 2))))).toBe("-1")
    expect(show(set(TRUE, FALSE))).toBe("{FALSE, TRUE}")
  })

  it("sets by size, then element by element", () => {
    expect(show(set(set(...ints(1, 2)), set(int(3)), EMPTY_SET, set(int(2))))).toBe("{{}, {2}, {3}, {1, 2}}")
  })

  it("tuples and functions by domain size, then domain, then values", () => {
    expect(show(set(tuple(ints(1, 2, 3)), tuple(ints(2, 1)), tuple(ints(1, 5))))).toBe("{<<1, 5>>, <<2, 1>>, <<1, 2, 3>>}")
    expect(show(set(makeFunction(ints(1, 3), ints(0, 0)), tuple(ints(5, 0)), tuple(ints(9))))).toBe(
      "{<<9>>, <<5, 0>>, (1 :> 0 @@ 3 :> 0)}"
    )
  })

  it("records by field count, then field names (intern order), then values", () => {
    intern("a")
    intern("b")
    const r = (a: number, b?: number) => record(b === undefined ? [["a", int(a)]] : [["a", int(a)], ["b", int(b)]])
    expect(show(set(r(1, 2), r(0, 9), r(5)))).toBe("{[a |-> 5], [a |-> 0, b |-> 9], [a |-> 1, b |-> 2]}")
  })

  it("model values before everything else (V8)", () => {
    expect(show(set(int(1), modelValue("ma")))).toBe("{ma, 1}")
    expect(show(choose(set(modelValue("ma"), int(3))))).toBe("ma")
  })

  it("strings by intern position, not alphabetically (V8str)", () => {
    // The spec mentions zq, yq, xq in that order.
    for (const name of ["zq", "yq", "xq"]) intern(name)
    expect(show(set(str("xq"), str("yq"), str("zq")))).toBe('{"zq", "yq", "xq"}')
    expect(show(choose(set(str("xq"), str("yq"), str("zq"))))).toBe('"zq"')
  })

  it("startup names first, then identifiers, then other modules, then literals (V8str2)", () => {
    for (const name of ["x", "Init", "a", "b"]) intern(name)
    for (const name of ["Len", "Cardinality"]) intern(name)
    const s = set(...["zq2", "b", "Cardinality", "a", "TRUE", "Len", "Init", "x"].map(str))
    expect(show(s)).toBe('{"TRUE", "x", "Init", "a", "b", "Len", "Cardinality", "zq2"}')
  })

  it('"level" is interned at startup, "generated" is not', () => {
    expect(show(set(str("zzq"), str("level"), str("generated")))).toBe('{"level", "zzq", "generated"}')
  })

  it("model values, strings and field names share one order (V8mv, V8intern)", () => {
    for (const name of ["kk3", "kk1", "kk2"]) intern(name)
    expect(show(set(modelValue("kk1"), modelValue("kk2"), modelValue("kk3")))).toBe("{kk3, kk1, kk2}")
    expect(show(set(str("kk1"), str("kk2"), str("kk3")))).toBe('{"kk3", "kk1", "kk2"}')
    intern("fb")
    intern("fa")
    expect(show(record([["fa", int(2)], ["fb", int(1)]]))).toBe("[fb |-> 1, fa |-> 2]")
  })

  it("a set mixing integers and strings cannot be normalized (G7mix)", () => {
    expect(evalErrorOf(() => show(set(int(1), str("a"))))).toBe('Attempted to compare string "a" with non-string:\n1')
  })

  it("< on strings is an error (V8str)", () => {
    expect(evalErrorOf(() => lessThan(str("a"), str("b")))).toMatch(/^The first argument of < should be an integer/)
  })
})

describe("§8 printing", () => {
  it("functions print as tuples, records or :> pairs (V8, V9tlc, V8print)", () => {
    expect(show(colonGreater(int(1), str("a")))).toBe('<<"a">>')
    expect(show(makeFunction([str("f"), str("g")], ints(1, 1)))).toBe("[f |-> 1, g |-> 1]")
    expect(show(makeFunction(ints(2, 3), ints(2, 3)))).toBe("(2 :> 2 @@ 3 :> 3)")
    expect(show(interval(1, 3))).toBe("1..3")
  })

  it("SUBSET and [S -> T] print enumerated", () => {
    expect(show(subsetOf(set(...ints(1, 2))))).toBe("{{}, {1}, {2}, {1, 2}}")
    expect(show(functionSet(set(...ints(1, 2)), set(...ints(0, 1))))).toBe("{<<0, 0>>, <<0, 1>>, <<1, 0>>, <<1, 1>>}")
  })

  it("floor division and remainder (V9tlc)", () => {
    expect([div(int(-7), int(2)), mod(int(-7), int(2)), div(int(7), int(-2))].map(show)).toEqual(["-4", "1", "-4"])
  })
})

describe("§9 TLC and Bags operators", () => {
  it(":> and @@ (left wins)", () => {
    const left = colonGreater(int(1), str("a"))
    const right = atAt(colonGreater(int(1), str("b")), colonGreater(int(2), str("c")))
    expect(show(atAt(left, right))).toBe('<<"a", "c">>')
  })

  it("Permutations and SortSeq", () => {
    expect(show(permutations(set(...ints(1, 2))))).toBe("{<<1, 2>>, <<2, 1>>}")
    const lt = (a: Value, b: Value) => lessThan(a, b)
    expect(show(sortSeq(tuple(ints(3, 1, 2)), lt))).toBe("<<1, 2, 3>>")
  })

  it("ToString and Print", () => {
    expect(show(toStringValue(tuple([int(1), str("a"), set(int(2))])))).toBe('"<<1, \\"a\\", {2}>>"')
    expect(toStringValue(interval(1, 2)).value).toBe("1..2")
    expect(printLine(str("hello"), int(42))).toBe('"hello"  42')
  })

  it("bags are functions into positive integers", () => {
    expect(show(setToBag(set(str("a"), str("b"))))).toBe("[a |-> 1, b |-> 1]")
    expect(show(EMPTY_BAG)).toBe("<<>>")
    const one = setToBag(set(int(1)))
    expect(show(bagSub(bagAdd(one, one), one))).toBe("<<1>>")
    expect(copiesIn(int(1), bagAdd(one, one))).toBe(2)
    expect(bagCardinality(bagAdd(setToBag(set(...ints(1, 2))), one))).toBe(3)
    expect(show(bagUnion(set(one, setToBag(set(...ints(1, 2))))))).toBe("<<2, 1>>")
    expect(isSubBag(one, bagAdd(one, one))).toBe(true)
    expect(isSubBag(bagAdd(one, one), one)).toBe(false)
  })
})

describe("compare raises TLC's errors across types", () => {
  it("integer with string", () => {
    expect(evalErrorOf(() => compare(int(1), str("a")))).toBe('Attempted to compare integer 1 with non-integer:\n"a"')
  })
})

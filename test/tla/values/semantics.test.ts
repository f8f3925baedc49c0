/**
 * Sets, functions, integers, JSON errors and TLC's line breaking, beyond the facts file.
 */
import { beforeEach, describe, expect, it } from "vitest"
import {
  apply,
  beginInterning,
  bigUnion,
  cardinality,
  contains,
  difference,
  domainOf,
  EMPTY_SET,
  EMPTY_TUPLE,
  equals,
  EvalError,
  except,
  fromJson,
  functionSet,
  INT,
  int,
  intern,
  internTable,
  intersection,
  interval,
  isSubset,
  JsonValueError,
  makeFunction,
  minus,
  modelValue,
  NAT,
  plus,
  pow,
  prettyString,
  prettyValue,
  product,
  record,
  recordSet,
  selectField,
  seqSet,
  setOf,
  setSize,
  str,
  STRING,
  subsetOf,
  times,
  TLC_STARTUP_NAMES,
  toJson,
  tuple,
  union,
  valueToString,
  type Value
} from "../../../src/tla/values/index.ts"
import { evalErrorOf } from "./eval-error.ts"

const ints = (...ns: number[]): Value[] => ns.map(int)
const show = valueToString


function jsonErrorOf(j: unknown): JsonValueError {
  try {
    fromJson(j)
  } catch (e) {
    if (e instanceof JsonValueError) return e
    throw e
  }
  throw new Error("expected a JsonValueError")
}

beforeEach(() => {
  beginInterning()
})

describe("the intern table", () => {
  it("starts with TLC's startup names and appends new names once", () => {
    const table = internTable()
    expect(table.names().slice(0, TLC_STARTUP_NAMES.length)).toEqual(TLC_STARTUP_NAMES)
    const id = intern("fresh")
    expect(intern("fresh")).toBe(id)
    expect(table.nameOf(id)).toBe("fresh")
    expect(str("fresh").id).toBe(id)
    expect(modelValue("fresh").id).toBe(id)
    expect(() => table.nameOf(table.size)).toThrow(RangeError)
  })
})

describe("lazy sets answer membership without enumerating", () => {
  it("Nat, Int, STRING and intervals", () => {
    expect([contains(NAT, int(0)), contains(NAT, int(-1)), contains(INT, int(-5))]).toEqual([true, false, true])
    expect([contains(STRING, str("a")), contains(STRING, int(1))]).toEqual([true, false])
    expect([contains(interval(2, 4), int(4)), contains(interval(2, 4), int(5))]).toEqual([true, false])
    expect(evalErrorOf(() => contains(NAT, str("a")))).toBe('Attempted to check if the value:\n"a"\nis an element of Nat.')
  })

  it("SUBSET, [S -> T], record sets, products and Seq(S)", () => {
    const s = setOf(ints(1, 2, 3))
    expect(contains(subsetOf(s), setOf(ints(1, 3)))).toBe(true)
    expect(contains(subsetOf(s), setOf(ints(4)))).toBe(false)
    expect(contains(functionSet(interval(1, 2), NAT), tuple(ints(5, 7)))).toBe(true)
    expect(contains(functionSet(interval(1, 2), NAT), tuple(ints(5)))).toBe(false)
    expect(contains(functionSet(NAT, NAT), tuple(ints(5)))).toBe(false)
    const tickets = recordSet([
      ["owner", setOf([str("ann"), str("bob")])],
      ["num", interval(0, 3)]
    ])
    expect(contains(tickets, record([["num", int(2)], ["owner", str("ann")]]))).toBe(true)
    expect(contains(tickets, record([["num", int(2)], ["owner", str("zed")]]))).toBe(false)
    expect(contains(product([NAT, STRING]), tuple([int(1), str("x")]))).toBe(true)
    expect(contains(product([NAT, STRING]), tuple([int(1)]))).toBe(false)
    expect(contains(seqSet(NAT), tuple(ints(1, 2, 3)))).toBe(true)
    expect(contains(seqSet(NAT), EMPTY_TUPLE)).toBe(true)
    expect(contains(seqSet(NAT), tuple(ints(-1)))).toBe(false)
  })

  it("enumerates the finite ones in TLC's order and sizes them", () => {
    intern("kind")
    intern("val")
    const rs = recordSet([
      ["val", interval(1, 2)],
      ["kind", setOf([str("x"), str("y")])]
    ])
    expect(setSize(rs)).toBe(4)
    expect(show(rs)).toBe('{[kind |-> "x", val |-> 1], [kind |-> "x", val |-> 2], [kind |-> "y", val |-> 1], [kind |-> "y", val |-> 2]}')
    expect(show(product([interval(1, 2), setOf([str("a")])]))).toBe('{<<1, "a">>, <<2, "a">>}')
    expect(show(seqSet(EMPTY_SET))).toBe("{<<>>}")
    expect(show(seqSet(NAT))).toBe("Seq(Nat)")
    expect(setSize(subsetOf(interval(1, 10)))).toBe(1024)
    expect(cardinality(functionSet(interval(1, 3), interval(0, 1)))).toBe(8)
    expect(evalErrorOf(() => cardinality(int(3)))).toBe("Attempted to compute cardinality of the value\n3")
    expect(() => setSize(NAT)).toThrow(EvalError)
  })

  it("compares lazy and enumerated sets by their elements", () => {
    expect(equals(subsetOf(EMPTY_SET), setOf([EMPTY_SET]))).toBe(true)
    expect(equals(functionSet(EMPTY_SET, NAT), setOf([EMPTY_TUPLE]))).toBe(true)
    expect(equals(NAT, NAT)).toBe(true)
    expect(equals(NAT, INT)).toBe(false)
    expect(equals(NAT, interval(0, 5))).toBe(false)
  })
})

describe("set operators", () => {
  it("union, intersection, difference, subset, UNION", () => {
    const a = setOf(ints(3, 1, 2))
    const b = interval(2, 5)
    expect(show(union(a, b))).toBe("{1, 2, 3, 4, 5}")
    expect(show(intersection(a, b))).toBe("{2, 3}")
    expect(show(intersection(a, NAT))).toBe("{1, 2, 3}")
    expect(show(difference(a, b))).toBe("{1}")
    expect([isSubset(a, NAT), isSubset(a, b)]).toEqual([true, false])
    expect(show(bigUnion(setOf([a, b, EMPTY_SET])))).toBe("{1, 2, 3, 4, 5}")
    expect(() => union(a, int(1))).toThrow(EvalError)
  })
})

describe("functions", () => {
  it("applies functions and reports arguments outside the domain (E6dom)", () => {
    expect(show(apply(tuple(ints(10, 20)), int(2)))).toBe("20")
    expect(evalErrorOf(() => apply(tuple(ints(10, 20)), int(11)))).toBe(
      "Attempted to apply function:\n<<10, 20>>\nto argument 11, which is not in the domain of the function."
    )
    const f = makeFunction(ints(0, 1, 2, 3), ints(0, 10, 20, 30))
    expect(show(f)).toBe("(0 :> 0 @@ 1 :> 10 @@ 2 :> 20 @@ 3 :> 30)")
    expect(evalErrorOf(() => apply(f, int(4)))).toMatch(/to argument 4, which is not in the domain of the function\.$/)
  })

  it("selects record fields, with TLC's message for a missing one (EvalErrInit)", () => {
    const r = record([["count", int(0)]])
    expect(show(selectField(r, "count"))).toBe("0")
    expect(evalErrorOf(() => selectField(r, "total"))).toBe('Attempted to select nonexistent field "total" from the record\n[count |-> 0]')
  })

  it("EXCEPT replaces one point and ignores arguments outside the domain", () => {
    expect(show(except(tuple(ints(1, 2, 3)), int(2), int(9)))).toBe("<<1, 9, 3>>")
    expect(show(except(tuple(ints(1, 2, 3)), int(7), int(9)))).toBe("<<1, 2, 3>>")
    expect(show(except(record([["a", int(1)]]), str("a"), int(5)))).toBe("[a |-> 5]")
  })

  it("has domains, and rejects a repeated argument", () => {
    expect(show(domainOf(tuple(ints(4, 5))))).toBe("1..2")
    expect(show(domainOf(makeFunction(ints(5, 3), ints(0, 0))))).toBe("{3, 5}")
    expect(evalErrorOf(() => makeFunction(ints(1, 1), ints(0, 0)))).toBe("The value\n1\noccurs multiple times in the function domain.")
  })

  it("prints string domains that are not names with :>", () => {
    expect(show(makeFunction([str("a b")], ints(1)))).toBe('("a b" :> 1)')
    expect(show(makeFunction([str("WF_x")], ints(1)))).toBe('("WF_x" :> 1)')
  })
})

describe("integers", () => {
  it("are 32-bit with TLC's overflow errors", () => {
    expect(show(plus(int(2147483646), int(1)))).toBe("2147483647")
    expect(evalErrorOf(() => plus(int(2147483647), int(1)))).toBe("Overflow when computing 2147483647+1")
    expect(evalErrorOf(() => minus(int(-2147483648), int(1)))).toBe("Overflow when computing -2147483648-1")
    expect(evalErrorOf(() => times(int(65536), int(65536)))).toBe("Overflow when computing 65536*65536")
    expect(evalErrorOf(() => pow(int(2), int(31)))).toBe("Overflow when computing 2^31")
    expect(show(pow(int(2), int(30)))).toBe("1073741824")
    expect(evalErrorOf(() => pow(int(0), int(0)))).toBe("0^0 is undefined.")
    expect(() => int(2 ** 31)).toThrow(EvalError)
  })
})

describe("JSON", () => {
  it("encodes each kind as documented", () => {
    intern("a")
    intern("b")
    const v = record([
      ["a", setOf([int(1), modelValue("p1")])],
      ["b", tuple([makeFunction(ints(2), [str("x")]), EMPTY_TUPLE])]
    ])
    expect(toJson(v)).toEqual({ a: { $set: [{ $mv: "p1" }, 1] }, b: [{ $fn: [[2, "x"]] }, []] })
    expect(toJson(record([["$weird", int(1)]]))).toEqual({ $fn: [["$weird", 1]] })
  })

  it("names the JSON path of what it rejects", () => {
    expect(jsonErrorOf({ log: [1, 2.5] }).message).toBe("$.log[1]: expected a 32-bit integer, got 2.5")
    expect(jsonErrorOf({ "a b": null }).message).toBe('$["a b"]: expected a TLA+ value, got null')
    expect(jsonErrorOf({ $set: 3 }).message).toBe("$.$set: expected an array of elements, got number 3")
    expect(jsonErrorOf({ $fn: [[1]] }).message).toBe("$.$fn[0]: expected an [argument, value] pair, got an array")
    expect(jsonErrorOf({ $fn: [[1, 2], [1, 3]] }).path).toBe("$.$fn")
    expect(jsonErrorOf({ $set: [1, "a"] }).message).toBe('$.$set: Attempted to compare string "a" with non-string: 1')
    expect(jsonErrorOf({ $mv: "p", x: 1 }).message).toMatch(/^\$: a tagged value has exactly one key/)
    expect(jsonErrorOf({ $bag: [] }).message).toMatch(/^\$: unknown tag "\$bag"/)
  })
})

describe("TLC's line breaking", () => {
  it("keeps values that fit in 80 columns on one line", () => {
    expect(prettyValue(tuple(ints(1, 2, 3)))).toBe("<<1, 2, 3>>")
  })

  it("breaks records and functions pair by pair", () => {
    intern("alpha")
    intern("beta")
    const long = str("x".repeat(50))
    expect(prettyValue(record([["alpha", long], ["beta", long]]))).toBe(
      `[ alpha |-> "${"x".repeat(50)}",\n  beta |-> "${"x".repeat(50)}" ]`
    )
    expect(prettyValue(makeFunction(ints(2, 3), [long, long]))).toBe(`( 2 :> "${"x".repeat(50)}" @@\n  3 :> "${"x".repeat(50)}" )`)
  })

  it("moves a value that does not fit next to its key to its own line", () => {
    intern("k")
    const wide = str("y".repeat(90))
    expect(prettyValue(record([["k", wide]]))).toBe(`[ k |->\n      "${"y".repeat(90)}" ]`)
  })

  it("nests the layout", () => {
    const row = tuple(Array.from({ length: 12 }, (_, i) => int(100 + i)))
    expect(prettyValue(setOf([row, tuple([int(1), ...row.elems])]))).toBe(
      [
        "{ <<100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111>>,",
        "  <<1, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111>> }"
      ].join("\n")
    )
  })

  it("like TLC, leaves text it cannot read back on one line", () => {
    // TLC's reader takes names as runs of letters and digits, so A_1 does not read back.
    const typed = setOf(Array.from({ length: 20 }, (_, i) => modelValue(`A_${i}`)))
    expect(prettyValue(typed)).toBe(show(typed))
    expect(prettyString("{1, 2")).toBe("{1, 2")
  })
})

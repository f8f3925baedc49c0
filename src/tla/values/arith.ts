/**
 * Integer operators of the Naturals/Integers modules with TLC's semantics: 32-bit integers
 * (overflow is TLC's "Overflow when computing ..." error), floor division and a non-negative
 * remainder ((-7) \div 2 = -4, (-7) % 2 = 1, 7 \div (-2) = -4), and TLC's messages for
 * non-integer arguments.
 */
import { EvalError } from "./errors.ts"
import { show } from "./pretty.ts"
import { interval, isInt32, type IntervalValue, type Value } from "./value.ts"

/** The integer inside v, or TLC's "The first argument of + should be an integer" error. */
export function intArg(v: Value, position: "first" | "second" | "third", op: string): number {
  if (typeof v !== "number") throw new EvalError(`The ${position} argument of ${op} should be an integer, but instead it is:\n${show(v)}`)
  return v
}

function checked(n: number, expression: string): number {
  if (!isInt32(n)) throw new EvalError(`Overflow when computing ${expression}`)
  return n
}

export function plus(a: Value, b: Value): number {
  const x = intArg(a, "first", "+")
  const y = intArg(b, "second", "+")
  return checked(x + y, `${x}+${y}`)
}

export function minus(a: Value, b: Value): number {
  const x = intArg(a, "first", "-")
  const y = intArg(b, "second", "-")
  return checked(x - y, `${x}-${y}`)
}

/** Unary minus. */
export function negate(a: Value): number {
  const x = intArg(a, "first", "-")
  return checked(-x, `-${x}`)
}

export function times(a: Value, b: Value): number {
  const x = intArg(a, "first", "*")
  const y = intArg(b, "second", "*")
  // A product beyond 2^53 may be inexact as a double, but it overflows 32 bits either way.
  return checked(x * y, `${x}*${y}`)
}

/** `a \div b`, rounding toward negative infinity. */
export function div(a: Value, b: Value): number {
  const x = intArg(a, "first", "\\div")
  const y = intArg(b, "second", "\\div")
  if (y === 0) throw new EvalError("The second argument of \\div is 0.")
  return checked(Math.floor(x / y), `${x}\\div${y}`)
}

/** `a % b` for b > 0, always in 0..b-1. */
export function mod(a: Value, b: Value): number {
  const x = intArg(a, "first", "%")
  const y = intArg(b, "second", "%")
  if (y <= 0) throw new EvalError(`The second argument of % should be a positive number, but instead it is:\n${y}`)
  const r = x % y
  return r < 0 ? r + y : r
}

/** `a ^ b` for b >= 0. */
export function pow(a: Value, b: Value): number {
  const x = intArg(a, "first", "^")
  const y = intArg(b, "second", "^")
  if (y < 0) throw new EvalError(`The second argument of ^ should be a natural number, but instead it is:\n${y}`)
  if (y === 0) {
    if (x === 0) throw new EvalError("0^0 is undefined.")
    return 1
  }
  let r = x
  for (let i = 1; i < y; i++) {
    r *= x
    if (!isInt32(r)) throw new EvalError(`Overflow when computing ${x}^${y}`)
  }
  return r
}

/** `op` as TLC names it in its messages. */
function comparison(op: string, test: (x: number, y: number) => boolean) {
  return (a: Value, b: Value): boolean => test(intArg(a, "first", op), intArg(b, "second", op))
}

export const lessThan = comparison("<", (x, y) => x < y)
export const lessOrEqual = comparison("<=", (x, y) => x <= y)
export const greaterThan = comparison(">", (x, y) => x > y)
/** TLC's messages call this operator ">" too. */
export const greaterOrEqual = comparison(">", (x, y) => x >= y)

/** `a .. b` */
export function range(a: Value, b: Value): IntervalValue {
  return interval(intArg(a, "first", ".."), intArg(b, "second", ".."))
}

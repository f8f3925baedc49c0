/**
 * How TLC writes numbers, probabilities, times and durations in its output.
 */

/** `1501` -> `1,501` (progress lines; the final summary line has no separators). */
export function withThousands(n: number): string {
  const digits = String(Math.abs(Math.trunc(n)))
  const groups: string[] = []
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end))
  return (n < 0 ? "-" : "") + groups.join(",")
}

/** Java's Double.toString: plain in [1e-3, 1e7), else `d.dddE±n`; always a fractional digit. */
export function javaDouble(x: number): string {
  if (Number.isNaN(x)) return "NaN"
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity"
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0"
  const abs = Math.abs(x)
  // In this range JavaScript's shortest form has no exponent either.
  if (abs >= 1e-3 && abs < 1e7) return Number.isInteger(x) ? `${x}.0` : String(x)
  const [mantissa, exponent] = x.toExponential().split("e")
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exponent)}`
}

/**
 * A probability with two significant digits, the way TLC prints "val = ..." (its
 * ProbabilityToString): digits of Java's Double.toString, rounded up when the next digit is 5
 * or more, the exponent kept: 3.2526E-19 -> 3.3E-19, 0 -> 0.0.
 */
export function probabilityText(p: number, significant = 2): string {
  if (p === 0) return "0.0"
  const text = javaDouble(p)
  let i = 0
  while (i < text.length && text[i] === "0") i++
  let digits = ""
  let found = 0
  while (i < text.length && /[0-9]/.test(text[i])) {
    digits += text[i++]
    found++
  }
  if (i === text.length) return digits
  if (text[i] !== ".") return text
  let result = digits
  if (found >= significant) {
    i++
    while (i < text.length && /[0-9]/.test(text[i])) i++
  } else {
    i++
    result += "."
    if (found === 0) {
      while (i < text.length && text[i] === "0") {
        result += "0"
        i++
      }
    }
    while (i < text.length && /[0-9]/.test(text[i]) && found < significant) {
      result += text[i++]
      found++
    }
    if (i < text.length && /[5-9]/.test(text[i])) result = roundUpLastDigit(result)
    while (i < text.length && /[0-9]/.test(text[i])) i++
  }
  if (i >= text.length) return result
  if (text[i] === "E") return result + text.slice(i)
  return text
}

/** Add one to the last digit of a decimal string, carrying leftwards over the point. */
function roundUpLastDigit(s: string): string {
  const chars = s.split("")
  for (let k = chars.length - 1; k >= 0; k--) {
    if (chars[k] === ".") continue
    if (chars[k] === "9") {
      chars[k] = "0"
      continue
    }
    chars[k] = String(Number(chars[k]) + 1)
    return chars.join("")
  }
  return "1" + chars.join("")
}

const pad2 = (n: number): string => String(n).padStart(2, "0")

/** `yyyy-MM-dd HH:mm:ss` in local time, as in "Finished computing initial states: ... at <time>." */
export function timestamp(at: Date): string {
  return (
    `${at.getFullYear()}-${pad2(at.getMonth() + 1)}-${pad2(at.getDate())} ` +
    `${pad2(at.getHours())}:${pad2(at.getMinutes())}:${pad2(at.getSeconds())}`
  )
}

const DAY = 86_400_000
const HOUR = 3_600_000
const MINUTE = 60_000

/**
 * A run time as TLC prints it: "05s", "01min 05s", "02h 03min", "1d 23h". Like TLC, the fields
 * are those of a UTC clock reading (so 60000 ms is "00s") and days count from 1.
 */
export function duration(ms: number): string {
  if (ms > DAY) {
    const t = new Date(ms - DAY)
    const dayOfYear = Math.floor((t.getTime() - Date.UTC(t.getUTCFullYear(), 0, 1)) / DAY) + 1
    return `${dayOfYear}d ${pad2(t.getUTCHours())}h`
  }
  const t = new Date(ms)
  if (ms > HOUR) return `${pad2(t.getUTCHours())}h ${pad2(t.getUTCMinutes())}min`
  if (ms > MINUTE) return `${pad2(t.getUTCMinutes())}min ${pad2(t.getUTCSeconds())}s`
  return `${pad2(t.getUTCSeconds())}s`
}

/**
 * TLC's output texts for a model-checking run (see TLC-FACTS.md, section 6), so users can diff
 * our output with TLC's: counts lines, error headers, traces and the nested-position lines.
 */
import type { Model } from "../eval/spec.ts"
import { Fcn, LazySet, ModelValue, prettyValue, Str, toSet, type Value } from "../eval/value.ts"
import { tlcRange } from "../syntax/source.ts"
import type { CheckResult, TraceStep } from "./explore.ts"

const pad2 = (n: number): string => String(n).padStart(2, "0")

/** TLC's timestamp format: yyyy-MM-dd HH:mm:ss. */
export const tlcTime = (d = new Date()): string =>
  `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`

/** "12,345": progress lines use thousands separators, the final summary does not. */
export const withCommas = (n: number): string => n.toLocaleString("en-US")

export const summaryLine = (r: Pick<CheckResult, "generated" | "distinct" | "queue">): string =>
  `${r.generated} states generated, ${r.distinct} distinct states found, ${r.queue} states left on queue.`

export const progressLine = (p: { generated: number; distinct: number; queue: number; depth: number; elapsedMs: number }): string => {
  const rate = p.elapsedMs > 0 ? Math.round((p.distinct * 1000) / p.elapsedMs) : 0
  return `Progress(${p.depth}) at ${tlcTime()}: ${withCommas(p.generated)} states generated, ${withCommas(p.distinct)} distinct states found, ${withCommas(p.queue)} states left on queue. (${withCommas(rate)} distinct states/s)`
}

/** One state as TLC prints it: "x = 0" for a single variable, else "/\ v = value" lines. */
export const formatState = (model: Model, state: ReadonlyArray<Value | undefined>): string[] => {
  const show = (v: Value | undefined, indent: number): string => (v === undefined ? "null" : prettyValue(v, indent))
  if (model.vars.length === 1) return [`${model.vars[0]} = ${show(state[0], 0)}`]
  return model.printOrder.map((i) => `/\\ ${model.vars[i]} = ${show(state[i], 0)}`)
}

export const formatTrace = (model: Model, trace: ReadonlyArray<TraceStep>): string[] => {
  const lines: string[] = []
  trace.forEach((step, k) => {
    if (step.action < 0) lines.push(`State ${k + 1}: <Initial predicate>`)
    else {
      const a = model.next[step.action]
      const loc = tlcRange(a.loc)
      lines.push(`State ${k + 1}: <${a.name} ${loc}>`)
    }
    lines.push(...formatState(model, step.state), "")
  })
  return lines
}

/** The probability TLC reports for a fingerprint collision: D * (G - D) / 2^64, 2 significant digits. */
export const collisionProbability = (distinct: number, generated: number): string => {
  const p = (distinct * (generated - distinct)) / 2 ** 64
  if (p === 0) return "0.0"
  const [m, e] = p.toExponential(1).split("e")
  return `${m}E${Number(e)}`
}

/** The whole report after the run, in TLC's words and order. */
export const formatResult = (model: Model, r: CheckResult): string[] => {
  const lines: string[] = []
  const stats = (): void => {
    lines.push(summaryLine(r), `The depth of the complete state graph search is ${r.depth}.`)
  }
  const msgLines = (r.message ?? "").split("\n")
  switch (r.outcome) {
    case "ok":
      lines.push(
        "Model checking completed. No error has been found.",
        "  Estimates of the probability that TLC did not check all reachable states",
        "  because two distinct states had the same fingerprint:",
        `  calculated (optimistic):  val = ${collisionProbability(r.distinct, r.generated)}`
      )
      stats()
      if (r.outdegree !== undefined) {
        const o = r.outdegree
        lines.push(`The average outdegree of the complete state graph is ${o.mean} (minimum is ${o.min}, the maximum ${o.max} and the 95th percentile is ${o.p95}).`)
      }
      return lines
    case "assume":
      return [`Error: ${r.message}`]
    case "invariant":
    case "property":
      if (r.noStats) return [`Error: ${r.message}`, ...formatTrace(model, r.trace).slice(1)]
      lines.push(`Error: ${r.message}`, "Error: The behavior up to this point is:", ...formatTrace(model, r.trace))
      stats()
      return lines
    case "deadlock":
      lines.push("Error: Deadlock reached.", "Error: The behavior up to this point is:", ...formatTrace(model, r.trace))
      stats()
      return lines
    case "error":
      lines.push(`Error: ${msgLines[0]}`, ...msgLines.slice(1))
      if (r.errorKind === "assume") return lines
      if (r.trace.length > 0) lines.push("Error: The behavior up to this point is:", ...formatTrace(model, r.trace))
      if (r.positions !== undefined && r.positions.length > 0) {
        lines.push("Error: The error occurred when TLC was evaluating the nested", "expressions at the following positions:")
        r.positions.forEach((p, i) => lines.push(`${i}. Line ${p.line}, column ${p.col} to line ${p.endLine}, column ${p.endCol} in ${p.module}`))
        lines.push("", "")
      }
      stats()
      return lines
  }
}

/** The JSON form of a TLA+ value in trace files: records as objects, sequences as arrays, sets and other functions tagged. */
export const valueToJson = (v: Value | undefined): unknown => {
  if (v === undefined) return null
  if (typeof v === "boolean" || typeof v === "number") return v
  if (v instanceof Str) return v.s
  if (v instanceof ModelValue) return { model: v.name }
  if (v instanceof Fcn) {
    if (v.isSeq()) return v.vals.map(valueToJson)
    if (v.isRecord()) return Object.fromEntries(v.dom.map((d, i) => [(d as Str).s, valueToJson(v.vals[i])]))
    return { fcn: v.dom.map((d, i) => [valueToJson(d), valueToJson(v.vals[i])]) }
  }
  if (v instanceof LazySet && !v.finite()) return { set: v.describe() }
  return { set: toSet(v).elems.map(valueToJson) }
}

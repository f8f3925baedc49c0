/**
 * TLC's output texts for a model-checking run (see TLC-FACTS.md, section 6), so users can diff
 * our output with TLC's: counts lines, error headers, traces and the nested-position lines.
 */
import { Ctx } from "../eval/runtime.ts"
import type { Model } from "../eval/spec.ts"
import {
  behaviorHeader, deadlockReached, depthLine, finishedLine, INITIAL_PREDICATE, initialStatesLine, nestedPositions,
  progressLine as tlcProgressLine, type SourceRange, sourceRangeText, stateBlock, type StateEntry, stateLines, successLines,
  summaryLine
} from "../report/index.ts"
import type { Loc } from "../syntax/source.ts"
import { Kind, toJson, valueToString, type Value } from "../values/index.ts"
import type { CheckResult, TraceStep } from "./explore.ts"

/** A source location in the shared report module's terms. */
const range = (loc: Loc): SourceRange => ({ beginLine: loc.line, beginColumn: loc.col, endLine: loc.endLine, endColumn: loc.endCol, module: loc.module })

/** "Progress(D) at <time>: G states generated (X s/min), D distinct states found (Y ds/min), Q states left on queue." */
export const progressLine = (p: { generated: number; distinct: number; queue: number; depth: number; elapsedMs: number }): string => {
  const minutes = Math.max(p.elapsedMs, 1) / 60_000
  return tlcProgressLine({
    ...p,
    at: new Date(),
    perMinute: { generated: Math.round(p.generated / minutes), distinct: Math.round(p.distinct / minutes) }
  })
}

/** A state's variables (or its ALIAS record's fields) in TLC's print order. */
const stateEntries = (model: Model, state: ReadonlyArray<Value | undefined>, level: number): StateEntry[] => {
  if (model.alias !== undefined && !state.includes(undefined)) {
    const a = model.alias(new Ctx(state as Value[], null, level), null)
    if (typeof a === "object" && a.kind === Kind.Record) return a.names.map((d, i) => [d.value, a.values[i]])
  }
  return model.printOrder.map((i) => [model.vars[i], state[i]])
}

/** One state as TLC prints it: "x = 0" for a single variable, else "/\ v = value" lines. */
export const formatState = (model: Model, state: ReadonlyArray<Value | undefined>, level = 1): string[] => stateLines(stateEntries(model, state, level))

export const formatTrace = (model: Model, trace: ReadonlyArray<TraceStep>): string[] =>
  trace.flatMap((step, k) => {
    const label = step.action < 0 ? INITIAL_PREDICATE : `<${model.next[step.action].name} ${sourceRangeText(range(model.next[step.action].loc))}>`
    return stateBlock(k + 1, label, stateEntries(model, step.state, k + 1))
  })

export { initialStatesLine, finishedLine }

/** The whole report after the run, in TLC's words and order. */
export const formatResult = (model: Model, r: CheckResult): string[] => {
  const lines: string[] = []
  const stats = (): void => {
    lines.push(summaryLine(r.generated, r.distinct, r.queue), depthLine(r.depth))
  }
  const msgLines = (r.message ?? "").split("\n")
  switch (r.outcome) {
    case "ok":
      lines.push(...successLines(r.generated, r.distinct))
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
      lines.push(`Error: ${r.message}`, behaviorHeader, ...formatTrace(model, r.trace))
      stats()
      return lines
    case "deadlock":
      lines.push(...deadlockReached, ...formatTrace(model, r.trace))
      stats()
      return lines
    case "error":
      lines.push(`Error: ${msgLines[0]}`, ...msgLines.slice(1))
      if (r.errorKind === "assume") return lines
      if (r.trace.length > 0) lines.push(behaviorHeader, ...formatTrace(model, r.trace))
      if (r.positions !== undefined && r.positions.length > 0) lines.push(...nestedPositions(r.positions.map(range)), "", "")
      stats()
      return lines
  }
}

/**
 * A value in trace files, in the project's JSON codec (src/tla/values/json.ts): sequences as
 * arrays, records as objects, `{"$set": [..]}`, `{"$fn": [[k, v], ..]}`, `{"$mv": name}`.
 * A value the codec cannot hold (an infinite set) is written as its TLA+ text, `{"$tla": ".."}`.
 */
export const valueToJson = (v: Value | undefined): unknown => {
  if (v === undefined) return null
  try {
    return toJson(v)
  } catch {
    return { $tla: valueToString(v) }
  }
}

/**
 * How the audit's findings are printed: a table for people (one column per check), or one JSON
 * array for tools.
 */
import { type BugName, CHECKS, type CheckName } from "../../raft/index.ts"
import { describeCommand, type Script } from "../../runtime/cluster/script.ts"
import type { AuditRow, Catch, CleanRun, Miss } from "./audit.ts"

/** What one check did about one bug. */
export interface JsonCheck {
  readonly check: CheckName
  readonly caught: boolean
  /** false: the check cannot see this bug or this run (n/a). */
  readonly applies: boolean
  readonly seconds: number | null
  /** Commands in its shrunk script (null for model checking, which has none). */
  readonly steps: number | null
  readonly traceSteps: number | null
  readonly how: string | null
  readonly counterexample: string | null
  /** What it found, or why it did not catch the bug. */
  readonly detail: string
}

export interface JsonRow {
  /** null: the run with every flag off. */
  readonly bug: BugName | null
  /** For a bug: some check failed. For the run with every flag off: a check failed (a false alarm). */
  readonly caught: boolean
  /** The first check that caught it; the fields below (seconds ... detail) are its own. */
  readonly caughtBy: CheckName | null
  /** The other checks that caught it too, in the order of CHECKS. */
  readonly alsoCaughtBy: ReadonlyArray<CheckName>
  readonly seconds: number | null
  /** Commands in the shrunk counterexample. */
  readonly steps: number | null
  readonly traceSteps: number | null
  readonly how: string | null
  readonly counterexample: string | null
  readonly detail: string | null
  /** Every check, in the order of CHECKS. */
  readonly checks: ReadonlyArray<JsonCheck>
}

const round = (seconds: number): number => Math.round(seconds * 1000) / 1000

/** Each check's finding for a row, in the order of CHECKS (checks no catcher ran are left out). */
const byCheck = (row: AuditRow): Array<Catch | Miss> =>
  CHECKS.flatMap((check) => {
    const found = row.catches.find((c) => c.check === check) ?? row.misses.find((m) => m.check === check)
    return found === undefined ? [] : [found]
  })

const isCatch = (x: Catch | Miss): x is Catch => "detail" in x

const jsonCheck = (x: Catch | Miss): JsonCheck =>
  isCatch(x)
    ? {
        check: x.check,
        caught: true,
        applies: true,
        seconds: round(x.seconds),
        steps: x.steps,
        traceSteps: x.traceSteps,
        how: x.how,
        counterexample: x.file,
        detail: x.detail
      }
    : { check: x.check, caught: false, applies: x.applies, seconds: null, steps: null, traceSteps: null, how: null, counterexample: null, detail: x.why }

const cleanHow = (clean: CleanRun): string =>
  `${clean.scenarios} scenarios and ${clean.randomRuns} random runs with every flag off; ${clean.models} models without mutation (spec/MCRaft.cfg and each bug's), ${clean.modelStates} distinct states`

export const jsonRows = (rows: ReadonlyArray<AuditRow>, clean: CleanRun | null): Array<JsonRow> => [
  ...rows.map((row) => {
    const first = row.caught
    return {
      bug: row.bug,
      caught: first !== null,
      caughtBy: first?.check ?? null,
      alsoCaughtBy: CHECKS.filter((check) => check !== first?.check && row.catches.some((c) => c.check === check)),
      seconds: first === null ? null : round(first.seconds),
      steps: first?.steps ?? null,
      traceSteps: first?.traceSteps ?? null,
      how: first?.how ?? null,
      counterexample: first?.file ?? null,
      detail: first?.detail ?? null,
      checks: byCheck(row).map(jsonCheck)
    }
  }),
  ...(clean === null
    ? []
    : [
        {
          bug: null,
          caught: clean.failure !== null,
          caughtBy: clean.failure?.check ?? null,
          alsoCaughtBy: [],
          seconds: round(clean.seconds),
          steps: null,
          traceSteps: null,
          how: cleanHow(clean),
          counterexample: clean.failure?.file ?? null,
          detail: clean.failure === null ? null : `${clean.failure.where}: ${clean.failure.detail}`,
          checks: []
        }
      ])
]

const pad = (text: string, width: number): string => text.padEnd(width)

/** The line that says most: where a history got stuck, else the first line. */
const gist = (text: string): string => {
  const lines = text.split("\n")
  return (lines.find((line) => line.trim().startsWith("stuck:")) ?? lines[0]).trim()
}

const BUG = 30
const CELL = 18

/** A check's cell: time to catch, then commands (spec steps); "-" ran and passed; "n/a" cannot apply. */
const cell = (x: Catch | Miss | undefined): string => {
  if (x === undefined) return "n/a"
  if (!isCatch(x)) return x.applies ? "-" : "n/a"
  const length = x.steps === null ? `(${x.traceSteps})` : `${x.steps} (${x.traceSteps})`
  return `${x.seconds.toFixed(2)} s ${length}`
}

export const tableLines = (rows: ReadonlyArray<AuditRow>, clean: CleanRun | null): Array<string> => {
  const lines: string[] = []
  if (rows.length > 0) {
    lines.push(
      "each check: time to catch, commands after shrinking (spec steps); model checking: time (spec steps); - passed; n/a cannot apply",
      `${pad("bug", BUG)} ${CHECKS.map((check) => pad(check, CELL)).join(" ")}`.trimEnd()
    )
  }
  for (const row of rows) {
    const found = byCheck(row)
    lines.push(`${pad(row.bug, BUG)} ${CHECKS.map((check) => pad(cell(found.find((x) => x.check === check)), CELL)).join(" ")}`.trimEnd())
    const first = row.caught
    if (first === null) {
      lines.push("    ESCAPED: no check caught it")
      for (const miss of row.misses.filter((m) => m.applies)) lines.push(`    ${miss.check}: ${miss.why}`)
      continue
    }
    lines.push(`    first: ${first.check} (${first.how}): ${gist(first.detail)}`)
    const mc = row.catches.find((c) => c.check === "model-checking") ?? row.misses.find((m) => m.check === "model-checking")
    if (mc !== undefined && mc !== first) lines.push(`    model-checking: ${isCatch(mc) ? gist(mc.detail) : mc.why}`)
    const files = row.catches.flatMap((c) => (c.file === null ? [] : [c.file]))
    if (files.length > 0) lines.push(`    counterexamples: ${files.join(", ")}`)
  }
  if (clean !== null) {
    const verdict = clean.failure === null ? "every check passes" : `FAILS ${clean.failure.check}`
    lines.push(`${pad("(every flag off)", BUG)} ${verdict} in ${clean.seconds.toFixed(2)} s: ${cleanHow(clean)}`)
    if (clean.failure !== null) {
      lines.push(`    ${clean.failure.where}: ${clean.failure.detail}`)
      if (clean.failure.file !== null) lines.push(`    counterexample: ${clean.failure.file}`)
    }
  }
  const caught = rows.filter((row) => row.caught !== null).length
  if (rows.length > 0) lines.push(`${caught} of ${rows.length} bugs caught`)
  return lines
}

/** A script as numbered lines, the way a person reads a counterexample. */
export const scriptLines = (script: Script): Array<string> =>
  script.map((command, index) => `  ${String(index + 1).padStart(3)}. ${describeCommand(command)}`)

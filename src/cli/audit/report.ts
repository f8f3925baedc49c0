/**
 * How the audit's findings are printed: a table for people, or one JSON array for tools.
 */
import type { BugName, CheckName } from "../../raft/index.ts"
import { describeCommand, type Script } from "../../runtime/cluster/script.ts"
import type { AuditRow, CleanRun } from "./audit.ts"

export interface JsonRow {
  /** null: the run with every flag off. */
  readonly bug: BugName | null
  /** For a bug: some check failed. For the run with every flag off: a check failed (a false alarm). */
  readonly caught: boolean
  readonly caughtBy: CheckName | null
  readonly seconds: number | null
  /** Commands in the shrunk counterexample. */
  readonly steps: number | null
  readonly traceSteps: number | null
  readonly how: string | null
  readonly counterexample: string | null
  readonly detail: string | null
}

const round = (seconds: number): number => Math.round(seconds * 1000) / 1000

export const jsonRows = (rows: ReadonlyArray<AuditRow>, clean: CleanRun | null): Array<JsonRow> => [
  ...rows.map(({ bug, caught }) => ({
    bug,
    caught: caught !== null,
    caughtBy: caught?.check ?? null,
    seconds: caught === null ? null : round(caught.seconds),
    steps: caught?.steps ?? null,
    traceSteps: caught?.traceSteps ?? null,
    how: caught?.how ?? null,
    counterexample: caught?.file ?? null,
    detail: caught?.detail ?? null
  })),
  ...(clean === null
    ? []
    : [
        {
          bug: null,
          caught: clean.failure !== null,
          caughtBy: clean.failure?.check ?? null,
          seconds: round(clean.seconds),
          steps: null,
          traceSteps: null,
          how: `${clean.scenarios} scenarios and ${clean.randomRuns} random runs with every flag off`,
          counterexample: clean.failure?.file ?? null,
          detail: clean.failure === null ? null : `${clean.failure.where}: ${clean.failure.detail}`
        }
      ])
]

const pad = (text: string, width: number): string => text.padEnd(width)

/** The line that says most: where a history got stuck, else the first line. */
const gist = (text: string): string => {
  const lines = text.split("\n")
  return (lines.find((line) => line.trim().startsWith("stuck:")) ?? lines[0]).trim()
}

export const tableLines = (rows: ReadonlyArray<AuditRow>, clean: CleanRun | null): Array<string> => {
  const lines = [
    `${pad("bug", 30)} ${pad("caught by", 18)} ${pad("time", 8)} ${pad("commands", 9)} ${pad("spec steps", 11)} found by`
  ]
  for (const { bug, caught } of rows) {
    if (caught === null) {
      lines.push(`${pad(bug, 30)} ESCAPED`)
      continue
    }
    lines.push(
      `${pad(bug, 30)} ${pad(caught.check, 18)} ${pad(`${caught.seconds.toFixed(2)} s`, 8)} ${pad(String(caught.steps), 9)} ${pad(String(caught.traceSteps), 11)} ${caught.how}`
    )
    lines.push(`    ${gist(caught.detail)}`)
    if (caught.file !== null) lines.push(`    counterexample: ${caught.file}`)
  }
  if (clean !== null) {
    const verdict = clean.failure === null ? "every check passes" : `FAILS ${clean.failure.check}`
    lines.push(
      `${pad("(every flag off)", 30)} ${pad(verdict, 18)} ${pad(`${clean.seconds.toFixed(2)} s`, 8)} ${clean.scenarios} scenarios, ${clean.randomRuns} random runs`
    )
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

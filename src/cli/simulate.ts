/**
 * `raft-tla simulate`: runs the deterministic simulator and prints what happened.
 */
import { mkdirSync, openSync, writeSync, closeSync } from "node:fs"
import { dirname } from "node:path"
import { Console, Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { encodeParams } from "../raft/index.ts"
import { INVARIANTS } from "../sim/invariants.ts"
import { defaultOptions, FAULTS, parseFaults } from "../sim/options.ts"
import { type SimStats, type SimViolation, Simulator } from "../sim/simulator.ts"
import { InputError, ViolationFound } from "./exit.ts"

interface Summary {
  readonly seed: number
  readonly servers: number
  readonly steps: number
  readonly faults: ReadonlyArray<string>
  readonly leadersElected: number
  readonly entriesCommitted: number
  readonly clientRequests: number
  readonly snapshotsTaken: number
  readonly snapshotsInstalled: number
  readonly faultsInjected: {
    readonly dropped: number
    readonly duplicated: number
    readonly partitionDrops: number
    readonly partitions: number
    readonly crashes: number
  }
  readonly invariantsChecked: number
  readonly violation: null | { readonly invariant: string; readonly step: number; readonly detail: string }
}

const summarize = (sim: Simulator, faults: ReadonlyArray<string>): Summary => {
  const s: SimStats = sim.stats
  const v = sim.violation
  return {
    seed: sim.settings.seed,
    servers: sim.settings.servers,
    steps: s.steps,
    faults,
    leadersElected: s.leadersElected,
    entriesCommitted: sim.committed.length,
    clientRequests: s.clientRequests,
    snapshotsTaken: s.snapshotsTaken,
    snapshotsInstalled: s.snapshotsInstalled,
    faultsInjected: {
      dropped: s.messagesDropped,
      duplicated: s.messagesDuplicated,
      partitionDrops: s.partitionDrops,
      partitions: s.partitions,
      crashes: s.crashes
    },
    invariantsChecked: s.invariantChecks,
    violation: v && { invariant: v.invariant, step: v.seq, detail: v.detail }
  }
}

const table = (summary: Summary): string => {
  const f = summary.faultsInjected
  const injected = f.dropped + f.duplicated + f.partitionDrops + f.crashes
  const rows: ReadonlyArray<readonly [string, string]> = [
    ["leaders elected", String(summary.leadersElected)],
    ["entries committed", String(summary.entriesCommitted)],
    ["client requests", String(summary.clientRequests)],
    ["snapshots taken", String(summary.snapshotsTaken)],
    ["snapshots installed", String(summary.snapshotsInstalled)],
    [
      "faults injected",
      `${injected} (dropped ${f.dropped}, duplicated ${f.duplicated}, lost to partitions ${f.partitionDrops}, crashes ${f.crashes}; ${f.partitions} partitions)`
    ],
    ["invariants checked", `${summary.invariantsChecked} (${INVARIANTS.length} after each step)`],
    ["result", summary.violation ? `VIOLATION of ${summary.violation.invariant} at step ${summary.violation.step}` : "ok, no violation"]
  ]
  const width = Math.max(...rows.map(([label]) => label.length))
  const faults = summary.faults.length > 0 ? summary.faults.join(",") : "none"
  return [
    `simulated ${summary.steps} steps of ${summary.servers} servers, seed ${summary.seed}, faults ${faults}`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)
  ].join("\n")
}

const violationReport = (v: SimViolation): string =>
  [
    `${v.invariant} violated at step ${v.seq}: ${v.detail}`,
    "last steps:",
    ...v.recent.map(
      (step) =>
        `  ${String(step.seq).padStart(8)}  ${step.event.action} ${JSON.stringify(encodeParams(step.event.params))}${step.msgId === undefined ? "" : ` (message ${step.msgId})`}`
    )
  ].join("\n")

/** Opens the trace file, creating its folder; a file we cannot write is the user's input error. */
const openTrace = (file: string) =>
  Effect.try({
    try: () => {
      mkdirSync(dirname(file), { recursive: true })
      return openSync(file, "w")
    },
    catch: (error) => new InputError({ message: `${file}: cannot write the trace: ${(error as Error).message}` })
  })

export const simulateCommand = Command.make(
  "simulate",
  {
    seed: Flag.Int("seed").pipe(Flag.withDescription("Seed of the run; the same seed and flags give the same trace (default 1)"), Flag.withDefault(1)),
    steps: Flag.Int("steps").pipe(Flag.withDescription("Number of steps (spec actions) to take (default 10000)"), Flag.withDefault(10_000)),
    servers: Flag.Int("servers").pipe(Flag.withDescription("Cluster size: 3 or 5 (default 3)"), Flag.withDefault(3)),
    faults: Flag.String("faults").pipe(
      Flag.withDescription(`Comma-separated faults to inject, from ${FAULTS.join(", ")}; or all, or none (default all)`),
      Flag.withDefault("all")
    ),
    out: Flag.String("out").pipe(
      Flag.withDescription("Write the NDJSON trace (format v1) to this file; full states grow fast (10000 steps: about 400 MB), so use --delta for long runs"),
      Flag.optional
    ),
    delta: Flag.Boolean("delta").pipe(Flag.withDescription("With --out: each line gives only what changed (stateMode \"delta\"), so the trace grows with the steps only"), Flag.withDefault(false)),
    json: Flag.Boolean("json").pipe(Flag.withDescription("Print the summary as JSON"), Flag.withDefault(false))
  },
  (flags) =>
    Effect.gen(function* () {
      if (flags.servers !== 3 && flags.servers !== 5) {
        return yield* new InputError({ message: `--servers must be 3 or 5, got ${flags.servers}` })
      }
      if (flags.steps < 0) return yield* new InputError({ message: `--steps must be at least 0, got ${flags.steps}` })
      const faults = parseFaults(flags.faults)
      if ("unknown" in faults) {
        return yield* new InputError({
          message: `--faults: unknown fault "${faults.unknown}"; known: ${FAULTS.join(", ")}, all, none`
        })
      }
      const options = { ...defaultOptions(flags.seed), servers: flags.servers, faults }
      const faultNames = FAULTS.filter((fault) => faults.has(fault))
      const sim = Option.isSome(flags.out)
        ? yield* Effect.acquireUseRelease(
            openTrace(flags.out.value),
            (fd) =>
              Effect.sync(() => {
                const traced = new Simulator(options, (line) => writeSync(fd, line + "\n"), flags.delta ? "delta" : "full")
                traced.run(flags.steps)
                return traced
              }),
            (fd) => Effect.sync(() => closeSync(fd))
          )
        : yield* Effect.sync(() => {
            const plain = new Simulator(options)
            plain.run(flags.steps)
            return plain
          })
      const summary = summarize(sim, faultNames)
      yield* Console.log(flags.json ? JSON.stringify(summary, null, 2) : table(summary))
      if (sim.violation) {
        yield* Console.error(violationReport(sim.violation))
        return yield* new ViolationFound({ summary: `${sim.violation.invariant} at step ${sim.violation.seq}` })
      }
    })
).pipe(
  Command.withDescription(
    "Run a simulated cluster under faults, checking the spec's invariants after every step; exits 1 on a violation"
  )
)

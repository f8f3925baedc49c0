/**
 * `raft-tla validate <trace.ndjson>...`: checks every step of implementation traces against the
 * spec's actions and invariants; on the first mismatch, says where and why. Exits 1 on a
 * mismatch, 2 on bad input, 3 when a search bound left a trace undecided.
 */
import { relative } from "node:path"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import {
  Coverage,
  type CoverageReport,
  formatCoverage,
  formatResult,
  type InvariantChoice,
  type ValidatedTrace,
  type ValidationModel,
  validateTrace,
  ValidationInputError
} from "../validate/index.ts"
import { InputError, Undecided, ViolationFound } from "./exit.ts"

const parseInvariants = (text: string): InvariantChoice | undefined => {
  if (text === "all" || text === "none") return text
  const names = text.split(",").map((n) => n.trim())
  return names.every((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) ? names : undefined
}

const traceJson = (t: ValidatedTrace, specPath: string) => {
  const r = t.result
  return {
    trace: t.file,
    spec: specPath,
    cfg: t.model.cfgPath ?? null,
    ok: r.failure === undefined,
    stateMode: r.stateMode,
    steps: r.steps,
    invariants: r.invariants,
    guessedSteps: r.guessedSteps,
    guesses: r.guesses,
    ambiguousSteps: r.ambiguousSteps,
    elapsedMs: Math.round(r.elapsedMs),
    stepsPerSecond: r.elapsedMs > 0 ? Math.round((r.steps / r.elapsedMs) * 1000) : null,
    failure: r.failure ?? null
  }
}

export const validateCommand = Command.make(
  "validate",
  {
    traces: Argument.String("trace").pipe(
      Argument.withDescription("NDJSON trace files (docs/trace-format.md), e.g. from raft-tla simulate --out"),
      Argument.atLeast(1)
    ),
    spec: Flag.String("spec").pipe(Flag.withDescription("The TLA+ spec (default: the one the trace header names)"), Flag.optional),
    config: Flag.String("config").pipe(
      Flag.withDescription("A .cfg with constants and INVARIANTS (default: the spec's own Spec.cfg, if any); the trace header's constants are added"),
      Flag.optional
    ),
    invariants: Flag.String("invariants").pipe(
      Flag.withDescription("Invariants to check on every state: all (the .cfg's), none, or names like TypeOK,LogMatching (default all)"),
      Flag.withDefault("all")
    ),
    maxGap: Flag.Int("max-gap").pipe(
      Flag.withDescription("Partial traces: how many unlogged steps may be guessed in a row, by a bounded search (default 0: the trace must be complete)"),
      Flag.withDefault(0)
    ),
    next: Flag.String("next").pipe(Flag.withDescription("The next-state operator whose actions steps name (default Next)"), Flag.withDefault("Next")),
    coverage: Flag.Boolean("coverage").pipe(Flag.withDescription("Also report how often each action and each disjunct of Next was taken, and which never were"), Flag.withDefault(false)),
    json: Flag.Boolean("json").pipe(Flag.withDescription("Print one JSON object (for tools) instead of the report"), Flag.withDefault(false))
  },
  (flags) =>
    Effect.gen(function* () {
      const invariants = parseInvariants(flags.invariants)
      if (invariants === undefined) return yield* new InputError({ message: `--invariants: expected all, none or comma-separated operator names, got "${flags.invariants}"` })
      if (flags.maxGap < 0) return yield* new InputError({ message: `--max-gap must be at least 0, got ${flags.maxGap}` })
      const coverages = new Map<string, { coverage: Coverage; traces: number }>()
      const done: Array<{ trace: ValidatedTrace; specPath: string }> = []
      for (const file of flags.traces) {
        const validated = yield* Effect.try({
          try: () =>
            validateTrace(file, {
              spec: Option.getOrUndefined(flags.spec),
              config: Option.getOrUndefined(flags.config),
              invariants,
              maxGap: flags.maxGap,
              next: flags.next,
              coverage: flags.coverage ? (model) => coverageFor(coverages, model, flags.next) : undefined,
              progress: (p) =>
                void process.stderr.write(`${file}: ${p.steps.toLocaleString("en-US")} steps validated, ${Math.round((p.steps / p.elapsedMs) * 1000).toLocaleString("en-US")} steps/s\n`)
            }),
          catch: (error) => {
            if (error instanceof ValidationInputError) return new InputError({ message: error.message })
            throw error
          }
        })
        const specPath = shortPath(validated.model.specPath)
        done.push({ trace: validated, specPath })
        if (!flags.json) yield* Console.log(formatResult(file, specPath, validated.model, validated.result))
        if (validated.result.failure !== undefined) break
      }
      const reports: Array<{ spec: string; traces: number; report: CoverageReport }> = [...coverages].map(([spec, c]) => ({
        spec: shortPath(spec),
        traces: c.traces,
        report: c.coverage.report()
      }))
      if (flags.json) {
        yield* Console.log(JSON.stringify({ traces: done.map((d) => traceJson(d.trace, d.specPath)), ...(flags.coverage ? { coverage: reports } : {}) }, null, 2))
      } else {
        for (const r of reports) yield* Console.log(formatCoverage(r.spec, r.traces, r.report))
      }
      const failed = done.find((d) => d.trace.result.failure !== undefined)
      if (failed !== undefined) {
        const f = failed.trace.result.failure!
        const summary = `${failed.trace.file}: step ${f.seq} (line ${f.line})`
        return yield* f.kind === "undecided" ? new Undecided({ summary }) : new ViolationFound({ summary })
      }
    })
).pipe(
  Command.withDescription(
    "Check implementation traces step by step against the spec: each step's action must hold and the invariants must hold after it; on a mismatch, report the failing conjunct and what differs (exit 1)"
  )
)

const shortPath = (path: string): string => relative(process.cwd(), path) || path

/** One coverage count per spec, across all the traces of that spec. */
const coverageFor = (coverages: Map<string, { coverage: Coverage; traces: number }>, model: ValidationModel, next: string): Coverage => {
  let entry = coverages.get(model.specPath)
  if (entry === undefined) {
    entry = { coverage: new Coverage(model.spec.nextDisjuncts(next)), traces: 0 }
    coverages.set(model.specPath, entry)
  }
  entry.traces++
  return entry.coverage
}

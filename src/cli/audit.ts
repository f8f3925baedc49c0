/**
 * `raft-tla audit`: switches catalogued Raft bugs back on, one at a time, and shows which checks
 * catch each (model checking of the spec mutated the same way, trace validation, invariants,
 * linearizability, liveness), with shrunk counterexamples; with every flag off the same checks
 * must pass. `--replay FILE` runs a counterexample again.
 */
import { Console, Effect, FileSystem, Option, Result } from "effect"
import { Command, Flag } from "effect/cli"
import { BUG_NAMES, type BugName } from "../raft/index.ts"
import { type AuditOptions, auditBug, auditClean, type AuditRow, type CleanRun, defaultAuditOptions } from "./audit/audit.ts"
import { clusterProblem } from "../runtime/cluster/cluster.ts"
import { readCounterexample } from "./audit/counterexample.ts"
import { modelCheckingCatcher } from "./audit/model-checking.ts"
import { replayCounterexample } from "./audit/replay.ts"
import { jsonRows, scriptLines, tableLines } from "./audit/report.ts"
import { runtimeCatcher } from "./audit/runtime-catcher.ts"
import { isSpecCounterexample, readSpecCounterexample, replaySpecCounterexample } from "./audit/spec-replay.ts"
import { InputError, ViolationFound } from "./exit.ts"

const bug = Flag.Literals("bug", BUG_NAMES).pipe(Flag.optional, Flag.withDescription("Audit this bug of the catalogue (docs/bugs.md)"))

const all = Flag.Boolean("all").pipe(
  Flag.withDefault(false),
  Flag.withDescription("Audit every bug of the catalogue, then check that with every flag off every check passes")
)

const budget = Flag.Finite("budget-seconds").pipe(
  Flag.withDefault(10),
  Flag.withDescription("Seconds per bug for random search once its targeted scenario has run, and for the random runs with every flag off. Default 10")
)

const json = Flag.Boolean("json").pipe(
  Flag.withDefault(false),
  Flag.withDescription(
    'Print one JSON array of {"bug","caught","caughtBy","alsoCaughtBy","seconds","steps","traceSteps","how","counterexample","detail","checks"}, ' +
      "checks giving each check's own figures; bug null is the run with every flag off"
  )
)

const replay = Flag.String("replay").pipe(
  Flag.optional,
  Flag.withDescription(
    "Replay a counterexample file: exit 1 when its check fails again, 0 when the run passes. A model checker's counterexample (<bug>.spec.ndjson) is model-checked again"
  )
)

const flagOff = Flag.Boolean("flag-off").pipe(
  Flag.withDefault(false),
  Flag.withDescription(
    "With --replay: run the counterexample with its bug switched off (every check should pass); for a <bug>.spec.ndjson, check the model without the mutation"
  )
)

const searchOnly = Flag.Boolean("search-only").pipe(
  Flag.withDefault(false),
  Flag.withDescription("Skip the targeted scenarios: only random model-based search may catch the bugs")
)

const out = Flag.String("out").pipe(
  Flag.withDefault(defaultAuditOptions.outDir ?? "traces/counterexamples"),
  Flag.withDescription("Directory for the counterexample files <bug>.ndjson and <bug>.spec.ndjson. Default traces/counterexamples")
)

const dryRun = Flag.Boolean("dry-run").pipe(Flag.withDefault(false), Flag.withDescription("Write no counterexample files"))

const seed = Flag.Int("seed").pipe(Flag.withDefault(defaultAuditOptions.seed), Flag.withDescription("Seed of the random search. Default 1"))

const runs = Flag.Int("runs").pipe(
  Flag.optional,
  Flag.withDescription("At most this many random runs per search (default: as many as the budget allows)")
)

const shrinkSeconds = Flag.Finite("shrink-seconds").pipe(
  Flag.withDefault(defaultAuditOptions.shrinkMs / 1000),
  Flag.withDescription("Seconds allowed for shrinking each counterexample (0: keep it as found). Default 20")
)

const modelStates = Flag.Int("model-states").pipe(
  Flag.withDefault(defaultAuditOptions.modelStates),
  Flag.withDescription(
    "Distinct states model checking may explore per bug, in the spec mutated like the bug (spec/MCBug*.tla); 0: no model checking. Default 200000"
  )
)

const cleanModelStates = Flag.Int("clean-model-states").pipe(
  Flag.withDefault(defaultAuditOptions.cleanModelStates),
  Flag.withDescription("With every flag off: distinct states explored of spec/MCRaft.cfg and of each bug's model without its mutation (0: none). Default 10000")
)

const fail = (message: string) => Effect.fail(new InputError({ message }))

/** A model checker's counterexample: model-checked again, with or without its mutation. */
const replaySpecFile = (file: string, text: string, mutated: boolean, asJson: boolean) =>
  Effect.gen(function* () {
    const lines = text.split("\n").filter((line) => line !== "")
    const read = readSpecCounterexample(lines[0])
    if (Result.isFailure(read)) return yield* fail(`${file}:${read.failure.line}:${read.failure.column}: ${read.failure.message}`)
    const found = read.success
    const steps = lines.slice(1)
    const outcome = yield* Effect.sync(() => replaySpecCounterexample(file, found, steps, mutated))
    const failed = outcome.violation !== null
    if (asJson) {
      yield* Console.log(
        JSON.stringify({
          file,
          bug: found.bug,
          mutated,
          failed,
          check: "model-checking",
          reproduced: outcome.reproduced,
          sameTrace: outcome.sameTrace,
          detail: outcome.violation,
          refused: outcome.refused
        })
      )
    } else {
      yield* Console.log(`${file}: ${found.bug}, caught by model checking ${found.model} (${found.substitution}): ${found.message} ${steps.length} steps`)
      yield* Console.log(mutated ? "model-checked again with the mutation:" : `model-checked without ${found.substitution}:`)
      if (outcome.violation === null) yield* Console.log(`  no violation in ${outcome.distinct} distinct states`)
      else yield* Console.log(`  ${outcome.violation}${outcome.reproduced ? " (reproduced)" : ""} after ${outcome.distinct} distinct states`)
      if (mutated) yield* Console.log(`  trace ${outcome.sameTrace ? "identical to" : "DIFFERS from"} the file's ${steps.length} steps`)
      if (outcome.refused !== null) yield* Console.log(`  spec/Raft.tla refuses ${outcome.refused}`)
    }
    if (failed) return yield* Effect.fail(new ViolationFound({ summary: "model-checking check failed" }))
  })

const replayFile = (file: string, bugOn: boolean, asJson: boolean) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(file).pipe(Effect.mapError(() => new InputError({ message: `${file}: cannot read the file` })))
    if (isSpecCounterexample(text.split("\n")[0])) return yield* replaySpecFile(file, text, bugOn, asJson)
    const read = readCounterexample(text)
    if (Result.isFailure(read)) return yield* fail(`${file}:${read.failure.line}:${read.failure.column}: ${read.failure.message}`)
    const header = read.success
    const problem = clusterProblem(header.cluster)
    if (problem !== undefined) return yield* fail(`${file}:1:1: the counterexample's cluster cannot run: ${problem}`)
    const steps = text.split("\n").slice(1).filter((line) => line !== "")
    const outcome = yield* Effect.promise(() => replayCounterexample(header, steps, bugOn))
    const failed = outcome.failure !== null
    if (asJson) {
      yield* Console.log(
        JSON.stringify({
          file,
          bug: header.bug,
          bugOn,
          failed,
          check: outcome.failure?.check ?? null,
          reproduced: outcome.reproduced,
          sameTrace: outcome.sameTrace,
          detail: outcome.failure?.detail ?? null
        })
      )
    } else {
      const bugName = header.bug ?? "no bug (every flag off)"
      yield* Console.log(`${file}: ${bugName}, caught by ${header.caughtBy}, ${header.script.length} commands:`)
      for (const line of scriptLines(header.script)) yield* Console.log(line)
      yield* Console.log(header.bug === null ? "replayed:" : `replayed with ${header.bug} ${bugOn ? "on" : "off"}:`)
      if (outcome.failure === null) yield* Console.log("  every check passes")
      else {
        const at = outcome.failure.seq === null ? "" : ` at step ${outcome.failure.seq}`
        yield* Console.log(`  ${outcome.failure.check} check fails${at}${outcome.reproduced ? " (reproduced)" : ""}:`)
        for (const line of outcome.failure.detail.split("\n")) yield* Console.log(`    ${line}`)
      }
      if (bugOn) yield* Console.log(`  trace ${outcome.sameTrace ? "identical to" : "DIFFERS from"} the file's ${steps.length} steps`)
    }
    if (failed) return yield* Effect.fail(new ViolationFound({ summary: `${outcome.failure!.check} check failed` }))
  })

export const auditCommand = Command.make(
  "audit",
  { bug, all, budget, json, replay, flagOff, searchOnly, out, dryRun, seed, runs, shrinkSeconds, modelStates, cleanModelStates },
  (config) =>
    Effect.gen(function* () {
      if (Option.isSome(config.replay)) return yield* replayFile(config.replay.value, !config.flagOff, config.json)
      if (config.flagOff) return yield* fail("--flag-off goes with --replay FILE")
      if (config.all && Option.isSome(config.bug)) return yield* fail("give either --bug NAME or --all, not both")
      if (!(config.budget > 0)) return yield* fail("--budget-seconds must be more than 0")
      if (!(config.shrinkSeconds >= 0)) return yield* fail("--shrink-seconds must be 0 or more")
      if (Option.isSome(config.runs) && config.runs.value < 1) return yield* fail("--runs must be at least 1")
      if (config.modelStates < 0 || config.cleanModelStates < 0) return yield* fail("--model-states and --clean-model-states must be 0 or more")
      const options: AuditOptions = {
        ...defaultAuditOptions,
        budgetMs: config.budget * 1000,
        searchRuns: Option.getOrElse(config.runs, () => defaultAuditOptions.searchRuns),
        seed: config.seed,
        scenarios: !config.searchOnly,
        shrinkMs: config.shrinkSeconds * 1000,
        outDir: config.dryRun ? null : config.out,
        modelStates: config.modelStates,
        cleanModelStates: config.cleanModelStates
      }
      const bugs: ReadonlyArray<BugName> = config.all ? BUG_NAMES : Option.isSome(config.bug) ? [config.bug.value] : []
      const rows: Array<AuditRow> = []
      const catchers = [runtimeCatcher(options), modelCheckingCatcher(options)]
      for (const name of bugs) rows.push(yield* Effect.promise(() => auditBug(name, catchers)))
      // With --bug the clean run is left out: it is the same for every bug, and --all includes it.
      const clean: CleanRun | null = bugs.length === 1 && !config.all ? null : yield* Effect.promise(() => auditClean(options))
      if (config.json) yield* Console.log(JSON.stringify(jsonRows(rows, clean), null, 2))
      else for (const line of tableLines(rows, clean)) yield* Console.log(line)
      const escaped = rows.filter((row) => row.caught === null).map((row) => row.bug)
      if (escaped.length > 0) return yield* Effect.fail(new ViolationFound({ summary: `escaped: ${escaped.join(", ")}` }))
      if (clean?.failure) return yield* Effect.fail(new ViolationFound({ summary: "a check fails with every flag off" }))
    })
).pipe(
  Command.withDescription(
    "Audit the checks against the bug catalogue: each bug switched on must be caught (model checking of the spec mutated the same way, " +
      "trace validation, invariants, linearizability, liveness), with shrunk counterexamples written to --out; the table shows every check " +
      "that caught each bug. With no flag on, every check must pass. " +
      "No --bug/--all: only the run with every flag off. Exit 0: all caught and clean; 1: a bug escaped, a check fails " +
      "with every flag off, or a replayed counterexample fails; 2: bad input"
  )
)

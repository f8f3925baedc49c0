import { Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { basename } from "node:path"
import { ConfigError, ModelError, runCheck, SyntaxError } from "../tla/check/run.ts"
import { valueToJson } from "../tla/check/report.ts"
import { InputError, ViolationFound } from "./exit.ts"

const write = (line: string): void => {
  process.stdout.write(line + "\n")
}

/** `raft-tla check Spec.tla`: model-check a TLA+ spec like TLC, with TLC's counts and messages. */
export const checkCommand = Command.make(
  "check",
  {
    spec: Argument.String("spec").pipe(Argument.withDescription("The TLA+ module to check (Spec.tla)")),
    config: Flag.String("config").pipe(Flag.optional, Flag.withDescription("The TLC model configuration (default: Spec.cfg beside the spec)")),
    workers: Flag.Int("workers").pipe(Flag.withDefault(1), Flag.withDescription("Worker threads: only 1 is accepted (the search runs on one thread; see docs/tla-checker.md)")),
    simulate: Flag.Boolean("simulate").pipe(Flag.withDefault(false), Flag.withDescription("Random walks instead of exhaustive search (like TLC -simulate)")),
    depth: Flag.Int("depth").pipe(Flag.withDefault(100), Flag.withDescription("Simulation: the length bound of each walk")),
    num: Flag.Int("num").pipe(Flag.withDefault(1000), Flag.withDescription("Simulation: the number of walks")),
    seed: Flag.Int("seed").pipe(Flag.optional, Flag.withDescription("Simulation: the random seed (printed when not given)")),
    deadlock: Flag.Boolean("deadlock").pipe(Flag.withDefault(false), Flag.withDescription("Do not check for deadlock (like TLC's -deadlock)")),
    json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print one JSON object with the result instead of TLC's text")),
    traceFile: Flag.String("trace-file").pipe(Flag.optional, Flag.withDescription("Where to write a counterexample as JSON (default: Spec_TTrace_<time>.json in the current folder)")),
    tlcExitCodes: Flag.Boolean("tlc-exit-codes").pipe(Flag.withDefault(false), Flag.withDescription("Exit with TLC's codes (12 invariant, 11 deadlock, 13 property, 75 evaluation error...)"))
  },
  (o) =>
    Effect.gen(function* () {
      // `raft-tla check ... | head`: a reader that goes away ends the run quietly.
      process.stdout.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code !== "EPIPE") throw e
        process.exit(0)
      })
      if (o.workers !== 1) return yield* Effect.fail(new InputError({ message: `--workers ${o.workers}: this checker explores on one thread, so only --workers 1 is accepted` }))
      if (o.simulate && (o.depth < 1 || o.num < 1)) return yield* Effect.fail(new InputError({ message: "--depth and --num must be at least 1" }))
      const seed = Option.getOrElse(o.seed, () => Math.floor(Math.random() * 2 ** 31))
      const lines: string[] = []
      const out = o.json ? (l: string) => void lines.push(l) : write
      const traceFile = Option.getOrElse(o.traceFile, () => `${basename(o.spec, ".tla")}_TTrace_${Math.floor(Date.now() / 1000)}.json`)
      const run = yield* Effect.try({
        try: () =>
          runCheck({
            specPath: o.spec,
            cfgPath: Option.getOrUndefined(o.config),
            simulate: o.simulate ? { depth: o.depth, traces: o.num, seed } : undefined,
            checkDeadlock: o.deadlock ? false : undefined,
            traceFile,
            out,
            progress: (l) => void process.stderr.write(l + "\n")
          }),
        catch: (e) => {
          if (e instanceof SyntaxError || e instanceof ModelError || e instanceof ConfigError) return new InputError({ message: e.message })
          if (e instanceof Error && "code" in e && (e as { code?: string }).code === "ENOENT") return new InputError({ message: e.message })
          throw e
        }
      })
      const r = run.result
      if (o.json) {
        write(
          JSON.stringify({
            spec: o.spec,
            outcome: r.outcome,
            violated: r.violated ?? null,
            message: r.message ?? null,
            generated: r.noStats ? null : r.generated,
            distinct: r.noStats ? null : r.distinct,
            queue: r.noStats ? null : r.queue,
            depth: r.noStats ? null : r.depth,
            tlcExitCode: r.tlcExit,
            printed: run.printed,
            traceFile: run.traceFile ?? null,
            trace: r.trace.map((s) => ({
              action: s.action < 0 ? null : run.model.next[s.action].name,
              state: Object.fromEntries(run.model.vars.map((v, i) => [v, valueToJson(s.state[i])]))
            }))
          })
        )
      }
      if (o.tlcExitCodes) process.exit(r.tlcExit)
      if (r.outcome !== "ok") return yield* Effect.fail(new ViolationFound({ summary: r.message ?? r.outcome }))
    })
).pipe(Command.withDescription("Model-check a TLA+ spec with TLC's semantics and counts (exit 0 no violation, 1 violation, 2 bad input)"))

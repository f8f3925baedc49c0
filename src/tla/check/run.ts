/**
 * One `check` run from files to report: reads the spec and its cfg (Spec.cfg beside the spec by
 * default), runs BFS or simulation, and renders TLC's output lines. The CLI and the corpus
 * runner both use it; bad input surfaces as SyntaxError or ModelError.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { basename, dirname, join } from "node:path"
import { loadModel, ModelError, type Model } from "../eval/spec.ts"
import { SyntaxError } from "../syntax/source.ts"
import { parseConfig } from "../eval/config.ts"
import { type CheckResult, explore } from "./explore.ts"
import { finishedLine, formatResult, formatState, initialStatesLine, progressLine, valueToJson } from "./report.ts"
import { simulate } from "./simulate.ts"

export interface RunOptions {
  readonly specPath: string
  readonly cfgPath?: string
  readonly simulate?: { readonly depth: number; readonly traces: number; readonly seed: number }
  /** false turns deadlock checking off (like TLC's -deadlock); undefined follows the cfg. */
  readonly checkDeadlock?: boolean
  /** Where to write the counterexample (JSON); undefined: no file. */
  readonly traceFile?: string
  /** Lines of the report, as they are produced (Print output included). */
  readonly out: (line: string) => void
  /** Progress lines (stderr in the CLI). */
  readonly progress?: (line: string) => void
}

export interface RunOutcome {
  readonly model: Model
  readonly result: CheckResult
  /** Lines printed by Print/PrintT, in order. */
  readonly printed: ReadonlyArray<string>
  readonly report: ReadonlyArray<string>
  readonly traceFile?: string
}

export const defaultConfigPath = (specPath: string): string => join(dirname(specPath), `${basename(specPath, ".tla")}.cfg`)

export const runCheck = (opts: RunOptions): RunOutcome => {
  const cfgPath = opts.cfgPath ?? defaultConfigPath(opts.specPath)
  if (!existsSync(opts.specPath)) throw new SyntaxError(opts.specPath, 1, 1, "spec file not found")
  if (!existsSync(cfgPath)) throw new SyntaxError(cfgPath, 1, 1, "configuration file not found (use --config)")
  const started = Date.now()
  const cfg = parseConfig(readFileSync(cfgPath, "utf8"), cfgPath)
  const printed: string[] = []
  const model = loadModel(opts.specPath, cfg, {
    print: (line) => {
      printed.push(line)
      opts.out(line)
    }
  })
  if (!model.hasBehavior) throw new ModelError(`${cfgPath}: the configuration must give INIT and NEXT, or SPECIFICATION.`, 151)
  for (const w of model.warnings) opts.out(w)
  for (const u of model.unsupported) opts.out(`Warning: the temporal property ${u} is not checked (liveness is not supported).`)
  let result: CheckResult
  if (opts.simulate !== undefined) {
    opts.out(`Running Random Simulation with seed ${opts.simulate.seed}, ${opts.simulate.traces} traces of depth <= ${opts.simulate.depth}.`)
    result = simulate(model, { ...opts.simulate, checkDeadlock: opts.checkDeadlock })
  } else {
    opts.out("Computing initial states...")
    result = explore(model, {
      checkDeadlock: opts.checkDeadlock,
      onInitialCount: opts.out,
      progress: opts.progress === undefined ? undefined : (p) => opts.progress!(progressLine(p)),
      onInitialDone: (g, d) => opts.out(initialStatesLine(g, d, new Date()))
    })
  }
  const report = formatResult(model, result)
  if (opts.simulate === undefined && result.outcome !== "assume" && !result.noStats) {
    report.push(finishedLine(Date.now() - started, new Date()))
  }
  if (opts.simulate !== undefined && result.outcome === "ok") {
    report.splice(0, report.length, `Simulation completed: ${(result as { traces?: number }).traces ?? 0} traces, ${result.generated} states generated, maximum depth ${result.depth}. No error has been found.`)
  }
  for (const l of report) opts.out(l)
  let traceFile: string | undefined
  if (opts.traceFile !== undefined && result.trace.length > 0) {
    traceFile = opts.traceFile
    writeFileSync(
      traceFile,
      JSON.stringify(
        {
          spec: opts.specPath,
          config: cfgPath,
          outcome: result.outcome,
          violated: result.violated ?? null,
          message: result.message ?? null,
          states: result.trace.map((s, i) => ({
            index: i + 1,
            action: s.action < 0 ? "Initial predicate" : model.next[s.action].name,
            state: Object.fromEntries(model.vars.map((v, j) => [v, valueToJson(s.state[j])])),
            text: formatState(model, s.state)
          }))
        },
        null,
        2
      ) + "\n"
    )
    opts.out(`The counterexample was written to ${traceFile}`)
  }
  return { model, result, printed, report, traceFile }
}

export { ModelError, SyntaxError }
export { ConfigError } from "../config/index.ts"

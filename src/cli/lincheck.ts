/**
 * `raft-tla lincheck <history...>`: checks client histories for linearizability against a
 * built-in model, prints a verdict per file, and optionally draws an HTML timeline.
 */
import { Console, Effect, FileSystem, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { checkOperations, type CheckResult } from "../lincheck/check.ts"
import { explainIllegal } from "../lincheck/explain.ts"
import { formatNames, type FormatName, type HistoryFile } from "../lincheck/formats/history-file.ts"
import { chooseModel, readHistory, validateHistory } from "../lincheck/formats/read-history.ts"
import { HistoryFormatError } from "../lincheck/formats/source.ts"
import { builtInModels, modelNames, type BuiltInModel } from "../lincheck/models/catalogue.ts"
import type { KvInput, KvOutput } from "../lincheck/models/kv-input.ts"
import { renderTimeline } from "../lincheck/timeline.ts"
import { InputError, Undecided, ViolationFound } from "./exit.ts"

const histories = Argument.String("history").pipe(
  Argument.variadic({ min: 1 }),
  Argument.withDescription("History files to check; several are checked one after another in one process")
)

const model = Flag.Literals("model", modelNames).pipe(
  Flag.optional,
  Flag.withDescription(
    `The sequential specification: ${modelNames.map((name) => `${name} (${builtInModels[name].summary})`).join("; ")}. ` +
      `Default: the "model" a JSON history names, else raft-kv if operations carry sessions, kv if they carry keys, else cas-register`
  )
)

const format = Flag.Literals("format", formatNames).pipe(
  Flag.optional,
  Flag.withDescription(
    "json (ours, see docs/lincheck.md), edn (Jepsen/Knossos op maps) or jepsen-log (Jepsen's `jepsen.util` log lines). " +
      "Default: detected from the extension (.json, .edn, .log/.txt), else from the content"
  )
)

const html = Flag.String("html").pipe(
  Flag.optional,
  Flag.withDescription(
    "Write an HTML timeline to this file (with several histories: one file each, named <name>.<history>.html)"
  )
)

const timeout = Flag.Finite("timeout").pipe(
  Flag.withDefault(60),
  Flag.withDescription("Time budget per history, in seconds (0: none); when it runs out the verdict is unknown (exit 3)")
)

const json = Flag.Boolean("json").pipe(
  Flag.withDefault(false),
  Flag.withDescription('Print one JSON line per file: {"file","verdict","ops","partitions","ms"}')
)

interface Loaded {
  readonly history: HistoryFile
  readonly model: BuiltInModel
}

const load = (file: string, text: string, format: FormatName | undefined, requested: BuiltInModel["name"] | undefined) =>
  Effect.suspend(() => {
    try {
      const history = readHistory(file, text, format)
      const chosen = chooseModel(history, requested)
      validateHistory(history, chosen)
      return Effect.succeed<Loaded>({ history, model: chosen })
    } catch (problem) {
      if (problem instanceof HistoryFormatError) return Effect.fail(new InputError({ message: problem.message }))
      throw problem
    }
  })

const htmlPathFor = (target: string, history: string, several: boolean): string => {
  if (!several) return target
  const name = (history.split(/[\\/]/).pop() ?? history).replace(/\.[^.]*$/, "")
  return target.replace(/(\.html?)?$/i, (ext) => `.${name}${ext || ".html"}`)
}

const verdictWords = { ok: "linearizable", illegal: "NOT linearizable", unknown: "unknown (time budget ran out)" } as const

const summary = (result: CheckResult<KvInput, KvOutput>, ops: number, ms: number): string => {
  const partitions = result.partitions.length
  const checked = result.partitionsChecked < partitions ? `${result.partitionsChecked} of ${partitions}` : `${partitions}`
  return `${ops} operations, ${checked} partition${partitions === 1 ? "" : "s"} checked, in ${ms} ms`
}

export const lincheckCommand = Command.make(
  "lincheck",
  { histories, model, format, html, timeout, json },
  (config) =>
    Effect.gen(function* () {
      if (config.timeout < 0) return yield* Effect.fail(new InputError({ message: "--timeout must be 0 (no limit) or more seconds" }))
      const fs = yield* FileSystem.FileSystem
      const loaded: Array<Loaded> = []
      for (const file of config.histories) {
        const text = yield* fs
          .readFileString(file)
          .pipe(Effect.mapError(() => new InputError({ message: `${file}: cannot read the file` })))
        loaded.push(yield* load(file, text, Option.getOrUndefined(config.format), Option.getOrUndefined(config.model)))
      }
      const counts = { ok: 0, illegal: 0, unknown: 0 }
      for (const { history, model: chosen } of loaded) {
        const started = performance.now()
        const result = checkOperations(chosen.model, history.operations, {
          timeoutMs: config.timeout * 1000,
          verbose: true
        })
        const ms = Math.round((performance.now() - started) * 100) / 100
        counts[result.verdict]++
        const ops = history.operations.length
        let htmlPath: string | undefined
        if (Option.isSome(config.html)) {
          htmlPath = htmlPathFor(config.html.value, history.file, loaded.length > 1)
          const page = renderTimeline({ title: history.file, model: chosen.model, result, annotations: history.annotations })
          yield* fs
            .writeFileString(htmlPath, page)
            .pipe(Effect.mapError(() => new InputError({ message: `${htmlPath}: cannot write the timeline` })))
        }
        if (config.json) {
          const line = { file: history.file, verdict: result.verdict, ops, partitions: result.partitions.length, ms, model: chosen.name }
          yield* Console.log(JSON.stringify(htmlPath ? { ...line, html: htmlPath } : line))
          continue
        }
        yield* Console.log(`${history.file}: ${verdictWords[result.verdict]} — ${summary(result, ops, ms)} (model ${chosen.name}, format ${history.format})`)
        if (result.verdict === "illegal") for (const line of explainIllegal(chosen.model, result)) yield* Console.log(line)
        if (htmlPath) yield* Console.log(`  timeline: ${htmlPath}`)
      }
      const tally = `${counts.ok} linearizable, ${counts.illegal} not linearizable, ${counts.unknown} unknown`
      if (counts.illegal > 0) return yield* Effect.fail(new ViolationFound({ summary: tally }))
      if (counts.unknown > 0) return yield* Effect.fail(new Undecided({ summary: tally }))
    })
).pipe(
  Command.withDescription(
    "Check client histories for linearizability (Wing & Gong / Lowe search with P-compositionality, as porcupine). " +
      "Exit 0: all linearizable; 1: some not; 3: some undecided within --timeout; 2: bad input"
  )
)

/**
 * `raft-tla view <trace.ndjson>`: draws a trace as one self-contained HTML page, or as a Mermaid
 * sequence diagram with --mermaid. See docs/viewer.md.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { basename } from "node:path"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { outlineSpec } from "./docs/spec-outline.ts"
import { InputError } from "./exit.ts"
import { InputFileError } from "./input-file-error.ts"
import { renderMermaid } from "./view/mermaid.ts"
import { renderPage, type SpecText } from "./view/page.ts"
import { type Failure, type Timeline, TimelineBuilder } from "./view/timeline.ts"
import { readTraceFile } from "./view/trace-reader.ts"
import { counterexampleFailure, readValidationReport } from "./view/failures.ts"

export const defaultSteps = { html: 1000, mermaid: 60 } as const

export interface ViewRequest {
  readonly trace: string
  readonly from: number | undefined
  readonly steps: number
  readonly failure: Failure | undefined
}

/**
 * Reads the trace and builds the window of it to draw. A failure (the request's, else the one a
 * counterexample's header records) is where the page opens, and the window ends shortly after it.
 */
export const buildTimeline = async (request: ViewRequest): Promise<Timeline> => {
  let failure = request.failure
  let from = request.from ?? 1
  let builder: TimelineBuilder | undefined
  const total = await readTraceFile(request.trace, {
    header: (header, raw) => {
      failure ??= counterexampleFailure(raw)
      if (request.from === undefined && failure?.seq !== undefined) from = Math.max(1, failure.seq - Math.floor((request.steps * 3) / 4))
      builder = new TimelineBuilder(request.trace, { from, steps: request.steps })
      builder.readHeader(header)
    },
    step: (numbered) => builder!.readStep(numbered)
  })
  return builder!.finish(total, failure)
}

/** The text of each action of the spec, for the steps' detail panes; a note when there is none. */
export const specTexts = (specFile: string): { texts: Map<string, SpecText>; note?: string } => {
  if (!existsSync(specFile)) return { texts: new Map(), note: `The spec ${specFile} was not found, so actions are shown without their text.` }
  const outline = outlineSpec(specFile, readFileSync(specFile, "utf8"))
  const texts = new Map<string, SpecText>()
  for (const action of outline.actions) {
    const op = outline.operators.get(action)!
    texts.set(action, { file: specFile, line: op.range.line, text: op.text })
  }
  return { texts }
}

const inputError = (error: unknown): InputError | never => {
  if (error instanceof InputFileError) return new InputError({ message: error.message })
  throw error
}

const positive = (name: string, value: number) =>
  value >= 1 ? Effect.succeed(value) : Effect.fail(new InputError({ message: `--${name} must be at least 1, got ${value}` }))

export const viewCommand = Command.make(
  "view",
  {
    trace: Argument.String("trace").pipe(Argument.withDescription("A trace file (NDJSON, docs/trace-format.md)")),
    out: Flag.String("out").pipe(
      Flag.withDescription("Where to write the page (default: the trace's name with .html) or, with --mermaid, the diagram (default: print it)"),
      Flag.optional
    ),
    mermaid: Flag.Boolean("mermaid").pipe(Flag.withDescription("Write a Mermaid sequence diagram instead of the HTML page"), Flag.withDefault(false)),
    from: Flag.Int("from").pipe(Flag.withDescription("First step to draw (default 1, or shortly before the failing step of --report)"), Flag.optional),
    steps: Flag.Int("steps").pipe(
      Flag.withDescription(`How many steps to draw at most (default ${defaultSteps.html} for the page, ${defaultSteps.mermaid} for --mermaid)`),
      Flag.optional
    ),
    report: Flag.String("report").pipe(
      Flag.withDescription(
        "A validation report (raft-tla validate --json): the page opens on the failing step and shows the failing conjunct. A counterexample written by raft-tla audit opens on its failing step without one"
      ),
      Flag.optional
    ),
    spec: Flag.String("spec").pipe(Flag.withDescription("The spec whose action texts the page shows (default: the spec named in the trace header)"), Flag.optional)
  },
  (flags) =>
    Effect.gen(function* () {
      const steps = yield* positive("steps", Option.getOrElse(flags.steps, () => (flags.mermaid ? defaultSteps.mermaid : defaultSteps.html)))
      const from = Option.isSome(flags.from) ? yield* positive("from", flags.from.value) : undefined
      let failure: Failure | undefined
      if (Option.isSome(flags.report)) {
        const file = flags.report.value
        const text = yield* Effect.try({ try: () => readFileSync(file, "utf8"), catch: () => new InputError({ message: `${file}: cannot read the report` }) })
        const read = readValidationReport(file, text, flags.trace)
        if (read !== undefined && "error" in read) return yield* new InputError({ message: read.error })
        failure = read
      }
      const timeline = yield* Effect.tryPromise({ try: () => buildTimeline({ trace: flags.trace, from, steps, failure }), catch: inputError })
      const title = basename(flags.trace)
      if (flags.mermaid) {
        const diagram = renderMermaid(title, timeline)
        if (Option.isNone(flags.out)) return yield* Console.log(diagram.trimEnd())
        const file = flags.out.value
        yield* Effect.try({ try: () => writeFileSync(file, diagram), catch: () => new InputError({ message: `${file}: cannot write the diagram` }) })
        return yield* Console.log(`wrote ${file}: steps ${timeline.first}–${timeline.last} of ${timeline.total}`)
      }
      if (Option.isSome(flags.spec) && !existsSync(flags.spec.value)) return yield* new InputError({ message: `${flags.spec.value}: no such spec` })
      const specFile = Option.getOrElse(flags.spec, () => timeline.header.spec)
      const spec = yield* Effect.try({ try: () => specTexts(specFile), catch: inputError })
      const page = renderPage({ title, timeline, specActions: spec.texts, ...(spec.note === undefined ? {} : { specNote: spec.note }) })
      const file = Option.getOrElse(flags.out, () => flags.trace.replace(/(\.ndjson)?$/, ".html"))
      yield* Effect.try({ try: () => writeFileSync(file, page), catch: () => new InputError({ message: `${file}: cannot write the page` }) })
      yield* Console.log(`wrote ${file}: steps ${timeline.first}–${timeline.last} of ${timeline.total}${timeline.focus === undefined ? "" : `, opening on failing step ${timeline.focus}`}`)
    })
).pipe(
  Command.withDescription(
    "Draw a trace as a self-contained HTML page (a lane per server, messages as arrows, faults as bands; click a step for its state diff and spec action) or, with --mermaid, as a Mermaid sequence diagram"
  )
)

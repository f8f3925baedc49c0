/**
 * `raft-tla docs [--out docs/site] [--check]`: the spec beside the code, generated and checked.
 * Exits 1 when the spec and the code have drifted apart (see src/cli/docs/mapping.ts).
 */
import { existsSync } from "node:fs"
import { resolve } from "node:path"
import { Console, Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { generateDocs, loadCompiler } from "./docs/generate.ts"
import { problemText } from "./docs/mapping.ts"
import { readSources } from "./docs/sources.ts"
import { InputError, ViolationFound } from "./exit.ts"
import { InputFileError } from "./input-file-error.ts"

export const docsCommand = Command.make(
  "docs",
  {
    out: Flag.String("out").pipe(Flag.withDescription("Folder to write the site to (default docs/site)"), Flag.withDefault("docs/site")),
    check: Flag.Boolean("check").pipe(Flag.withDescription("Only check that spec and code are paired; write nothing"), Flag.withDefault(false)),
    spec: Flag.String("spec").pipe(Flag.withDescription("The spec, relative to the repository root (default spec/Raft.tla)"), Flag.withDefault("spec/Raft.tla")),
    root: Flag.String("root").pipe(Flag.withDescription("The repository to document (default: the current folder)"), Flag.withDefault("."))
  },
  (flags) =>
    Effect.gen(function* () {
      const root = resolve(flags.root)
      if (!existsSync(resolve(root, flags.spec))) return yield* new InputError({ message: `${flags.spec}: no such spec under ${flags.root}` })
      if (!existsSync(resolve(root, "src", "raft"))) return yield* new InputError({ message: `${flags.root}: not a raft-tla repository (no src/raft)` })
      const ts = yield* Effect.tryPromise({
        try: loadCompiler,
        catch: () => new InputError({ message: "raft-tla docs reads the sources with the TypeScript compiler: run npm install (typescript is a devDependency)" })
      })
      const sources = readSources(root, flags.spec)
      const out = flags.check ? undefined : resolve(flags.out)
      const generated = yield* Effect.try({
        try: () => generateDocs(ts, sources, out),
        catch: (error) => {
          if (error instanceof InputFileError) return new InputError({ message: error.message })
          throw error
        }
      })
      const { mapping } = generated
      const tags = mapping.actions.reduce((n, a) => n + a.links.length, 0)
      const paired = mapping.actions.filter((a) => a.fn !== undefined).length
      const summary = `${paired} of ${mapping.actions.length} actions paired with their functions, ${tags} conjunct tags, ${mapping.invariants.length} invariants and properties`
      yield* Console.log(out === undefined ? summary : `${summary}; wrote ${generated.pages.length} pages to ${flags.out}`)
      if (mapping.problems.length > 0) {
        for (const problem of mapping.problems) yield* Console.error(problemText(problem))
        return yield* new ViolationFound({ summary: `${mapping.problems.length} problems` })
      }
    })
).pipe(
  Command.withDescription(
    "Generate the static site of spec/Raft.tla beside the code that implements it, action by action and conjunct by conjunct; exits 1 when an action has no function, a function cites a missing action, or a tagged conjunct no longer exists"
  )
)

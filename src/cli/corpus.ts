import { Console, Effect } from "effect"
import { Argument, Command } from "effect/cli"
import { NotACorpus, readManifest, runEntry } from "../tla/check/corpus.ts"
import { InputError, ViolationFound } from "./exit.ts"

/** `raft-tla corpus <dir>`: run a TLC-verified conformance corpus and compare every entry. */
export const corpusCommand = Command.make(
  "corpus",
  { dir: Argument.String("dir").pipe(Argument.withDescription("A folder with manifest.json and the specs and cfgs it names")) },
  ({ dir }) =>
    Effect.gen(function* () {
      const entries = yield* Effect.try({
        try: () => readManifest(dir),
        catch: (e) => (e instanceof NotACorpus ? new InputError({ message: e.message }) : new InputError({ message: String(e) }))
      })
      let failed = 0
      for (const entry of entries) {
        const o = runEntry(dir, entry)
        const x = entry.expect
        const what = `${x.result}${x.violated ? ` ${x.violated}` : ""}, ${x.distinct ?? "-"} distinct, ${x.generated ?? "-"} generated`
        if (o.mismatches.length === 0) yield* Console.log(`ok    ${entry.cfg.padEnd(28)} ${what} (${(o.ms / 1000).toFixed(2)} s)`)
        else {
          failed++
          yield* Console.log(`FAIL  ${entry.cfg.padEnd(28)} ${o.mismatches.join("; ")}`)
        }
      }
      yield* Console.log(`${entries.length - failed} passed, ${failed} failed`)
      if (failed > 0) return yield* Effect.fail(new ViolationFound({ summary: `${failed} corpus entries differ from TLC` }))
    })
).pipe(Command.withDescription("Check every entry of <dir>/manifest.json against TLC's recorded results (exit 1 on any mismatch, 2 if not a corpus)"))

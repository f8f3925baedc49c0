/**
 * The `raft-tla` command: parses flags with effect/cli and maps outcomes to exit codes.
 * Subcommands live one per file and are listed in ./commands.ts.
 */
import { Cause, Effect, Exit } from "effect"
import { CliError, Command } from "effect/cli"
// The submodule, not the package index: the index also loads undici and HTTP, ~0.5 s of startup.
import * as NodeServices from "@effect/platform-node/NodeServices"
import { commands } from "./commands.ts"
import { ExitCode, type InputError } from "./exit.ts"

const root = Command.make("raft-tla").pipe(
  Command.withDescription(
    "A Raft transaction log checked against its own TLA+ spec: simulate, model-check, validate traces, check linearizability."
  ),
  Command.withSubcommands(commands)
)

const exitCodeOf = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit)) return ExitCode.ok
  const failure = Cause.findErrorOption(exit.cause)
  if (failure._tag === "Some") {
    const error = failure.value
    // effect/cli has already printed usage errors together with the command's help.
    if (CliError.isCliError(error)) {
      return error._tag === "ShowHelp" && error.errors.length === 0 ? ExitCode.ok : ExitCode.input
    }
    switch ((error as { _tag?: string })._tag) {
      case "ViolationFound":
        return ExitCode.violation
      case "Undecided":
        return ExitCode.undecided
      case "InputError":
        process.stderr.write(`error: ${(error as InputError).message}\n`)
        return ExitCode.input
    }
  }
  if (Cause.hasInterruptsOnly(exit.cause)) return 130
  process.stderr.write(`internal error: ${Cause.pretty(exit.cause)}\n`)
  return ExitCode.internal
}

const program = Command.run(root, { version: "0.1.0" }).pipe(Effect.provide(NodeServices.layer))

Effect.runPromiseExit(program as Effect.Effect<void, unknown, never>).then((exit) => {
  process.exitCode = exitCodeOf(exit)
})

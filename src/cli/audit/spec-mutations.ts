/**
 * The spec mutated like each bug: spec/MCBug<Name>.tla EXTENDS MCRaft and defines the buggy
 * operator, and its .cfg substitutes it for the spec's own (`Restart <- BuggyRestart`), with a
 * model small enough to find the bug. spec/Raft.tla itself is never changed.
 *
 * The modules sit in spec/ beside MCRaft.tla because the toolkit, like TLC without a library
 * path, looks for a module's EXTENDS beside it.
 */
import { existsSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { type BugName, bugNamed } from "../../raft/index.ts"

/** The repository, for paths written into counterexamples (never a machine's own path). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url))

export interface SpecMutation {
  readonly bug: BugName
  /** The module and its .cfg, relative to the repository. */
  readonly module: string
  readonly config: string
  /** The cfg's substitution, e.g. "Restart <- BuggyRestart". */
  readonly substitution: string
}

/** Why a bug has no spec mutation: it lives where the spec does not look. */
const NO_SPEC_MUTATION: Partial<Record<BugName, string>> = {
  "apply-uncommitted": "the state machine and its clients are not in the spec",
  "no-client-dedup": "client sessions are not in the spec",
  "timer-not-reset": "timers are not in the spec, and its model checker checks no liveness",
  "read-without-quorum": "reads are served outside the log, and the spec has no reads"
}

const moduleName = (bug: BugName): string =>
  "MCBug" +
  bug
    .split("-")
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join("")

const SUBSTITUTION = /^\s*(\w+)\s*<-\s*(\w+)\s*$/m

/** The bug's spec mutation, or why it has none. */
export const specMutationOf = (bug: BugName): SpecMutation | { readonly none: string } => {
  const none = NO_SPEC_MUTATION[bug]
  if (none !== undefined || !bugNamed(bug).caughtBy.includes("model-checking")) return { none: none ?? "no spec mutation" }
  const module = `spec/${moduleName(bug)}.tla`
  const config = `spec/${moduleName(bug)}.cfg`
  const configPath = join(REPO_ROOT, config)
  if (!existsSync(configPath)) throw new Error(`the spec mutation of ${bug} is missing: ${config}`)
  const substitution = SUBSTITUTION.exec(readFileSync(configPath, "utf8"))
  if (substitution === null) throw new Error(`${config} substitutes no operator (expected a line "Operator <- BuggyOperator")`)
  return { bug, module, config, substitution: `${substitution[1]} <- ${substitution[2]}` }
}

/** The cfg of the mutation's model with the substitution taken out: the same model, unmutated. */
export const unmutatedConfig = (mutation: SpecMutation): string =>
  readFileSync(join(REPO_ROOT, mutation.config), "utf8").replace(SUBSTITUTION, "")

export const inRepo = (path: string): string => join(REPO_ROOT, path)

export const repoRelative = (path: string): string => relative(REPO_ROOT, path)

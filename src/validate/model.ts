/**
 * The model a trace is checked against: the spec, its constants (the trace header's, plus those
 * of a .cfg), and the invariants to check on every state.
 *
 * The .cfg is the one given, or the spec's own (`Spec.cfg` beside `Spec.tla`) when there is one.
 * Its INVARIANTS are the default set; `--invariants` picks another.
 */
import { existsSync, readFileSync } from "node:fs"
import { loadTlaSpec, type LoadedSpec } from "../tla/index.ts"
import type { TraceHeader } from "./trace-schema.ts"

/** Which invariants to check: the cfg's, none, or these operators of the spec. */
export type InvariantChoice = "all" | "none" | ReadonlyArray<string>

export interface ModelChoice {
  readonly specPath: string
  readonly cfgPath?: string
  readonly invariants: InvariantChoice
  /** The initial predicate and next-state relation, when the .cfg names none. */
  readonly init: string
  readonly next: string
}

export interface ValidationModel {
  readonly specPath: string
  readonly spec: LoadedSpec
  readonly cfgPath: string | undefined
  readonly invariants: ReadonlyArray<string>
}

/** A model that cannot be built from what the user gave: the CLI reports it (exit 2). */
export class ModelInputError extends Error {}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/** A constant of the header in .cfg syntax (the forms a .cfg can express). */
const cfgValue = (j: unknown, path: string): string => {
  if (typeof j === "number" && Number.isInteger(j)) return String(j)
  if (typeof j === "boolean") return j ? "TRUE" : "FALSE"
  if (typeof j === "string") return JSON.stringify(j)
  if (j !== null && typeof j === "object" && !Array.isArray(j)) {
    const o = j as Record<string, unknown>
    if (typeof o.$mv === "string" && IDENTIFIER.test(o.$mv)) return o.$mv
    if (Array.isArray(o.$set)) return `{${o.$set.map((x, i) => cfgValue(x, `${path}.$set[${i}]`)).join(", ")}}`
  }
  throw new ModelInputError(
    `header ${path}: a constant must be an integer, string, boolean, model value (an identifier) or a set of these; give others in a .cfg`
  )
}

const load = (specPath: string, cfgText: string, cfgPath: string | undefined): LoadedSpec => {
  try {
    return loadTlaSpec(specPath, { cfgText })
  } catch (error) {
    // The .cfg was read as text: name the file (or the header) in the message.
    if (error instanceof Error && error.message.includes("<cfg>")) {
      throw new ModelInputError(error.message.replaceAll("<cfg>", cfgPath ?? "the trace header's constants"))
    }
    throw error
  }
}

/** The .cfg used when none is given: the spec's own, if it has one. */
export const defaultCfgPath = (specPath: string): string | undefined => {
  const candidate = specPath.replace(/\.tla$/, "") + ".cfg"
  return existsSync(candidate) ? candidate : undefined
}

export const loadValidationModel = (header: TraceHeader, choice: ModelChoice): ValidationModel => {
  if (!existsSync(choice.specPath)) throw new ModelInputError(`${choice.specPath}: no such spec`)
  const cfgPath = choice.cfgPath ?? defaultCfgPath(choice.specPath)
  if (cfgPath !== undefined && !existsSync(cfgPath)) throw new ModelInputError(`${cfgPath}: no such .cfg file`)
  const cfgText = cfgPath === undefined ? "" : readFileSync(cfgPath, "utf8")
  const constants = Object.entries(header.constants).map(([name, j]) => {
    if (!IDENTIFIER.test(name)) throw new ModelInputError(`header constants.${name}: not a constant name`)
    return `    ${name} = ${cfgValue(j, `constants.${name}`)}`
  })
  // The .cfg's lines come first, unchanged, so that its errors keep their line numbers.
  const text = cfgText + (constants.length > 0 ? `\nCONSTANTS\n${constants.join("\n")}\n` : "")
  let spec = load(choice.specPath, text, cfgPath)
  // Searching for unlogged steps enumerates Init and Next: name them when the .cfg does not.
  if (!spec.model.hasBehavior && spec.hasOperator(choice.init) && spec.hasOperator(choice.next)) {
    spec = load(choice.specPath, `${text}\nINIT ${choice.init}\nNEXT ${choice.next}\n`, cfgPath)
  }
  const invariants =
    choice.invariants === "all" ? spec.model.invariants.map((i) => i.name) : choice.invariants === "none" ? [] : [...choice.invariants]
  const unknown = invariants.find((name) => !spec.hasOperator(name))
  if (unknown !== undefined) throw new ModelInputError(`--invariants: the spec has no operator ${unknown}`)
  return { specPath: choice.specPath, spec, cfgPath, invariants }
}

/**
 * What the validator says when a step fails: the smallest FALSE conjunct of the action (its text
 * and place in the spec), and, when the action was enabled, how the logged state differs from
 * the closest state the action allows, variable by variable.
 *
 * This runs only on failure: it enumerates the action's successors, which the fast path never
 * does.
 */
import { EvalError, type LoadedSpec, type State } from "../tla/index.ts"
import { diffValues } from "./value-diff.ts"
import { encodeValue, type Value, valuesEqual } from "./values.ts"

export interface StepSummary {
  readonly seq: number
  readonly line: number
  readonly action: string
  readonly params: Readonly<Record<string, unknown>>
  readonly msgId?: number
}

export interface VariableDiff {
  readonly variable: string
  readonly expected: unknown
  readonly logged: unknown
  /** One line per differing part, with its path. */
  readonly details: ReadonlyArray<string>
}

export interface Conjunct {
  readonly text: string
  readonly file: string
  readonly line: number
  readonly column: number
  readonly endLine: number
  readonly endColumn: number
}

export interface Failure {
  /**
   * action: the step's action does not hold; invariant: the state after it breaks one;
   * message: the received message is not in flight; order: steps missing or out of order;
   * init: the initial state is not one Init allows; undecided: a search bound was reached.
   */
  readonly kind: "action" | "invariant" | "message" | "order" | "init" | "undecided"
  /** The step's sequence number (0 for the initial state). */
  readonly seq: number
  readonly line: number
  readonly action?: string
  readonly params?: Readonly<Record<string, unknown>>
  readonly headline: string
  readonly invariant?: string
  readonly conjunct?: Conjunct
  /** Whether the action allows any step at all from the state before. */
  readonly enabled?: boolean
  readonly diffs: ReadonlyArray<VariableDiff>
  readonly notes: ReadonlyArray<string>
  /** The steps before this one, oldest first. */
  readonly recent: ReadonlyArray<StepSummary>
}

type Diagnosis = Pick<Failure, "kind" | "headline" | "conjunct" | "enabled" | "diffs" | "notes">

const errorOf = (run: () => unknown): string | undefined => {
  try {
    run()
    return undefined
  } catch (error) {
    if (error instanceof EvalError) return error.message.split("\n")[0]
    throw error
  }
}

const conjunctOf = (spec: LoadedSpec, name: string, args: ReadonlyArray<Value>, state: State, next: State): Conjunct | undefined => {
  let found: ReturnType<LoadedSpec["failingConjunct"]>
  const error = errorOf(() => (found = spec.failingConjunct(name, args, state, next)))
  if (error !== undefined || found === undefined) return undefined
  const { loc, text } = found
  return { text, file: loc.file, line: loc.line, column: loc.col, endLine: loc.endLine, endColumn: loc.endCol }
}

/** The logged variables that differ from `expected`, with readable details. */
const differences = (vars: ReadonlyArray<string>, expected: State, logged: ReadonlyArray<Value | undefined>): VariableDiff[] =>
  vars.flatMap((variable, k) => {
    const l = logged[k]
    if (l === undefined || l === expected[k] || valuesEqual(l, expected[k])) return []
    const e = encodeValue(expected[k])
    const j = encodeValue(l)
    return [{ variable, expected: e, logged: j, details: diffValues(variable, e, j) }]
  })

/** The allowed state closest to the logged one: fewest differing variables. */
const closest = (vars: ReadonlyArray<string>, candidates: ReadonlyArray<State>, logged: ReadonlyArray<Value | undefined>): VariableDiff[] => {
  let best: VariableDiff[] | undefined
  for (const c of candidates) {
    const d = differences(vars, c, logged)
    if (best === undefined || d.length < best.length) best = d
  }
  return best ?? []
}

/** Why action `name(args)` does not allow the logged step from `state`. */
export const diagnoseAction = (
  spec: LoadedSpec,
  name: string,
  args: ReadonlyArray<Value>,
  state: State,
  logged: ReadonlyArray<Value | undefined>
): Diagnosis => {
  const notes: string[] = []
  const unlogged = logged.flatMap((v, k) => (v === undefined ? [spec.vars[k]] : []))
  // Variables the trace leaves out are taken as unchanged, to evaluate the action at all.
  const next = logged.map((v, k) => v ?? state[k]) as State
  if (unlogged.length > 0) notes.push(`not logged, taken as unchanged for this diagnosis: ${unlogged.join(", ")}`)
  const evalError = errorOf(() => spec.actionHolds(name, args, state, next))
  if (evalError !== undefined) notes.push(`evaluating ${name} on this step fails: ${evalError}`)
  const conjunct = conjunctOf(spec, name, args, state, next)
  let successors: State[] = []
  const enumError = errorOf(() => (successors = spec.successors(name, args, state)))
  if (enumError !== undefined) notes.push(`the states ${name} allows could not be listed: ${enumError}`)
  const call = `${name}(${(spec.actionParams(name) ?? []).join(", ")})`
  if (successors.length === 0 && enumError === undefined) {
    return {
      kind: "action",
      headline: `${call} is not enabled in the state before this step${conjunct ? `: ${firstLine(conjunct.text)} is FALSE` : ""}`,
      conjunct,
      enabled: false,
      diffs: [],
      notes
    }
  }
  const diffs = closest(spec.vars, successors, logged)
  return {
    kind: "action",
    headline: `${call} does not allow the logged state${diffs.length > 0 ? `: ${diffs.map((d) => d.variable).join(", ")} differ${diffs.length === 1 ? "s" : ""} from what it allows` : ""}`,
    conjunct,
    enabled: true,
    diffs,
    notes
  }
}

/** Why the header's initial state is not one the initial predicate allows. */
export const diagnoseInit = (spec: LoadedSpec, init: string, state: State): Omit<Failure, "recent"> => {
  const conjunct = conjunctOf(spec, init, [], state, state)
  let initial: State[] = []
  const error = errorOf(() => (initial = spec.initialStates()))
  return {
    kind: "init",
    seq: 0,
    line: 1,
    headline: `the header's initial state does not satisfy ${init}`,
    conjunct,
    diffs: closest(spec.vars, initial, state),
    notes: error === undefined ? [] : [`the initial states could not be listed: ${error}`]
  }
}

const firstLine = (text: string): string => {
  const lines = text.split("\n")
  return lines.length === 1 ? lines[0] : `${lines[0].trimEnd()} …`
}

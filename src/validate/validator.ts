/**
 * Trace validation: every step of an implementation's trace is checked against the spec action
 * it names. The action, applied to its logged parameters, must hold on the pair (state before,
 * state after); the invariants must hold on the state after; a received message must be in
 * flight. The first step that fails is diagnosed (./diagnosis.ts).
 *
 * The idea is TLC's trace validation (Cirstea, Kuppe, Loillier, Merz, "Validating Traces of
 * Distributed Programs Against TLA+ Specifications", 2024; used by etcd/raft and CCF): the trace
 * constrains the spec's behaviours step by step. Here each step is checked directly on the
 * action it names (boolean mode, no enumeration) as long as the trace is complete; a trace that
 * leaves variables or steps out is matched by a bounded search over what it left out.
 */
import { EvalError, type LoadedSpec, type Loc, type State } from "../tla/index.ts"
import type { Coverage } from "./coverage.ts"
import { diagnoseAction, diagnoseInit, type Failure, type StepSummary } from "./diagnosis.ts"
import { MessageIds } from "./message-ids.ts"
import type { ValidationModel } from "./model.ts"
import { type Step, StepReader } from "./step-reader.ts"
import type { TraceHeader } from "./trace-schema.ts"
import { encodeValue, grownPoints, type Value, valuesEqual } from "./values.ts"

export interface ValidateOptions {
  /** How many unlogged steps may be guessed in a row (0: the trace must be complete). */
  readonly maxGap: number
  /** How many states the search for unlogged steps may visit, per gap. */
  readonly maxSearchStates: number
  /** How many candidate states a trace with unlogged variables may leave open at once. */
  readonly maxCandidates: number
  /** How many previous steps a failure report shows. */
  readonly window: number
  /** The next-state operator, whose actions are the ones a step may name. */
  readonly next: string
  /** The initial-state predicate the header's state must satisfy. */
  readonly init: string
  readonly progress?: (p: Progress) => void
}

export const defaultOptions: ValidateOptions = {
  maxGap: 0,
  maxSearchStates: 100_000,
  maxCandidates: 1_000,
  window: 5,
  next: "Next",
  init: "Init"
}

export interface Progress {
  readonly steps: number
  readonly line: number
  readonly elapsedMs: number
}

/** Where the validator had to guess unlogged steps. */
export interface Guess {
  /** The logged step that could only be matched after the guessed ones. */
  readonly beforeSeq: number
  readonly line: number
  readonly actions: ReadonlyArray<string>
}

export interface ValidationResult {
  readonly stateMode: "full" | "delta"
  /** Steps read and checked (all of them, unless a failure stopped the run). */
  readonly steps: number
  readonly invariants: ReadonlyArray<string>
  readonly guessedSteps: number
  readonly guesses: ReadonlyArray<Guess>
  /** Steps after which more than one state matched the trace (variables left out). */
  readonly ambiguousSteps: number
  readonly elapsedMs: number
  readonly failure: Failure | undefined
}

const MAX_GUESSES_LISTED = 20

class StepFailed {
  constructor(readonly failure: Failure) {}
}

export class TraceValidator {
  private readonly spec: LoadedSpec
  private readonly reader: StepReader
  private readonly ids = new MessageIds()
  private readonly recent: StepSummary[] = []
  private readonly copies: ((state: State, args?: ReadonlyArray<Value>) => Value) | undefined
  /** The actions of the next-state relation; a step must name one of them. */
  private readonly actions: ReadonlyArray<string> | undefined
  /** The top-level disjuncts of the next-state relation, to name guessed steps. */
  private readonly disjuncts: ReturnType<LoadedSpec["nextDisjuncts"]>
  /** The invariants, each skipped on a state whose variables it read are unchanged. */
  private readonly invariants: ReadonlyArray<{ readonly name: string; readonly holds: (state: State) => Value }>
  private readonly actionParams = new Map<string, ReadonlyArray<string> | undefined>()
  private frontier: State[] = []
  private seq: number | undefined
  private steps = 0
  private guessedSteps = 0
  private ambiguousSteps = 0
  private readonly guesses: Guess[] = []
  private readonly started = performance.now()
  /** The line last read (the header is line 1). */
  private line = 1
  private failure: Failure | undefined

  constructor(
    private readonly model: ValidationModel,
    private readonly header: TraceHeader,
    private readonly options: ValidateOptions = defaultOptions,
    private readonly coverage?: Coverage
  ) {
    this.spec = model.spec
    this.reader = new StepReader(this.spec.vars, header, (id) => this.ids.messageOf(id))
    this.disjuncts = this.spec.hasOperator(options.next) ? this.spec.nextDisjuncts(options.next) : []
    this.invariants = model.invariants.map((name) => ({ name, holds: this.spec.stateOperator(name) }))
    this.actions = this.spec.hasOperator(options.next) ? [...new Set(this.disjuncts.flatMap((d) => d.actions))] : undefined
    const bag = header.bag
    if (bag !== undefined) {
      // The number of copies of a message in the bag, in the spec's own terms.
      this.copies = this.spec.compileExpression(`IF ${bag.param} \\in DOMAIN ${bag.variable} THEN ${bag.variable}[${bag.param}] ELSE 0`, [bag.param])
    }
  }

  /** Validates the step lines (the lines after the header; the first is line 2). */
  run(lines: Iterable<string>): ValidationResult {
    let lastReport = this.started
    if (this.start() !== undefined) return this.result()
    for (const text of lines) {
      if (this.feed(text) !== undefined) break
      if ((this.steps & 1023) === 0 && this.options.progress !== undefined) {
        const now = performance.now()
        if (now - lastReport >= 2000) {
          lastReport = now
          this.options.progress({ steps: this.steps, line: this.line, elapsedMs: now - this.started })
        }
      }
    }
    return this.result()
  }

  /**
   * Checks the header's initial state; then `feed` checks the steps one line at a time, as a
   * trace is written. Returns the failure, if any.
   */
  start(): Failure | undefined {
    return this.guarded(() => this.checkInit())
  }

  /** Checks the next step line. After a failure nothing more is checked: the failure is returned again. */
  feed(text: string): Failure | undefined {
    if (this.failure !== undefined) return this.failure
    this.line++
    return this.guarded(() => this.check(this.reader.step(text, this.line)))
  }

  /** What was found so far: the steps that matched, and the failure if one did not. */
  result(): ValidationResult {
    return {
      stateMode: this.reader.delta ? "delta" : "full",
      steps: this.steps,
      invariants: this.model.invariants,
      guessedSteps: this.guessedSteps,
      guesses: this.guesses,
      ambiguousSteps: this.ambiguousSteps,
      elapsedMs: performance.now() - this.started,
      failure: this.failure
    }
  }

  private guarded(check: () => void): Failure | undefined {
    try {
      check()
    } catch (error) {
      if (!(error instanceof StepFailed)) throw error
      this.failure = error.failure
    }
    return this.failure
  }

  private fail(failure: Omit<Failure, "recent">): never {
    throw new StepFailed({ ...failure, recent: [...this.recent] })
  }

  /** The initial state: the header's, which Init must allow (or every Init state it agrees with). */
  private checkInit(): void {
    const init = this.reader.init
    const hasInit = this.spec.hasOperator(this.options.init)
    if (init.every((v) => v !== undefined)) {
      const state = init as State
      if (hasInit && !this.holds(() => this.spec.evalOperator(this.options.init, [], state) === true)) {
        this.fail(diagnoseInit(this.spec, this.options.init, state))
      }
      this.frontier = [state]
    } else {
      if (!hasInit) this.fail({ kind: "init", seq: 0, line: 1, headline: `the header leaves variables out and the spec has no ${this.options.init} to fill them in`, diffs: [], notes: [] })
      this.frontier = this.spec.initialStates().filter((s) => agrees(s, init))
      if (this.frontier.length === 0) this.fail(diagnoseInit(this.spec, this.options.init, fillIn(init, this.spec.initialStates()[0] ?? [])))
    }
    this.checkInvariants(this.frontier, 0, 1, "the initial state")
  }

  private check(step: Step): void {
    const { seq, action, msgId, sent } = step.fields
    const at = { seq, line: step.line }
    this.checkOrder(step)
    const args = this.actionArgs(step)
    const message = this.header.bag !== undefined ? step.params.get(this.header.bag.param) : undefined
    this.checkIds(step)
    const before = this.frontier
    const after = this.checkInvariants(this.statesAfter(step, args, message), seq, step.line, `the state after step ${seq}`)
    if (after.length > this.options.maxCandidates) {
      this.failAt(step, "undecided", `more than ${this.options.maxCandidates} states match the trace after this step (variables left out)`)
    }
    if (after.length > 1) this.ambiguousSteps++
    if (msgId !== undefined && message !== undefined && this.copiesOf(after[0], message) < this.copiesOf(before[0], message)) this.ids.consume(msgId, at)
    if (sent !== undefined) this.ids.send(sent, at, this.sentMessages(before[0], after[0], sent.length))
    this.frontier = after
    this.seq = seq
    this.steps++
    this.coverage?.take(action)
    const params = step.paramsJson
    this.recent.push(msgId === undefined ? { seq, line: step.line, action, params } : { seq, line: step.line, action, params, msgId })
    if (this.recent.length > this.options.window) this.recent.shift()
  }

  private failAt(step: Step, kind: Failure["kind"], headline: string, notes: ReadonlyArray<string> = []): never {
    const { seq, action } = step.fields
    return this.fail({ kind, seq, line: step.line, action, params: step.paramsJson, headline, diffs: [], notes })
  }

  /** Steps come in increasing order; a jump is a missing step unless steps may be guessed. */
  private checkOrder(step: Step): void {
    const seq = step.fields.seq
    if (this.seq === undefined) return
    if (seq <= this.seq) this.failAt(step, "order", `step ${seq} comes after step ${this.seq}: steps must be in increasing order`)
    const missing = seq - this.seq - 1
    if (missing > 0 && this.options.maxGap === 0) {
      const which = missing > 1 ? `steps ${this.seq + 1}..${seq - 1}` : `step ${this.seq + 1}`
      this.failAt(step, "order", `${which} missing: the trace goes from step ${this.seq} to step ${seq}`, [
        "--max-gap K lets the validator search for up to K unlogged steps"
      ])
    }
  }

  /** The action's arguments in the order of its parameters; the step must name an action of Next with exactly those. */
  private actionArgs(step: Step): Value[] {
    const action = step.fields.action
    const names = this.paramsOf(action)
    if (names === undefined) this.failAt(step, "action", `the spec has no action ${action}`, this.knownActions())
    if (this.actions !== undefined && !this.actions.includes(action)) this.failAt(step, "action", `${action} is not an action of ${this.options.next}`, this.knownActions())
    const given = [...step.params.keys()]
    if (given.length !== names.length || !names.every((p) => step.params.has(p))) {
      this.failAt(step, "action", `${action} takes (${names.join(", ")}); the step gives (${given.join(", ")})`)
    }
    return names.map((p) => step.params.get(p)!)
  }

  /** A note for a step naming an action it may not: the ones it may. */
  private knownActions(): string[] {
    return this.actions === undefined ? [] : [`the actions of ${this.options.next}: ${this.actions.join(", ")}`]
  }

  /** The parameter names of an action (undefined when the spec has none of that name), looked up once per action. */
  private paramsOf(action: string): ReadonlyArray<string> | undefined {
    if (!this.actionParams.has(action)) this.actionParams.set(action, this.spec.actionParams(action))
    return this.actionParams.get(action)
  }

  /** The received copy is in flight and the sent ids are new. */
  private checkIds(step: Step): void {
    const { seq, msgId, sent } = step.fields
    if (msgId !== undefined) {
      const problem = this.ids.problem(msgId)
      // A trace that may leave steps out may leave out the send of this message too.
      if (problem?.unsent === true && this.options.maxGap > 0) this.ids.send([msgId], { seq, line: step.line })
      else if (problem !== undefined) this.failAt(step, "message", problem.text)
    }
    const reused = sent === undefined ? undefined : this.ids.sendProblem(sent)
    if (reused !== undefined) this.failAt(step, "message", reused)
  }

  /** The states the step can lead to, guessing unlogged steps if allowed; fails with a diagnosis when there are none. */
  private statesAfter(step: Step, args: ReadonlyArray<Value>, message: Value | undefined): State[] {
    const before = this.frontier
    // No named closure here: tsx (esbuild's keepNames) would name it on every step.
    let after = before.length === 1 ? this.accept(before[0], step, args, message) : distinct(before.flatMap((s) => this.accept(s, step, args, message)))
    if (after.length === 0 && this.options.maxGap > 0) after = this.searchGap(before, (s) => this.accept(s, step, args, message), step.fields.seq, step.line)
    if (after.length > 0) return after
    if (!before.some((s) => this.inFlight(s, message))) {
      const bag = this.header.bag!
      this.failAt(step, "message", `${bag.param} is not in ${bag.variable}: the step receives a message that is not in flight`)
    }
    const { seq, action } = step.fields
    return this.fail({ ...diagnoseAction(this.spec, action, args, before[0], step.next), seq, line: step.line, action, params: step.paramsJson })
  }

  /** The states after `step` from `s` that agree with the trace (none when the step does not match). */
  private accept(s: State, step: Step, args: ReadonlyArray<Value>, message: Value | undefined): State[] {
    if (!this.inFlight(s, message)) return []
    const action = step.fields.action
    if (complete(step.next)) {
      const next = step.next as State
      return this.holds(() => this.spec.actionHolds(action, args, s, next)) ? [next] : []
    }
    const successors = this.attempt(() => this.spec.successors(action, args, s)) ?? []
    return successors.filter((t) => agrees(t, step.next))
  }

  private inFlight(s: State, message: Value | undefined): boolean {
    return message === undefined || this.copiesOf(s, message) > 0
  }

  /** Breadth-first search for the fewest unlogged steps after which the logged step matches. */
  private searchGap(from: State[], accept: (s: State) => State[], seq: number, line: number): State[] {
    type Node = { readonly state: State; readonly path: ReadonlyArray<string> }
    const seen = new Set(from.map(key))
    let level: Node[] = from.map((state) => ({ state, path: [] }))
    for (let depth = 1; depth <= this.options.maxGap && level.length > 0; depth++) {
      const nextLevel: Node[] = []
      for (const node of level) {
        for (const succ of this.attempt(() => this.spec.nextStates(node.state)) ?? []) {
          const k = key(succ.state)
          if (seen.has(k)) continue
          seen.add(k)
          if (seen.size > this.options.maxSearchStates) return []
          nextLevel.push({ state: succ.state, path: [...node.path, this.guessName(succ.action, succ.loc)] })
        }
      }
      for (const node of nextLevel) {
        const matched = accept(node.state)
        if (matched.length > 0) {
          this.guessedSteps += depth
          if (this.guesses.length < MAX_GUESSES_LISTED) this.guesses.push({ beforeSeq: seq, line, actions: node.path })
          return distinct(nextLevel.flatMap((n) => (n.path.length === depth ? accept(n.state) : [])))
        }
      }
      level = nextLevel
    }
    return []
  }

  /**
   * A guessed step's name: its sub-action (`Send(a,b,2)`), or, where Next's disjunct quantifies
   * over the state (`\E m \in DOMAIN messages : DropMessage(m)`), the disjunct's text.
   */
  private guessName(action: string, loc: Loc): string {
    if (action !== this.options.next) return action
    const d = this.disjuncts.find((x) => x.loc.file === loc.file && x.loc.line <= loc.line && loc.endLine <= x.loc.endLine)
    return d === undefined ? action : d.text.split("\n")[0].trim()
  }

  /** Keeps the states that satisfy every invariant; fails when none does. */
  private checkInvariants(states: State[], seq: number, line: number, what: string): State[] {
    if (this.invariants.length === 0) return states
    let violated: string | undefined
    const good = states.filter((s) => {
      const bad = this.invariants.find((invariant) => !this.holds(() => invariant.holds(s) === true))?.name
      violated ??= bad
      return bad === undefined
    })
    if (good.length === 0) {
      this.fail({
        kind: "invariant",
        seq,
        line,
        invariant: violated,
        headline: `invariant ${violated} is violated by ${what}`,
        diffs: [],
        notes: []
      })
    }
    return good
  }

  /**
   * The message a step sent: the one with more copies after it than before. It is only needed to
   * resolve `$msg` references of delta traces, and only known for steps that send one message.
   */
  private sentMessages(before: State, after: State, count: number): Value[] | undefined {
    const bag = this.header.bag
    if (bag === undefined || !this.reader.delta || count !== 1) return undefined
    const k = this.spec.vars.indexOf(bag.variable)
    if (k < 0) return undefined
    const grown = grownPoints(before[k], after[k])
    return grown?.length === count ? grown : undefined
  }

  private copiesOf(state: State, message: Value): number {
    const n = this.attempt(() => this.copies!(state, [message]))
    return typeof n === "number" ? n : 0
  }

  /** An evaluation that a bad step can make fail (e.g. a function applied outside its domain). */
  private holds(test: () => boolean): boolean {
    return this.attempt(test) === true
  }

  private attempt<A>(run: () => A): A | undefined {
    try {
      return run()
    } catch (error) {
      if (error instanceof EvalError) return undefined
      throw error
    }
  }
}

const complete = (state: ReadonlyArray<Value | undefined>): boolean => state.every((v) => v !== undefined)

/** Whether a state agrees with a logged state on every variable the log gives. */
const agrees = (state: State, logged: ReadonlyArray<Value | undefined>): boolean =>
  logged.every((v, k) => v === undefined || valuesEqual(v, state[k]))

const fillIn = (partial: ReadonlyArray<Value | undefined>, from: State): State => partial.map((v, k) => v ?? from[k]) as State

const key = (state: State): string => JSON.stringify(state.map(encodeValue))

const distinct = (states: State[]): State[] => {
  if (states.length <= 1) return states
  const seen = new Map<string, State>()
  for (const s of states) seen.set(key(s), s)
  return [...seen.values()]
}

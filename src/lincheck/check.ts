/**
 * The checker's entry points: split a history into independent partitions, search each for a
 * linearization within one time budget (unless the model's proposal for it replays), and combine
 * the verdicts.
 */
import { operationsOfEvents, type Event, type Operation } from "./history.ts"
import type { Model } from "./model.ts"
import { searchLinearization, type PartialLinearization, type SearchBudget } from "./search.ts"
import { stateSetsOf } from "./state-set.ts"
import { isLinearization } from "./witness.ts"

export type Verdict = "ok" | "illegal" | "unknown"

export interface CheckOptions {
  /** Give up with `unknown` after this many milliseconds; absent or 0: no limit. */
  readonly timeoutMs?: number
  /** Keep, for an illegal partition, its longest partial linearizations. */
  readonly verbose?: boolean
  /** The clock the budget is measured on (milliseconds); for tests. */
  readonly now?: () => number
}

export interface PartitionResult<I, O> {
  /** The partition's operations, in the order the model's `partition` returned them. */
  readonly operations: ReadonlyArray<Operation<I, O>>
  /** For each of those, its index in the checked history. */
  readonly indices: ReadonlyArray<number>
  readonly verdict: Verdict
  /** When ok: indices into `operations`, in a legal order. */
  readonly linearization?: ReadonlyArray<number>
  /** When illegal and verbose: the longest prefixes found, indices into `operations`. */
  readonly partials?: ReadonlyArray<PartialLinearization>
}

export interface CheckResult<I, O> {
  readonly verdict: Verdict
  /** Every partition, in order; those never searched (after an early illegal, or out of time) say `unknown`. */
  readonly partitions: ReadonlyArray<PartitionResult<I, O>>
  /** How many partitions were searched to the end. */
  readonly partitionsChecked: number
}

const budgetOf = (options: CheckOptions): SearchBudget => {
  const now = options.now ?? (() => performance.now())
  const timeoutMs = options.timeoutMs ?? 0
  if (timeoutMs <= 0) return { expired: () => false }
  const deadline = now() + timeoutMs
  return { expired: () => now() >= deadline }
}

const checkTimes = <I, O>(history: ReadonlyArray<Operation<I, O>>): void => {
  history.forEach((op, index) => {
    if (!Number.isFinite(op.call)) throw new RangeError(`operation ${index} has no finite call time`)
    if (!(op.return >= op.call)) throw new RangeError(`operation ${index} returns before it is called`)
  })
}

export const checkOperations = <S, I, O>(
  model: Model<S, I, O>,
  history: ReadonlyArray<Operation<I, O>>,
  options: CheckOptions = {}
): CheckResult<I, O> => {
  checkTimes(history)
  const budget = budgetOf(options)
  const verbose = options.verbose ?? false
  const sets = stateSetsOf(model)
  const indexOf = new Map<Operation<I, O>, number>()
  history.forEach((op, index) => indexOf.set(op, index))
  const pieces = model.partition ? model.partition(history) : [history]

  const partitions: Array<PartitionResult<I, O>> = []
  let checked = 0
  let verdict: Verdict = "ok"
  for (const operations of pieces) {
    const indices = operations.map((op) => indexOf.get(op) ?? -1)
    const stop = verdict === "unknown" || (verdict === "illegal" && !verbose) || budget.expired()
    if (stop) {
      if (verdict === "ok") verdict = "unknown"
      partitions.push({ operations, indices, verdict: "unknown" })
      continue
    }
    const proposed = model.witness?.(operations) ?? null
    if (proposed !== null && isLinearization(sets, operations, proposed)) {
      checked++
      partitions.push({ operations, indices, verdict: "ok", linearization: proposed })
      continue
    }
    const outcome = searchLinearization(sets, operations, budget, verbose)
    if (outcome.verdict === "unknown") {
      if (verdict === "ok") verdict = "unknown"
      partitions.push({ operations, indices, verdict: "unknown" })
      continue
    }
    checked++
    if (outcome.verdict === "ok") {
      partitions.push({ operations, indices, verdict: "ok", linearization: outcome.linearization })
    } else {
      verdict = "illegal"
      partitions.push({
        operations,
        indices,
        verdict: "illegal",
        ...(verbose ? { partials: outcome.partials } : {})
      })
    }
  }
  return { verdict, partitions, partitionsChecked: checked }
}

export const checkEvents = <S, I, O>(
  model: Model<S, I, O>,
  events: ReadonlyArray<Event<I, O>>,
  options: CheckOptions = {}
): CheckResult<I, O> => checkOperations(model, operationsOfEvents(events), options)

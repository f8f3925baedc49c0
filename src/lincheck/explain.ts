/**
 * A plain-text account of why a history is not linearizable: for each illegal partition, its
 * longest partial linearization, the state it leaves, and the operation that cannot follow.
 */
import type { CheckResult } from "./check.ts"
import type { Operation } from "./history.ts"
import type { Model } from "./model.ts"
import { describeOperation, replay } from "./replay.ts"

const timeText = (t: number): string => (t === Infinity ? "∞" : String(t))

const opLine = <S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): string =>
  `${describeOperation(model, op)}   [client ${String(op.client)}, ${timeText(op.call)}..${timeText(op.return)}]`

/** How many steps of a long partial linearization to print before the stuck point. */
const shownSteps = 8

export const explainIllegal = <S, I, O>(model: Model<S, I, O>, result: CheckResult<I, O>): Array<string> => {
  const lines: Array<string> = []
  result.partitions.forEach((partition, index) => {
    if (partition.verdict !== "illegal") return
    const title = result.partitions.length > 1 ? `partition ${index + 1} of ${result.partitions.length}` : "history"
    const partial = partition.partials?.[0]
    if (partial === undefined) {
      lines.push(`  ${title}: not linearizable (${partition.operations.length} operations)`)
      return
    }
    const states = replay(model, partition.operations, partial.order)
    const stuck = partition.operations[partial.stuck]
    lines.push(
      `  ${title}: longest partial linearization has ${partial.order.length} of ${partition.operations.length} operations`
    )
    const from = Math.max(0, partial.order.length - shownSteps)
    if (from > 0) lines.push(`    ... ${from} earlier steps`)
    for (let step = from; step < partial.order.length; step++) {
      lines.push(`    ${step + 1}. ${opLine(model, partition.operations[partial.order[step]])}  → ${states.after[step]}`)
    }
    const before = partial.order.length === 0 ? states.initial : states.after[partial.order.length - 1]
    lines.push(`    stuck: ${opLine(model, stuck)}`)
    lines.push(`      must take effect next, and no extension of this prefix lets it (state after the prefix: ${before})`)
  })
  return lines
}

/**
 * A proposed linearization for one key that is only appended to (with distinct strings) and read.
 *
 * Every read returns the whole value, so the longest read spells out the order of the appends it
 * saw, and each read's length says between which two appends it falls. That is the idea behind
 * Jepsen's Elle (Kingsbury & Alvaro, 2020: reads of a list reveal the order of its appends), used
 * here for one object and for linearizability. The search cannot know it: it tries the orders of
 * overlapping appends one by one, and a stretch of many overlapping appends with few reads between
 * them makes it exponential (porcupine's too).
 *
 * The proposal: appends in the order the longest read shows, appends no read saw after them (by
 * call time), each read just after the last append it saw, and operations nobody got an answer to
 * last. The checker replays it (../witness.ts) before believing it, so a history this does not fit
 * costs only the proposal's time, never a wrong verdict.
 */
import { Unknown, type Operation } from "../history.ts"
import type { KvInput, KvOutput } from "./kv-input.ts"
import { Store } from "./store.ts"

export const appendWitness = (operations: ReadonlyArray<Operation<KvInput, KvOutput>>): ReadonlyArray<number> | null => {
  if (operations.length === 0) return []
  const key = Store.keyText(operations[0].input.key ?? null)
  const appendOf = new Map<string, number>()
  let longest = ""
  for (const [index, { input, output }] of operations.entries()) {
    if (Store.keyText(input.key ?? null) !== key) return null
    if (input.f === "append") {
      if (typeof input.value !== "string" || input.value === "" || appendOf.has(input.value)) return null
      appendOf.set(input.value, index)
    } else if (input.f === "get" || input.f === "read") {
      if (typeof output === "string") {
        if (output.length > longest.length) longest = output
      } else if (output !== null && output !== Unknown) return null
    } else return null
  }
  const spelled = spell(longest, appendOf)
  if (spelled === null) return null
  const { rank, appendsBefore } = spelled
  const seen = rank.size
  // Slots: the k-th append seen is 2k; a read that saw k appends is 2k + 1.
  const slotOf = (index: number): number | null => {
    const { input, output } = operations[index]
    if (input.f === "append") return 2 * (rank.get(index) ?? seen + 1)
    if (output === Unknown) return 2 * seen + 3
    if (output === null) return 1
    const k = appendsBefore.get((output as string).length)
    return k === undefined || !longest.startsWith(output as string) ? null : 2 * k + 1
  }
  const slots = new Float64Array(operations.length)
  for (let index = 0; index < operations.length; index++) {
    const slot = slotOf(index)
    if (slot === null) return null
    slots[index] = slot
  }
  return operations
    .map((_, index) => index)
    .sort((a, b) => slots[a] - slots[b] || operations[a].call - operations[b].call || a - b)
}

/**
 * Cuts `value` into appended strings, front to back; null when a piece matches no append or more
 * than one (one value a prefix of another). `rank` numbers each append seen from 1;
 * `appendsBefore` maps each cut's offset to the appends before it.
 */
const spell = (
  value: string,
  appendOf: ReadonlyMap<string, number>
): { rank: Map<number, number>; appendsBefore: Map<number, number> } | null => {
  const lengths = [...new Set([...appendOf.keys()].map((piece) => piece.length))]
  const rank = new Map<number, number>()
  const appendsBefore = new Map<number, number>([[0, 0]])
  let offset = 0
  while (offset < value.length) {
    let found: number | undefined
    let length = 0
    for (const candidate of lengths) {
      if (offset + candidate > value.length) continue
      const op = appendOf.get(value.slice(offset, offset + candidate))
      if (op === undefined) continue
      if (found !== undefined) return null
      found = op
      length = candidate
    }
    if (found === undefined || rank.has(found)) return null
    rank.set(found, rank.size + 1)
    offset += length
    appendsBefore.set(offset, rank.size)
  }
  return { rank, appendsBefore }
}

/**
 * The append witness: for a key only appended to and read, the reads spell out a linearization,
 * which the checker replays instead of searching. It must never change a verdict (brute force and
 * the search without it agree on small histories), and it must decide what the search cannot.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { builtInModels, checkOperations, Unknown, type KvInput, type KvOutput, type Model, type Operation } from "../../src/lincheck/index.ts"
import { appendWitness } from "../../src/lincheck/models/append-witness.ts"
import { stateSetsOf } from "../../src/lincheck/state-set.ts"
import { isLinearization } from "../../src/lincheck/witness.ts"
import type { History } from "./arbitraries.ts"
import { bruteForceLinearizable, linearizationProblem } from "./brute-force.ts"
import { propertySettings } from "./property-settings.ts"

const models = {
  kv: builtInModels.kv.model as unknown as Model<unknown, KvInput, KvOutput>,
  "raft-kv": builtInModels["raft-kv"].model as unknown as Model<unknown, KvInput, KvOutput>
}
const withoutWitness = (model: Model<unknown, KvInput, KvOutput>): Model<unknown, KvInput, KvOutput> => ({ ...model, witness: undefined })

/** A budget of `polls` looks at the clock: the search's allowance counted in steps, not time. */
const stepBudget = (polls: number) => {
  let looked = 0
  return { timeoutMs: polls, now: () => looked++ }
}

/** Appends of distinct strings to one key and reads whose answers are joins of some of them. */
const appendOnlyHistory = (sessions: boolean): fc.Arbitrary<History> =>
  fc
    .array(
      fc.record({
        append: fc.boolean(),
        call: fc.integer({ min: 0, max: 12 }),
        length: fc.integer({ min: 0, max: 8 }),
        end: fc.constantFrom("returned", "returned", "returned", "never-returned"),
        client: fc.integer({ min: 0, max: 3 })
      }),
      { minLength: 1, maxLength: 7 }
    )
    .chain((shapes) => {
      const values = shapes.flatMap((shape, index) => (shape.append ? [`v${index};`] : []))
      const answer = fc.oneof(fc.constant(null), fc.shuffledSubarray(values).map((pieces) => pieces.join("")))
      return fc.tuple(...shapes.map((shape) => (shape.append ? fc.constant(null) : answer))).map((answers) =>
        shapes.map((shape, index): Operation<KvInput, KvOutput> => {
          const input: KvInput = shape.append
            ? { f: "append", key: "x", value: `v${index};`, ...(sessions ? { session: { clientId: index, seq: 1 } } : {}) }
            : { f: "get", key: "x" }
          const returned = shape.end === "returned"
          return {
            client: shape.client,
            input,
            call: shape.call,
            output: returned ? answers[index] : Unknown,
            return: returned ? shape.call + shape.length : Infinity
          }
        })
      )
    })

describe("the append witness", () => {
  for (const [name, model] of Object.entries(models)) {
    it(`changes no verdict on small append-and-read histories (${name})`, () => {
      const tally = { ok: 0, illegal: 0, witnessed: 0 }
      fc.assert(
        fc.property(appendOnlyHistory(name === "raft-kv"), (history) => {
          const result = checkOperations(model, history)
          const searched = checkOperations(withoutWitness(model), history)
          expect(result.verdict).toBe(searched.verdict)
          expect(result.verdict === "ok").toBe(bruteForceLinearizable(model, history))
          for (const partition of result.partitions) {
            if (partition.verdict === "ok") expect(linearizationProblem(model, partition.operations, partition.linearization ?? [])).toBeUndefined()
          }
          const proposed = appendWitness(history)
          if (proposed !== null && isLinearization(stateSetsOf(model), history, proposed)) tally.witnessed++
          tally[result.verdict as "ok" | "illegal"]++
        }),
        propertySettings(`append witness agrees with the search, ${name}`, 1000)
      )
      // Both verdicts occur, and the witness decided some histories itself.
      expect(tally.ok).toBeGreaterThan(0)
      expect(tally.illegal).toBeGreaterThan(0)
      expect(tally.witnessed).toBeGreaterThan(0)
    })
  }

  /**
   * 24 appends at once, then a read of all of them in the reverse of the order the history lists
   * them (the search's first guess), then one more append read back: the search has to try the
   * orders of the 24 one by one.
   */
  const overlapping = (): History => {
    const count = 24
    const order = Array.from({ length: count }, (_, k) => (k * 7) % count)
    const history: History = order.map((k) => ({
      client: k,
      input: { f: "append", key: "log", value: `c${k};`, session: { clientId: `c${k}`, seq: 1 } },
      call: 0,
      output: null,
      return: 10
    }))
    const all = order.map((k) => `c${k};`).reverse().join("")
    history.push({ client: 99, input: { f: "get", key: "log" }, call: 11, output: all, return: 12 })
    history.push({ client: 0, input: { f: "append", key: "log", value: "last;", session: { clientId: "c0", seq: 2 } }, call: 13, output: null, return: 14 })
    history.push({ client: 99, input: { f: "get", key: "log" }, call: 15, output: `${all}last;`, return: 16 })
    return history
  }

  it("decides what the search cannot, and its linearization replays", () => {
    const model = models["raft-kv"]
    const history = overlapping()
    expect(checkOperations(withoutWitness(model), history, stepBudget(200)).verdict).toBe("unknown")
    const result = checkOperations(model, history, stepBudget(200))
    expect(result.verdict).toBe("ok")
    expect(linearizationProblem(model, history, result.partitions[0].linearization ?? [])).toBeUndefined()
  })

  it("is not believed when it does not replay: a stale read is still illegal", () => {
    const model = models["raft-kv"]
    const history = overlapping()
    // The last read misses "last;", which returned before the read was called.
    history[history.length - 1] = { ...history[history.length - 1], output: (history[history.length - 3].output as string) }
    expect(appendWitness(history)).not.toBeNull()
    expect(isLinearization(stateSetsOf(model), history, appendWitness(history)!)).toBe(false)
    // Small enough that the search decides it.
    const small = history.filter((op) => op.input.f !== "append" || op.input.value === "last;" || op.input.value === "c0;" || op.input.value === "c7;")
    small[small.length - 3] = { ...small[small.length - 3], output: "c7;c0;" }
    small[small.length - 1] = { ...small[small.length - 1], output: "c7;c0;" }
    expect(checkOperations(model, small).verdict).toBe("illegal")
  })

  it("proposes nothing when the appends or reads do not spell one order", () => {
    const append = (value: string, call: number): Operation<KvInput, KvOutput> => ({ client: 0, input: { f: "append", key: "k", value }, call, output: null, return: call + 1 })
    const read = (output: KvOutput, call: number): Operation<KvInput, KvOutput> => ({ client: 1, input: { f: "get", key: "k" }, call, output, return: call + 1 })
    expect(appendWitness([append("a", 0), append("a", 2)])).toBeNull() // the same value twice
    expect(appendWitness([append("a", 0), append("ab", 2), read("ab", 4)])).toBeNull() // "ab" or "a"+"b"?
    expect(appendWitness([append("a", 0), read("ax", 2)])).toBeNull() // a piece no append wrote
    expect(appendWitness([append("a", 0), { ...read(null, 2), input: { f: "put", key: "k", value: "b" } }])).toBeNull() // not append-only
    expect(appendWitness([append("a", 0), append("b", 2), read("ab", 4), read("b", 6)])).toBeNull() // not a prefix
    expect(appendWitness([append("b", 4), append("a", 0), read("a", 2), read("ab", 6)])).toEqual([1, 2, 0, 3])
  })
})

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { builtInModels, checkOperations, modelNames, Unknown, type KvInput, type KvOutput, type Model } from "../../src/lincheck/index.ts"
import {
  arbitraryHistory,
  lossyRegister,
  lossyRegisterHistory,
  sequentialHistory,
  type History
} from "./arbitraries.ts"
import { bruteForceLinearizable, linearizationProblem } from "./brute-force.ts"
import { propertySettings } from "./property-settings.ts"

/** The checker's verdict, with its witness (or partial witnesses) checked independently. */
const verdictWithWitness = (model: Model<unknown, KvInput, KvOutput>, history: History): "ok" | "illegal" => {
  const result = checkOperations(model, history, { verbose: true })
  for (const partition of result.partitions) {
    if (partition.verdict === "ok") {
      expect(partition.linearization).toHaveLength(partition.operations.length)
      expect(linearizationProblem(model, partition.operations, partition.linearization ?? [])).toBeUndefined()
    }
    if (partition.verdict === "illegal") {
      expect(partition.partials?.length).toBeGreaterThan(0)
      for (const partial of partition.partials ?? []) {
        expect(linearizationProblem(model, partition.operations, partial.order)).toBeUndefined()
        expect(partial.order).not.toContain(partial.stuck)
      }
    }
  }
  expect(result.verdict).not.toBe("unknown")
  return result.verdict as "ok" | "illegal"
}

describe("lincheck agrees with brute force", () => {
  for (const name of modelNames) {
    it(`on small random ${name} histories`, () => {
      const { model } = builtInModels[name]
      const verdicts = { ok: 0, illegal: 0 }
      fc.assert(
        fc.property(arbitraryHistory(name), (history) => {
          const verdict = verdictWithWitness(model, history)
          verdicts[verdict]++
          expect(verdict === "ok").toBe(bruteForceLinearizable(model, history))
        }),
        propertySettings(`brute-force agreement, ${name}`, 2000)
      )
      // Both verdicts must occur, or the agreement says little.
      expect(verdicts.ok).toBeGreaterThan(0)
      expect(verdicts.illegal).toBeGreaterThan(0)
    })
  }

  it("on small random histories of a nondeterministic model", () => {
    const model = lossyRegister as unknown as Model<unknown, KvInput, KvOutput>
    fc.assert(
      fc.property(lossyRegisterHistory, (history) => {
        expect(verdictWithWitness(model, history) === "ok").toBe(bruteForceLinearizable(model, history))
      }),
      propertySettings("brute-force agreement, lossy register", 2000)
    )
  })
})

describe("histories of a sequential execution", () => {
  for (const name of modelNames) {
    it(`are linearizable (${name})`, () => {
      const { model } = builtInModels[name]
      fc.assert(
        fc.property(sequentialHistory(name), (history) => {
          expect(verdictWithWitness(model, history)).toBe("ok")
        }),
        propertySettings(`sequential execution, ${name}`, 200)
      )
    })
  }

  for (const name of modelNames) {
    it(`become illegal with a read of a value never written (${name})`, () => {
      const { model } = builtInModels[name]
      const read = name === "register" || name === "cas-register" ? "read" : "get"
      const neverWritten = name === "register" || name === "cas-register" ? 99 : "never-written"
      fc.assert(
        fc.property(
          sequentialHistory(name),
          fc.integer({ min: 0, max: 400 }),
          fc.nat(30),
          fc.constantFrom("x", "y"),
          (history, call, length, key) => {
            const input: KvInput =
              name === "raft-kv" ? { f: read, key, session: { clientId: 99, seq: 1 } } : name === "kv" ? { f: read, key } : { f: read }
            const bad = [...history, { client: 99, input, call, output: neverWritten, return: call + length }]
            expect(verdictWithWitness(model, bad)).toBe("illegal")
          }
        ),
        propertySettings(`never-written read, ${name}`, 200)
      )
    })
  }
})

it("an unknown output is not taken for null", () => {
  const { model } = builtInModels.register
  const history: History = [
    { client: 0, input: { f: "write", value: 1 }, call: 0, output: null, return: 1 },
    { client: 1, input: { f: "read" }, call: 2, output: Unknown, return: 3 }
  ]
  expect(checkOperations(model, history).verdict).toBe("ok")
  expect(checkOperations(model, [...history.slice(0, 1), { ...history[1], output: null }]).verdict).toBe("illegal")
})

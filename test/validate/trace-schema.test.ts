/**
 * The step fields of a trace line are decoded without the schema's decoder when they are plainly
 * well formed (src/validate/trace-schema.ts): the result must be the schema's, for well formed
 * fields and for every kind of bad one.
 * Size: RAFT_TLA_RUNS (default 500 step objects); the seed is printed and RAFT_TLA_SEED replays it.
 */
import fc from "fast-check"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { decodeStepFields, StepFields } from "../../src/validate/trace-schema.ts"

const runs = Number(process.env.RAFT_TLA_RUNS ?? 500)
const seed = Number(process.env.RAFT_TLA_SEED ?? Math.floor(Math.random() * 2 ** 31))

const bySchema = (json: unknown) => {
  const r = Schema.decodeUnknownResult(StepFields)(json)
  return Result.isSuccess(r) ? r.success : { problem: r.failure.message }
}

/** Mostly the right type, sometimes anything a JSON line could hold there. */
const field = <A>(good: fc.Arbitrary<A>) => fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: fc.jsonValue() })
const int = fc.oneof(fc.integer(), fc.constantFrom(1.5, 2 ** 60, -0))
const step = fc.record(
  {
    seq: field(int),
    action: field(fc.string()),
    params: field(fc.dictionary(fc.string(), fc.jsonValue())),
    msgId: field(int),
    sent: field(fc.array(int, { maxLength: 3 })),
    persist: fc.jsonValue()
  },
  { requiredKeys: [] }
)

describe("step fields", () => {
  it(`decode as the schema decodes them (seed ${seed})`, () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: step }, { weight: 1, arbitrary: fc.jsonValue() }), (json) => {
        expect(decodeStepFields(json)).toEqual(bySchema(json))
      }),
      { numRuns: runs, seed }
    )
  })

  it("take a parameter named __proto__ as the schema does", () => {
    const json = JSON.parse('{"seq":1,"action":"A","params":{"__proto__":1,"b":2}}') as unknown
    expect(decodeStepFields(json)).toEqual(bySchema(json))
  })
})

/**
 * Random histories for the built-in models (and one nondeterministic test model): arbitrary ones,
 * whose verdict is anyone's guess, and ones recorded from a real sequential execution, which are
 * linearizable by construction.
 */
import fc from "fast-check"
import { Unknown, type KvInput, type KvOutput, type Model, type ModelName, type Operation } from "../../src/lincheck/index.ts"
import { valueEquals, type Value } from "../../src/lincheck/value.ts"

export type History = Array<Operation<KvInput, KvOutput>>

const smallInt = fc.integer({ min: 0, max: 3 })
const letter = fc.constantFrom("a", "b")
const key = fc.constantFrom("x", "y")
const session = fc.record({ clientId: fc.integer({ min: 0, max: 2 }), seq: fc.integer({ min: 1, max: 3 }) })

/** Inputs each model understands. */
export const inputFor = (model: ModelName): fc.Arbitrary<KvInput> => {
  switch (model) {
    case "register":
      return fc.oneof(fc.constant({ f: "read" }), smallInt.map((value) => ({ f: "write", value })))
    case "cas-register":
      return fc.oneof(
        fc.constant({ f: "read" }),
        smallInt.map((value) => ({ f: "write", value })),
        fc.tuple(fc.oneof(fc.constant(null), smallInt), smallInt).map(([a, b]) => ({ f: "cas", value: [a, b] }))
      )
    case "kv":
      return fc.oneof(
        key.map((k) => ({ f: "get", key: k })),
        fc.tuple(key, letter).map(([k, value]) => ({ f: "put", key: k, value })),
        fc.tuple(key, letter).map(([k, value]) => ({ f: "append", key: k, value }))
      )
    case "raft-kv":
      return fc.tuple(
        fc.oneof(
          key.map((k): KvInput => ({ f: "get", key: k })),
          fc.tuple(key, letter).map(([k, value]): KvInput => ({ f: "put", key: k, value })),
          fc.tuple(key, letter).map(([k, value]): KvInput => ({ f: "append", key: k, value })),
          fc.tuple(key, fc.oneof(fc.constant(null), letter), letter).map(([k, a, b]): KvInput => ({ f: "cas", key: k, value: [a, b] })),
          key.map((k): KvInput => ({ f: "delete", key: k }))
        ),
        session
      ).map(([input, s]) => ({ ...input, session: s }))
  }
}

/** An output for `input` drawn from a small domain, so that right and wrong answers both occur. */
const guessedOutput = (input: KvInput): fc.Arbitrary<KvOutput> => {
  switch (input.f) {
    case "read":
    case "get":
      return fc.oneof(fc.constant(null), smallInt, letter, fc.constantFrom("ab", "ba", "aa", "bb"))
    case "cas":
      return fc.boolean()
    default:
      return fc.constant(null)
  }
}

const times = fc.record({ call: fc.integer({ min: 0, max: 12 }), length: fc.integer({ min: 0, max: 8 }) })
const ending = fc.constantFrom("returned", "returned", "returned", "returned", "timed-out", "never-returned")

/** A history of up to `maxOps` operations with arbitrary times and answers. */
export const arbitraryHistory = (model: ModelName, maxOps = 7): fc.Arbitrary<History> =>
  fc.array(
    fc.tuple(inputFor(model), times, ending, fc.integer({ min: 0, max: 3 })).chain(([input, t, end, client]) =>
      guessedOutput(input).map((output): Operation<KvInput, KvOutput> => ({
        client,
        input,
        call: t.call,
        output: end === "returned" ? output : Unknown,
        return: end === "never-returned" ? Infinity : t.call + t.length
      }))
    ),
    { minLength: 1, maxLength: maxOps }
  )

/**
 * Executes `inputs` one after another on a plain, separately written implementation of the
 * model, and answers what each one returned.
 */
export const executeSequentially = (model: ModelName, inputs: ReadonlyArray<KvInput>): Array<KvOutput> => {
  const cells = new Map<string, Value>()
  const sessions = new Map<string, { seq: number; answer: KvOutput }>()
  const apply = (input: KvInput): KvOutput => {
    const cell = JSON.stringify(input.key ?? null)
    const current = cells.get(cell) ?? null
    switch (input.f) {
      case "read":
      case "get":
        return current
      case "write":
      case "put":
        cells.set(cell, input.value ?? null)
        return null
      case "append":
        cells.set(cell, current === null ? (input.value ?? null) : `${String(current)}${String(input.value)}`)
        return null
      case "delete":
        cells.delete(cell)
        return null
      case "cas": {
        const [expected, replacement] = input.value as ReadonlyArray<Value>
        if (!valueEquals(current, expected)) return false
        cells.set(cell, replacement)
        return true
      }
      default:
        throw new Error(`no such operation ${input.f}`)
    }
  }
  return inputs.map((input) => {
    if (model !== "raft-kv" || input.session === undefined) return apply(input)
    const client = `${JSON.stringify(input.key)}/${input.session.clientId}`
    const last = sessions.get(client)
    if (last !== undefined && input.session.seq <= last.seq) return last.answer
    const answer = apply(input)
    sessions.set(client, { seq: input.session.seq, answer })
    return answer
  })
}

/** Raft clients number their commands 1, 2, 3...; a retry repeats the command with its seq. */
const sessionsRenumbered = (inputs: ReadonlyArray<KvInput>, retries: ReadonlyArray<boolean>): Array<KvInput> => {
  const lastSeq = new Map<string, number>()
  return inputs.map((input, i) => {
    if (input.session === undefined) return input
    const client = `${JSON.stringify(input.key)}/${input.session.clientId}`
    const last = lastSeq.get(client) ?? 0
    const seq = retries[i] && last > 0 ? last : last + 1
    lastSeq.set(client, seq)
    return { ...input, session: { clientId: input.session.clientId, seq } }
  })
}

/**
 * A history recorded from a sequential execution: operation i takes effect at time 10i+5, is
 * called up to 25 before and returns up to 25 after (or never, or times out), and is listed in a
 * shuffled order. Linearizable by construction.
 */
export const sequentialHistory = (model: ModelName, maxOps = 40): fc.Arbitrary<History> =>
  fc
    .array(
      fc.tuple(inputFor(model), fc.nat(25), fc.nat(25), ending, fc.integer({ min: 0, max: 9 }), fc.boolean()),
      { minLength: 1, maxLength: maxOps }
    )
    .chain((drawn) => {
      const inputs = sessionsRenumbered(
        drawn.map(([input]) => input),
        drawn.map(([, , , , , retry]) => retry)
      )
      const outputs = executeSequentially(model, inputs)
      const history: History = drawn.map(([, before, after, end, client], i) => ({
        client,
        input: inputs[i],
        call: 10 * i + 5 - before,
        output: end === "returned" ? outputs[i] : Unknown,
        return: end === "never-returned" ? Infinity : 10 * i + 5 + after
      }))
      return fc.shuffledSubarray(history, { minLength: history.length, maxLength: history.length })
    })

/**
 * A register whose writes may be lost: each write leaves either the new value or the old one.
 * Nondeterministic, to exercise the search's sets of states.
 */
export const lossyRegister: Model<number, KvInput, KvOutput> = {
  init: () => 0,
  step: (state, input, output) => {
    if (input.f === "write") return [input.value as number, state]
    return output === Unknown || output === state ? [state] : []
  },
  equal: (a, b) => a === b,
  hash: (state) => state
}

export const lossyRegisterInput: fc.Arbitrary<KvInput> = fc.oneof(
  fc.constant({ f: "read" }),
  smallInt.map((value) => ({ f: "write", value }))
)

export const lossyRegisterHistory: fc.Arbitrary<History> = fc.array(
  fc.tuple(lossyRegisterInput, times, ending, smallInt).map(([input, t, end, guess]): Operation<KvInput, KvOutput> => ({
    client: 0,
    input,
    call: t.call,
    output: end === "returned" ? guess : Unknown,
    return: end === "never-returned" ? Infinity : t.call + t.length
  })),
  { minLength: 1, maxLength: 7 }
)

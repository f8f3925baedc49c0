/**
 * Reading full states line after line (src/validate/state-text.ts, step-reader.ts) reuses what
 * earlier lines had: whole variables, points of functions, grown sequences, parameters found in
 * the bag. Whatever it reuses, each line must read as the same values as decoding that line on
 * its own, an unchanged variable must keep its very value, and a bad value must be reported
 * exactly as a reader that saw no earlier line reports it.
 *
 * States change by random edits: messages added, removed, moved or recounted in a bag; logs
 * grown, cut or compacted; counters set (1 then 12: a prefix is not the value); a variable written with spaces (read whole, not point
 * by point). Messages share long prefixes, as a Raft bag's do.
 * Size: RAFT_TLA_RUNS (default 100 runs of up to 40 lines); the seed is printed and RAFT_TLA_SEED replays it.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { loadTlaSpec } from "../../src/tla/index.ts"
import { StepReader, TraceInputError } from "../../src/validate/step-reader.ts"
import type { TraceHeader } from "../../src/validate/trace-schema.ts"
import { decodeValue, encodeValue, type Value } from "../../src/validate/values.ts"
import { raftSpec } from "./traces.ts"

const runs = Number(process.env.RAFT_TLA_RUNS ?? 100)
const seed = Number(process.env.RAFT_TLA_SEED ?? Math.floor(Math.random() * 2 ** 31))

// Loading a spec sets up the toolkit's tables of strings and model values.
loadTlaSpec(raftSpec, { cfgText: "CONSTANTS Server = {s1, s2, s3}\nNil = Nil\nValue = {}\n" })

type Json = unknown
interface Entry {
  readonly term: number
  readonly value: string
}
interface Message {
  readonly mtype: string
  readonly mterm: number
  readonly msource: { readonly $mv: string }
  readonly mentries: ReadonlyArray<Entry>
}

/** The variables of the states: a bag of messages, per-server logs and terms, a set, a number. */
interface Model {
  bag: Array<[Message, number]>
  logs: Entry[][]
  terms: number[]
  voters: string[]
  round: number
  /** Variables written with spaces this line. */
  spaced: Set<string>
}

const VARS = ["bag", "logs", "terms", "voters", "round"]
const servers = ["s1", "s2", "s3"].map(($mv) => ({ $mv }))
const perServer = (values: ReadonlyArray<Json>): Json => ({ $fn: servers.map((s, k) => [s, values[k]]) })

const stateJson = (m: Model): Record<string, Json> => ({
  bag: m.bag.length === 0 ? [] : { $fn: m.bag.map(([msg, n]) => [msg, n]) },
  logs: perServer(m.logs),
  terms: perServer(m.terms),
  voters: { $set: m.voters.map(($mv) => ({ $mv })) },
  round: m.round
})

/** Each variable's text on a line, as a trace writer would write it. */
const variableTexts = (m: Model): string[] => {
  const json = stateJson(m)
  return VARS.map((v) => {
    const text = JSON.stringify(json[v])
    return m.spaced.has(v) ? text.replaceAll(",", ", ") : text
  })
}

const entry = fc.record({ term: fc.integer({ min: 1, max: 12 }), value: fc.constantFrom("a", "b", "c") })
const entries = fc.array(entry, { maxLength: 4 })
// A long type name and few terms: many messages share their first 40 characters.
const message = fc.record({
  mtype: fc.constantFrom("AppendEntriesRequest", "AppendEntriesResponse"),
  mterm: fc.integer({ min: 1, max: 2 }),
  msource: fc.constantFrom(...servers),
  mentries: entries
})

type Edit = (m: Model) => void
const at = (n: number, length: number): number => (length === 0 ? 0 : n % length)
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.tuple(message, fc.nat(), fc.integer({ min: 1, max: 12 })).map(([msg, where, n]): Edit => (m) => {
    if (m.bag.some(([x]) => JSON.stringify(x) === JSON.stringify(msg))) return
    m.bag.splice(at(where, m.bag.length + 1), 0, [msg, n])
  }),
  fc.nat().map((where): Edit => (m) => void m.bag.splice(at(where, m.bag.length), 1)),
  fc.tuple(fc.nat(), fc.nat()).map(([from, to]): Edit => (m) => {
    const [moved] = m.bag.splice(at(from, m.bag.length), 1)
    if (moved !== undefined) m.bag.splice(at(to, m.bag.length + 1), 0, moved)
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 })).map(([where, n]): Edit => (m) => {
    const point = m.bag[at(where, m.bag.length)]
    if (point !== undefined) point[1] = n
  }),
  fc.tuple(fc.nat(2), entries).map(([s, more]): Edit => (m) => void m.logs[s].push(...more)),
  fc.tuple(fc.nat(2), fc.nat(4)).map(([s, keep]): Edit => (m) => void (m.logs[s] = m.logs[s].slice(0, keep))),
  fc.tuple(fc.nat(2), fc.nat(3)).map(([s, drop]): Edit => (m) => void (m.logs[s] = m.logs[s].slice(drop))),
  fc.tuple(fc.nat(2), fc.integer({ min: 0, max: 12 })).map(([s, t]): Edit => (m) => void (m.terms[s] = t)),
  fc.subarray(["s1", "s2", "s3"]).map((voters): Edit => (m) => void (m.voters = voters)),
  fc.integer({ min: 0, max: 12 }).map((round): Edit => (m) => void (m.round = round)),
  fc.constantFrom(...VARS).map((v): Edit => (m) => void m.spaced.add(v))
)

/** A run: edits line after line, each line naming a parameter (a message of the bag, or a server). */
const run = fc.array(fc.tuple(fc.array(edit, { minLength: 1, maxLength: 3 }), fc.nat()), { minLength: 1, maxLength: 40 })

const header = (init: Record<string, Json>): TraceHeader => ({ format: "raft-tla-trace", version: 1, spec: "Test.tla", constants: {}, init })

const stepLine = (seq: number, m: Model, pick: number): string => {
  const param = m.bag.length > 0 && pick % 3 !== 0 ? m.bag[pick % m.bag.length][0] : servers[pick % 3]
  const state = variableTexts(m).map((text, k) => `"${VARS[k]}":${text}`)
  return `{"seq":${seq},"action":"A","params":{"m":${JSON.stringify(param)}},"state":{${state.join(",")}}}`
}

const decoded = (json: Json, path: string): Json => encodeValue(decodeValue(json, path))

/** The error a reader reports for a line, as the CLI prints it. */
const errorOf = (read: () => unknown): string => {
  try {
    read()
  } catch (error) {
    if (error instanceof TraceInputError) return error.message
    throw error
  }
  return "no error"
}

describe("reading full states line after line", () => {
  it(`reads each line as the line alone decodes (seed ${seed})`, () => {
    fc.assert(
      fc.property(run, fc.nat(), ([...lines], bad) => {
        const m: Model = { bag: [], logs: [[], [], []], terms: [0, 0, 0], voters: [], round: 0, spaced: new Set() }
        const init = header(JSON.parse(JSON.stringify(stateJson(m))) as Record<string, Json>)
        const reader = new StepReader(VARS, init)
        let previous: { texts: string[]; values: ReadonlyArray<Value | undefined> } | undefined
        for (const [seq, [edits, pick]] of lines.entries()) {
          m.spaced.clear()
          for (const e of edits) e(m)
          const line = stepLine(seq + 1, m, pick)
          const step = reader.step(line, seq + 2)
          const json = JSON.parse(line) as { params: { m: Json }; state: Record<string, Json> }
          expect(encodeValue(step.params.get("m")!)).toEqual(decoded(json.params.m, "params.m"))
          const texts = variableTexts(m)
          VARS.forEach((v, k) => {
            expect(encodeValue(step.next[k]!)).toEqual(decoded(json.state[v], `state.${v}`))
            // An unchanged text keeps its value object, which the evaluator compares by identity.
            if (previous?.texts[k] === texts[k]) expect(step.next[k]).toBe(previous.values[k])
          })
          previous = { texts, values: step.next }
        }
        // A bad value in the next line: a new message's term, or an entry appended to a log.
        const badTerm = 2.5
        if (bad % 2 === 0 && m.bag.length > 0) m.bag[bad % m.bag.length] = [{ ...m.bag[bad % m.bag.length][0], mterm: badTerm }, 1]
        else m.logs[bad % 3].push({ term: badTerm, value: "a" })
        const line = stepLine(lines.length + 1, m, 0)
        const warm = errorOf(() => reader.step(line, lines.length + 2))
        expect(warm).toMatch(/expected a 32-bit integer, got 2.5/)
        expect(warm).toBe(errorOf(() => new StepReader(VARS, init).step(line, lines.length + 2)))
      }),
      { numRuns: runs, seed }
    )
  })

  it("reports malformed text appended to a grown log at its line and column, as the line's JSON error", () => {
    const m: Model = { bag: [], logs: [[{ term: 1, value: "a" }], [], []], terms: [0, 0, 0], voters: [], round: 0, spaced: new Set() }
    const reader = new StepReader(VARS, header(stateJson(m)))
    reader.step(stepLine(1, m, 0), 2)
    m.logs[0].push({ term: 1, value: "b" })
    reader.step(stepLine(2, m, 0), 3)
    // A leading zero is not JSON; the scanner passes over numbers, so only parsing finds it.
    const bad = stepLine(3, m, 0).replace('"value":"b"}]', '"value":"b"},{"term":01,"value":"c"}]')
    const column = bad.indexOf("01") + 2
    expect(errorOf(() => reader.step(bad, 4))).toMatch(new RegExp(`^4:${column}: not JSON: `))
  })
})

/**
 * `[k \in S |-> f[k]]` (a function restricted to part of its domain: the spec's WithoutMessage) is
 * evaluated by walking along f's domain instead of applying f once per element
 * (src/tla/eval/compile.ts). It must give what applying f gives, errors included: S may hold
 * elements outside DOMAIN f, f may be a sequence or a record, S may not be part of f's order.
 * The reference is the same function with the body hidden behind a LET, which the walk does not
 * recognise. Size: RAFT_TLA_RUNS (default 200); the seed is printed and RAFT_TLA_SEED replays it.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { load } from "./harness.ts"

const runs = Number(process.env.RAFT_TLA_RUNS ?? 200)
const seed = Number(process.env.RAFT_TLA_SEED ?? Math.floor(Math.random() * 2 ** 31))

const spec = load(
  "Restrict",
  `Restricted(f, S) == [k \\in S |-> f[k]]
Reference(f, S) == [k \\in S |-> LET g == f IN g[k]]
Bag(f, m) == [k \\in DOMAIN f \\ {m} |-> f[k]]
BagReference(f, m) == [k \\in DOMAIN f \\ {m} |-> LET g == f IN g[k]]`
)

const outcome = (expr: string): string => {
  try {
    return `value ${String(spec.evalExpression(expr))}`
  } catch (error) {
    // The two definitions sit on different lines: errors are compared without their position.
    return `error ${(error as Error).message.replace(/line \d+, col \d+ to line \d+, col \d+ of module \w+/g, "<position>")}`
  }
}

/** Arguments of one kind as TLA+ text: integers, strings, or message-like records. */
const argument = (kind: number) =>
  kind === 0
    ? fc.integer({ min: -3, max: 30 }).map(String)
    : kind === 1
      ? fc.constantFrom('"a"', '"b"', '"c"', '"d"', '"e"')
      : fc.record({ t: fc.constantFrom('"A"', '"B"'), n: fc.integer({ min: 0, max: 4 }) }).map(({ t, n }) => `[type |-> ${t}, term |-> ${n}]`)

const fn = (points: ReadonlyArray<readonly [string, number]>): string =>
  points.length === 0 ? "<<>>" : `(${points.map(([k, v]) => `${k} :> ${v}`).join(" @@ ")})`

describe(`[k \\in S |-> f[k]] (seed ${seed}; replay: RAFT_TLA_SEED=${seed})`, () => {
  it("gives what applying f gives, errors included", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), (kf, ks) =>
        fc.assert(
          fc.property(
            fc.uniqueArray(fc.tuple(argument(kf), fc.integer({ min: 0, max: 9 })), { maxLength: 40, selector: ([k]) => k }),
            fc.uniqueArray(argument(ks), { maxLength: 8 }),
            fc.array(fc.nat(), { maxLength: 40 }),
            (points, extra, picks) => {
              const f = fn(points)
              const chosen = [...new Set(picks.filter((n) => n < points.length).map((n) => points[n][0]))]
              const s = `{${[...chosen, ...extra].join(", ")}}`
              expect(outcome(`Restricted(${f}, ${s})`)).toBe(outcome(`Reference(${f}, ${s})`))
            }
          ),
          { numRuns: 5, seed }
        )
      ),
      { numRuns: runs, seed }
    )
  })

  it("a bag losing one message keeps every other count", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(argument(2), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 40, selector: ([k]) => k }), fc.nat(), (points, pick) => {
        const f = fn(points)
        const m = points[pick % points.length][0]
        expect(outcome(`Bag(${f}, ${m})`)).toBe(outcome(`BagReference(${f}, ${m})`))
      }),
      { numRuns: runs, seed }
    )
  })
})

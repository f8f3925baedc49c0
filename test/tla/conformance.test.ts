/**
 * Our own conformance specs (test/tla/specs): each run through the checker and compared with
 * counts from an independent brute-force model of the same transition system (brute-force.ts),
 * or with counts worked out by hand.
 */
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { runCheck } from "../../src/tla/index.ts"
import { bruteForce, type BruteResult, permutations, range } from "./brute-force.ts"

const specs = fileURLToPath(new URL("./specs/", import.meta.url))

const checkSpec = (name: string, cfg = name) => {
  const lines: string[] = []
  const run = runCheck({ specPath: `${specs}${name}.tla`, cfgPath: `${specs}${cfg}.cfg`, out: (l) => void lines.push(l) })
  return { ...run.result, lines }
}

const expectCounts = (got: ReturnType<typeof checkSpec>, want: BruteResult): void => {
  expect({ generated: got.generated, distinct: got.distinct, depth: got.depth }).toEqual({
    generated: want.generated,
    distinct: want.distinct,
    depth: want.depth
  })
}

describe("puzzle: Towers of Hanoi (sequences, EXCEPT with @)", () => {
  type S = number[][]
  const model = {
    init: [[[3, 2, 1], [], []]] as S[],
    next: (s: S): S[] => {
      const out: S[] = []
      for (const from of [0, 1, 2]) {
        for (const to of [0, 1, 2]) {
          if (from === to || s[from].length === 0) continue
          const d = s[from][s[from].length - 1]
          const top = s[to][s[to].length - 1]
          if (s[to].length > 0 && top < d) continue
          const t = s.map((x) => [...x])
          t[from].pop()
          t[to].push(d)
          out.push(t)
        }
      }
      return out
    },
    key: (s: S) => JSON.stringify(s),
    violated: (s: S) => (s[2].length === 3 ? "NotSolved" : undefined)
  }
  it("finds the shortest solution (7 moves) as the counterexample, with the brute-force counts", () => {
    const want = bruteForce(model)
    const got = checkSpec("Hanoi")
    expect(got.outcome).toBe("invariant")
    expect(got.violated).toBe("NotSolved")
    expect(want.traceLength).toBe(8) // 2^3 - 1 moves, by hand
    expect(got.trace.length).toBe(8)
    expectCounts(got, want)
  })
})

describe("mutual exclusion: Peterson (functions, enumerated guard disjunction, action property)", () => {
  type S = { pc: string[]; flag: boolean[]; turn: number }
  const set = <T>(xs: T[], i: number, v: T): T[] => xs.map((x, j) => (j === i ? v : x))
  const model = {
    init: [{ pc: ["idle", "idle"], flag: [false, false], turn: 0 }],
    next: (s: S): S[] => {
      const out: S[] = []
      for (const i of [0, 1]) {
        const o = 1 - i
        if (s.pc[i] === "idle") out.push({ pc: set(s.pc, i, "yield"), flag: set(s.flag, i, true), turn: s.turn })
        if (s.pc[i] === "yield") out.push({ pc: set(s.pc, i, "wait"), flag: s.flag, turn: o })
        if (s.pc[i] === "wait") {
          // `~flag[Other(i)] \/ turn = i` comes before the assignments: each true disjunct counts
          const ways = (s.flag[o] ? 0 : 1) + (s.turn === i ? 1 : 0)
          for (let w = 0; w < ways; w++) out.push({ pc: set(s.pc, i, "cs"), flag: s.flag, turn: s.turn })
        }
        if (s.pc[i] === "cs") out.push({ pc: set(s.pc, i, "idle"), flag: set(s.flag, i, false), turn: s.turn })
      }
      return out
    },
    key: (s: S) => JSON.stringify(s),
    violated: (s: S) => (s.pc[0] === "cs" && s.pc[1] === "cs" ? "MutualExclusion" : undefined),
    stepOk: (s: S, t: S) => t.turn === s.turn || s.pc.includes("yield")
  }
  it("holds, with the brute-force counts", () => {
    const want = bruteForce(model)
    const got = checkSpec("Peterson")
    expect(want.violated).toBeUndefined()
    expect(got.outcome).toBe("ok")
    expectCounts(got, want)
  })
})

describe("two-phase commit (records in a message set, model values)", () => {
  type S = { rm: string[]; coord: string; prepared: number[]; msgs: string[] }
  const norm = (s: S): S => ({ ...s, prepared: [...new Set(s.prepared)].sort(), msgs: [...new Set(s.msgs)].sort() })
  const model = {
    init: [{ rm: ["working", "working", "working"], coord: "init", prepared: [], msgs: [] }] as S[],
    next: (s: S): S[] => {
      const out: S[] = []
      const decision = s.msgs.find((m) => m === "commit" || m === "abort")
      if (s.coord === "init") {
        if (s.prepared.length === 3) out.push(norm({ ...s, coord: "commit", msgs: [...s.msgs, "commit"] }))
        out.push(norm({ ...s, coord: "abort", msgs: [...s.msgs, "abort"] }))
      }
      for (const r of [0, 1, 2]) {
        if (s.rm[r] === "working") out.push(norm({ ...s, rm: s.rm.map((x, j) => (j === r ? "prepared" : x)), msgs: [...s.msgs, `prepared${r}`] }))
        if (s.rm[r] === "working") out.push(norm({ ...s, rm: s.rm.map((x, j) => (j === r ? "aborted" : x)) }))
        if (s.coord === "init" && s.msgs.includes(`prepared${r}`)) out.push(norm({ ...s, prepared: [...s.prepared, r] }))
        if ((s.rm[r] === "working" || s.rm[r] === "prepared") && decision !== undefined) {
          out.push(norm({ ...s, rm: s.rm.map((x, j) => (j === r ? (decision === "commit" ? "committed" : "aborted") : x)) }))
        }
      }
      return out
    },
    key: (s: S) => JSON.stringify(s),
    violated: (s: S) => (s.rm.includes("committed") && s.rm.includes("aborted") ? "Consistent" : undefined)
  }
  it("is consistent, with the brute-force counts", () => {
    const want = bruteForce(model)
    const got = checkSpec("TwoPhase")
    expect(got.outcome).toBe("ok")
    expectCounts(got, want)
  })
})

describe("a Paxos-like voting protocol (SUBSET quorums, nested quantifiers)", () => {
  type S = { votes: string[][]; maxBal: number[] }
  const A = [0, 1, 2]
  const V = ["v1", "v2"]
  const B = [0, 1]
  const quorums = range(0, 7)
    .map((mask) => A.filter((a) => mask & (1 << a)))
    .filter((q) => 2 * q.length > 3)
  const voted = (s: S, a: number, b: number, v: string) => s.votes[a].includes(`${b}${v}`)
  const didNotVote = (s: S, a: number, b: number) => V.every((v) => !voted(s, a, b, v))
  // TLC enumerates SafeAt (it comes before the assignments): every quorum witness of the \E and
  // every true disjunct under the \A is one more way to satisfy VoteFor.
  const safeAtWays = (s: S, b: number, v: string) =>
    range(0, b - 1).reduce(
      (ways, c) =>
        ways *
        quorums.reduce(
          (sum, q) => sum + q.reduce((prod, a) => prod * ((voted(s, a, c, v) ? 1 : 0) + (s.maxBal[a] > c && didNotVote(s, a, c) ? 1 : 0)), 1),
          0
        ),
      1
    )
  const model = {
    init: [{ votes: [[], [], []], maxBal: [-1, -1, -1] }] as S[],
    next: (s: S): S[] => {
      const out: S[] = []
      for (const a of A) {
        for (const b of B) {
          if (b > s.maxBal[a]) out.push({ votes: s.votes, maxBal: s.maxBal.map((m, j) => (j === a ? b : m)) })
          for (const v of V) {
            const othersAgree = A.filter((c) => c !== a).every((c) => V.every((w) => !voted(s, c, b, w) || w === v))
            if (!(s.maxBal[a] <= b && didNotVote(s, a, b) && othersAgree)) continue
            for (let w = safeAtWays(s, b, v); w > 0; w--) {
              out.push({
                votes: s.votes.map((vs, j) => (j === a ? [...vs, `${b}${v}`].sort() : vs)),
                maxBal: s.maxBal.map((m, j) => (j === a ? b : m))
              })
            }
          }
        }
      }
      return out
    },
    key: (s: S) => JSON.stringify(s),
    violated: (s: S) => {
      const chosen = new Set(V.filter((v) => B.some((b) => quorums.some((q) => q.every((a) => voted(s, a, b, v))))))
      return chosen.size > 1 ? "Consistency" : undefined
    }
  }
  it("never chooses two values, with the brute-force counts", () => {
    const want = bruteForce(model)
    const got = checkSpec("Voting")
    expect(want.violated).toBeUndefined()
    expect(got.outcome).toBe("ok")
    expectCounts(got, want)
  })
})

describe("a pipeline of two bounded queues (INSTANCE ... WITH, sequences)", () => {
  type S = { inQ: number[]; outQ: number[]; delivered: number }
  const model = {
    init: [{ inQ: [], outQ: [], delivered: 0 }] as S[],
    next: (s: S): S[] => {
      const out: S[] = []
      for (const x of [0, 1]) if (s.inQ.length < 2) out.push({ ...s, inQ: [...s.inQ, x] })
      if (s.inQ.length > 0 && s.outQ.length < 1) out.push({ ...s, inQ: s.inQ.slice(1), outQ: [...s.outQ, s.inQ[0]] })
      if (s.outQ.length > 0) out.push({ ...s, outQ: s.outQ.slice(1), delivered: Math.min(3, s.delivered + 1) })
      return out
    },
    key: (s: S) => JSON.stringify(s)
  }
  it("matches the brute-force counts", () => {
    const got = checkSpec("Pipeline")
    expect(got.outcome).toBe("ok")
    expectCounts(got, bruteForce(model))
  })
})

describe("a lossy, duplicating network as a bag (Bags)", () => {
  type S = { net: Record<string, number>; got: number; sent: number }
  const add = (net: Record<string, number>, m: string, d: number) => {
    const n = { ...net, [m]: (net[m] ?? 0) + d }
    if (n[m] <= 0) delete n[m]
    return n
  }
  const model = {
    init: [{ net: {}, got: 0, sent: 0 }] as S[],
    next: (s: S): S[] => {
      const out: S[] = []
      if (s.sent < 2) for (const m of ["ping", "pong"]) out.push({ ...s, net: add(s.net, m, 1), sent: s.sent + 1 })
      for (const m of Object.keys(s.net).sort()) if (s.net[m] < 2) out.push({ ...s, net: add(s.net, m, 1) })
      if (s.got < 3) for (const m of Object.keys(s.net).sort()) out.push({ ...s, net: add(s.net, m, -1), got: s.got + 1 })
      return out
    },
    key: (s: S) => JSON.stringify({ net: Object.entries(s.net).sort(), got: s.got, sent: s.sent })
  }
  it("matches the brute-force counts", () => {
    const got = checkSpec("BagNet")
    expect(got.outcome).toBe("ok")
    expectCounts(got, bruteForce(model))
  })
})

describe("recursion: RECURSIVE operators and recursive functions", () => {
  it("walks the Fibonacci numbers below 100: 12 states, by hand", () => {
    // k goes 1..12 (fib[12] = 144 is the first >= 100); one successor per state until then.
    const got = checkSpec("Recur")
    expect(got.outcome).toBe("ok")
    expect({ generated: got.generated, distinct: got.distinct, depth: got.depth }).toEqual({ generated: 12, distinct: 12, depth: 12 })
  })
})

describe("SYMMETRY over model values", () => {
  type S = { holder: number; turns: number[] }
  const P = [0, 1, 2]
  const base = {
    init: P.map((h) => ({ holder: h, turns: [0, 0, 0] })),
    next: (s: S): S[] =>
      P.flatMap((p) => P.filter((q) => s.holder === p && p !== q).map((q) => ({ holder: q, turns: s.turns.map((t, j) => (j === q ? (t + 1) % 2 : t)) })))
  }
  const plainKey = (s: S) => JSON.stringify(s)
  // the orbit's smallest key under renaming processes
  const symKey = (s: S) =>
    permutations(P)
      .map((p) => {
        const turns = [0, 0, 0]
        s.turns.forEach((t, j) => (turns[p[j]] = t))
        return JSON.stringify({ holder: p[s.holder], turns })
      })
      .sort()[0]
  it("without symmetry matches the brute-force counts", () => {
    expectCounts(checkSpec("Tokens"), bruteForce({ ...base, key: plainKey }))
  })
  it("with symmetry merges renamed states, as the brute-force orbits do", () => {
    const want = bruteForce({ ...base, key: symKey })
    const got = checkSpec("Tokens", "TokensSym")
    expectCounts(got, want)
    expect(got.distinct).toBeLessThan(checkSpec("Tokens").distinct)
  })
})

/**
 * spec/MCRaft.tla model-checked with spec/MCRaft.cfg, and each invariant and action property shown
 * to catch a mutated copy of spec/Raft.tla with a counterexample (on the smaller models in
 * test/tla/raft/, where the counterexamples are found fastest).
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { runCheck } from "../../src/tla/index.ts"
import { tempDir } from "./harness.ts"

const specDir = fileURLToPath(new URL("../../spec/", import.meta.url))
const cfgDir = fileURLToPath(new URL("./raft/", import.meta.url))

const check = (specPath: string, cfgPath: string) => runCheck({ specPath, cfgPath, out: () => {} }).result

/** A copy of the spec folder with one piece of Raft.tla replaced (which must occur exactly once). */
const mutate = (from: string, to: string): string => {
  const dir = tempDir()
  const raft = readFileSync(join(specDir, "Raft.tla"), "utf8")
  expect(raft.split(from).length - 1).toBe(1)
  writeFileSync(join(dir, "Raft.tla"), raft.replace(from, to))
  copyFileSync(join(specDir, "MCRaft.tla"), join(dir, "MCRaft.tla"))
  return dir
}

/** The CI cfg with only the named invariant or property checked. */
const onlyChecking = (dir: string, base: string, name: string, kind: "INVARIANT" | "PROPERTY"): string => {
  const text = readFileSync(join(cfgDir, base), "utf8").replace(/INVARIANTS[^\n]*\n/, "").replace(/PROPERTIES[^\n]*\n/, "")
  const path = join(dir, `${name}.cfg`)
  writeFileSync(path, `${text}${kind} ${name}\n`)
  return path
}

describe("spec/MCRaft.tla with spec/MCRaft.cfg", () => {
  it("every invariant and action property holds on the whole model", () => {
    const r = check(join(specDir, "MCRaft.tla"), join(specDir, "MCRaft.cfg"))
    console.log(`spec/MCRaft.cfg: ${r.generated} states generated, ${r.distinct} distinct states found, depth ${r.depth}`)
    expect(r.message ?? "").toBe("")
    expect(r.outcome).toBe("ok")
    expect(r.queue).toBe(0)
    expect(r.distinct).toBeGreaterThan(100_000)
  })
})

// A follower that stores what it is sent with the value blanked out.
const corruptFollower = [
  "ELSE kept \\o SubSeq(m.mentries, first, n)]",
  "ELSE kept \\o [k \\in 1..(n - first + 1) |-> [term |-> m.mentries[first + k - 1].term, value |-> Nil]]]"
] as const

const mutations: Array<{ name: string; kind: "INVARIANT" | "PROPERTY"; cfg: string; mutation: readonly [string, string]; why: string }> = [
  { name: "TypeOK", kind: "INVARIANT", cfg: "MCRaftThree.cfg", mutation: ["/\\ votedFor' = [votedFor EXCEPT ![i] = i]", "/\\ votedFor' = [votedFor EXCEPT ![i] = 0]"], why: "a candidate votes for 0" },
  { name: "ElectionSafety", kind: "INVARIANT", cfg: "MCRaftThree.cfg", mutation: ["/\\ votedFor[i] \\in {Nil, j}", "/\\ TRUE"], why: "a server votes twice in one term" },
  { name: "LogMatching", kind: "INVARIANT", cfg: "MCRaftTwo.cfg", mutation: corruptFollower, why: "a follower stores a different value" },
  { name: "LeaderCompleteness", kind: "INVARIANT", cfg: "MCRaftTwo.cfg", mutation: corruptFollower, why: "a corrupted entry gets committed" },
  { name: "StateMachineSafety", kind: "INVARIANT", cfg: "MCRaftTwo.cfg", mutation: corruptFollower, why: "two servers commit different entries" },
  {
    name: "CurrentTermMonotonic",
    kind: "PROPERTY",
    cfg: "MCRaftTwo.cfg",
    mutation: ["currentTerm' = [currentTerm EXCEPT ![i] = currentTerm[i] + 1]", "currentTerm' = [currentTerm EXCEPT ![i] = IF currentTerm[i] = 1 THEN 0 ELSE currentTerm[i] + 1]"],
    why: "a timeout can lower the term"
  },
  {
    name: "CommitIndexMonotonic",
    kind: "PROPERTY",
    cfg: "MCRaftTwo.cfg",
    mutation: ["Max(commitIndex[i], Min(m.mcommitIndex, prev + n))", "Min(m.mcommitIndex, prev + n)"],
    why: "a stale AppendEntries lowers the commit index"
  },
  {
    name: "LeaderAppendOnly",
    kind: "PROPERTY",
    cfg: "MCRaftTwo.cfg",
    mutation: ["snapshotLog[i] \\o SubSeq(log[i], 1, upto)]", "snapshotLog[i]]"],
    why: "a snapshot forgets the compacted entries"
  }
]

describe("each invariant and property catches a mutated spec/Raft.tla", () => {
  for (const m of mutations) {
    it(`${m.name} fails when ${m.why}`, () => {
      const dir = mutate(...m.mutation)
      const r = check(join(dir, "MCRaft.tla"), onlyChecking(dir, m.cfg, m.name, m.kind))
      expect(r.outcome).toBe(m.kind === "INVARIANT" ? "invariant" : "property")
      expect(r.violated).toBe(m.name)
      expect(r.trace.length).toBeGreaterThan(1)
      console.log(`${m.name}: caught after ${r.distinct} distinct states, counterexample of ${r.trace.length} states`)
    })
  }
})

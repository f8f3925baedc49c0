/**
 * NodeStorage keeps exactly what the core asks it to persist: after any sequence of changes and a
 * crash, the node loads the state it last persisted. Property sizes: RAFT_TLA_RUNS, seed:
 * RAFT_TLA_SEED.
 */
import { Context, Effect, Layer } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Entry, lastIndex, type PersistentField, type PersistentState } from "../../src/raft/index.ts"
import { NodeStorage } from "../../src/runtime/node-storage.ts"
import { DurableStorage } from "../../src/runtime/storage/durable-storage.ts"
import { SimulatedDisk } from "../../src/runtime/storage/simulated-disk.ts"
import { propertySettings } from "./storage/fixtures.ts"

const initial: PersistentState = { currentTerm: 0, votedFor: null, log: [], snapshot: { index: 0, term: 0, entries: [] } }

/** Opens the node's storage on `disk`, loads, runs `use`, and closes it again. */
const withStorage = <A>(disk: SimulatedDisk, use: (storage: typeof NodeStorage.Service, loaded: PersistentState) => Effect.Effect<A, unknown>) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const context = yield* Layer.build(NodeStorage.layer.pipe(Layer.provide(DurableStorage.layerMemory(disk))))
        const storage = Context.get(context, NodeStorage)
        return yield* use(storage, yield* storage.load())
      })
    )
  )

const changed = (before: PersistentState, after: PersistentState): Array<PersistentField> =>
  (["currentTerm", "votedFor", "log", "snapshot"] as const).filter((field) => before[field] !== after[field])

/** One change a transition could make to a server's persistent state. */
type Change =
  | { readonly kind: "vote"; readonly votedFor: string | null }
  | { readonly kind: "append"; readonly count: number }
  | { readonly kind: "overwrite"; readonly at: number; readonly count: number }
  | { readonly kind: "compact"; readonly at: number }
  | { readonly kind: "install"; readonly beyond: number; readonly holdsLast: boolean }

let nextValue = 0
const fresh = (term: number, count: number): Array<Entry> => Array.from({ length: count }, () => ({ term, value: `v${nextValue++}` }))

const whole = (p: PersistentState): Array<Entry> => [...p.snapshot.entries, ...p.log]

const apply = (p: PersistentState, change: Change): PersistentState => {
  const last = lastIndex(p)
  const first = p.snapshot.index + 1
  switch (change.kind) {
    case "vote":
      return { ...p, currentTerm: p.currentTerm + 1, votedFor: change.votedFor }
    case "append":
      return { ...p, log: [...p.log, ...fresh(p.currentTerm, change.count)] }
    case "overwrite": {
      if (last < first) return p
      const at = first + (change.at % (last - first + 1))
      return { ...p, log: [...p.log.slice(0, at - first), ...fresh(p.currentTerm, change.count)] }
    }
    case "compact": {
      if (last < first) return p
      const at = first + (change.at % (last - first + 1))
      const entries = whole(p).slice(0, at)
      return { ...p, snapshot: { index: at, term: entries[at - 1].term, entries }, log: p.log.slice(at - p.snapshot.index) }
    }
    case "install": {
      const index = p.snapshot.index + 1 + change.beyond
      if (change.holdsLast && index <= last) {
        const entries = whole(p).slice(0, index)
        return { ...p, snapshot: { index, term: entries[index - 1].term, entries }, log: p.log.slice(index - p.snapshot.index) }
      }
      const entries = [...p.snapshot.entries, ...fresh(p.currentTerm + 1, index - p.snapshot.index)]
      return { ...p, snapshot: { index, term: p.currentTerm + 1, entries }, log: [] }
    }
  }
}

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant("vote" as const), votedFor: fc.constantFrom(null, "s1", "s2") }),
  fc.record({ kind: fc.constant("append" as const), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant("overwrite" as const), at: fc.nat(), count: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant("compact" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("install" as const), beyond: fc.nat({ max: 5 }), holdsLast: fc.boolean() })
)

describe("NodeStorage", () => {
  it("loads the initial state from an empty disk", async () => {
    expect(await withStorage(new SimulatedDisk(), (_, loaded) => Effect.succeed(loaded))).toEqual(initial)
  })

  it("after any changes and a crash, loads exactly the state last persisted", async () => {
    const settings = propertySettings("node storage", 40)
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 25 }), async (changes) => {
        const disk = new SimulatedDisk()
        let state = initial
        for (const next of changes) {
          const after = apply(state, next)
          const loaded = await withStorage(disk, (storage, loaded) =>
            Effect.as(storage.persist(state, after, changed(state, after)), loaded)
          )
          expect(loaded).toEqual(state)
          disk.crash()
          state = after
        }
        expect(await withStorage(disk, (_, loaded) => Effect.succeed(loaded))).toEqual(state)
      }),
      settings
    )
  })

  it("writes what it is asked to: the hard state whole, the log only when named", async () => {
    const disk = new SimulatedDisk()
    const voted: PersistentState = { ...initial, currentTerm: 1, votedFor: "s2" }
    await withStorage(disk, (storage) => storage.persist(initial, voted, ["currentTerm"]))
    disk.crash()
    expect(await withStorage(disk, (_, loaded) => Effect.succeed(loaded))).toEqual({ ...initial, currentTerm: 1, votedFor: "s2" })
    await withStorage(disk, (storage) => storage.persist(voted, { ...voted, currentTerm: 2, votedFor: "s3" }, ["votedFor"]))
    disk.crash()
    // Hard state is written whole: asking for votedFor writes currentTerm with it.
    expect((await withStorage(disk, (_, loaded) => Effect.succeed(loaded))).votedFor).toBe("s3")
    const fresh: PersistentState = { ...initial, currentTerm: 3 }
    await withStorage(disk, (storage) => storage.persist(fresh, { ...fresh, log: [{ term: 3, value: "x" }] }, []))
    disk.crash()
    expect((await withStorage(disk, (_, loaded) => Effect.succeed(loaded))).log).toEqual([])
  })
})

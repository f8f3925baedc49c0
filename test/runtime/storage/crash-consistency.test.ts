/**
 * Crash consistency, checked against a model: random changes run on the engine over a simulated disk
 * whose power fails after a random number of operations, and part of the unsynced appended bytes may
 * survive the crash (torn writes). After the crash, recovery must succeed and
 * give back every acknowledged change, and of the change in flight either nothing, all of it, or (for
 * the multi-step ones: appends that span segments, truncations) a prefix of it.
 */
import { Effect, Exit } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeDurableStorage } from "../../../src/runtime/storage/durable-storage.ts"
import type { HardState, LogEntry, Snapshot } from "../../../src/runtime/storage/persistent-state.ts"
import { SimulatedDisk } from "../../../src/runtime/storage/simulated-disk.ts"
import { describeEntries, entry, propertySettings, run } from "./fixtures.ts"

const DATA = "/data"

interface ModelState {
  readonly hardState: HardState
  readonly snapshot: Snapshot | null
  /** The entries after the snapshot. */
  readonly log: ReadonlyArray<LogEntry>
}

const snapshotIndex = (m: ModelState) => m.snapshot?.lastIncludedIndex ?? 0
const nextIndex = (m: ModelState) => snapshotIndex(m) + m.log.length + 1
const lastTerm = (m: ModelState) => m.log.at(-1)?.term ?? m.snapshot?.lastIncludedTerm ?? 0
const termAt = (m: ModelState, index: number): number | undefined =>
  index === snapshotIndex(m) ? m.snapshot?.lastIncludedTerm : m.log[index - snapshotIndex(m) - 1]?.term

const render = (m: ModelState): string =>
  JSON.stringify({
    hardState: m.hardState,
    snapshot: m.snapshot && [m.snapshot.lastIncludedIndex, m.snapshot.lastIncludedTerm, [...m.snapshot.data]],
    log: describeEntries(m.log)
  })

/** The abstract commands fast-check generates; each is made concrete against the model's state. */
type Command =
  | { readonly kind: "append"; readonly counts: ReadonlyArray<number>; readonly newTerm: boolean }
  | { readonly kind: "truncate"; readonly back: number }
  | { readonly kind: "hardState"; readonly bump: number; readonly vote: string | null }
  | { readonly kind: "snapshot"; readonly back: number; readonly variant: "own" | "conflicting" | "ahead" }

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("append" as const), counts: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), newTerm: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("truncate" as const), back: fc.integer({ min: 0, max: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("hardState" as const), bump: fc.integer({ min: 0, max: 2 }), vote: fc.constantFrom(null, "n1", "n2", "n3") }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("snapshot" as const), back: fc.integer({ min: 0, max: 8 }), variant: fc.constantFrom("own" as const, "conflicting" as const, "ahead" as const) }) }
)

/** A concrete step: the engine calls to make (concurrently), and the states a crash in them may leave. */
interface Step {
  readonly calls: ReadonlyArray<(storage: ReturnType<typeof makeDurableStorage>) => Effect.Effect<void, unknown>>
  /** `outcomes[k]`: the state once the first k calls are acknowledged. */
  readonly after: (acknowledged: number) => ModelState
  /** Every state a crash during the step may leave, given how many calls were acknowledged. */
  readonly crashStates: (acknowledged: number) => ReadonlyArray<ModelState>
}

const prefixes = (base: ModelState, added: ReadonlyArray<LogEntry>, from: number): Array<ModelState> =>
  Array.from({ length: added.length - from + 1 }, (_, k) => ({ ...base, log: [...base.log, ...added.slice(0, from + k)] }))

const concretize = (m: ModelState, c: Command): Step | undefined => {
  switch (c.kind) {
    case "append": {
      const term = Math.max(1, lastTerm(m) + (c.newTerm ? 1 : 0))
      const groups: Array<Array<LogEntry>> = []
      let next = nextIndex(m)
      for (const count of c.counts) {
        groups.push(Array.from({ length: count }, (_, i) => entry(next + i, term, `v${next + i}.${term}`)))
        next += count
      }
      const all = groups.flat()
      const acknowledgedEntries = (k: number) => groups.slice(0, k).flat().length
      return {
        calls: groups.map((group) => (s) => s.append(group)),
        after: (k) => ({ ...m, log: [...m.log, ...all.slice(0, acknowledgedEntries(k))] }),
        crashStates: (k) => prefixes(m, all, acknowledgedEntries(k))
      }
    }
    case "truncate": {
      const index = Math.max(snapshotIndex(m) + 1, nextIndex(m) - c.back)
      const keep = index - snapshotIndex(m) - 1
      const cut = (length: number): ModelState => ({ ...m, log: m.log.slice(0, length) })
      return {
        calls: [(s) => s.truncateFrom(index)],
        after: (k) => (k === 0 ? m : cut(keep)),
        crashStates: (k) =>
          k === 1 ? [cut(keep)] : Array.from({ length: Math.max(0, m.log.length - keep) + 1 }, (_, i) => cut(keep + i))
      }
    }
    case "hardState": {
      const hardState = { currentTerm: m.hardState.currentTerm + c.bump, votedFor: c.vote }
      const saved = { ...m, hardState }
      return { calls: [(s) => s.saveHardState(hardState)], after: (k) => (k === 0 ? m : saved), crashStates: (k) => (k === 0 ? [m, saved] : [saved]) }
    }
    case "snapshot": {
      const last = nextIndex(m) - 1
      let index: number
      let term: number | undefined
      if (c.variant === "ahead") {
        index = last + 1 + (c.back % 3)
        term = lastTerm(m) + 1
      } else {
        index = Math.max(snapshotIndex(m), last - c.back)
        term = termAt(m, index)
        if (c.variant === "conflicting") {
          if (index === snapshotIndex(m) || term === undefined) return undefined
          term += 1
        }
      }
      if (index < 1 || term === undefined) return undefined
      const snapshot: Snapshot = { lastIncludedIndex: index, lastIncludedTerm: term, data: new Uint8Array([index % 256, term % 256]) }
      const continues = termAt(m, index) === term
      const saved: ModelState = {
        ...m,
        snapshot,
        log: continues ? m.log.filter((e) => e.index > index) : []
      }
      return { calls: [(s) => s.saveSnapshot(snapshot)], after: (k) => (k === 0 ? m : saved), crashStates: (k) => (k === 0 ? [m, saved] : [saved]) }
    }
  }
}

const initial: ModelState = { hardState: { currentTerm: 0, votedFor: null }, snapshot: null, log: [] }

const isPowerFailure = (cause: unknown): boolean => String(cause).includes("simulated power failure")

const recoveredState = (disk: SimulatedDisk, segmentBytes: number) =>
  Effect.gen(function* () {
    const storage = makeDurableStorage(disk, DATA, { segmentBytes })
    const recovered = yield* storage.recover()
    return { storage, state: { hardState: recovered.hardState, snapshot: recovered.snapshot, log: recovered.entries } as ModelState }
  })

/**
 * Runs the commands; with `powerFailsAfter` set, the power fails after that many disk operations and
 * the run stops at the first failed step. Returns the states a crash now may leave, and the op count.
 */
const runCommands = async (
  disk: SimulatedDisk,
  commands: ReadonlyArray<Command>,
  segmentBytes: number,
  powerFailsAfter: number | undefined
): Promise<{ allowed: ReadonlyArray<ModelState>; operations: number }> => {
  const storage = makeDurableStorage(disk, DATA, { segmentBytes })
  await run(storage.recover())
  const start = disk.mutations
  if (powerFailsAfter !== undefined) disk.powerFailAfter(powerFailsAfter)
  let model = initial
  for (const c of commands) {
    const step = concretize(model, c)
    if (step === undefined) continue
    const exits = await run(Effect.all(step.calls.map((call) => Effect.exit(call(storage))), { concurrency: "unbounded" }))
    const acknowledged = exits.findIndex(Exit.isFailure)
    if (acknowledged === -1) {
      model = step.after(exits.length)
      continue
    }
    // Calls complete in order: none after the first failure may have succeeded.
    expect(exits.slice(acknowledged).every(Exit.isFailure)).toBe(true)
    const failure = exits[acknowledged]
    expect(Exit.isFailure(failure) && isPowerFailure(failure.cause), `unexpected failure: ${String(failure)}`).toBe(true)
    return { allowed: step.crashStates(acknowledged), operations: disk.mutations - start }
  }
  return { allowed: [model], operations: disk.mutations - start }
}

describe("crash consistency against a model", () => {
  it("recovers every acknowledged change and an all-or-prefix of the one in flight", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 1, maxLength: 25 }),
        // Where the power fails, as a fraction of the disk operations the commands perform (1 = never).
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 40, max: 400 }),
        // How much of each file's unsynced appended bytes reaches the medium anyway, in thousandths
        // (taken in turn per file); absent: none.
        fc.option(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 6 }), { nil: undefined }),
        async (commands, crashPoint, segmentBytes, survival) => {
          const { operations } = await runCommands(new SimulatedDisk(), commands, segmentBytes, undefined)
          const disk = new SimulatedDisk()
          const { allowed } = await runCommands(disk, commands, segmentBytes, Math.floor((operations * crashPoint) / 1000))
          let turn = 0
          disk.crash(survival && ((_file, unsynced) => Math.floor((unsynced * survival[turn++ % survival.length]) / 1000)))
          const { storage: restarted, state } = await run(recoveredState(disk, segmentBytes))
          expect(allowed.map(render)).toContain(render(state))

          // The repaired directory takes new entries where the recovered log ends, and keeps them.
          const next = nextIndex(state)
          const more = [entry(next, lastTerm(state) + 1, "after"), entry(next + 1, lastTerm(state) + 1, "after")]
          await run(restarted.append(more))
          disk.crash()
          const { state: final } = await run(recoveredState(disk, segmentBytes))
          expect(render(final)).toBe(render({ ...state, log: [...state.log, ...more] }))
        }
      ),
      propertySettings("storage crash consistency", 300)
    )
  })
})

/** Shared pieces of the storage tests: entries, running effects, property-test settings. */
import { Effect } from "effect"
import type { DurableStorageService, StorageStats } from "../../../src/runtime/storage/durable-storage.ts"
import type { LogEntry } from "../../../src/runtime/storage/persistent-state.ts"

export const entry = (index: number, term = 1, text = `command ${index}`): LogEntry => ({
  index,
  term,
  data: new TextEncoder().encode(text)
})

export const entries = (from: number, to: number, term = 1): Array<LogEntry> =>
  Array.from({ length: to - from + 1 }, (_, i) => entry(from + i, term))

/** What a test compares: indexes, terms and payload text, not object identity. */
export const describeEntries = (log: ReadonlyArray<LogEntry>): Array<string> =>
  log.map((e) => `${e.index}/${e.term}/${new TextDecoder().decode(e.data)}`)

/** Appends entries 1..count, one append call each, all at once; returns what it cost. */
export const appendConcurrently = async (storage: DurableStorageService, count: number): Promise<StorageStats> => {
  const before = storage.stats()
  await run(Effect.all(entries(1, count).map((e) => storage.append([e])), { concurrency: "unbounded" }))
  const after = storage.stats()
  return { records: after.records - before.records, batches: after.batches - before.batches, fsyncs: after.fsyncs - before.fsyncs }
}

export const run = <A, E>(effect: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(effect)

/** Runs an effect expected to fail and returns its error; rejects if it succeeds. */
export const failureOf = <A, E>(effect: Effect.Effect<A, E>): Promise<E> =>
  Effect.runPromise(Effect.flip(effect).pipe(Effect.mapError((value) => new Error(`expected a failure, got ${String(value)}`))))

/**
 * fast-check settings: RAFT_TLA_RUNS sets the number of runs (default `defaultRuns`), RAFT_TLA_SEED
 * replays a seed. The seed is printed so any run can be reproduced; on failure fast-check also prints
 * the seed, the path and the shrunk counterexample.
 */
export const propertySettings = (name: string, defaultRuns: number): { seed: number; numRuns: number } => {
  const numRuns = Number(process.env.RAFT_TLA_RUNS ?? defaultRuns)
  const seed = process.env.RAFT_TLA_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.RAFT_TLA_SEED)
  console.log(`[${name}] fast-check seed=${seed} runs=${numRuns} (replay: RAFT_TLA_SEED=${seed})`)
  return { seed, numRuns }
}

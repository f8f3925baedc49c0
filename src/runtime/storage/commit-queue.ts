/**
 * Group commit: callers queue operations; whoever holds the writer lock runs everything queued so far
 * as one batch, so the operations that arrive while an fsync is in flight share the next one.
 *
 * There is no background writer: each caller queues its operation, then takes the lock and drains the
 * queue. A caller whose operation an earlier holder already ran finds an empty queue and just collects
 * its result. Operations run in the order they were queued, whatever the batch boundaries.
 */
import { Deferred, Effect, Exit, Semaphore } from "effect"
import type { StorageError } from "./storage-error.ts"

export interface CommitQueue<Op> {
  /** Queues `op` and completes once a batch holding it has run. */
  readonly submit: (op: Op) => Effect.Effect<void, StorageError>
}

/**
 * `runBatch` receives the queued operations in order and returns one outcome per operation (undefined
 * for success). It runs uninterruptibly: a batch is never abandoned half-written with callers waiting.
 */
export const makeCommitQueue = <Op>(
  runBatch: (batch: ReadonlyArray<Op>) => Effect.Effect<ReadonlyArray<StorageError | undefined>>
): CommitQueue<Op> => {
  const queued: Array<{ readonly op: Op; readonly outcome: Deferred.Deferred<void, StorageError> }> = []
  const writer = Semaphore.makeUnsafe(1)

  const drain = Effect.suspend(() => {
    const batch = queued.splice(0)
    if (batch.length === 0) return Effect.void
    return Effect.exit(runBatch(batch.map(({ op }) => op))).pipe(
      Effect.map((exit) =>
        batch.forEach(({ outcome }, i) => {
          // A defect in the batch reaches every caller of it, not only the one holding the lock.
          if (Exit.isFailure(exit)) return Deferred.doneUnsafe(outcome, Effect.failCause(exit.cause))
          const error = exit.value[i]
          Deferred.doneUnsafe(outcome, error === undefined ? Effect.void : Effect.fail(error))
        })
      )
    )
  })

  return {
    submit: (op) =>
      Effect.suspend(() => {
        const outcome = Deferred.makeUnsafe<void, StorageError>()
        queued.push({ op, outcome })
        return writer.withPermit(Effect.uninterruptible(drain)).pipe(Effect.andThen(Deferred.await(outcome)))
      })
  }
}

/**
 * Group commit: callers queue changes, and one of them at a time — the leader — runs everything queued
 * so far as one batch, so the changes that arrive while an fsync is in flight share the next one.
 *
 * The scheme is the writer queue of LevelDB's DBImpl::Write: the caller that finds no leader becomes
 * it; when its batch is done it hands leadership to the oldest waiting caller (if any) and returns, so no
 * caller keeps writing other callers' batches for ever. A new leader first yields once, letting callers
 * that are ready to queue do so, which fills its batch. Changes run in the order they were queued.
 *
 * A queued change always runs: waiting for it is uninterruptible, since the write may already be on its
 * way to the disk and a leader must not vanish with callers waiting on it.
 */
import { Deferred, Effect, Exit } from "effect"
import type { StorageError } from "./storage-error.ts"

export interface CommitQueue<Op> {
  /** Queues `op` and completes once the batch holding it has run. */
  readonly submit: (op: Op) => Effect.Effect<void, StorageError>
}

/** What a waiting caller is told: its change's outcome, or that it now leads. */
type Signal = { readonly lead: true } | { readonly lead: false; readonly outcome: Exit.Exit<void, StorageError> }

interface Queued<Op> {
  readonly op: Op
  readonly signal: Deferred.Deferred<Signal>
}

/**
 * `runBatch` receives the queued changes in order and returns one outcome per change (undefined for
 * success). A defect in it fails every change of the batch.
 */
export const makeCommitQueue = <Op>(
  runBatch: (batch: ReadonlyArray<Op>) => Effect.Effect<ReadonlyArray<StorageError | undefined>>
): CommitQueue<Op> => {
  const queue: Array<Queued<Op>> = []
  let leading = false

  const lead = (self: Queued<Op>): Effect.Effect<Exit.Exit<void, StorageError>> =>
    Effect.gen(function* () {
      yield* Effect.yieldNow
      const batch = queue.splice(0)
      const result = yield* Effect.exit(runBatch(batch.map(({ op }) => op)))
      let own: Exit.Exit<void, StorageError> = Exit.void
      batch.forEach((queued, i) => {
        const error = Exit.isSuccess(result) ? result.value[i] : undefined
        const outcome: Exit.Exit<void, StorageError> = Exit.isFailure(result)
          ? Exit.failCause(result.cause)
          : error === undefined
            ? Exit.void
            : Exit.fail(error)
        if (queued === self) own = outcome
        else Deferred.doneUnsafe(queued.signal, Effect.succeed({ lead: false, outcome }))
      })
      if (queue.length > 0) Deferred.doneUnsafe(queue[0].signal, Effect.succeed({ lead: true }))
      else leading = false
      return own
    })

  return {
    submit: (op) =>
      Effect.uninterruptible(
        Effect.suspend(() => {
          const self: Queued<Op> = { op, signal: Deferred.makeUnsafe<Signal>() }
          queue.push(self)
          if (!leading) {
            leading = true
            return lead(self)
          }
          return Deferred.await(self.signal).pipe(Effect.flatMap((signal) => (signal.lead ? lead(self) : Effect.succeed(signal.outcome))))
        })
      ).pipe(Effect.flatMap((outcome) => outcome))
  }
}

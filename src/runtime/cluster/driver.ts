/**
 * Drives a cluster from outside Effect, one command at a time (as fast-check's asyncModelRun does),
 * in a runtime of its own: a TestClock, and a Random seeded by the run's seed. `runScript` runs a
 * whole script and stops at the first failure.
 */
import { Effect, Exit, Layer, ManagedRuntime, Random, Scope } from "effect"
import { TestClock } from "effect/testing"
import { Cluster, type ClusterOptions } from "./cluster.ts"
import type { ClientOperation } from "./clients.ts"
import { ClusterRecorder, type Failure, type StepObserver } from "./recorder.ts"
import type { Script, ScriptCommand } from "./script.ts"

export interface RunSetup {
  readonly cluster: ClusterOptions
  /** Seeds election timeouts and the clocked network's delays and faults. */
  readonly seed: number
  readonly observers: ReadonlyArray<StepObserver>
  /** Receives the trace, header first, when given. */
  readonly traceLine?: (line: string) => void
  /** The header's `source` field: what produced the run. */
  readonly source?: Record<string, unknown>
}

export interface RunSummary {
  readonly failure: Failure | null
  /** Spec steps taken. */
  readonly steps: number
  /** Simulated time the run covered (ms). */
  readonly elapsedMs: number
  readonly history: ReadonlyArray<ClientOperation>
}

const seededRandom = (seed: number): Random.Random =>
  Effect.runSync(
    Effect.gen(function* () {
      return yield* Random.Random
    }).pipe(Random.withSeed(seed))
  )

export class ClusterDriver {
  private constructor(
    private readonly runtime: ManagedRuntime.ManagedRuntime<TestClock.TestClock, never>,
    private readonly scope: Scope.Closeable,
    readonly cluster: Cluster
  ) {}

  static async start(setup: RunSetup): Promise<ClusterDriver> {
    const runtime = ManagedRuntime.make(
      // The warning delay is also how long the clock waits for woken fibers; a slow machine must
      // never cut that wait short, or runs would stop being reproducible.
      Layer.mergeAll(TestClock.layer({ warningDelay: "1 hour" }), Layer.succeed(Random.Random, seededRandom(setup.seed)))
    )
    const recorder = new ClusterRecorder(Cluster.configOf(setup.cluster), setup.observers, setup.traceLine)
    const scope = await runtime.runPromise(Scope.make())
    if (setup.traceLine) setup.traceLine(recorder.header(setup.source ?? {}))
    const cluster = await runtime.runPromise(Cluster.start(setup.cluster, recorder, scope))
    return new ClusterDriver(runtime, scope, cluster)
  }

  get failure(): Failure | null {
    return this.cluster.recorder.failure
  }

  /** Carries out one command and its consequences; returns the first failure of the run so far. */
  async execute(command: ScriptCommand): Promise<Failure | null> {
    if (this.failure !== null) return this.failure
    await this.runtime.runPromise(this.cluster.execute(command))
    // No run here injects disk faults, so a node stopped by its storage is a defect of the runtime.
    const fatal = this.cluster.fatal()
    if (fatal !== null) throw new Error(fatal)
    return this.failure
  }

  async summary(): Promise<RunSummary> {
    const recorder = this.cluster.recorder
    const now = await this.runtime.runPromise(TestClock.testClockWith((clock) => Effect.succeed(clock.currentTimeMillisUnsafe())))
    return {
      failure: recorder.failure,
      steps: recorder.seq,
      elapsedMs: now,
      history: this.cluster.clients.history()
    }
  }

  async close(): Promise<void> {
    await this.runtime.runPromise(Scope.close(this.scope, Exit.void))
    await this.runtime.dispose()
  }
}

export interface ScriptRun extends RunSummary {
  /** How many commands ran: up to and including the one that failed. */
  readonly executed: number
}

export const runScript = async (setup: RunSetup, script: Script): Promise<ScriptRun> => {
  const driver = await ClusterDriver.start(setup)
  try {
    let executed = 0
    for (const command of script) {
      executed++
      if ((await driver.execute(command)) !== null) break
    }
    return { ...(await driver.summary()), executed }
  } finally {
    await driver.close()
  }
}

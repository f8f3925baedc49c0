/**
 * Model-based testing of a cluster with fast-check (`fc.commands` run by `fc.asyncModelRun`).
 * Each generated command is a script command; the model tracks just enough to keep commands
 * meaningful (which servers are down, whether a partition is on). After each command the run's
 * checks have looked at every step it took; a failure stops the run and fast-check shrinks it.
 *
 * Two families: `faultCommands` drive a network by hand (deliver, drop, duplicate, reorder,
 * partition, crash, snapshot, lag; clients submit commands and read outside the log) for the safety checks; `healthyCommands` only let time pass and
 * clients work over a clocked network without faults, for the liveness check.
 */
import fc from "fast-check"
import type { ServerId } from "../../raft/index.ts"
import type { KvOperation } from "../kv-command.ts"
import type { ClusterDriver } from "./driver.ts"
import type { Failure } from "./recorder.ts"
import { describeCommand, type ScriptCommand } from "./script.ts"

export interface ClusterModel {
  readonly down: Set<ServerId>
  partitioned: boolean
}

/** The system under test: the driver, and the commands run on it so far (the failing path). */
export interface ClusterUnderTest {
  readonly driver: ClusterDriver
  readonly executed: Array<ScriptCommand>
}

/** Thrown by a command whose steps a check rejected; carries the check's finding. */
export class CheckFailed extends Error {
  constructor(readonly failure: Failure) {
    super(`${failure.check} check failed${failure.seq === null ? "" : ` at step ${failure.seq}`}: ${failure.detail}`)
  }
}

class ScriptedCommand implements fc.AsyncCommand<ClusterModel, ClusterUnderTest> {
  constructor(readonly command: ScriptCommand) {}

  check(model: Readonly<ClusterModel>): boolean {
    switch (this.command.do) {
      case "crash":
        return !model.down.has(this.command.server)
      case "partition":
        return !model.partitioned
      case "heal":
        return model.partitioned
      default:
        return true
    }
  }

  async run(model: ClusterModel, real: ClusterUnderTest): Promise<void> {
    const command = this.command
    if (command.do === "crash") model.down.add(command.server)
    if (command.do === "restart") model.down.delete(command.server)
    if (command.do === "partition") model.partitioned = true
    if (command.do === "heal") model.partitioned = false
    real.executed.push(command)
    const failure = await real.driver.execute(command)
    if (failure !== null) throw new CheckFailed(failure)
  }

  toString(): string {
    return describeCommand(this.command)
  }
}

const scripted = (arbitrary: fc.Arbitrary<ScriptCommand>) => arbitrary.map((command) => new ScriptedCommand(command))

const KEYS = ["x", "y"]
const VALUES = ["a", "b", "c"]
const CLIENTS = ["c1", "c2", "c3"]

const kvOperation: fc.Arbitrary<KvOperation> = fc.oneof(
  fc.record({ f: fc.constant("put" as const), key: fc.constantFrom(...KEYS), value: fc.constantFrom(...VALUES) }),
  fc.record({ f: fc.constant("append" as const), key: fc.constantFrom(...KEYS), value: fc.constantFrom(...VALUES) }),
  fc.record({ f: fc.constant("get" as const), key: fc.constantFrom(...KEYS) }),
  fc.record({
    f: fc.constant("cas" as const),
    key: fc.constantFrom(...KEYS),
    expected: fc.constantFrom(null, ...VALUES),
    value: fc.constantFrom(...VALUES)
  })
)

const submit = fc.record({ do: fc.constant("submit" as const), client: fc.constantFrom(...CLIENTS), op: kvOperation })

/** A get served by the leader outside the log (ReadIndex). */
const read = fc.record({ do: fc.constant("read" as const), client: fc.constantFrom(...CLIENTS), key: fc.constantFrom(...KEYS) })

export interface CommandWeights {
  /** How often a server compacts or is made to lag behind a snapshot (the snapshot-heavy mix raises it). */
  readonly snapshot: number
}

/** Commands for the safety checks, over servers s1..s`servers`, with the network driven by hand. */
export const faultCommands = (servers: ReadonlyArray<ServerId>, weights: CommandWeights = { snapshot: 1 }) => {
  const server = fc.constantFrom(...servers)
  const nth = fc.nat({ max: 7 })
  // A shuffle of the servers cut into one or two groups; the servers after them are the rest.
  const groups = fc
    .tuple(fc.shuffledSubarray([...servers], { minLength: servers.length, maxLength: servers.length }), fc.nat(), fc.nat())
    .map(([order, first, second]) => {
      const cut = 1 + (first % (servers.length - 1))
      const end = cut + (second % (servers.length - cut + 1))
      return end > cut ? [order.slice(0, cut), order.slice(cut, end)] : [order.slice(0, cut)]
    })
  const command: fc.Arbitrary<ScriptCommand> = fc.oneof(
    { weight: 2, arbitrary: fc.record({ do: fc.constant("tick" as const), ms: fc.constantFrom(20, 60, 160, 320) }) },
    { weight: 3, arbitrary: fc.record({ do: fc.constant("timeout" as const), server }) },
    { weight: 8, arbitrary: fc.record({ do: fc.constant("deliver" as const), select: fc.record({ nth }) }) },
    { weight: 5, arbitrary: fc.record({ do: fc.constant("deliver" as const), all: fc.constant(true) }) },
    {
      weight: 2,
      arbitrary: fc.record({ do: fc.constant("deliver" as const), select: fc.record({ to: server }), all: fc.constant(true) })
    },
    { weight: 2, arbitrary: fc.record({ do: fc.constant("drop" as const), select: fc.record({ nth }) }) },
    { weight: 2, arbitrary: fc.record({ do: fc.constant("duplicate" as const), select: fc.record({ nth }) }) },
    { weight: 1, arbitrary: fc.constant({ do: "reorder" as const }) },
    { weight: 5, arbitrary: submit },
    { weight: 2, arbitrary: read },
    { weight: 2, arbitrary: fc.record({ do: fc.constant("retry" as const), client: fc.constantFrom(...CLIENTS) }) },
    { weight: 2, arbitrary: fc.record({ do: fc.constant("crash" as const), server }) },
    { weight: 2, arbitrary: fc.record({ do: fc.constant("restart" as const), server }) },
    { weight: 1, arbitrary: fc.record({ do: fc.constant("partition" as const), groups }) },
    { weight: 1, arbitrary: fc.constant({ do: "heal" as const }) },
    { weight: 2 * weights.snapshot, arbitrary: fc.record({ do: fc.constant("snapshot" as const), server }) },
    {
      weight: weights.snapshot,
      arbitrary: fc.record({ do: fc.constant("lag" as const), server, entries: fc.integer({ min: 1, max: 3 }) })
    }
  )
  return [scripted(command)]
}

/** Commands for the liveness check: time passes and clients work, nothing fails. */
export const healthyCommands = () => {
  const command: fc.Arbitrary<ScriptCommand> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ do: fc.constant("tick" as const), ms: fc.integer({ min: 20, max: 600 }) }) },
    { weight: 1, arbitrary: submit }
  )
  return [scripted(command)]
}

export const initialModel = (): ClusterModel => ({ down: new Set(), partitioned: false })

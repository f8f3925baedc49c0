/**
 * `raft-tla cluster test`: the failure test on real processes (src/cluster/harness). Exit 0 when
 * every check passes, 1 when one fails (the history and, for a non-linearizable one, its timeline
 * are in the output directory), 2 on bad flags.
 */
import { existsSync, mkdtempSync, readdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { Console, Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { FAULT_KINDS } from "../../cluster/harness/fault-schedule.ts"
import { BUG_NAMES } from "../../raft/index.ts"
import { InputError, ViolationFound } from "../exit.ts"
import { attempt, load } from "./cluster-flag.ts"

/** Slower timers and clients that pause: a traced run takes fewer steps, and its trace stays small. */
const TRACED = { thinkMs: 100, timing: { electionTimeout: [600, 1200] as const, heartbeatInterval: 150 } }

export const clusterTestCommand = Command.make(
  "test",
  {
    duration: Flag.Finite("duration").pipe(Flag.withDescription("Seconds of load under faults before the checks (default 30)"), Flag.withDefault(30)),
    seed: Flag.Int("seed").pipe(Flag.optional, Flag.withDescription("Seed of the fault schedule and the clients' commands (default: random, printed)")),
    clients: Flag.Int("clients").pipe(Flag.withDescription("Concurrent clients (default 8)"), Flag.withDefault(8)),
    nodes: Flag.Int("nodes").pipe(Flag.withDescription("Nodes, 3 to 7 (default 3)"), Flag.withDefault(3)),
    out: Flag.String("out").pipe(
      Flag.optional,
      Flag.withDescription("A new or empty directory for the nodes' data and logs, history.json, timeline.html on failure, trace.ndjson (default: a new temporary directory)")
    ),
    bug: Flag.Literals("bug", BUG_NAMES).pipe(Flag.optional, Flag.withDescription("Switch this bug of the catalogue on in every node, to see the checks fail")),
    trace: Flag.Boolean("trace").pipe(
      Flag.withDefault(false),
      Flag.withDescription(
        "Nodes log their spec steps and the logs are merged into OUT/trace.ndjson for `raft-tla validate`; clients pause 100 ms between commands and heartbeats are 150 ms apart, to keep it small (use a short --duration)"
      )
    )
  },
  (flags) =>
    Effect.gen(function* () {
      if (!(flags.duration >= 1 && flags.duration <= 24 * 3600)) return yield* new InputError({ message: `--duration ${flags.duration}: from 1 s to a day` })
      if (!(flags.clients >= 1 && flags.clients <= 256)) return yield* new InputError({ message: `--clients ${flags.clients}: from 1 to 256` })
      if (!(flags.nodes >= 3 && flags.nodes <= 7)) return yield* new InputError({ message: `--nodes ${flags.nodes}: from 3 to 7` })
      const seed = Option.getOrElse(flags.seed, () => Math.floor(Math.random() * 2 ** 31))
      const workDir = Option.match(flags.out, { onNone: () => mkdtempSync(join(tmpdir(), `raft-tla-cluster-test-${seed}-`)), onSome: (out) => resolve(out) })
      // Nodes would come back from an earlier run's data and its step logs would be merged in.
      if (existsSync(workDir) && readdirSync(workDir).length > 0) {
        return yield* new InputError({ message: `--out ${workDir}: not empty; the failure test needs a new or empty directory` })
      }
      const { runFailureTest } = yield* load(() => import("../../cluster/harness/harness.ts"))
      const report = yield* attempt(() =>
        runFailureTest({
          seed,
          durationMs: flags.duration * 1000,
          clients: flags.clients,
          nodes: flags.nodes,
          workDir,
          bugs: Option.toArray(flags.bug),
          trace: flags.trace,
          ...(flags.trace ? TRACED : {}),
          log: (line) => console.log(line)
        })
      )
      const { operations } = report
      const lines = [
        `faults: ${report.faults.length} (${[...new Set(report.faults.map((fault) => fault.kind))].length} of ${FAULT_KINDS.length} kinds)`,
        `operations: ${operations.total} (${operations.answered} answered, ${operations.open} without an answer when the clients stopped)`,
        ...report.checks.map((check) => `${check.ok ? "ok  " : "FAIL"}  ${check.name}: ${check.detail}`),
        `history: ${report.historyFile}`,
        ...(report.timelineFile === null ? [] : [`timeline: ${report.timelineFile}`]),
        ...(report.trace === null ? [] : [`trace: ${report.trace.file} (${report.trace.steps} steps; check it with raft-tla validate)`]),
        report.ok ? `passed (seed ${seed})` : `FAILED (seed ${seed}; run again with --seed ${seed})`
      ]
      yield* Console.log(lines.join("\n"))
      if (!report.ok) return yield* new ViolationFound({ summary: `failure test seed ${seed}` })
    })
).pipe(
  Command.withDescription(
    "Failure test on real processes: clients write and read while the leader and a follower are killed (kill -9) and restarted, nodes paused (SIGSTOP) and links cut or slowed through loopback proxies; then checks acknowledged writes, linearizability (lincheck) and log agreement. Exit 0 passed, 1 a check failed"
  )
)

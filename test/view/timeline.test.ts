/**
 * The viewer's timeline against the raw trace it was built from: every message copy, lane,
 * commit, crash and partition the trace records is drawn, and nothing else.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { buildTimeline } from "../../src/cli/view.ts"
import type { Timeline } from "../../src/cli/view/timeline.ts"
import { Simulator } from "../../src/sim/simulator.ts"
import { eventfulOptions, writeSimulatorTrace } from "./fixtures.ts"

const scratch = mkdtempSync(join(tmpdir(), "raft-tla-view-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

interface RawStep {
  seq: number
  action: string
  params: { i?: { $mv: string }; m?: { msource: { $mv: string }; mdest: { $mv: string } } }
  msgId?: number
  sent?: Array<number>
  partition?: Array<string>
  state: Record<string, { $fn: Array<[{ $mv: string }, unknown]> }>
}

const { file, lines } = writeSimulatorTrace(scratch, 1, 400)
const raw: Array<RawStep> = lines.slice(1).map((line) => JSON.parse(line))
const at = (step: RawStep, variable: string, server: string): unknown => step.state[variable].$fn.find(([k]) => k.$mv === server)![1]
const consumes = (step: RawStep) => step.msgId !== undefined && step.action !== "UpdateTerm" && step.action !== "DuplicateMessage"

const build = (from: number | undefined, steps: number): Promise<Timeline> => buildTimeline({ trace: file, from, steps, failure: undefined })

describe("the viewer's timeline of a simulator trace", () => {
  it("has every kind of event in its fixture", () => {
    for (const action of ["Restart", "DropMessage", "DuplicateMessage", "TakeSnapshot", "HandleInstallSnapshotRequest", "AdvanceCommitIndex"]) {
      expect(raw.some((s) => s.action === action), action).toBe(true)
    }
    expect(raw.some((s) => s.partition !== undefined)).toBe(true)
  })

  it("draws each message copy from the step that sent it to the step that consumed it", async () => {
    const t = await build(undefined, 1000)
    expect([t.first, t.last, t.total]).toEqual([1, 400, 400])
    const byId = new Map(t.arrows.map((a) => [a.id, a]))
    expect(byId.size).toBe(t.arrows.length)
    const sentAt = new Map<number, number>()
    for (const step of raw) for (const id of step.sent ?? []) sentAt.set(id, step.seq)
    for (const step of raw.filter(consumes)) {
      const arrow = byId.get(step.msgId!)
      expect(arrow, `message ${step.msgId} consumed at step ${step.seq}`).toBeDefined()
      expect(arrow).toMatchObject({
        sentAt: sentAt.get(step.msgId!),
        endAt: step.seq,
        end: step.action === "DropMessage" ? "dropped" : "received",
        source: step.params.m!.msource.$mv,
        dest: step.params.m!.mdest.$mv
      })
    }
    const consumed = new Set(raw.filter(consumes).map((s) => s.msgId))
    const pending = [...sentAt.keys()].filter((id) => !consumed.has(id))
    expect(t.arrows.filter((a) => a.end === "in flight").map((a) => a.id).sort((a, b) => a - b)).toEqual(pending.sort((a, b) => a - b))
    expect(t.arrows).toHaveLength(sentAt.size)
    for (const step of raw.filter((s) => s.action === "DuplicateMessage")) {
      expect(byId.get(step.sent![0])?.copyOf).toBe(step.msgId)
    }
  })

  it("colours each lane by the role and term the server has after each step", async () => {
    const t = await build(undefined, 1000)
    for (const server of t.servers) {
      const segments = t.segments.filter((s) => s.server === server).sort((a, b) => a.from - b.from)
      expect(segments[0].from).toBe(1)
      expect(segments[segments.length - 1].to).toBe(400)
      segments.slice(1).forEach((segment, k) => expect(segment.from).toBe(segments[k].to + 1))
      for (const step of raw) {
        const segment = segments.find((s) => s.from <= step.seq && step.seq <= s.to)!
        expect({ seq: step.seq, role: segment.role, term: segment.term }).toEqual({
          seq: step.seq,
          role: at(step, "state", server),
          term: at(step, "currentTerm", server)
        })
      }
    }
  })

  it("marks crashes, commits, snapshots and partitions where the trace has them", async () => {
    const t = await build(undefined, 1000)
    const marks = (kind: string) => t.marks.filter((m) => m.kind === kind).map((m) => `${m.seq}/${m.server}`)
    expect(marks("crash")).toEqual(raw.filter((s) => s.action === "Restart").map((s) => `${s.seq}/${s.params.i!.$mv}`))
    const rises = (variable: string) =>
      raw.flatMap((step, k) =>
        t.servers.filter((server) => (at(step, variable, server) as number) > (k === 0 ? 0 : (at(raw[k - 1], variable, server) as number))).map((server) => `${step.seq}/${server}`)
      )
    expect(marks("commit").sort()).toEqual(rises("commitIndex").sort())
    expect(marks("snapshot").sort()).toEqual(rises("snapshotIndex").sort())
    const partitioned = raw.filter((s) => s.partition !== undefined).map((s) => s.seq)
    expect(t.partitions.flatMap((band) => Array.from({ length: band.to - band.from + 1 }, (_, k) => band.from + k))).toEqual(partitioned)
    for (const band of t.partitions) expect(band.servers).toEqual(raw[band.from - 1].partition)
  })

  it("draws only a window of steps, with messages from before it coming in from the top", async () => {
    const t = await build(150, 50)
    expect([t.first, t.last, t.total, t.steps.length]).toEqual([150, 199, 400, 50])
    expect(t.steps.map((s) => s.seq)).toEqual(Array.from({ length: 50 }, (_, k) => 150 + k))
    const early = raw.filter((s) => consumes(s) && s.seq >= 150 && s.seq < 200 && raw.some((e) => e.seq < 150 && e.sent?.includes(s.msgId!)))
    expect(early.length).toBeGreaterThan(0)
    for (const step of early) expect(t.arrows.find((a) => a.id === step.msgId)).toMatchObject({ sentAt: null, endAt: step.seq })
    for (const arrow of t.arrows) {
      expect(arrow.sentAt === null || (arrow.sentAt >= 150 && arrow.sentAt < 200)).toBe(true)
      expect(arrow.endAt === null || (arrow.endAt >= 150 && arrow.endAt < 200)).toBe(true)
    }
  })

  it("draws the same timeline from the delta trace of the same run", async () => {
    const lines: Array<string> = []
    new Simulator(eventfulOptions(1), (line) => lines.push(line), "delta").run(400)
    expect(JSON.parse(lines[0]).stateMode).toBe("delta")
    const delta = join(scratch, "sim-1-400-delta.ndjson")
    writeFileSync(delta, lines.join("\n") + "\n")
    const withoutHeader = (t: Timeline) => JSON.stringify({ ...t, header: undefined })
    for (const [from, steps] of [[1, 1000], [150, 50]]) {
      const full = await build(from, steps)
      const fromDelta = await buildTimeline({ trace: delta, from, steps, failure: undefined })
      expect(withoutHeader(fromDelta)).toBe(withoutHeader(full))
    }
  })

  it("gives each step its changes, point by point", async () => {
    const t = await build(1, 5)
    const timeout = t.steps.find((s) => s.action === "Timeout")!
    expect(timeout.changes.map((c) => c.path).sort()).toEqual(
      ["currentTerm", "state", "votedFor", "votesGranted"].map((v) => `${v}[${timeout.server}]`).sort()
    )
  })
})

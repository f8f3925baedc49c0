/**
 * Validation a line at a time (IncrementalValidation) reaches the verdicts of validating the whole
 * file, keeps a loaded model only while it is valid, and names bad lines; a model checker's
 * behaviour written as trace steps (nameSteps) validates against its own spec.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { explore, loadTlaSpec, type State } from "../../src/tla/index.ts"
import { IncrementalInputError, IncrementalValidation, nameSteps, stateJson, constantJson } from "../../src/validate/index.ts"
import { check, joinLines, parseLines, raftSpec, setPoint, simulate } from "./traces.ts"

const relay = fileURLToPath(new URL("./specs/Relay.tla", import.meta.url))

const feed = (text: string, name = "run.ndjson") => {
  const [header, ...steps] = text.trimEnd().split("\n")
  const validation = IncrementalValidation.start(header, { spec: raftSpec, name })
  let failedAt: number | undefined
  for (const [k, line] of steps.entries()) {
    if (validation.step(line) !== undefined) {
      failedAt = k + 1
      break
    }
  }
  return { validation, failedAt }
}

describe("IncrementalValidation", () => {
  it("accepts a good trace line by line, as validating the whole file does", () => {
    const text = simulate(11, 400)
    const { validation, failedAt } = feed(text)
    expect(failedAt).toBeUndefined()
    expect(validation.result().steps).toBe(400)
    expect(check(text).steps).toBe(400)
  })

  it("stops at the first step that does not match, and keeps that failure", () => {
    const lines = parseLines(simulate(12, 300))
    const step = lines.find((l, k) => k > 0 && l.action === "Timeout")!
    const i = step.params.i.$mv
    const bad = joinLines(lines.map((l) => (l.seq === step.seq ? { ...l, state: { ...l.state, state: setPoint(l.state.state, i, "Leader") } } : l)))
    const { validation, failedAt } = feed(bad)
    expect(failedAt).toBe(step.seq)
    expect(validation.failure).toMatchObject({ kind: "action", seq: step.seq, action: "Timeout" })
    expect(validation.step(bad.split("\n")[step.seq + 1])).toBe(validation.failure)
    expect(validation.report()).toContain(`run.ndjson: FAILED at step ${step.seq} (line ${step.seq + 1}): Timeout`)
    expect(check(bad).failure).toMatchObject({ kind: "action", seq: step.seq })
  })

  it("loads the model again after another spec was loaded (which starts a new intern table)", () => {
    const text = simulate(13, 200)
    expect(feed(text).failedAt).toBeUndefined()
    loadTlaSpec(relay, { cfgText: "CONSTANTS Node = {a, b}\nCONSTANT Max = 2\n" })
    expect(feed(text).failedAt).toBeUndefined()
    expect(feed(simulate(14, 200, { servers: 5 })).failedAt).toBeUndefined()
    expect(feed(text).failedAt).toBeUndefined()
  })

  it("names the trace, line and column of a line it cannot read", () => {
    const [header, first] = simulate(15, 3).split("\n")
    const validation = IncrementalValidation.start(header, { spec: raftSpec, name: "run.ndjson" })
    const bad = () => validation.step(first.slice(0, 30))
    expect(bad).toThrow(IncrementalInputError)
    const again = IncrementalValidation.start(header, { spec: raftSpec, name: "run.ndjson" })
    expect(() => again.step(first.slice(0, 30))).toThrow(/^run\.ndjson:2:\d+: not JSON/)
    expect(() => IncrementalValidation.start("{}", { spec: raftSpec, name: "run.ndjson" })).toThrow(/^run\.ndjson:1:1: bad header/)
  })
})

describe("nameSteps", () => {
  it("names each step of a model checker's counterexample by its action, and the trace validates", () => {
    // Relay's totals may not pass 5 (Bounded); with Max = 3 the checker soon finds a way past it.
    const spec = loadTlaSpec(relay, { cfgText: "CONSTANTS Node = {a, b}\nCONSTANT Max = 3\nINIT Init\nNEXT Next\nINVARIANT Bounded\n" })
    const result = explore(spec.model)
    expect(result.outcome).toBe("invariant")
    const states = result.trace.map((s) => s.state as State)
    const steps = nameSteps(spec, states, (action) =>
      action === "Send" ? "Node \\X Node \\X (1..Max)" : "{<<m>> : m \\in DOMAIN inbox}"
    )
    expect(steps.map((s) => s.action)).toContain("Receive")
    const header = { format: "tla-trace", version: 1, spec: "Relay.tla", constants: { Node: constantJson(spec, "Node") }, init: stateJson(spec, states[0]) }
    const lines = [header, ...steps.map((s, k) => ({ seq: k + 1, action: s.action, params: s.params, state: stateJson(spec, states[k + 1]) }))]
    const maxThree = join(mkdtempSync(join(tmpdir(), "relay-")), "MaxThree.cfg")
    writeFileSync(maxThree, "CONSTANT Max = 3\n")
    const validation = IncrementalValidation.start(JSON.stringify(header), { spec: relay, config: maxThree, invariants: "none" })
    for (const line of lines.slice(1)) expect(validation.step(JSON.stringify(line))).toBeUndefined()
    // With Max = 2 in Relay.cfg, the step that sends 3 is not one the spec allows.
    const checked = IncrementalValidation.start(JSON.stringify(header), { spec: relay })
    const sendsThree = lines.findIndex((l) => "params" in l && (l.params as { amount?: number }).amount === 3)
    expect(sendsThree).toBeGreaterThan(0)
    for (const line of lines.slice(1, sendsThree)) checked.step(JSON.stringify(line))
    expect(checked.step(JSON.stringify(lines[sendsThree]))).toMatchObject({ kind: "action", action: "Send" })
  })

  it("throws when the arguments it is given cannot take a step", () => {
    const spec = loadTlaSpec(relay, { cfgText: "CONSTANTS Node = {a, b}\nCONSTANT Max = 3\nINIT Init\nNEXT Next\nINVARIANT Bounded\n" })
    const states = explore(spec.model).trace.map((s) => s.state as State)
    expect(() => nameSteps(spec, states, () => "{}")).toThrow(/no action of Next takes step 1/)
  })
})

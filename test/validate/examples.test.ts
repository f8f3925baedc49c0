/**
 * The committed conformance examples (traces/examples) still match spec/Raft.tla, and between them
 * they take every action of its Next.
 */
import { readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Coverage, validateTrace } from "../../src/validate/index.ts"
import { raftSpec } from "./traces.ts"

const dir = fileURLToPath(new URL("../../traces/examples/", import.meta.url))
const files = readdirSync(dir).filter((f) => f.endsWith(".ndjson"))

describe("traces/examples", () => {
  it("has examples", () => {
    expect(files.length).toBeGreaterThanOrEqual(3)
  })

  it("each example matches the spec, and together they take every action", () => {
    let coverage: Coverage | undefined
    for (const file of files) {
      const { result } = validateTrace(join(dir, file), { spec: raftSpec, coverage: (model) => (coverage ??= new Coverage(model.spec.nextDisjuncts())) })
      expect(result.failure && { file, ...result.failure }).toBeUndefined()
    }
    expect(coverage!.report().neverTaken).toEqual([])
  })
})

/**
 * The spec <-> code mapping cannot drift: the actions spec/Raft.tla's Next takes are exactly the
 * core's ActionName list, each is exported as a same-named camelCase transition of src/raft, and
 * the line range each transition's doc comment cites is exactly that action's definition.
 * The pairing is the docs generator's (src/cli/docs/mapping.ts), which also resolves the conjunct
 * tags; test/docs/generator.test.ts shows each of its checks failing on drift.
 */
import { fileURLToPath } from "node:url"
import { beforeAll, describe, expect, it } from "vitest"
import { generateDocs, loadCompiler } from "../../src/cli/docs/generate.ts"
import { camelCase, type Mapping } from "../../src/cli/docs/mapping.ts"
import { readSources } from "../../src/cli/docs/sources.ts"
import * as raft from "../../src/raft/index.ts"
import { ActionName } from "../../src/raft/index.ts"

const root = fileURLToPath(new URL("../../", import.meta.url))
const actions = ActionName.literals

let mapping: Mapping
beforeAll(async () => {
  mapping = generateDocs(await loadCompiler(), readSources(root, "spec/Raft.tla")).mapping
})

describe("spec <-> code mapping", () => {
  it("the actions the spec's Next takes (through Receive) are exactly ActionName", () => {
    expect([...mapping.spec.actions].sort()).toEqual([...actions].sort())
  })

  it.each(actions)("%s is exported as a camelCase function", (action) => {
    expect(typeof (raft as Record<string, unknown>)[camelCase(action)]).toBe("function")
    expect(mapping.actions.find((a) => a.name === action)?.fn?.exported).toBe(true)
  })

  it.each(actions)("%s: the cited line range is the operator's definition", (action) => {
    const paired = mapping.actions.find((a) => a.name === action)!
    const citation = paired.fn?.citation
    expect(citation, `a doc comment in src/raft cites ${action}`).toBeDefined()
    expect({ action, file: citation!.specFile, start: citation!.start, end: citation!.end }).toEqual({
      action,
      file: "spec/Raft.tla",
      start: paired.operator.range.line,
      end: paired.operator.range.endLine
    })
  })
})

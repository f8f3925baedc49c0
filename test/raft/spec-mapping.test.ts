/**
 * The spec <-> code mapping cannot drift: every action of spec/Raft.tla has a same-named camelCase
 * transition in src/raft, and the line range each transition's doc comment cites is exactly that
 * action's definition.
 */
import { readFileSync, readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import * as raft from "../../src/raft/index.ts"
import { ActionName } from "../../src/raft/index.ts"

const root = fileURLToPath(new URL("../../", import.meta.url))
const specLines = readFileSync(`${root}spec/Raft.tla`, "utf8").split("\n")
const actions = ActionName.literals

/** Where each top-level operator is defined: its first line and its last non-blank line (1-based). */
const definitions = (): Map<string, { start: number; end: number }> => {
  const found = new Map<string, { start: number; end: number }>()
  specLines.forEach((line, n) => {
    const head = /^([A-Za-z]\w*)\s*(\([^)]*\))?\s*==/.exec(line)
    if (!head) return
    let end = n
    for (let k = n + 1; k < specLines.length && (specLines[k] === "" || /^\s/.test(specLines[k])); k++) {
      if (specLines[k].trim() !== "") end = k
    }
    found.set(head[1], { start: n + 1, end: end + 1 })
  })
  return found
}

const citations = (): Map<string, { start: number; end: number; file: string }> => {
  const cited = new Map<string, { start: number; end: number; file: string }>()
  const dir = `${root}src/raft/`
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".ts"))) {
    const text = readFileSync(dir + file, "utf8")
    for (const match of text.matchAll(/Spec: (\w+)(\([^)]*\))?, spec\/Raft\.tla lines (\d+)-(\d+)/g)) {
      cited.set(match[1], { start: Number(match[3]), end: Number(match[4]), file })
    }
  }
  return cited
}

const camelCase = (name: string) => name[0].toLowerCase() + name.slice(1)

describe("spec <-> code mapping", () => {
  const defined = definitions()
  const cited = citations()

  it.each(actions)("%s is defined in the spec and exported as a camelCase function", (action) => {
    expect(defined.has(action), `spec/Raft.tla defines ${action}`).toBe(true)
    expect(typeof (raft as Record<string, unknown>)[camelCase(action)]).toBe("function")
  })

  it.each(actions)("%s: the cited line range is the operator's definition", (action) => {
    const citation = cited.get(action)
    expect(citation, `a doc comment in src/raft cites ${action}`).toBeDefined()
    expect({ action, start: citation!.start, end: citation!.end }).toEqual({ action, ...defined.get(action)! })
  })

  it("every action the spec's Next or Receive takes is in the list", () => {
    const used = new Set<string>()
    for (const operator of ["Receive", "Next"]) {
      const { start, end } = defined.get(operator)!
      for (const line of specLines.slice(start - 1, end)) {
        for (const match of line.matchAll(/([A-Z]\w*)\((?:i|m)\b/g)) used.add(match[1])
      }
    }
    used.delete("Receive")
    expect([...used].sort()).toEqual([...actions].sort())
  })
})

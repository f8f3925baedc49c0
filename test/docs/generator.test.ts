/**
 * `raft-tla docs`: the generator pairs every action with its function and builds a site whose links
 * all resolve, and each drift check fails on the drift it exists for (sources changed in memory).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, normalize } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Compiler } from "../../src/cli/docs/code-outline.ts"
import { generateDocs, loadCompiler } from "../../src/cli/docs/generate.ts"
import { problemText } from "../../src/cli/docs/mapping.ts"
import { readSources, type Sources } from "../../src/cli/docs/sources.ts"
import { BUGS } from "../../src/raft/index.ts"
import { runCli } from "../cli/run-cli.ts"

const root = fileURLToPath(new URL("../../", import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), "raft-tla-docs-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

let ts: Compiler
let sources: Sources
beforeAll(async () => {
  ts = await loadCompiler()
  sources = readSources(root, "spec/Raft.tla")
})

/** The sources with one file's text changed. */
const edited = (path: string, change: (text: string) => string): Sources => {
  const edit = <T extends { path: string; text: string }>(f: T): T => (f.path === path ? { ...f, text: change(f.text) } : f)
  const found = [sources.spec, ...sources.core].some((f) => f.path === path)
  if (!found) throw new Error(`no source ${path}`)
  return { ...sources, spec: edit(sources.spec), core: sources.core.map(edit) }
}

const problems = (s: Sources): Array<string> => generateDocs(ts, s).mapping.problems.map(problemText)

/** Replaces exactly one occurrence, so that a test cannot pass by changing nothing. */
const once = (from: string, to: string) => (text: string): string => {
  expect(text.split(from).length - 1, `"${from}" occurs once`).toBe(1)
  return text.replace(from, to)
}

describe("raft-tla docs, on this repository", () => {
  it("pairs every action with its function, resolves every tag, and builds a site whose links all resolve", () => {
    const out = join(scratch, "site")
    const { mapping, pages } = generateDocs(ts, sources, out)
    expect(mapping.problems.map(problemText)).toEqual([])
    expect(mapping.actions.filter((a) => a.fn === undefined)).toEqual([])
    expect(mapping.actions.every((a) => a.links.length > 0)).toBe(true)
    expect(mapping.invariants.map((i) => i.name)).toEqual(expect.arrayContaining(["ElectionSafety", "LogMatching", "LeaderCompleteness", "StateMachineSafety", "CommitIndexMonotonic"]))
    for (const inv of mapping.invariants) expect(inv.checkers.length, `${inv.name} is checked in the code`).toBeGreaterThan(0)
    expect(pages).toEqual(expect.arrayContaining(["index.html", "spec.html", "invariants.html", ...mapping.actions.map((a) => `actions/${a.name}.html`)]))
    let links = 0
    for (const page of pages.filter((p) => p.endsWith(".html"))) {
      const html = readFileSync(join(out, page), "utf8")
      for (const [, target] of html.matchAll(/href="([^"]+)"/g)) {
        const [path, anchor] = target.split("#")
        const file = path === "" ? join(out, page) : normalize(join(out, dirname(page), path))
        if (!file.startsWith(out)) continue // links out of the site, e.g. to docs/bugs.md
        links++
        expect(existsSync(file), `${page} links to ${target}`).toBe(true)
        if (anchor !== undefined) expect(readFileSync(file, "utf8"), `${page} links to ${target}`).toContain(`id="${anchor}"`)
      }
    }
    expect(links).toBeGreaterThan(1000)
  })

  it("lists each bug flag of the core under the action whose function the catalogue says it changes", () => {
    const { mapping } = generateDocs(ts, sources)
    const core = BUGS.filter((bug) => bug.switchedIn.startsWith("src/raft/"))
    expect(core.length).toBeGreaterThan(0)
    for (const bug of core) {
      const [file, fn] = bug.switchedIn.split(" ")
      const listing = mapping.actions.filter((a) => a.fn?.bugFlags.some((f) => f.name === bug.name)).map((a) => `${a.fn!.file} ${a.fn!.name}`)
      expect({ bug: bug.name, listing }).toEqual({ bug: bug.name, listing: [`${file} ${fn}`] })
    }
  })

  it("puts a tagged conjunct and its code side by side, badged alike", () => {
    const out = join(scratch, "site-tags")
    generateDocs(ts, sources, out)
    const page = readFileSync(join(out, "actions", "HandleAppendEntriesRequest.html"), "utf8")
    const spec = sources.spec.text.split("\n")
    const logOk = spec.findIndex((line) => /^\s+logOk ==/.test(line)) + 1
    const code = sources.core.find((f) => f.path === "src/raft/replication.ts")!.text.split("\n")
    const tag = code.indexOf("  // spec: HandleAppendEntriesRequest/logOk") + 1
    expect(page).toContain(`href="#c${tag}" title="implemented at src/raft/replication.ts:${tag}"`)
    expect(page).toContain(`href="#s${logOk}" title="the conjunct at spec/Raft.tla:${logOk}"`)
  })
})

describe("the drift checks", () => {
  it("fail on a renamed function", () => {
    const found = problems(edited("src/raft/replication.ts", once("export const handleAppendEntriesRequest = ", "export const handleAppendEntriesRequestNow = ")))
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^spec\/Raft\.tla:\d+:1: action HandleAppendEntriesRequest has no function: expected an exported handleAppendEntriesRequest/),
        expect.stringMatching(/^src\/raft\/replication\.ts:\d+:1: handleAppendEntriesRequestNow cites HandleAppendEntriesRequest, but the function implementing it must be named handleAppendEntriesRequest/)
      ])
    )
  })

  it("fail on a removed conjunct, naming the tag that marked it", () => {
    const tagLine = sources.core.find((f) => f.path === "src/raft/replication.ts")!.text.split("\n").findIndex((l) => l.includes("spec: HandleAppendEntriesRequest/m.mterm = currentTerm[i] =>")) + 1
    const found = problems(edited("spec/Raft.tla", once('        /\\ m.mterm = currentTerm[i] => state[i] # "Leader"\n        /\\ state\' = [state EXCEPT ![i] = IF m.mterm', "        /\\ state' = [state EXCEPT ![i] = IF m.mterm")))
    expect(found).toContain(`src/raft/replication.ts:${tagLine}:3: spec tag: HandleAppendEntriesRequest has no conjunct containing "m.mterm = currentTerm[i] => state[i] # "Leader""`)
  })

  it("fail on a renamed LET definition", () => {
    // logOk is still mentioned by the conjunct `/\ logOk` of grant: the tag must not fall back to it.
    const found = problems(edited("spec/Raft.tla", once("    LET logOk == \\/ m.mlastLogTerm", "    LET upToDate == \\/ m.mlastLogTerm")))
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^src\/raft\/election\.ts:\d+:\d+: spec tag: HandleRequestVoteRequest has no LET definition named logOk$/)]))
  })

  it("fail on a function citing an action that does not exist, and on a tag naming one", () => {
    const found = problems(
      edited("src/raft/restart.ts", (text) => `${text}\n/**\n * Spec: Reboot(i), spec/Raft.tla lines 1-2.\n */\nexport const reboot = () => null\n// spec: Reboot/state'\n`)
    )
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^src\/raft\/restart\.ts:\d+:1: reboot cites Reboot, which is not defined in spec\/Raft\.tla$/),
        expect.stringMatching(/^src\/raft\/restart\.ts:\d+:1: spec tag names Reboot, which is not an action of spec\/Raft\.tla$/)
      ])
    )
  })

  it("fail on a tag whose text is in more than one conjunct", () => {
    const found = problems(edited("src/raft/restart.ts", (text) => `${text}\n// spec: Restart/EXCEPT ![i]\n`))
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/spec tag: "EXCEPT !\[i\]" is in 5 conjuncts of Restart \(lines \d+, \d+, \d+, \d+, \d+\): quote more/)]))
  })

  it("fail on stale line ranges when the spec moves", () => {
    const found = problems(edited("spec/Raft.tla", once("EXTENDS Naturals", "\\* one more line\nEXTENDS Naturals")))
    expect(found.filter((p) => / cites spec\/Raft\.tla lines \d+-\d+, but \w+ is spec\/Raft\.tla lines \d+-\d+$/.test(p))).toHaveLength(generateDocs(ts, sources).mapping.actions.length)
  })
})

describe("raft-tla docs on the command line", () => {
  const copy = (name: string): string => {
    const dir = join(scratch, name)
    mkdirSync(dir)
    for (const folder of ["spec", "src/raft"]) cpSync(join(root, folder), join(dir, folder), { recursive: true })
    return dir
  }

  it("exits 0 on this repository in check mode, and 1 listing the problems of a drifted copy", () => {
    const clean = runCli(["docs", "--check"], { cwd: root })
    expect(clean.stderr).toBe("")
    expect(clean.code).toBe(0)
    expect(clean.stdout).toMatch(/^17 of 17 actions paired with their functions, \d+ conjunct tags, 8 invariants and properties\n$/)
    const drifted = copy("drifted")
    const file = join(drifted, "src/raft/election.ts")
    writeFileSync(file, readFileSync(file, "utf8").replace("export const timeout = ", "export const electionTimeout = "))
    const out = join(scratch, "drifted-site")
    const run = runCli(["docs", "--root", drifted, "--out", out])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^16 of 17 actions paired/)
    expect(run.stderr).toMatch(/^spec\/Raft\.tla:\d+:1: action Timeout has no function/m)
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain("the code and the spec have drifted apart")
  })

  it("documents its flags in --help", () => {
    const run = runCli(["docs", "--help"])
    expect(run.code).toBe(0)
    for (const flag of ["--out", "--check", "--spec", "--root"]) expect(run.stdout).toContain(flag)
  })

  it("exits 2 on a folder that is not a raft-tla repository", () => {
    const run = runCli(["docs", "--check", "--root", scratch])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("spec/Raft.tla: no such spec under")
  })
})

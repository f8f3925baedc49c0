/**
 * `raft-tla docs` without the command line: outline the spec and the code, pair them, render the
 * site. Tests call it in-process on sources they have changed.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { type Compiler, mentionsOf, outlineCode, type SourceFile, testCasesOf } from "./code-outline.ts"
import { buildMapping, type Mapping } from "./mapping.ts"
import { renderSite } from "./site.ts"
import type { Sources } from "./sources.ts"
import { outlineSpec } from "./spec-outline.ts"

export interface Generated {
  readonly mapping: Mapping
  /** The pages written, as site paths (none when no folder was given). */
  readonly pages: ReadonlyArray<string>
}

/** The TypeScript compiler, loaded only when docs are generated. */
export const loadCompiler = async (): Promise<Compiler> => {
  const loaded = (await import("typescript")) as unknown as { default?: Compiler }
  return loaded.default ?? (loaded as unknown as Compiler)
}

/** Pairs spec and code; with `out`, writes the site there. Throws InputFileError on an unreadable spec. */
export const generateDocs = (ts: Compiler, sources: Sources, out?: string): Generated => {
  const spec = outlineSpec(sources.spec.path, sources.spec.text)
  const tests = testCasesOf(ts, sources.tests)
  const mapping = buildMapping({
    spec,
    code: outlineCode(ts, sources.core),
    configs: sources.configs,
    tests,
    mentions: (names) => mentionsOf(ts, sources.src, names)
  })
  if (out === undefined) return { mapping, pages: [] }
  const files = new Map<string, SourceFile>([...sources.configs, ...sources.src, ...sources.tests, sources.spec].map((f) => [f.path, f]))
  const pages = renderSite({ mapping, files, counterexamples: sources.counterexamples })
  for (const page of pages) {
    const path = join(out, page.path)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, page.html)
  }
  return { mapping, pages: pages.map((p) => p.path) }
}

/**
 * The files the docs are generated from, read once into memory: the spec and its model
 * configurations, the core (src/raft), every source file (for the checkers that name an
 * invariant) and the tests. Tests of the generator change these in memory to show that drift is
 * caught.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join, relative, sep } from "node:path"
import type { SourceFile } from "./code-outline.ts"

export interface Sources {
  readonly spec: SourceFile
  readonly configs: ReadonlyArray<SourceFile>
  readonly core: ReadonlyArray<SourceFile>
  readonly src: ReadonlyArray<SourceFile>
  readonly tests: ReadonlyArray<SourceFile>
  /** Bug flags with a committed counterexample trace. */
  readonly counterexamples: ReadonlySet<string>
}

const walk = (dir: string, keep: (name: string) => boolean): Array<string> => {
  if (!existsSync(dir)) return []
  const found: Array<string> = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory() && entry.name !== "node_modules") found.push(...walk(path, keep))
    else if (entry.isFile() && keep(entry.name)) found.push(path)
  }
  return found.sort()
}

const read = (root: string, path: string): SourceFile => ({ path: relative(root, path).split(sep).join("/"), text: readFileSync(path, "utf8") })

/** Reads the sources of the repository at `root`; `specPath` is relative to it. */
export const readSources = (root: string, specPath: string): Sources => {
  const spec = read(root, join(root, specPath))
  const specDir = join(root, specPath, "..")
  const ts = (name: string) => name.endsWith(".ts") && !name.endsWith(".d.ts")
  const counterexampleDir = join(root, "traces", "counterexamples")
  return {
    spec,
    configs: walk(specDir, (name) => name.endsWith(".cfg")).map((p) => read(root, p)),
    core: walk(join(root, "src", "raft"), ts).map((p) => read(root, p)),
    src: walk(join(root, "src"), ts).map((p) => read(root, p)),
    tests: walk(join(root, "test"), (name) => name.endsWith(".test.ts")).map((p) => read(root, p)),
    counterexamples: new Set(walk(counterexampleDir, (name) => name.endsWith(".ndjson")).map((p) => p.slice(counterexampleDir.length + 1, -".ndjson".length)))
  }
}

/** Helpers for TLA+ tests: write a module (and cfg) to a temporary folder and load or check it. */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { loadTlaSpec, type LoadedSpec, runCheck, type RunOutcome } from "../../src/tla/index.ts"

export const tempDir = (): string => mkdtempSync(join(tmpdir(), "raft-tla-test-"))

/** Writes `Name.tla` (and `Name.cfg`, plus extra files) into a fresh folder; returns the spec path. */
export const writeSpec = (name: string, body: string, cfg = "", extra: Record<string, string> = {}): string => {
  const dir = tempDir()
  const spec = join(dir, `${name}.tla`)
  writeFileSync(spec, body)
  writeFileSync(join(dir, `${name}.cfg`), cfg)
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text)
  return spec
}

/** A module around the given units. */
export const moduleText = (name: string, units: string, ext = "Naturals, Integers, Sequences, FiniteSets, Bags, TLC"): string =>
  `---- MODULE ${name} ----\nEXTENDS ${ext}\n${units}\n====\n`

/** Evaluates a constant expression in a module that extends the standard modules. */
export const evalTla = (expr: string, defs = ""): unknown => {
  const spec = loadTlaSpec(writeSpec("E", moduleText("E", defs), ""))
  return spec.evalExpression(expr)
}

export const load = (name: string, units: string, cfg = ""): LoadedSpec => loadTlaSpec(writeSpec(name, moduleText(name, units), cfg))

export const check = (name: string, units: string, cfg: string): RunOutcome & { lines: string[] } => {
  const lines: string[] = []
  const run = runCheck({ specPath: writeSpec(name, moduleText(name, units), cfg), out: (l) => void lines.push(l) })
  return { ...run, lines }
}

/**
 * The conformance corpus runner: every entry of <dir>/manifest.json names a spec, a cfg and
 * TLC's recorded result; we check the spec and compare result, violated name, distinct and
 * generated counts, trace length, the message phrase and the Print output lines.
 */
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { runCheck } from "./run.ts"

export interface CorpusEntry {
  readonly spec: string
  readonly cfg: string
  readonly expect: {
    readonly result: string
    readonly violated: string | null
    readonly distinct: number | null
    readonly generated: number | null
    readonly traceLength: number | null
    readonly message: string | null
  }
  readonly output?: ReadonlyArray<string>
}

export class NotACorpus extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** Reads and validates <dir>/manifest.json; throws NotACorpus naming the problem. */
export const readManifest = (dir: string): CorpusEntry[] => {
  const path = join(dir, "manifest.json")
  if (!existsSync(path)) throw new NotACorpus(`${dir} is not a corpus: ${path} not found`)
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, "utf8"))
  } catch (e) {
    throw new NotACorpus(`${path}: not valid JSON (${(e as Error).message})`)
  }
  if (!Array.isArray(data)) throw new NotACorpus(`${path}: expected a JSON array of entries`)
  return data.map((e, i) => {
    const where = `${path}: entry ${i + 1}`
    if (!isObject(e) || typeof e.spec !== "string" || typeof e.cfg !== "string" || !isObject(e.expect)) {
      throw new NotACorpus(`${where}: needs "spec", "cfg" and "expect"`)
    }
    const x = e.expect
    if (typeof x.result !== "string") throw new NotACorpus(`${where}: expect.result must be a string`)
    for (const k of ["distinct", "generated", "traceLength"]) {
      if (x[k] !== null && x[k] !== undefined && typeof x[k] !== "number") throw new NotACorpus(`${where}: expect.${k} must be a number or null`)
    }
    if (e.output !== undefined && !(Array.isArray(e.output) && e.output.every((l) => typeof l === "string"))) {
      throw new NotACorpus(`${where}: output must be a list of strings`)
    }
    return {
      spec: e.spec,
      cfg: e.cfg,
      expect: {
        result: x.result,
        violated: (x.violated as string | null | undefined) ?? null,
        distinct: (x.distinct as number | null | undefined) ?? null,
        generated: (x.generated as number | null | undefined) ?? null,
        traceLength: (x.traceLength as number | null | undefined) ?? null,
        message: (x.message as string | null | undefined) ?? null
      },
      output: e.output as string[] | undefined
    }
  })
}

export interface EntryOutcome {
  readonly entry: CorpusEntry
  readonly mismatches: ReadonlyArray<string>
  readonly ms: number
}

const collapse = (s: string): string => s.replace(/\s+/g, " ").trim()

export const runEntry = (dir: string, entry: CorpusEntry): EntryOutcome => {
  const started = Date.now()
  const lines: string[] = []
  const mismatches: string[] = []
  try {
    const run = runCheck({ specPath: join(dir, entry.spec), cfgPath: join(dir, entry.cfg), out: (l) => void lines.push(l) })
    const r = run.result
    const got = {
      result: r.outcome,
      violated: r.violated ?? null,
      distinct: r.noStats ? null : r.distinct,
      generated: r.noStats ? null : r.generated,
      traceLength: r.trace.length > 0 ? r.trace.length : null
    }
    for (const k of ["result", "violated", "distinct", "generated", "traceLength"] as const) {
      if (got[k] !== entry.expect[k]) mismatches.push(`${k} ${JSON.stringify(got[k])}, expected ${JSON.stringify(entry.expect[k])}`)
    }
    if (entry.expect.message !== null && !collapse(lines.join("\n")).includes(collapse(entry.expect.message))) {
      mismatches.push(`message "${entry.expect.message}" not printed`)
    }
    if (entry.output !== undefined && JSON.stringify(run.printed) !== JSON.stringify(entry.output)) {
      mismatches.push(`output ${JSON.stringify(run.printed)}, expected ${JSON.stringify(entry.output)}`)
    }
  } catch (e) {
    mismatches.push(`could not run: ${(e as Error).message}`)
  }
  return { entry, mismatches, ms: Date.now() - started }
}

/**
 * Finds and parses the modules a spec needs. User modules named in EXTENDS or INSTANCE are
 * looked up beside the spec file (as TLC does), wherever the command is run from; the
 * standard modules are built in and need no file.
 */
import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import type { Expr, Module, Unit } from "../syntax/ast.ts"
import { lex } from "../syntax/lexer.ts"
import { parseModule } from "../syntax/parser.ts"
import { SyntaxError } from "../syntax/source.ts"
import { STANDARD_MODULES } from "../eval/stdlib.ts"

export interface LoadedSpec {
  readonly root: Module
  /** Every user module by name, the root included. */
  readonly modules: ReadonlyMap<string, Module>
  /** Names in the order TLC interns them: identifiers (root module first, in text order), then string literals. */
  readonly identifierOrder: ReadonlyArray<string>
}

const instancesIn = (units: ReadonlyArray<Unit>): Array<{ module: string; loc: Expr["loc"] }> => {
  const found: Array<{ module: string; loc: Expr["loc"] }> = []
  const visitExpr = (e: unknown): void => {
    if (e === null || typeof e !== "object") return
    if (Array.isArray(e)) {
      e.forEach(visitExpr)
      return
    }
    const o = e as Record<string, unknown>
    if (o.kind === "instanceDef") {
      const inst = o.instance as { module: string; loc: Expr["loc"] }
      found.push({ module: inst.module, loc: inst.loc })
    }
    for (const [k, v] of Object.entries(o)) if (k !== "loc" && k !== "nameLoc") visitExpr(v)
  }
  for (const u of units) {
    if (u.kind === "instance") found.push({ module: u.instance.module, loc: u.instance.loc })
    else visitExpr(u)
  }
  return found
}

/** Reads the spec and every user module it reaches. Throws SyntaxError for bad or missing files. */
export const loadSpec = (specPath: string): LoadedSpec => {
  const dir = dirname(specPath)
  const modules = new Map<string, Module>()
  const identifierOrder: string[] = []
  const stringOrder: string[] = []
  const read = (path: string, expectedName: string | undefined): Module => {
    const text = readFileSync(path, "utf8")
    const file = path
    for (const t of lex(text, file)) {
      if (t.kind === "ident") identifierOrder.push(t.text)
      else if (t.kind === "str") stringOrder.push(t.text)
    }
    const mod = parseModule(text, file)
    if (expectedName !== undefined && mod.name !== expectedName) {
      throw SyntaxError.at(mod.loc, `module ${mod.name} found in a file named ${expectedName}.tla`)
    }
    modules.set(mod.name, mod)
    const needed = [...mod.extends.map((e) => ({ module: e.name, loc: e.loc })), ...instancesIn(mod.units)]
    for (const n of needed) {
      if (modules.has(n.module) || STANDARD_MODULES.has(n.module)) continue
      const p = join(dir, `${n.module}.tla`)
      if (!existsSync(p)) throw SyntaxError.at(n.loc, `cannot find module ${n.module} (looked for ${p})`)
      read(p, n.module)
    }
    return mod
  }
  if (!existsSync(specPath)) throw new SyntaxError(specPath, 1, 1, "file not found")
  const root = read(specPath, undefined)
  // TLC interns identifiers first (root module first), then string literals in order of appearance.
  return { root, modules, identifierOrder: [...identifierOrder, ...stringOrder] }
}

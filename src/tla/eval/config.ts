/**
 * The model configuration as the checker applies it, read with the project's .cfg parser
 * (src/tla/config) and reduced to what loadModel needs.
 */
import { type ConfigValue, type ModelConfig, parseConfig as parseModelConfig } from "../config/index.ts"
import { SyntaxError } from "../syntax/source.ts"

export type CfgValue = ConfigValue

export type CfgConstant =
  | { readonly kind: "value"; readonly name: string; readonly value: CfgValue; readonly line: number }
  | { readonly kind: "subst"; readonly name: string; readonly op: string; readonly module: string | undefined; readonly line: number }

export interface Config {
  readonly file: string
  readonly constants: ReadonlyArray<CfgConstant>
  readonly init?: string
  readonly next?: string
  readonly specification?: string
  readonly invariants: ReadonlyArray<string>
  readonly properties: ReadonlyArray<string>
  readonly constraints: ReadonlyArray<string>
  readonly actionConstraints: ReadonlyArray<string>
  readonly symmetry?: string
  readonly view?: string
  readonly checkDeadlock?: boolean
  readonly alias?: string
  readonly postconditions: ReadonlyArray<string>
  /** Names TLC interns while reading the cfg, before the spec's identifiers. */
  readonly tokens: ReadonlyArray<string>
}

/** Parses a .cfg; a bad file raises ConfigError (src/tla/config) naming file:line:col. */
export const parseConfig = (text: string, file: string): Config => {
  const m: ModelConfig = parseModelConfig(text, file)
  const first = m.moduleConstants[0]
  if (first !== undefined) throw new SyntaxError(file, first.line, first.col, "assigning a value to a constant of another module ([Mod]) is not supported")
  const withArgs = m.constants.find((c) => c.args.length > 0)
  if (withArgs !== undefined) throw new SyntaxError(file, withArgs.line, withArgs.col, "constant operators with arguments in a .cfg are not supported")
  return {
    file,
    constants: [
      ...m.constants.map((c) => ({ kind: "value" as const, name: c.name, value: c.value, line: c.line })),
      ...m.substitutions.map((s) => ({ kind: "subst" as const, name: s.name, op: s.by, module: undefined, line: s.line })),
      ...m.moduleSubstitutions.map((s) => ({ kind: "subst" as const, name: s.name, op: s.by, module: s.module, line: s.line }))
    ],
    init: m.init?.name,
    next: m.next?.name,
    specification: m.specification?.name,
    invariants: m.invariants.map((n) => n.name),
    properties: m.properties.map((n) => n.name),
    constraints: m.constraints.map((n) => n.name),
    actionConstraints: m.actionConstraints.map((n) => n.name),
    symmetry: m.symmetry?.name,
    view: m.view?.name,
    checkDeadlock: m.checkDeadlock,
    alias: m.alias?.name,
    postconditions: m.postconditions.map((n) => n.name),
    tokens: m.internNames
  }
}

/**
 * What a TLC .cfg file says (TLC-FACTS §7), as parsed by parse.ts.
 */

/** A name given in the .cfg, with where it was written (1-based). */
export interface ConfigName {
  readonly name: string
  readonly line: number
  readonly col: number
}

/** A constant value written in a .cfg: TLC accepts only these forms. */
export type ConfigValue =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "set"; readonly elems: readonly ConfigValue[] }
  | { readonly kind: "modelValue"; readonly name: string }

/** `c = value`, or `f(a, b) = value` (one point of an operator). `name` may be `M!c`. */
export interface ConstantAssignment extends ConfigName {
  readonly args: readonly ConfigValue[]
  readonly value: ConfigValue
}

/** `c = [Mod] value`: the constant c of module Mod. */
export interface ModuleConstantAssignment extends ConstantAssignment {
  readonly module: string
}

/** `c <- Op`: replace the constant or definition c by the definition Op of the root module. */
export interface Substitution extends ConfigName {
  readonly by: string
}

/** `K <- [Mod] Op`: replace definition K of module Mod by Op. */
export interface ModuleSubstitution extends Substitution {
  readonly module: string
}

export interface ModelConfig {
  /** The file name used in error messages. */
  readonly file: string
  readonly init?: ConfigName
  readonly next?: ConfigName
  readonly specification?: ConfigName
  readonly view?: ConfigName
  readonly symmetry?: ConfigName
  readonly alias?: ConfigName
  readonly typeConstraint?: ConfigName
  /** CHECK_DEADLOCK TRUE/FALSE; undefined when absent (TLC then checks for deadlock). */
  readonly checkDeadlock?: boolean
  readonly constants: readonly ConstantAssignment[]
  readonly moduleConstants: readonly ModuleConstantAssignment[]
  readonly substitutions: readonly Substitution[]
  readonly moduleSubstitutions: readonly ModuleSubstitution[]
  readonly invariants: readonly ConfigName[]
  readonly properties: readonly ConfigName[]
  readonly constraints: readonly ConfigName[]
  readonly actionConstraints: readonly ConfigName[]
  readonly postconditions: readonly ConfigName[]
  /**
   * The names TLC interns while reading the .cfg, in order: model value names and string
   * values. The loader interns them right after TLC's startup names (see values/intern.ts).
   */
  readonly internNames: readonly string[]
}

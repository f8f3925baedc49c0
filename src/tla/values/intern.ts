/**
 * TLC orders strings, model values and record field names by their position in its table of
 * interned names (util.UniqueString), not alphabetically. To print sets and pick CHOOSE witnesses
 * in TLC's order we keep the same kind of table and let the loader fill it in TLC's order:
 *
 *   1. TLC_STARTUP_NAMES (what TLC interns before it reads any file),
 *   2. the .cfg's model values and string values, in order of appearance (ModelConfig.internNames),
 *   3. the identifiers of the root module in text order, then those of the other modules,
 *   4. string literals that never occur as an identifier, in order of first appearance.
 *
 * Anything interned later (strings built during evaluation, e.g. by ToString) goes to the end,
 * as in TLC.
 */
export class InternTable {
  readonly #ids = new Map<string, number>()
  readonly #names: string[] = []

  constructor(initial: Iterable<string> = []) {
    this.internAll(initial)
  }

  /** The position of `name`, appending it first if it is new. */
  intern(name: string): number {
    let id = this.#ids.get(name)
    if (id === undefined) {
      id = this.#names.length
      this.#names.push(name)
      this.#ids.set(name, id)
    }
    return id
  }

  internAll(names: Iterable<string>): void {
    for (const name of names) this.intern(name)
  }

  idOf(name: string): number | undefined {
    return this.#ids.get(name)
  }

  nameOf(id: number): string {
    const name = this.#names[id]
    if (name === undefined) throw new RangeError(`no interned name with id ${id}`)
    return name
  }

  get size(): number {
    return this.#names.length
  }

  /** Every name in table order. */
  names(): readonly string[] {
    return this.#names
  }
}

/**
 * Names TLC has interned before it reads the .cfg: SANY's built-in operators (in the order SANY
 * registers them) and the TLCGet register "level" that TLC sets up at start. TLC-FACTS §8 pins
 * "TRUE" and "level" as interned at startup and "generated" as not; the rest of the list follows
 * SANY's table of built-in operators (tla2sany BuiltInOperators). Only strings that collide with
 * these names are affected.
 */
export const TLC_STARTUP_NAMES: readonly string[] = [
  "STRING", "FALSE", "TRUE", "BOOLEAN", "=", "/=", ".", "'", "\\lnot", "\\neg", "\\land", "\\lor",
  "\\equiv", "=>", "SUBSET", "UNION", "DOMAIN", "\\subseteq", "\\in", "\\notin", "\\", "\\intersect",
  "\\union", "\\times", "~>", "[]", "<>", "ENABLED", "UNCHANGED", "\\cdot", "-+->", "$AngleAct",
  "$BoundedChoose", "$BoundedExists", "$BoundedForall", "$CartesianProd", "$Case", "$ConjList",
  "$DisjList", "$Except", "$FcnApply", "$FcnConstructor", "$IfThenElse", "$NonRecursiveFcnSpec",
  "$Pair", "$RcdConstructor", "$RcdSelect", "$RecursiveFcnSpec", "$Seq", "$SetEnumerate",
  "$SetOfAll", "$SetOfFcns", "$SetOfRcds", "$SF", "$SquareAct", "$SubsetOf", "$TemporalExists",
  "$TemporalForall", "$TemporalWhile", "$Tuple", "$UnboundedChoose", "$UnboundedExists",
  "$UnboundedForall", "$WF", "$Nop", "$Qed", "$Pfcase", "$Have", "$Take", "$Pick", "$Witness",
  "$Suffices", "level"
]

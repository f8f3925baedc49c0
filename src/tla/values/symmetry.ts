/**
 * SYMMETRY (TLC-FACTS §3): a state is fingerprinted as the smallest, in TLC's value order, of
 * its images under every permutation of model values in the symmetry set. The state that is
 * stored, explored and printed stays the one actually found. Comparing permuted states variable
 * by variable in a fixed order, as TLC does, picks one representative per orbit.
 *
 * When the permutations (with the identity) form a group, the images of a state are exactly its
 * orbit, and any choice of one fingerprint per orbit merges exactly the states TLC merges. The
 * model checker then takes the smallest *fingerprint* of the images, computed without building
 * them (StateFingerprints in fingerprint.ts). A set that is not a group (e.g.
 * `Permutations(A) \cup Permutations(B)` with two non-trivial factors) is not closed under
 * composition, and which states it merges depends on the order used, so there the images are
 * built and compared in TLC's order, as TLC does.
 */
import { EvalError } from "./errors.ts"
import { StateFingerprints, stateFingerprint, type Fingerprint } from "./fingerprint.ts"
import { entries, makeFunction } from "./functions.ts"
import { compare } from "./order.ts"
import { show } from "./pretty.ts"
import { setElements } from "./sets.ts"
import { isFunction, isModelValue, isSet, Kind, RecordValue, setOf, tuple, type ModelValue, type Value } from "./value.ts"

/** A permutation of model values; model values it does not mention map to themselves. */
export type Permutation = ReadonlyMap<ModelValue, ModelValue>

/**
 * The permutations in a SYMMETRY set such as `Permutations(P)`: a set of functions from model
 * values to model values. Identities are dropped (they cannot lower a state).
 */
export function permutationsOf(symmetrySet: Value): Permutation[] {
  if (!isSet(symmetrySet)) {
    throw new EvalError(`The symmetry set must be a set of permutations, but it is\n${show(symmetrySet)}`)
  }
  const perms: Permutation[] = []
  for (const f of setElements(symmetrySet)) {
    if (!isFunction(f)) throw new EvalError(`The symmetry set contains the non-function\n${show(f)}`)
    const perm = new Map<ModelValue, ModelValue>()
    for (const [from, to] of entries(f)) {
      if (!isModelValue(from) || !isModelValue(to)) {
        throw new EvalError(`A symmetry permutation must map model values to model values, but it is\n${show(f)}`)
      }
      if (from !== to) perm.set(from, to)
    }
    if (perm.size > 0) perms.push(perm)
  }
  return perms
}

/** The image of v under a permutation of model values (v itself when nothing changes). */
export function permute(v: Value, perm: Permutation): Value {
  if (typeof v !== "object") return v
  switch (v.kind) {
    case Kind.ModelValue:
      return perm.get(v) ?? v
    case Kind.Tuple: {
      const elems = permuteAll(v.elems, perm)
      return elems === v.elems ? v : tuple(elems)
    }
    case Kind.Record: {
      const values = permuteAll(v.values, perm)
      return values === v.values ? v : new RecordValue(v.names, values)
    }
    case Kind.Fcn: {
      const domain = permuteAll(v.domain, perm)
      const values = permuteAll(v.values, perm)
      return domain === v.domain && values === v.values ? v : makeFunction(domain, values)
    }
    case Kind.Set:
    case Kind.Subset:
    case Kind.FcnSet:
    case Kind.RecordSet:
    case Kind.Product: {
      const elems = setElements(v)
      const mapped = permuteAll(elems, perm)
      return mapped === elems ? v : setOf(mapped.slice())
    }
    default:
      return v
  }
}

/** `values` mapped through perm, or the same array when no element changes. */
function permuteAll(values: readonly Value[], perm: Permutation): readonly Value[] {
  let out: Value[] | undefined
  for (let i = 0; i < values.length; i++) {
    const p = permute(values[i], perm)
    if (p !== values[i] && out === undefined) out = values.slice(0, i)
    if (out !== undefined) out.push(p)
  }
  return out ?? values
}

/** The smallest image of a state (its variables' values in a fixed order) under the permutations. */
export function canonicalState(state: readonly Value[], perms: readonly Permutation[]): readonly Value[] {
  let min = state
  for (const perm of perms) {
    const image = permuteAll(state, perm)
    if (image === state) continue
    for (let i = 0; i < image.length; i++) {
      const c = compare(image[i], min[i])
      if (c < 0) {
        min = image
        break
      }
      if (c > 0) break
    }
  }
  return min
}

/** The fingerprint a state is stored under when SYMMETRY is declared. */
export function symmetricFingerprint(
  state: readonly Value[],
  perms: readonly Permutation[],
  out?: Fingerprint
): Fingerprint {
  return stateFingerprint(canonicalState(state, perms), out)
}

/** Above this many permutations the group test (quadratic) is skipped and TLC's order is used. */
const GROUP_TEST_LIMIT = 2000

/** Whether the permutations, with the identity, are closed under composition (a group). */
export function isGroup(perms: readonly Permutation[]): boolean {
  if (perms.length > GROUP_TEST_LIMIT) return false
  const moved = [...new Set(perms.flatMap((p) => [...p.keys()]))]
  const at = (p: Permutation, mv: ModelValue): ModelValue => p.get(mv) ?? mv
  const key = (f: (mv: ModelValue) => ModelValue): string => moved.map((mv) => f(mv).id).join(",")
  const members = new Set([key((mv) => mv), ...perms.map((p) => key((mv) => at(p, mv)))])
  for (const p of perms) for (const q of perms) if (!members.has(key((mv) => at(p, at(q, mv))))) return false
  return true
}

/** How the model checker fingerprints states when the model declares a SYMMETRY. */
export class SymmetryReduction {
  readonly #fast: StateFingerprints | undefined
  constructor(readonly permutations: readonly Permutation[]) {
    // The state's own fingerprint is always a candidate, so identities (`Permutations(Value)` of a
    // one-element Value, say) would only compute it again.
    const moving = permutations.filter((p) => [...p].some(([from, to]) => from !== to))
    this.#fast = isGroup(permutations) ? new StateFingerprints(moving) : undefined
  }

  /** Whether the permutations form a group (fingerprints under permutation are then used). */
  get isGroup(): boolean {
    return this.#fast !== undefined
  }

  /** The fingerprint a state is stored under: the same for the states TLC merges. */
  fingerprint(state: readonly Value[], out: Fingerprint): Fingerprint {
    if (this.#fast !== undefined) return this.#fast.smallest(state, out)
    return stateFingerprint(canonicalState(state, this.permutations), out)
  }

  /** The state whose successors `fingerprintSuccessor` takes next. */
  expand(parent: readonly Value[]): void {
    this.#fast?.expand(parent)
  }

  /** `fingerprint` of a successor of the expanded state. */
  fingerprintSuccessor(state: readonly Value[], out: Fingerprint): Fingerprint {
    if (this.#fast !== undefined) return this.#fast.smallestOfSuccessor(state, out)
    return this.fingerprint(state, out)
  }
}

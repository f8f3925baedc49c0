/**
 * An independent brute-force model of TLC's breadth-first counting, for cross-checking our
 * checker on specs whose transition systems are re-written here in plain TypeScript.
 * It knows nothing of TLA+: states are JS values, successors are listed with multiplicity
 * (one entry per way the action is satisfied), keys decide distinctness.
 */
export interface BruteModel<S> {
  readonly init: S[]
  /** Successors in TLC's sub-action order, one entry per way the action is satisfied. */
  readonly next: (s: S) => S[]
  /** Distinctness (and symmetry, by returning a canonical key). */
  readonly key: (s: S) => string
  /** The name of the first violated invariant, if any. */
  readonly violated?: (s: S) => string | undefined
  /** An action property on a step, checked on every generated transition. */
  readonly stepOk?: (s: S, t: S) => boolean
}

export interface BruteResult {
  readonly generated: number
  readonly distinct: number
  readonly depth: number
  readonly violated?: string
  readonly traceLength?: number
}

export const bruteForce = <S>(m: BruteModel<S>): BruteResult => {
  const seen = new Map<string, number>()
  const states: S[] = []
  const levels: number[] = []
  let generated = 0
  let depth = 0
  for (const s of m.init) {
    generated++
    const k = m.key(s)
    if (seen.has(k)) continue
    seen.set(k, states.length)
    states.push(s)
    levels.push(1)
    depth = 1
    const bad = m.violated?.(s)
    if (bad !== undefined) return { generated, distinct: states.length, depth, violated: bad, traceLength: 1 }
  }
  for (let i = 0; i < states.length; i++) {
    const s = states[i]
    for (const t of m.next(s)) {
      generated++
      const k = m.key(t)
      if (!seen.has(k)) {
        seen.set(k, states.length)
        states.push(t)
        levels.push(levels[i] + 1)
        depth = Math.max(depth, levels[i] + 1)
        const bad = m.violated?.(t)
        if (bad !== undefined) return { generated, distinct: states.length, depth, violated: bad, traceLength: levels[i] + 1 }
      }
      if (m.stepOk !== undefined && !m.stepOk(s, t)) return { generated, distinct: states.length, depth, violated: "step", traceLength: levels[i] + 1 }
    }
  }
  return { generated, distinct: states.length, depth }
}

/** All permutations of a list. */
export const permutations = <T>(xs: T[]): T[][] =>
  xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]))

export const range = (lo: number, hi: number): number[] => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i)

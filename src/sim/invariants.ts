/**
 * The spec's invariants and action properties, checked after every simulated step.
 *
 * Checking them literally costs O(servers² × log) per step, and compacted prefixes make logs long,
 * so the monitor checks what a step changed against what it has already seen:
 * - the committed log: the first entry ever known committed at each index;
 * - every (index, term) ever seen in a log, with its value and the term before it.
 * Both are stronger than the state invariants (they also reject a committed entry that changes on
 * every server at once), and Raft satisfies both. src/tla checks the literal invariants on traces.
 */
import { type Entry, entryAt, lastIndex, type Node, type PersistentState, type StepEvent } from "../raft/index.ts"

export const INVARIANTS = [
  "TypeOK",
  "ElectionSafety",
  "LogMatching",
  "LeaderCompleteness",
  "StateMachineSafety",
  "CurrentTermMonotonic",
  "LeaderAppendOnly",
  "CommitIndexMonotonic"
] as const
export type InvariantName = (typeof INVARIANTS)[number]

export interface Violation {
  readonly invariant: InvariantName
  readonly detail: string
}

const sameEntry = (a: Entry, b: Entry): boolean => a === b || (a.term === b.term && a.value === b.value)

const show = (entry: Entry): string => `(term ${entry.term}, ${JSON.stringify(entry.value)})`

/** The first index whose entry differs between two versions of a server's log (Infinity: none). */
export const firstChangedIndex = (a: PersistentState, b: PersistentState): number => {
  if (a === b || (a.log === b.log && a.snapshot === b.snapshot)) return Infinity
  const lastA = lastIndex(a)
  const lastB = lastIndex(b)
  const common = Math.min(lastA, lastB)
  // Compacted prefixes share their entries: skip the common run by reference, in one tight loop.
  const sa = a.snapshot.entries
  const sb = b.snapshot.entries
  let k = sa.length + 1
  if (sa !== sb) {
    const shared = Math.min(sa.length, sb.length)
    let z = 0
    while (z < shared && sa[z] === sb[z]) z++
    k = z + 1
  }
  for (; k <= common; k++) if (!sameEntry(entryAt(a, k), entryAt(b, k))) return k
  return lastA === lastB ? Infinity : common + 1
}

interface SeenEntry {
  readonly value: string
  readonly prevTerm: number
}

export class InvariantMonitor {
  /** committed[k - 1]: the entry first known committed at index k. */
  readonly committed: Array<Entry> = []
  /** Key index * 2^21 + term (terms stay far below 2^21 in any run this simulator makes). */
  private readonly seen = new Map<number, SeenEntry>()
  /** Per leader: its term and how much of the committed log its log is known to hold. */
  private readonly leaderVerified = new Map<string, { term: number; upTo: number }>()

  /** Checks a step by `event` that took one server from `before` to `after`; `nodes` is the cluster after it. */
  check(
    event: StepEvent,
    before: Node | null,
    after: Node | null,
    nodes: ReadonlyArray<Node>
  ): Violation | null {
    let changed = Infinity
    if (before !== null && after !== null && before !== after) {
      changed = firstChangedIndex(before.persistent, after.persistent)
      const violation = this.checkServerStep(event, before, after, changed)
      if (violation) return violation
    }
    return this.electionSafety(nodes) ?? this.leaderCompleteness(nodes, after?.id, changed)
  }

  private checkServerStep(event: StepEvent, before: Node, after: Node, changed: number): Violation | null {
    const a = before.persistent
    const b = after.persistent
    const id = after.id
    const last = lastIndex(b)
    const commit = after.volatile.commitIndex
    if (b.snapshot.index !== b.snapshot.entries.length || commit < b.snapshot.index || commit > last) {
      return {
        invariant: "TypeOK",
        detail: `${id}: snapshot index ${b.snapshot.index} with ${b.snapshot.entries.length} compacted entries, commitIndex ${commit}, last index ${last}`
      }
    }
    if (b.currentTerm < a.currentTerm) {
      return { invariant: "CurrentTermMonotonic", detail: `${id}: currentTerm went from ${a.currentTerm} to ${b.currentTerm}` }
    }
    if (
      before.volatile.role === "Leader" &&
      after.volatile.role === "Leader" &&
      a.currentTerm === b.currentTerm &&
      (changed <= lastIndex(a) || last < lastIndex(a))
    ) {
      return { invariant: "LeaderAppendOnly", detail: `${id}: leader of term ${b.currentTerm} changed its log at index ${changed}` }
    }
    if (commit < before.volatile.commitIndex && !(event.action === "Restart" && event.params.i === id)) {
      return {
        invariant: "CommitIndexMonotonic",
        detail: `${id}: commitIndex went from ${before.volatile.commitIndex} to ${commit} in ${event.action}`
      }
    }
    if (changed !== Infinity) {
      const violation = this.logMatching(after, changed)
      if (violation) return violation
    }
    return this.stateMachineSafety(after, Math.min(changed, before.volatile.commitIndex + 1))
  }

  /** Every entry from `from` on must agree with every entry ever seen at its index and term. */
  private logMatching(node: Node, from: number): Violation | null {
    const p = node.persistent
    const last = lastIndex(p)
    for (let k = Math.max(from, 1); k <= last; k++) {
      const entry = entryAt(p, k)
      const prevTerm = k === 1 ? 0 : entryAt(p, k - 1).term
      const key = k * 2097152 + entry.term
      const seen = this.seen.get(key)
      if (seen === undefined) this.seen.set(key, { value: entry.value, prevTerm })
      else if (seen.value !== entry.value || seen.prevTerm !== prevTerm) {
        return {
          invariant: "LogMatching",
          detail: `${node.id}: entry ${k} of term ${entry.term} is ${JSON.stringify(entry.value)} after term ${prevTerm}, but another log has ${JSON.stringify(seen.value)} after term ${seen.prevTerm}`
        }
      }
    }
    return null
  }

  /** The server's committed entries from `from` on must be the committed log's. */
  private stateMachineSafety(node: Node, from: number): Violation | null {
    const p = node.persistent
    const commit = node.volatile.commitIndex
    for (let k = Math.max(from, 1); k <= commit; k++) {
      const entry = entryAt(p, k)
      if (k > this.committed.length) this.committed.push(entry)
      else if (!sameEntry(this.committed[k - 1], entry)) {
        return {
          invariant: "StateMachineSafety",
          detail: `${node.id}: committed entry ${k} is ${show(entry)}, but ${show(this.committed[k - 1])} was committed there`
        }
      }
    }
    return null
  }

  private electionSafety(nodes: ReadonlyArray<Node>): Violation | null {
    for (let x = 0; x < nodes.length; x++) {
      if (nodes[x].volatile.role !== "Leader") continue
      for (let y = x + 1; y < nodes.length; y++) {
        if (nodes[y].volatile.role === "Leader" && nodes[y].persistent.currentTerm === nodes[x].persistent.currentTerm) {
          return {
            invariant: "ElectionSafety",
            detail: `${nodes[x].id} and ${nodes[y].id} are both leaders of term ${nodes[x].persistent.currentTerm}`
          }
        }
      }
    }
    return null
  }

  /** A leader holds everything committed by servers of its term or an older one. */
  private leaderCompleteness(nodes: ReadonlyArray<Node>, stepped: string | undefined, changed: number): Violation | null {
    for (const leader of nodes) {
      if (leader.volatile.role !== "Leader") continue
      const term = leader.persistent.currentTerm
      let known = 0
      for (const other of nodes) {
        if (other.persistent.currentTerm <= term) known = Math.max(known, other.volatile.commitIndex)
      }
      const p = leader.persistent
      if (known > lastIndex(p)) {
        return {
          invariant: "LeaderCompleteness",
          detail: `${leader.id}, leader of term ${term}, has ${lastIndex(p)} entries but index ${known} is committed`
        }
      }
      let verified = this.leaderVerified.get(leader.id)
      const relogged = stepped === leader.id && changed <= (verified?.upTo ?? 0)
      if (verified === undefined || verified.term !== term || relogged) verified = { term, upTo: 0 }
      for (let k = verified.upTo + 1; k <= known; k++) {
        if (!sameEntry(entryAt(p, k), this.committed[k - 1])) {
          return {
            invariant: "LeaderCompleteness",
            detail: `${leader.id}, leader of term ${term}, has ${show(entryAt(p, k))} at ${k}, but ${show(this.committed[k - 1])} is committed there`
          }
        }
      }
      this.leaderVerified.set(leader.id, { term, upTo: Math.max(verified.upTo, known) })
    }
    return null
  }
}

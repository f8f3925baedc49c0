/**
 * What a failure test checks at the end, once the cluster is whole again and quiet:
 * - every acknowledged append is in the final value of its key, exactly once, and nothing there
 *   was never sent (no acknowledged write is lost, none applied twice);
 * - the recorded history is linearizable (src/lincheck, the raft-kv model with client sessions);
 * - the nodes' logs, read back from their data directories, agree on every committed entry, and
 *   wherever two logs hold an entry of the same term at the same index they agree up to it.
 */
import { Effect } from "effect"
import { checkOperations, type CheckResult, type KvInput, type KvOutput, type Operation, Unknown } from "../../lincheck/index.ts"
import { builtInModels } from "../../lincheck/models/catalogue.ts"
import { type Entry, entryAt, lastIndex, type ServerId } from "../../raft/index.ts"
import { makeNodeStorage } from "../../runtime/node-storage.ts"
import { dryRunDisk } from "../../runtime/storage/dry-run-disk.ts"
import { makeDurableStorage } from "../../runtime/storage/durable-storage.ts"
import { nodeDisk } from "../../runtime/storage/node-disk.ts"
import type { RecordedOperation } from "./workload.ts"

export interface CheckOutcome {
  readonly name: string
  readonly ok: boolean
  /** What was found: a count when ok, the first problems when not. */
  readonly detail: string
}

const tokensOf = (value: string | null): Array<string> => (value ?? "").split(";").filter((token) => token !== "")

/** Acknowledged appends present exactly once; nothing present that no client sent. */
export const checkAppends = (
  history: ReadonlyArray<RecordedOperation>,
  finalValues: ReadonlyMap<string, string | null>
): CheckOutcome => {
  const problems: Array<string> = []
  let acknowledged = 0
  for (const [key, value] of finalValues) {
    const appends = history.filter((entry) => entry.op.f === "append" && entry.op.key === key)
    const sent = new Set(appends.map((entry) => tokensOf((entry.op as { value: string }).value)[0]))
    const present = tokensOf(value)
    const counts = new Map<string, number>()
    for (const token of present) counts.set(token, (counts.get(token) ?? 0) + 1)
    for (const entry of appends) {
      if (entry.answer === undefined) continue
      acknowledged++
      const token = tokensOf((entry.op as { value: string }).value)[0]
      if (!counts.has(token)) problems.push(`${key}: the acknowledged append ${token} is missing`)
    }
    for (const [token, count] of counts) {
      if (count > 1) problems.push(`${key}: ${token} was applied ${count} times`)
      if (!sent.has(token)) problems.push(`${key}: ${token} was never sent`)
    }
  }
  return problems.length === 0
    ? { name: "acknowledged writes", ok: true, detail: `all ${acknowledged} acknowledged appends present, each once` }
    : { name: "acknowledged writes", ok: false, detail: problems.slice(0, 10).join("; ") }
}

/** The history in src/lincheck's terms (raft-kv: a cas carries [expected, new]). */
export const lincheckOperations = (history: ReadonlyArray<RecordedOperation>): Array<Operation<KvInput, KvOutput>> =>
  history.map((entry) => {
    const { op } = entry
    const value = op.f === "cas" ? [op.expected, op.value] : "value" in op ? op.value : undefined
    return {
      client: entry.client,
      input: { f: op.f, key: op.key, ...(value === undefined ? {} : { value }), ...(entry.session ? { session: entry.session } : {}) },
      call: entry.call,
      output: entry.answer === undefined ? Unknown : entry.answer.result,
      return: entry.return
    }
  })

export const checkLinearizable = (
  history: ReadonlyArray<RecordedOperation>,
  timeoutMs: number,
  /** The clock of the time budget (ms); tests pass one that counts. */
  now?: () => number
): { readonly outcome: CheckOutcome; readonly result: CheckResult<KvInput, KvOutput> } => {
  const operations = lincheckOperations(history)
  const options = { timeoutMs, verbose: true, ...(now ? { now } : {}) }
  const result = checkOperations(builtInModels["raft-kv"].model as never, operations, options) as CheckResult<KvInput, KvOutput>
  const keysWith = (verdict: string) =>
    result.partitions
      .filter((p) => p.verdict === verdict)
      .map((p) => JSON.stringify(p.operations[0]?.input.key))
      .join(", ")
  const detail =
    result.verdict === "ok"
      ? `${operations.length} operations, ${result.partitions.length} keys: linearizable`
      : result.verdict === "illegal"
        ? `not linearizable (key ${keysWith("illegal")})`
        : `undecided within ${timeoutMs / 1000} s (key ${keysWith("unknown")}; \`raft-tla lincheck --timeout SECONDS\` on the history gives the search longer)`
  return { outcome: { name: "linearizability", ok: result.verdict === "ok", detail }, result }
}

/** A node's whole log (compacted entries, then the rest), read from its data directory without changing it. */
export const readWholeLog = (dataDir: string): Promise<ReadonlyArray<Entry>> =>
  Effect.runPromise(
    makeNodeStorage(makeDurableStorage(dryRunDisk(nodeDisk), dataDir))
      .load()
      .pipe(Effect.map((state) => Array.from({ length: lastIndex(state) }, (_, k) => entryAt(state, k + 1))))
  )

const same = (a: Entry, b: Entry): boolean => a.term === b.term && a.value === b.value

/** The logs agree on 1..committed, and satisfy Log Matching everywhere. */
export const checkLogsAgree = (logs: ReadonlyMap<ServerId, ReadonlyArray<Entry>>, committed: number): CheckOutcome => {
  const problems: Array<string> = []
  const nodes = [...logs.keys()]
  for (const [id, log] of logs) if (log.length < committed) problems.push(`${id} holds ${log.length} entries, fewer than the ${committed} committed`)
  for (let a = 0; a < nodes.length; a++) {
    for (let b = a + 1; b < nodes.length; b++) {
      const x = logs.get(nodes[a])!
      const y = logs.get(nodes[b])!
      // Log Matching: from the last index where the terms agree, everything before agrees too.
      let k = Math.min(x.length, y.length)
      while (k > 0 && x[k - 1].term !== y[k - 1].term) k--
      const upTo = Math.max(k, Math.min(committed, x.length, y.length))
      for (let i = 0; i < upTo; i++) {
        if (!same(x[i], y[i])) {
          problems.push(`${nodes[a]} and ${nodes[b]} differ at index ${i + 1}: ${JSON.stringify(x[i])} vs ${JSON.stringify(y[i])}`)
          break
        }
      }
    }
  }
  const lengths = nodes.map((id) => `${id} ${logs.get(id)!.length}`).join(", ")
  return problems.length === 0
    ? { name: "logs agree", ok: true, detail: `${committed} committed entries identical on every node (log lengths: ${lengths})` }
    : { name: "logs agree", ok: false, detail: problems.slice(0, 10).join("; ") }
}

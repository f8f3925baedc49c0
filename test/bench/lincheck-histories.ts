/**
 * Heavy histories for the lincheck benchmark, from a simulated run: every client thinks, calls,
 * waits a latency, and the operation takes effect at a random instant inside its call; executing
 * the operations in the order of those instants gives each its output, so every history is
 * linearizable by construction. A "corrupt" case then changes one read near the middle to a value
 * never written. Seeded, so every run benchmarks the same histories.
 *
 * Concurrency (operations in flight at once) is about clients × latency / (latency + think):
 * that, not the length of the history, is what makes linearizability checking expensive.
 */
import { Unknown, type KvInput, type KvOutput, type ModelName, type Operation } from "../../src/lincheck/index.ts"

type Op = Operation<KvInput, KvOutput>

export interface Case {
  readonly model: ModelName
  readonly clients: number
  readonly operations: number
  readonly keys: number
  /** Mean time a client waits between operations; latency is 1..10, with a tail to 100. */
  readonly think: number
  /** Share of operations whose client gives up (Jepsen's :info): open to the end, output unknown. */
  readonly infoRate: number
  readonly corrupt: boolean
}

const cas = (think: number, infoRate: number, corrupt = false): Case => ({
  model: "cas-register",
  clients: 50,
  operations: 10_000,
  keys: 1,
  think,
  infoRate,
  corrupt
})
const kv = (model: ModelName, infoRate: number, corrupt = false): Case => ({
  model,
  clients: 50,
  operations: 100_000,
  keys: 10,
  think: 60,
  infoRate,
  corrupt
})

export const cases: Record<string, Case> = {
  "cas-50c-info": cas(200, 0.05),
  "cas-50c-info-busy": cas(60, 0.05),
  "cas-50c-bad": cas(200, 0, true),
  "cas-50c-info-bad": cas(200, 0.05, true),
  "kv-100k": kv("kv", 0.01),
  "kv-100k-bad": kv("kv", 0, true),
  "kv-100k-info-bad": kv("kv", 0.01, true),
  "raft-kv-100k": kv("raft-kv", 0.01)
}

/** mulberry32: a small seeded generator. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
}

interface Planned {
  readonly client: number
  readonly call: number
  readonly effect: number
  readonly ret: number
  readonly info: boolean
  readonly key: string
  readonly roll: number
  readonly v: number
}

export const generate = (spec: Case): Array<Op> => {
  const rand = random(42)
  // When each operation is called, takes effect and returns.
  const planned: Array<Planned> = []
  const clock = new Array<number>(spec.clients).fill(0)
  const process = Array.from({ length: spec.clients }, (_, c) => c)
  for (let i = 0; i < spec.operations; i++) {
    const c = i % spec.clients
    const call = clock[c] + Math.floor(rand() * 2 * spec.think)
    const latency = rand() < 0.02 ? 10 + Math.floor(rand() * 90) : 1 + Math.floor(rand() * 10)
    const effect = call + rand() * latency
    const info = rand() < spec.infoRate
    planned.push({ client: process[c], call, effect, ret: call + latency, info, key: `k${Math.floor(rand() * spec.keys)}`, roll: rand(), v: Math.floor(rand() * 5) })
    if (info) process[c] += spec.clients // Jepsen retires a process after :info
    clock[c] = call + latency
  }
  // Execute in the order the operations took effect.
  const cells = new Map<string, KvOutput>()
  const seqs = new Map<number, number>()
  const history: Array<Op> = []
  for (const p of [...planned].sort((a, b) => a.effect - b.effect)) {
    const cell = cells.get(p.key) ?? null
    let input: KvInput
    let output: KvOutput
    if (spec.model === "cas-register") {
      if (p.roll < 0.4) [input, output] = [{ f: "read" }, cell]
      else if (p.roll < 0.7) [input, output] = [{ f: "write", value: p.v }, null]
      else {
        const expected = (p.v + Math.floor(p.roll * 10)) % 5
        input = { f: "cas", value: [expected, p.v] }
        output = cell === expected
      }
      if (input.f === "write" || output === true) cells.set(p.key, p.v)
    } else {
      const letter = "abc"[p.v % 3]
      if (p.roll < 0.5) [input, output] = [{ f: "get", key: p.key }, cell]
      else if (p.roll < 0.8) [input, output] = [{ f: "put", key: p.key, value: letter }, null]
      else [input, output] = [{ f: "append", key: p.key, value: letter }, null]
      if (input.f === "put") cells.set(p.key, letter)
      if (input.f === "append") cells.set(p.key, cell === null ? letter : `${String(cell)}${letter}`)
      if (spec.model === "raft-kv") {
        const seq = (seqs.get(p.client) ?? 0) + 1
        seqs.set(p.client, seq)
        input = { ...input, session: { clientId: p.client, seq } }
      }
    }
    history.push(
      p.info
        ? { client: p.client, input, call: p.call, output: Unknown, return: Infinity }
        : { client: p.client, input, call: p.call, output, return: p.ret }
    )
  }
  history.sort((a, b) => a.call - b.call)
  if (spec.corrupt) {
    const reads = history.filter((op) => (op.input.f === "read" || op.input.f === "get") && op.output !== Unknown)
    const victim = reads[Math.floor(reads.length / 2)]
    history[history.indexOf(victim)] = { ...victim, output: spec.model === "cas-register" ? 77 : "zzz" }
  }
  return history
}

/** Mean number of returned operations in flight at once (pending ones are counted apart). */
export const concurrencyOf = (history: ReadonlyArray<Op>): number => {
  const returned = history.filter((op) => op.return !== Infinity)
  const busy = returned.reduce((sum, op) => sum + op.return - op.call, 0)
  return busy / (Math.max(...returned.map((op) => op.return)) - Math.min(...returned.map((op) => op.call)))
}

/**
 * Throughput of the value operations the model checker calls most. Prints ops/s; asserts nothing.
 * Run: npx tsx test/bench/values.ts
 */
import {
  compare,
  equals,
  fingerprint,
  FingerprintSet,
  int,
  intern,
  makeFunction,
  modelValue,
  record,
  setElements,
  setOf,
  stateFingerprint,
  str,
  tuple,
  except,
  type Value
} from "../../src/tla/values/index.ts"

function bench(name: string, ops: number, body: (i: number) => unknown): void {
  for (let i = 0; i < Math.min(ops, 10_000); i++) body(i) // warm up
  const start = process.hrtime.bigint()
  let sink = 0
  for (let i = 0; i < ops; i++) if (body(i)) sink++
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const rate = Math.round(ops / seconds)
  console.log(`${name.padEnd(52)} ${rate.toLocaleString("en-US").padStart(14)} ops/s  (${sink > -1 ? ops : 0} ops)`)
}

for (const name of ["n1", "n2", "n3", "state", "term", "log", "votes"]) intern(name)
const servers = ["n1", "n2", "n3"].map(modelValue)
const states = str("state")

/** A Raft-like per-server record, varied by i. */
const server = (i: number): Value =>
  record([
    ["state", str(["Follower", "Candidate", "Leader"][i % 3])],
    ["term", int(i % 7)],
    ["log", tuple(Array.from({ length: i % 5 }, (_, k) => int(k)))],
    ["votes", setOf(servers.slice(0, i % 4))]
  ])
const POOL = 512
const a = Array.from({ length: POOL }, (_, i) => server(i))
const b = Array.from({ length: POOL }, (_, i) => server(i))

console.log("value operations (one Node thread)")
bench("equals: equal records built apart", 1_000_000, (i) => equals(a[i % POOL], b[i % POOL]))
bench("equals: records that differ", 1_000_000, (i) => equals(a[i % POOL], b[(i + 1) % POOL]))
bench("compare: records", 1_000_000, (i) => compare(a[i % POOL], b[(i * 7) % POOL]) < 0)
bench("compare: small integers", 5_000_000, (i) => compare(int(i & 1023), int((i * 13) & 1023)) < 0)
bench("build + fingerprint a 3-server function of records", 200_000, (i) =>
  fingerprint(makeFunction(servers, [server(i), server(i + 1), server(i + 2)])).hi > 0
)
bench("fingerprint: cached value", 5_000_000, (i) => fingerprint(a[i % POOL]).lo > 0)
const state = [makeFunction(servers, [a[0], a[1], a[2]]), setOf([a[3], a[4]]), tuple([int(1), states])]
const out = { hi: 0, lo: 0 }
bench("stateFingerprint: 3 cached variables", 2_000_000, () => stateFingerprint(state, out).hi > 0)
bench("set: normalize 10 unsorted integers", 500_000, (i) =>
  setElements(setOf(Array.from({ length: 10 }, (_, k) => int((i * 31 + k * 17) % 50)))).length > 0
)
bench("set: normalize 8 records", 200_000, (i) => setElements(setOf(Array.from({ length: 8 }, (_, k) => a[(i + k * 37) % POOL]))).length > 0)
const f = makeFunction(servers, [a[0], a[1], a[2]])
bench("except: [f EXCEPT ![n2] = r]", 2_000_000, (i) => except(f, servers[1], a[i % POOL]) !== f)
const seen = new FingerprintSet()
bench("FingerprintSet.add (2M distinct)", 2_000_000, (i) => seen.add(Math.imul(i, 0x9e3779b1), i ^ 0x5bd1e995))

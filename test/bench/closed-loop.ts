/**
 * The closed-loop load of the cluster benchmarks (./cluster.ts, ./cluster-ab.ts): clients that each
 * send one request at a time, and what a phase of it measured.
 */
import { readFileSync } from "node:fs"
import { performance } from "node:perf_hooks"

export interface Phase {
  readonly ops: number
  /** CPU time per operation (µs): the servers' processes together, and this client process. */
  readonly serverCpuUs: number
  readonly clientCpuUs: number
  readonly seconds: number
  readonly p50: number
  readonly p99: number
  /** Requests answered, warm-up included. */
  readonly answered: number
  /** How the answers reached the client over the window; null with fewer than three bursts. */
  readonly bursts: Bursts | null
}

const quantile = (sorted: ReadonlyArray<number>, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]

/** The median of values in any order (the upper one of an even count). */
export const median = (values: ReadonlyArray<number>): number => quantile([...values].sort((a, b) => a - b), 0.5)

/** Events of the client closer together than this (ms) belong to one burst. */
export const BURST_GAP_MS = 1

/**
 * How a closed-loop client spent a window, medians over its bursts. A burst is a run of the
 * client's events (answers arriving, next requests sent) with less than BURST_GAP_MS between
 * neighbours: the client at work. Between bursts it waits for the servers. A leader that puts every
 * waiting command into one entry answers all clients at once, and the client then alternates one long
 * burst with one long wait; a system that keeps several batches in flight answers in smaller bursts
 * and the client waits less.
 */
export interface Bursts {
  /** Answers per burst. */
  readonly answers: number
  /** Time from a burst's first event to its last (ms). */
  readonly busyMs: number
  /** Time from a burst's last event to the next burst's first (ms). */
  readonly idleMs: number
}

/** One event of the client: a request sent, or an answer received, at a time in ms. */
export interface ClientEvent {
  readonly at: number
  readonly answer: boolean
}

/**
 * Cuts events (in time order) into bursts. The first and the last burst are left out: the window's
 * edges cut them short. Null when fewer than three bursts remain to describe.
 */
export const burstsOf = (events: ReadonlyArray<ClientEvent>, gapMs = BURST_GAP_MS): Bursts | null => {
  const bursts: Array<{ first: number; last: number; answers: number }> = []
  for (const event of events) {
    const current = bursts[bursts.length - 1]
    if (current === undefined || event.at - current.last >= gapMs) bursts.push({ first: event.at, last: event.at, answers: 0 })
    const burst = bursts[bursts.length - 1]
    burst.last = event.at
    if (event.answer) burst.answers++
  }
  // Each inner burst, with the wait that follows it (up to the next burst, which may be the last).
  const inner = bursts.slice(1, -1)
  if (inner.length < 3) return null
  return {
    answers: median(inner.map((burst) => burst.answers)),
    busyMs: median(inner.map((burst) => burst.last - burst.first)),
    idleMs: median(inner.map((burst, k) => bursts[k + 2].first - burst.last))
  }
}

/** Bursts in words, as both cluster benches print them. */
export const describeBursts = (bursts: Bursts | null): string =>
  bursts === null
    ? "too few bursts"
    : `${bursts.answers.toFixed(0)} answer${bursts.answers === 1 ? "" : "s"}, busy ${bursts.busyMs.toFixed(1)} ms then idle ${bursts.idleMs.toFixed(1)} ms`

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 elsewhere. */
export const cpuSecondsOf = (pid: number): number => {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
  } catch {
    return 0
  }
}
const CLOCK_TICKS = 100

/**
 * Runs `clients` closed loops of `request` (one request at a time each, the next as soon as the
 * answer comes) for `seconds` after `warmupSeconds`; latencies in ms, CPU of `pids` and of this process.
 */
export const measure = async (
  clients: number,
  request: (client: number) => Promise<unknown>,
  pids: ReadonlyArray<number>,
  { seconds, warmupSeconds }: { readonly seconds: number; readonly warmupSeconds: number }
): Promise<Phase> => {
  const latencies: Array<number> = []
  const events: Array<ClientEvent> = []
  let answered = 0
  const warmEnd = performance.now() + warmupSeconds * 1000
  const end = warmEnd + seconds * 1000
  let cpuAtStart: { servers: number; client: NodeJS.CpuUsage } | undefined
  let cpuAtEnd: { servers: number; client: NodeJS.CpuUsage } | undefined
  const cpuNow = () => ({ servers: pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0), client: process.cpuUsage() })
  const sampling = [
    setTimeout(() => (cpuAtStart = cpuNow()), warmupSeconds * 1000),
    setTimeout(() => (cpuAtEnd = cpuNow()), (warmupSeconds + seconds) * 1000)
  ]
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < end) {
        const started = performance.now()
        if (started >= warmEnd) events.push({ at: started, answer: false })
        await request(client)
        const done = performance.now()
        answered++
        if (done >= warmEnd && done <= end) events.push({ at: done, answer: true })
        if (started >= warmEnd && done <= end) latencies.push(done - started)
      }
    })
  )
  for (const timer of sampling) clearTimeout(timer)
  // The timer may not have fired yet when the last request of the window came back.
  cpuAtEnd ??= cpuNow()
  latencies.sort((a, b) => a - b)
  const perOp = (cpuSeconds: number) => (cpuSeconds * 1e6) / Math.max(1, latencies.length)
  const used = (from: typeof cpuAtStart, to: typeof cpuAtEnd) =>
    from === undefined || to === undefined
      ? { servers: NaN, client: NaN }
      : { servers: to.servers - from.servers, client: (to.client.user + to.client.system - from.client.user - from.client.system) / 1e6 }
  const cpu = used(cpuAtStart, cpuAtEnd)
  const serverCpuUs = perOp(cpu.servers)
  const clientCpuUs = perOp(cpu.client)
  return {
    ops: latencies.length,
    serverCpuUs,
    clientCpuUs,
    seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    answered,
    bursts: burstsOf(events)
  }
}

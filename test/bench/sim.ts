/**
 * Simulated steps per second of the pure core: 3 servers, all faults, with the invariant monitor
 * on and off. Run with `npx tsx test/bench/sim.ts [steps] [seeds]`; prints figures, asserts nothing.
 */
import { defaultOptions } from "../../src/sim/options.ts"
import { Simulator } from "../../src/sim/simulator.ts"

const steps = Number(process.argv[2] ?? 100_000)
const seeds = Number(process.argv[3] ?? 3)

const measure = (checkInvariants: boolean): Array<number> => {
  const rates: Array<number> = []
  for (let seed = 1; seed <= seeds; seed++) {
    const sim = new Simulator({ ...defaultOptions(seed), checkInvariants })
    const start = performance.now()
    sim.run(steps)
    const seconds = (performance.now() - start) / 1000
    if (sim.violation) throw new Error(`seed ${seed}: ${sim.violation.invariant} at step ${sim.violation.seq}`)
    rates.push(steps / seconds)
  }
  return rates.sort((a, b) => a - b)
}

// Warm the JIT up before measuring.
new Simulator(defaultOptions(0)).run(50_000)

const format = (rate: number) => Math.round(rate).toLocaleString("en-US")
for (const checkInvariants of [true, false]) {
  const rates = measure(checkInvariants)
  console.log(
    `invariants ${checkInvariants ? "on " : "off"}: median ${format(rates[Math.floor(rates.length / 2)])} steps/s ` +
      `(min ${format(rates[0])}, max ${format(rates[rates.length - 1])}; ${seeds} seeds x ${steps} steps, 3 servers, all faults)`
  )
}

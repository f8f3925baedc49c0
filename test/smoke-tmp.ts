import { Simulator } from "../src/sim/simulator.ts"
import { defaultOptions } from "../src/sim/options.ts"
let found = 0
for (let seed = 1; seed <= 40; seed++) {
  const sim = new Simulator({ ...defaultOptions(seed), crashRate: 0.005 })
  sim.run(100000)
  if (sim.violation) { found++; if (found < 3) console.log(seed, sim.violation.invariant, sim.violation.seq, sim.violation.detail) }
}
console.log("violations", found)

/**
 * The checker skips constraints, invariant conjuncts and action properties that cannot have
 * changed on a successor, and remembers the values they held for (src/tla/check/incremental.ts).
 * That must change nothing but the work: every spec here is checked both ways and must give the
 * same outcome, counts, counterexample and Print output.
 */
import { readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { explore } from "../../src/tla/check/explore.ts"
import { parseConfig } from "../../src/tla/eval/config.ts"
import { loadModel } from "../../src/tla/eval/spec.ts"
import { valueToString } from "../../src/tla/values/index.ts"
import { moduleText, writeSpec } from "./harness.ts"

const specs = fileURLToPath(new URL("./specs/", import.meta.url))

/** The result of checking a spec, with or without the incremental checks, in comparable form. */
const run = (specPath: string, cfgPath: string, incremental: boolean) => {
  const printed: string[] = []
  const model = loadModel(specPath, parseConfig(readFileSync(cfgPath, "utf8"), cfgPath), { print: (l) => void printed.push(l) })
  const r = explore(model, { incremental })
  return {
    outcome: r.outcome,
    violated: r.violated,
    message: r.message,
    counts: [r.generated, r.distinct, r.queue, r.depth],
    trace: r.trace.map((t) => [t.action, ...t.state.map((v) => (v === undefined ? "?" : valueToString(v)))]),
    printed
  }
}

const bothWays = (specPath: string, cfgPath: string) => {
  const plain = run(specPath, cfgPath, false)
  const skipping = run(specPath, cfgPath, true)
  expect(skipping).toEqual(plain)
  return skipping
}

const crafted = (name: string, units: string, cfg: string) => {
  const spec = writeSpec(name, moduleText(name, units), cfg)
  return bothWays(spec, spec.replace(/\.tla$/, ".cfg"))
}

describe("checking only what a step changed gives the results of checking everything", () => {
  for (const cfg of readdirSync(specs).filter((f) => f.endsWith(".cfg"))) {
    it(`test/tla/specs/${cfg}`, () => {
      const name = cfg.replace(/\.cfg$/, "")
      const tla = readdirSync(specs).includes(`${name}.tla`) ? name : name.replace(/Sym$/, "")
      const r = bothWays(`${specs}${tla}.tla`, `${specs}${cfg}`)
      expect(r.counts[1]).toBeGreaterThan(0)
    })
  }

  // x changes rarely, y often: the invariant on x is skipped on most steps and remembered on the
  // others, and must still be caught on the step where x reaches 3.
  const counter = `VARIABLES x, y
Init == x = 0 /\\ y = 0
Next == \\/ y' = (y + 1) % 4 /\\ UNCHANGED x
        \\/ y = 3 /\\ x' = x + 1 /\\ y' = 0
Small == x < 3
YBound == y < 4 /\\ x < 9`

  it("an invariant reading a rarely changed variable is caught where it fails", () => {
    const r = crafted("SlowCounter", counter, "INIT Init\nNEXT Next\nINVARIANT YBound Small\nCONSTRAINT YBound")
    expect(r.outcome).toBe("invariant")
    expect(r.violated).toBe("Small")
    expect(r.trace.length).toBe(13)
  })

  it("an invariant with Print is evaluated on every state (same output)", () => {
    const r = crafted("Printing", `${counter}\nShown == PrintT(x) /\\ x < 3`, "INIT Init\nNEXT Next\nINVARIANT Shown")
    expect(r.violated).toBe("Shown")
    expect(r.printed.length).toBe(13)
  })

  it("an invariant reading TLCGet(\"level\") is evaluated on every state", () => {
    const r = crafted("Levels", `${counter}\nShallow == TLCGet("level") < 7`, "INIT Init\nNEXT Next\nINVARIANT Shallow")
    expect(r.violated).toBe("Shallow")
    expect(r.trace.length).toBe(7)
  })

  it("an action property that fails only on some steps is caught on the first of them", () => {
    const r = crafted(
      "Steps",
      `${counter}\nBack == y = 2 /\\ x = 2 /\\ x' = 0 /\\ y' = y\nNext2 == Next \\/ Back\nGrows == [][x' >= x]_<<x, y>>`,
      "INIT Init\nNEXT Next2\nPROPERTY Grows"
    )
    expect(r.outcome).toBe("property")
    expect(r.violated).toBe("Grows")
  })
})

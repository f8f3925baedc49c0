/**
 * The trace-validation check: every step a run takes, as its trace line, is validated against the
 * unmutated spec/Raft.tla (src/validate), as soon as it is taken. A step the spec's action does not
 * allow, or a state that breaks the invariants of spec/Raft.cfg, fails the run at that step.
 */
import { relative } from "node:path"
import { fileURLToPath } from "node:url"
import { IncrementalValidation } from "../../validate/index.ts"
import type { RunCheck } from "./checks.ts"

/** The spec shipped with the code, wherever the command runs from. */
const RAFT_SPEC = fileURLToPath(new URL("../../../spec/Raft.tla", import.meta.url))

export const traceValidationCheck = (): RunCheck => {
  let validation: IncrementalValidation | null = null
  return {
    check: "trace-validation",
    onStep: (step) => {
      if (step.trace === null) throw new Error("the trace-validation check needs the run's trace (RunChecks.needsTrace)")
      // Reports name the spec as the user would, relative to where the command runs.
      validation ??= IncrementalValidation.start(step.trace.header, { spec: relative(process.cwd(), RAFT_SPEC), name: "the run's trace" })
      if (validation.failure !== undefined) return validation.report()
      return validation.step(step.trace.line) === undefined ? null : validation.report()
    }
  }
}

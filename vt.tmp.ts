import { checkTraceAgainstSpec } from "/work/rt-cluster/test/cluster/spec-steps.ts"
const t0 = Date.now()
const r = checkTraceAgainstSpec(process.argv[2])
console.log(r.steps, r.failure, [...r.actions].join(","), Date.now() - t0, "ms")

/**
 * fast-check settings for the runtime's properties: RAFT_TLA_RUNS sets the number of runs (default
 * `defaultRuns`), RAFT_TLA_SEED replays a seed. The seed is printed so any run can be reproduced.
 */
export const propertySettings = (name: string, defaultRuns: number): { seed: number; numRuns: number } => {
  const numRuns = Number(process.env.RAFT_TLA_RUNS ?? defaultRuns)
  const seed = process.env.RAFT_TLA_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.RAFT_TLA_SEED)
  console.log(`[${name}] fast-check seed=${seed} runs=${numRuns} (replay: RAFT_TLA_SEED=${seed})`)
  return { seed, numRuns }
}

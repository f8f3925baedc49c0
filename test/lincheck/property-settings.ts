/**
 * fast-check settings for the lincheck properties: the run count is RAFT_TLA_RUNS when set (else a
 * CI-sized default per property), the seed RAFT_TLA_SEED when set (else fresh). The seed is
 * printed so that any run can be replayed.
 */
export const propertySettings = (name: string, defaultRuns: number): { seed: number; numRuns: number } => {
  const numRuns = process.env.RAFT_TLA_RUNS ? Number(process.env.RAFT_TLA_RUNS) : defaultRuns
  const seed = process.env.RAFT_TLA_SEED ? Number(process.env.RAFT_TLA_SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0
  console.log(`[lincheck] ${name}: seed=${seed} runs=${numRuns} (replay with RAFT_TLA_SEED=${seed})`)
  return { seed, numRuns }
}

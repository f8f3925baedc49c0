/**
 * The pure Raft core: one transition per action of spec/Raft.tla, no I/O, no clock, no randomness.
 */
export * from "./bugs.ts"
export * from "./compaction.ts"
export * from "./config.ts"
export * from "./election.ts"
export * from "./message.ts"
export * from "./network.ts"
export * from "./receive.ts"
export * from "./replication.ts"
export * from "./restart.ts"
export * from "./spec-state.ts"
export * from "./state.ts"
export * from "./step.ts"
export * from "./tla-json.ts"
export * from "./trace.ts"
export * from "./trace-delta.ts"

/**
 * The messages servers exchange (spec: the records in the bag `messages`). Field names are the
 * spec's without its leading "m"; src/raft/spec-state.ts maps one onto the other.
 */
import { Schema } from "effect"
import { ServerId } from "./config.ts"
import { Entry } from "./state.ts"

const envelope = { term: Schema.Int, source: ServerId, dest: ServerId }

export const RequestVoteRequest = Schema.Struct({
  type: Schema.Literal("RequestVoteRequest"),
  ...envelope,
  lastLogTerm: Schema.Int,
  lastLogIndex: Schema.Int
})
export type RequestVoteRequest = typeof RequestVoteRequest.Type

export const RequestVoteResponse = Schema.Struct({
  type: Schema.Literal("RequestVoteResponse"),
  ...envelope,
  voteGranted: Schema.Boolean
})
export type RequestVoteResponse = typeof RequestVoteResponse.Type

export const AppendEntriesRequest = Schema.Struct({
  type: Schema.Literal("AppendEntriesRequest"),
  ...envelope,
  prevLogIndex: Schema.Int,
  prevLogTerm: Schema.Int,
  entries: Schema.Array(Entry),
  commitIndex: Schema.Int
})
export type AppendEntriesRequest = typeof AppendEntriesRequest.Type

/** Also the answer to an InstallSnapshotRequest, so the leader has one handler for both. */
export const AppendEntriesResponse = Schema.Struct({
  type: Schema.Literal("AppendEntriesResponse"),
  ...envelope,
  success: Schema.Boolean,
  matchIndex: Schema.Int
})
export type AppendEntriesResponse = typeof AppendEntriesResponse.Type

export const InstallSnapshotRequest = Schema.Struct({
  type: Schema.Literal("InstallSnapshotRequest"),
  ...envelope,
  lastIncludedIndex: Schema.Int,
  lastIncludedTerm: Schema.Int,
  /** The compacted entries 1..lastIncludedIndex the snapshot stands for. */
  snapshot: Schema.Array(Entry)
})
export type InstallSnapshotRequest = typeof InstallSnapshotRequest.Type

export const Message = Schema.Union([
  RequestVoteRequest,
  RequestVoteResponse,
  AppendEntriesRequest,
  AppendEntriesResponse,
  InstallSnapshotRequest
])
export type Message = typeof Message.Type

/**
 * Why a node could not answer a client's command. None of them says the command was not applied:
 * only that this attempt has no answer, so the client retries with the same session.
 */
import { Data } from "effect"
import type { ServerId } from "../raft/index.ts"

/** The node is not the leader; `leader` is the leader it last heard from in its term, if any. */
export class NotLeader extends Data.TaggedError("NotLeader")<{ readonly leader: ServerId | null }> {}

/** The node crashed while the command waited, or was down when it came. */
export class NodeDown extends Data.TaggedError("NodeDown")<{ readonly server: ServerId }> {}

/** The command's entry was replaced by another leader's, or folded into a snapshot unanswered. */
export class Lost extends Data.TaggedError("Lost")<{ readonly index: number }> {}

export type SubmitError = NotLeader | NodeDown | Lost

----------------------- MODULE MCBugVoteNotPersisted ------------------------
(***************************************************************************)
(* The bug vote-not-persisted (src/raft/bugs.ts) as a mutation of the      *)
(* spec: a vote is not durable when it is sent, so a crash may lose it and *)
(* the server comes back as if it had not voted in its current term.       *)
(* MCBugVoteNotPersisted.cfg substitutes it for Restart.                   *)
(***************************************************************************)
EXTENDS MCRaft

\* Restart, except that votedFor may come back as Nil.
BuggyRestart(i) ==
    /\ state' = [state EXCEPT ![i] = "Follower"]
    /\ commitIndex' = [commitIndex EXCEPT ![i] = snapshotIndex[i]]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ nextIndex' = [nextIndex EXCEPT ![i] = [j \in Server |-> 1]]
    /\ matchIndex' = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]
    /\ votedFor' \in {votedFor, [votedFor EXCEPT ![i] = Nil]}
    /\ UNCHANGED <<currentTerm, log, snapshotIndex, snapshotTerm, snapshotLog, messages>>
=============================================================================

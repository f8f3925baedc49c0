---------------------- MODULE MCBugVoteWithoutLogCheck ----------------------
(***************************************************************************)
(* The bug vote-without-log-check (src/raft/bugs.ts) as a mutation of the  *)
(* spec: a vote is granted without the election restriction. The .cfg     *)
(* substitutes it for HandleRequestVoteRequest.                            *)
(***************************************************************************)
EXTENDS MCRaft

\* HandleRequestVoteRequest with logOk taken as TRUE.
BuggyHandleRequestVoteRequest(i, j, m) ==
    LET grant == /\ m.mterm = currentTerm[i]
                 /\ votedFor[i] \in {Nil, j}
    IN  /\ m.mtype = "RequestVoteRequest"
        /\ m.mterm <= currentTerm[i]
        /\ votedFor' = [votedFor EXCEPT ![i] = IF grant THEN j ELSE votedFor[i]]
        /\ Reply([mtype        |-> "RequestVoteResponse",
                  mterm        |-> currentTerm[i],
                  mvoteGranted |-> grant,
                  msource      |-> i,
                  mdest        |-> j],
                 m)
        /\ UNCHANGED <<currentTerm, log, snapshotIndex, snapshotTerm, snapshotLog, volatileVars>>
=============================================================================

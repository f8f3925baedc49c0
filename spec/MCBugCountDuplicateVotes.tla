---------------------- MODULE MCBugCountDuplicateVotes ----------------------
(***************************************************************************)
(* The bug count-duplicate-votes (src/raft/bugs.ts) as a mutation of the   *)
(* spec. The spec keeps a candidate's votes as a set, whose size is what   *)
(* IsQuorum counts. The buggy implementation counts a list, so a vote      *)
(* that arrives twice raises the count twice. Here a vote already counted  *)
(* raises the count by adding a server that has not voted: the set's size  *)
(* is then the list's length. The .cfg substitutes it for                  *)
(* HandleRequestVoteResponse.                                              *)
(***************************************************************************)
EXTENDS MCRaft

BuggyHandleRequestVoteResponse(i, j, m) ==
    LET counted == votesGranted[i]
        notVoted == Server \ counted
        again == IF j \in counted /\ notVoted # {}
                 THEN {CHOOSE k \in notVoted : TRUE}
                 ELSE {j}
    IN  /\ m.mtype = "RequestVoteResponse"
        /\ m.mterm <= currentTerm[i]
        /\ votesGranted' = [votesGranted EXCEPT ![i] =
                               IF m.mterm = currentTerm[i] /\ m.mvoteGranted
                               THEN counted \cup again
                               ELSE counted]
        /\ Discard(m)
        /\ UNCHANGED <<persistentVars, state, commitIndex, nextIndex, matchIndex>>
=============================================================================

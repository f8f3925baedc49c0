---------------------- MODULE MCBugCommitPreviousTerm -----------------------
(***************************************************************************)
(* The bug commit-previous-term (src/raft/bugs.ts) as a mutation of the    *)
(* spec: a leader commits the highest index a quorum holds whatever the    *)
(* term of its entry. MCBugCommitPreviousTerm.cfg substitutes it for      *)
(* AdvanceCommitIndex; Raft.tla itself is not changed.                     *)
(***************************************************************************)
EXTENDS MCRaft

\* AdvanceCommitIndex without the conjunct TermAt(i, highest) = currentTerm[i].
BuggyAdvanceCommitIndex(i) ==
    LET Agree(k) == {i} \cup {j \in Server : matchIndex[i][j] >= k}
        agreed == {k \in (commitIndex[i] + 1)..LastIndex(i) : IsQuorum(Agree(k))}
        highest == IF agreed = {} THEN 0 ELSE CHOOSE k \in agreed : \A l \in agreed : l <= k
    IN  /\ state[i] = "Leader"
        /\ agreed # {}
        /\ commitIndex' = [commitIndex EXCEPT ![i] = highest]
        /\ UNCHANGED <<persistentVars, state, votesGranted, nextIndex, matchIndex, messages>>
=============================================================================

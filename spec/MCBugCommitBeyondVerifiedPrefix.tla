------------------- MODULE MCBugCommitBeyondVerifiedPrefix ------------------
(***************************************************************************)
(* The bug commit-beyond-verified-prefix (src/raft/bugs.ts) as a mutation  *)
(* of the spec: a server that refuses AppendEntries of its current term    *)
(* (the consistency check failed) still takes the leader's commitIndex, up *)
(* to its own last index. The .cfg substitutes it for                      *)
(* HandleAppendEntriesRequest.                                             *)
(***************************************************************************)
EXTENDS MCRaft

\* HandleAppendEntriesRequest, with commitIndex moved on a refusal too.
BuggyHandleAppendEntriesRequest(i, j, m) ==
    LET prev == m.mprevLogIndex
        n == Len(m.mentries)
        logOk == \/ prev = 0
                 \/ /\ prev <= LastIndex(i)
                    /\ m.mprevLogTerm = TermAt(i, prev)
        accept == m.mterm = currentTerm[i] /\ logOk
        fresh == {k \in 1..n : /\ prev + k > snapshotIndex[i]
                               /\ \/ prev + k > LastIndex(i)
                                  \/ TermAt(i, prev + k) # m.mentries[k].term}
        first == CHOOSE k \in fresh : \A l \in fresh : k <= l
        kept == SubSeq(log[i], 1, prev + first - 1 - snapshotIndex[i])
    IN  /\ m.mtype = "AppendEntriesRequest"
        /\ m.mterm <= currentTerm[i]
        /\ m.mterm = currentTerm[i] => state[i] # "Leader"
        /\ state' = [state EXCEPT ![i] = IF m.mterm = currentTerm[i] THEN "Follower" ELSE state[i]]
        /\ IF accept
           THEN /\ log' = [log EXCEPT ![i] = IF fresh = {}
                                             THEN log[i]
                                             ELSE kept \o SubSeq(m.mentries, first, n)]
                /\ commitIndex' = [commitIndex EXCEPT ![i] = Max(commitIndex[i], Min(m.mcommitIndex, prev + n))]
                /\ Reply([mtype       |-> "AppendEntriesResponse",
                          mterm       |-> currentTerm[i],
                          msuccess    |-> TRUE,
                          mmatchIndex |-> prev + n,
                          msource     |-> i,
                          mdest       |-> j],
                         m)
           ELSE /\ Reply([mtype       |-> "AppendEntriesResponse",
                          mterm       |-> currentTerm[i],
                          msuccess    |-> FALSE,
                          mmatchIndex |-> 0,
                          msource     |-> i,
                          mdest       |-> j],
                         m)
                /\ commitIndex' = [commitIndex EXCEPT ![i] =
                       IF m.mterm = currentTerm[i]
                       THEN Max(commitIndex[i], Min(m.mcommitIndex, LastIndex(i)))
                       ELSE commitIndex[i]]
                /\ UNCHANGED log
        /\ UNCHANGED <<currentTerm, votedFor, snapshotIndex, snapshotTerm, snapshotLog,
                       votesGranted, nextIndex, matchIndex>>
=============================================================================

--------------------- MODULE MCBugAcceptStaleTermAppend ---------------------
(***************************************************************************)
(* The bug accept-stale-term-append (src/raft/bugs.ts) as a mutation of    *)
(* the spec: a server accepts AppendEntries from a leader of an older term *)
(* as if it were current. The .cfg substitutes it for                      *)
(* HandleAppendEntriesRequest.                                             *)
(***************************************************************************)
EXTENDS MCRaft

\* HandleAppendEntriesRequest, with accept not asking for the current term.
BuggyHandleAppendEntriesRequest(i, j, m) ==
    LET prev == m.mprevLogIndex
        n == Len(m.mentries)
        logOk == \/ prev = 0
                 \/ /\ prev <= LastIndex(i)
                    /\ m.mprevLogTerm = TermAt(i, prev)
        accept == logOk
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
                /\ UNCHANGED <<log, commitIndex>>
        /\ UNCHANGED <<currentTerm, votedFor, snapshotIndex, snapshotTerm, snapshotLog,
                       votesGranted, nextIndex, matchIndex>>
=============================================================================

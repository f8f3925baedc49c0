--------------------- MODULE MCBugStaleSnapshotInstall ----------------------
(***************************************************************************)
(* The bug stale-snapshot-install (src/raft/bugs.ts) as a mutation of the  *)
(* spec: a server that installs a snapshot discards its whole log, even    *)
(* the entries after the snapshot's last one when it holds that entry.     *)
(* The .cfg substitutes it for HandleInstallSnapshotRequest.               *)
(***************************************************************************)
EXTENDS MCRaft

\* HandleInstallSnapshotRequest with holdsLast taken as FALSE.
BuggyHandleInstallSnapshotRequest(i, j, m) ==
    LET last == m.mlastIncludedIndex
        newer == last > snapshotIndex[i]
        accept == m.mterm = currentTerm[i]
    IN  /\ m.mtype = "InstallSnapshotRequest"
        /\ m.mterm <= currentTerm[i]
        /\ m.mterm = currentTerm[i] => state[i] # "Leader"
        /\ state' = [state EXCEPT ![i] = IF accept THEN "Follower" ELSE state[i]]
        /\ IF accept /\ newer
           THEN /\ log' = [log EXCEPT ![i] = <<>>]
                /\ snapshotIndex' = [snapshotIndex EXCEPT ![i] = last]
                /\ snapshotTerm' = [snapshotTerm EXCEPT ![i] = m.mlastIncludedTerm]
                /\ snapshotLog' = [snapshotLog EXCEPT ![i] = m.msnapshotLog]
                /\ commitIndex' = [commitIndex EXCEPT ![i] = Max(commitIndex[i], last)]
           ELSE UNCHANGED <<log, snapshotIndex, snapshotTerm, snapshotLog, commitIndex>>
        /\ Reply([mtype       |-> "AppendEntriesResponse",
                  mterm       |-> currentTerm[i],
                  msuccess    |-> accept,
                  mmatchIndex |-> IF accept THEN last ELSE 0,
                  msource     |-> i,
                  mdest       |-> j],
                 m)
        /\ UNCHANGED <<currentTerm, votedFor, votesGranted, nextIndex, matchIndex>>
=============================================================================

-------------------------------- MODULE Raft --------------------------------
(***************************************************************************)
(* The Raft consensus protocol with log compaction, as implemented by the  *)
(* pure core in src/raft. Every action below has a TypeScript function of  *)
(* the same name in camelCase; traces name these actions step by step.    *)
(*                                                                         *)
(* The network is a bag of messages, so a message can be delivered in any  *)
(* order, duplicated or dropped. Servers crash and restart (Restart) and   *)
(* keep only their persistent state. There are no model-checking bounds in *)
(* this module: MCRaft.tla adds them.                                      *)
(***************************************************************************)
EXTENDS Naturals, Integers, Sequences, FiniteSets, Bags, TLC

\* The servers, the values clients may submit, and a value that is neither.
CONSTANTS Server, Value, Nil

----------------------------------------------------------------------------
\* Persistent state: survives Restart.
VARIABLES
    currentTerm,    \* currentTerm[i]: the latest term server i has seen
    votedFor,       \* votedFor[i]: the server i voted for in currentTerm[i], or Nil
    log,            \* log[i]: the entries after i's snapshot; each is [term |-> t, value |-> v]
    snapshotIndex,  \* snapshotIndex[i]: the index of the last entry i has compacted
    snapshotTerm,   \* snapshotTerm[i]: the term of that entry (0 when nothing is compacted)
    snapshotLog     \* snapshotLog[i]: the compacted entries 1..snapshotIndex[i] (the applied prefix)

\* Volatile state: reset by Restart.
VARIABLES
    state,          \* state[i]: "Follower", "Candidate" or "Leader"
    commitIndex,    \* commitIndex[i]: the highest index i knows to be committed
    votesGranted,   \* votesGranted[i]: the servers that voted for candidate i in its term
    nextIndex,      \* nextIndex[i][j]: the next entry leader i will send to j
    matchIndex      \* matchIndex[i][j]: the highest index leader i knows j has replicated

\* The network: a bag (function from message record to a positive count).
VARIABLE messages

persistentVars == <<currentTerm, votedFor, log, snapshotIndex, snapshotTerm, snapshotLog>>
volatileVars == <<state, commitIndex, votesGranted, nextIndex, matchIndex>>
vars == <<persistentVars, volatileVars, messages>>

----------------------------------------------------------------------------
\* Logs. Index k of server i's log is either compacted (k <= snapshotIndex[i])
\* or held in log[i] at position k - snapshotIndex[i]. Every operator that
\* reads a log goes through these, so compaction is invisible to the rest.

LastIndex(i) == snapshotIndex[i] + Len(log[i])

LastTerm(i) == IF Len(log[i]) > 0 THEN log[i][Len(log[i])].term ELSE snapshotTerm[i]

\* Entry k of i's whole log, 1 <= k <= LastIndex(i).
EntryAt(i, k) == IF k <= snapshotIndex[i]
                 THEN snapshotLog[i][k]
                 ELSE log[i][k - snapshotIndex[i]]

\* The term of entry k, with 0 standing for the empty prefix.
TermAt(i, k) == IF k = 0 THEN 0 ELSE EntryAt(i, k).term

\* i's whole log: the compacted prefix followed by the retained entries.
FullLog(i) == snapshotLog[i] \o log[i]

Min(a, b) == IF a < b THEN a ELSE b
Max(a, b) == IF a > b THEN a ELSE b

IsQuorum(S) == Cardinality(S) * 2 > Cardinality(Server)

----------------------------------------------------------------------------
\* The network. Counts stay positive, as the Bags module requires.

WithMessage(m, msgs) ==
    IF m \in DOMAIN msgs
    THEN [msgs EXCEPT ![m] = @ + 1]
    ELSE msgs @@ (m :> 1)

WithoutMessage(m, msgs) ==
    IF msgs[m] = 1
    THEN [k \in (DOMAIN msgs) \ {m} |-> msgs[k]]
    ELSE [msgs EXCEPT ![m] = @ - 1]

Send(m) == messages' = WithMessage(m, messages)

Discard(m) == messages' = WithoutMessage(m, messages)

\* Consume request m and send its response in one step.
Reply(response, m) == messages' = WithMessage(response, WithoutMessage(m, messages))

----------------------------------------------------------------------------
Init ==
    /\ currentTerm = [i \in Server |-> 0]
    /\ votedFor = [i \in Server |-> Nil]
    /\ log = [i \in Server |-> <<>>]
    /\ snapshotIndex = [i \in Server |-> 0]
    /\ snapshotTerm = [i \in Server |-> 0]
    /\ snapshotLog = [i \in Server |-> <<>>]
    /\ state = [i \in Server |-> "Follower"]
    /\ commitIndex = [i \in Server |-> 0]
    /\ votesGranted = [i \in Server |-> {}]
    /\ nextIndex = [i \in Server |-> [j \in Server |-> 1]]
    /\ matchIndex = [i \in Server |-> [j \in Server |-> 0]]
    /\ messages = EmptyBag

----------------------------------------------------------------------------
\* Server i crashes and comes back: volatile state is lost. Everything up to
\* the snapshot was committed, so commitIndex restarts there.
Restart(i) ==
    /\ state' = [state EXCEPT ![i] = "Follower"]
    /\ commitIndex' = [commitIndex EXCEPT ![i] = snapshotIndex[i]]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ nextIndex' = [nextIndex EXCEPT ![i] = [j \in Server |-> 1]]
    /\ matchIndex' = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]
    /\ UNCHANGED <<persistentVars, messages>>

\* Server i has heard from no leader for too long and stands for election,
\* voting for itself in a new term.
Timeout(i) ==
    /\ state[i] \in {"Follower", "Candidate"}
    /\ state' = [state EXCEPT ![i] = "Candidate"]
    /\ currentTerm' = [currentTerm EXCEPT ![i] = currentTerm[i] + 1]
    /\ votedFor' = [votedFor EXCEPT ![i] = i]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
    /\ UNCHANGED <<log, snapshotIndex, snapshotTerm, snapshotLog, commitIndex,
                   nextIndex, matchIndex, messages>>

\* Candidate i asks server j for its vote.
RequestVote(i, j) ==
    /\ i # j
    /\ state[i] = "Candidate"
    /\ Send([mtype        |-> "RequestVoteRequest",
             mterm        |-> currentTerm[i],
             mlastLogTerm  |-> LastTerm(i),
             mlastLogIndex |-> LastIndex(i),
             msource      |-> i,
             mdest        |-> j])
    /\ UNCHANGED <<persistentVars, volatileVars>>

\* Candidate i has the votes of a quorum.
BecomeLeader(i) ==
    /\ state[i] = "Candidate"
    /\ IsQuorum(votesGranted[i])
    /\ state' = [state EXCEPT ![i] = "Leader"]
    /\ nextIndex' = [nextIndex EXCEPT ![i] = [j \in Server |-> LastIndex(i) + 1]]
    /\ matchIndex' = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]
    /\ UNCHANGED <<persistentVars, commitIndex, votesGranted, messages>>

\* Leader i appends client value v to its log.
ClientRequest(i, v) ==
    /\ state[i] = "Leader"
    /\ log' = [log EXCEPT ![i] = Append(log[i], [term |-> currentTerm[i], value |-> v])]
    /\ UNCHANGED <<currentTerm, votedFor, snapshotIndex, snapshotTerm, snapshotLog,
                   volatileVars, messages>>

\* Leader i commits the highest index a quorum holds, but only when that
\* entry is of i's current term: counting replicas of an older term's entry
\* is not enough (Raft paper, section 5.4.2 and Figure 8). Older entries
\* are committed with it, by the Log Matching property.
AdvanceCommitIndex(i) ==
    LET Agree(k) == {i} \cup {j \in Server : matchIndex[i][j] >= k}
        agreed == {k \in (commitIndex[i] + 1)..LastIndex(i) : IsQuorum(Agree(k))}
        highest == IF agreed = {} THEN 0 ELSE CHOOSE k \in agreed : \A l \in agreed : l <= k
    IN  /\ state[i] = "Leader"
        /\ agreed # {}
        /\ TermAt(i, highest) = currentTerm[i]
        /\ commitIndex' = [commitIndex EXCEPT ![i] = highest]
        /\ UNCHANGED <<persistentVars, state, votesGranted, nextIndex, matchIndex, messages>>

\* Leader i sends j the entries from nextIndex[i][j] on (possibly none, as a
\* heartbeat). Needs the entry before them, so not below i's snapshot.
AppendEntries(i, j) ==
    LET prevLogIndex == nextIndex[i][j] - 1
    IN  /\ i # j
        /\ state[i] = "Leader"
        /\ prevLogIndex >= snapshotIndex[i]
        /\ Send([mtype         |-> "AppendEntriesRequest",
                 mterm         |-> currentTerm[i],
                 mprevLogIndex |-> prevLogIndex,
                 mprevLogTerm  |-> TermAt(i, prevLogIndex),
                 mentries      |-> SubSeq(log[i], prevLogIndex - snapshotIndex[i] + 1, Len(log[i])),
                 mcommitIndex  |-> commitIndex[i],
                 msource       |-> i,
                 mdest         |-> j])
        /\ UNCHANGED <<persistentVars, volatileVars>>

\* Leader i sends j its snapshot, because j needs entries i has compacted.
InstallSnapshot(i, j) ==
    /\ i # j
    /\ state[i] = "Leader"
    /\ nextIndex[i][j] <= snapshotIndex[i]
    /\ Send([mtype              |-> "InstallSnapshotRequest",
             mterm              |-> currentTerm[i],
             mlastIncludedIndex |-> snapshotIndex[i],
             mlastIncludedTerm  |-> snapshotTerm[i],
             msnapshotLog       |-> snapshotLog[i],
             msource            |-> i,
             mdest              |-> j])
    /\ UNCHANGED <<persistentVars, volatileVars>>

\* Server i compacts its log up to its commitIndex.
TakeSnapshot(i) ==
    LET upto == commitIndex[i] - snapshotIndex[i]
    IN  /\ upto > 0
        /\ snapshotLog' = [snapshotLog EXCEPT ![i] = snapshotLog[i] \o SubSeq(log[i], 1, upto)]
        /\ snapshotIndex' = [snapshotIndex EXCEPT ![i] = commitIndex[i]]
        /\ snapshotTerm' = [snapshotTerm EXCEPT ![i] = log[i][upto].term]
        /\ log' = [log EXCEPT ![i] = SubSeq(log[i], upto + 1, Len(log[i]))]
        /\ UNCHANGED <<currentTerm, votedFor, volatileVars, messages>>

----------------------------------------------------------------------------
\* Message handlers. Server i receives m from j. A message of a newer term
\* first moves its receiver to that term (UpdateTerm) and stays in the bag;
\* the handlers below then see a message of the receiver's term or older.

UpdateTerm(i, j, m) ==
    /\ m.mterm > currentTerm[i]
    /\ currentTerm' = [currentTerm EXCEPT ![i] = m.mterm]
    /\ state' = [state EXCEPT ![i] = "Follower"]
    /\ votedFor' = [votedFor EXCEPT ![i] = Nil]
    /\ UNCHANGED <<log, snapshotIndex, snapshotTerm, snapshotLog, commitIndex,
                   votesGranted, nextIndex, matchIndex, messages>>

\* i grants its vote when it has not voted for another server in this term
\* and j's log is at least as up-to-date as its own (section 5.4.1).
HandleRequestVoteRequest(i, j, m) ==
    LET logOk == \/ m.mlastLogTerm > LastTerm(i)
                 \/ /\ m.mlastLogTerm = LastTerm(i)
                    /\ m.mlastLogIndex >= LastIndex(i)
        grant == /\ m.mterm = currentTerm[i]
                 /\ logOk
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

\* A vote of i's current term counts; a response of an older term is discarded.
HandleRequestVoteResponse(i, j, m) ==
    /\ m.mtype = "RequestVoteResponse"
    /\ m.mterm <= currentTerm[i]
    /\ votesGranted' = [votesGranted EXCEPT ![i] =
                           IF m.mterm = currentTerm[i] /\ m.mvoteGranted
                           THEN votesGranted[i] \cup {j}
                           ELSE votesGranted[i]]
    /\ Discard(m)
    /\ UNCHANGED <<persistentVars, state, commitIndex, nextIndex, matchIndex>>

\* i accepts the entries when its log holds the entry before them. Entries i
\* already has are kept; from the first one that is new or conflicts, i's log
\* is replaced by the leader's entries (a conflicting entry and everything
\* after it are deleted). Entries at or below i's snapshot are committed and
\* are never touched. A request of an older term is refused, which tells its
\* sender about the newer term; a candidate of the same term steps down.
HandleAppendEntriesRequest(i, j, m) ==
    LET prev == m.mprevLogIndex
        n == Len(m.mentries)
        logOk == \/ prev = 0
                 \/ /\ prev <= LastIndex(i)
                    /\ m.mprevLogTerm = TermAt(i, prev)
        accept == m.mterm = currentTerm[i] /\ logOk
        \* offsets into m.mentries that i does not hold yet
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

\* Leader i learns how far j's log matches its own, or backs off one entry.
\* Responses reordered by the network must not move matchIndex back.
HandleAppendEntriesResponse(i, j, m) ==
    LET current == m.mterm = currentTerm[i] /\ state[i] = "Leader"
    IN  /\ m.mtype = "AppendEntriesResponse"
        /\ m.mterm <= currentTerm[i]
        /\ IF current /\ m.msuccess
           THEN /\ nextIndex' = [nextIndex EXCEPT ![i][j] = Max(@, m.mmatchIndex + 1)]
                /\ matchIndex' = [matchIndex EXCEPT ![i][j] = Max(@, m.mmatchIndex)]
           ELSE /\ nextIndex' = [nextIndex EXCEPT ![i][j] = IF current THEN Max(@ - 1, 1) ELSE @]
                /\ UNCHANGED matchIndex
        /\ Discard(m)
        /\ UNCHANGED <<persistentVars, state, commitIndex, votesGranted>>

\* i installs the leader's snapshot unless it already has a snapshot at
\* least as new. When i holds the snapshot's last entry, the entries after
\* it are kept; otherwise i's whole log is replaced by the snapshot. The
\* response is an AppendEntriesResponse, so the leader needs no new handler.
HandleInstallSnapshotRequest(i, j, m) ==
    LET last == m.mlastIncludedIndex
        newer == last > snapshotIndex[i]
        holdsLast == last <= LastIndex(i) /\ TermAt(i, last) = m.mlastIncludedTerm
        accept == m.mterm = currentTerm[i]
    IN  /\ m.mtype = "InstallSnapshotRequest"
        /\ m.mterm <= currentTerm[i]
        /\ m.mterm = currentTerm[i] => state[i] # "Leader"
        /\ state' = [state EXCEPT ![i] = IF accept THEN "Follower" ELSE state[i]]
        /\ IF accept /\ newer
           THEN /\ log' = [log EXCEPT ![i] = IF holdsLast
                                             THEN SubSeq(log[i], last - snapshotIndex[i] + 1, Len(log[i]))
                                             ELSE <<>>]
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

\* Exactly one of these is enabled for a message in the bag, except for a
\* leader receiving a request of its own term, which cannot happen.
Receive(m) ==
    LET i == m.mdest
        j == m.msource
    IN  \/ UpdateTerm(i, j, m)
        \/ HandleRequestVoteRequest(i, j, m)
        \/ HandleRequestVoteResponse(i, j, m)
        \/ HandleAppendEntriesRequest(i, j, m)
        \/ HandleAppendEntriesResponse(i, j, m)
        \/ HandleInstallSnapshotRequest(i, j, m)

----------------------------------------------------------------------------
\* Network faults.

DuplicateMessage(m) ==
    /\ Send(m)
    /\ UNCHANGED <<persistentVars, volatileVars>>

DropMessage(m) ==
    /\ Discard(m)
    /\ UNCHANGED <<persistentVars, volatileVars>>

----------------------------------------------------------------------------
Next ==
    \/ \E i \in Server : Restart(i)
    \/ \E i \in Server : Timeout(i)
    \/ \E i, j \in Server : RequestVote(i, j)
    \/ \E i \in Server : BecomeLeader(i)
    \/ \E i \in Server, v \in Value : ClientRequest(i, v)
    \/ \E i \in Server : AdvanceCommitIndex(i)
    \/ \E i, j \in Server : AppendEntries(i, j)
    \/ \E i, j \in Server : InstallSnapshot(i, j)
    \/ \E i \in Server : TakeSnapshot(i)
    \/ \E m \in DOMAIN messages : Receive(m)
    \/ \E m \in DOMAIN messages : DuplicateMessage(m)
    \/ \E m \in DOMAIN messages : DropMessage(m)

Spec == Init /\ [][Next]_vars

----------------------------------------------------------------------------
\* Invariants. Logs are compared whole, compacted prefix included.

TypeOK ==
    /\ \A i \in Server :
        /\ currentTerm[i] \in Nat
        /\ votedFor[i] \in Server \cup {Nil}
        /\ state[i] \in {"Follower", "Candidate", "Leader"}
        /\ snapshotIndex[i] = Len(snapshotLog[i])
        /\ snapshotTerm[i] = TermAt(i, snapshotIndex[i])
        /\ commitIndex[i] \in snapshotIndex[i]..LastIndex(i)
        /\ votesGranted[i] \subseteq Server
        /\ \A j \in Server : nextIndex[i][j] \in Nat /\ nextIndex[i][j] >= 1
        /\ \A j \in Server : matchIndex[i][j] \in Nat
        /\ \A k \in 1..LastIndex(i) : EntryAt(i, k).term \in Nat
    /\ \A m \in DOMAIN messages : messages[m] \in Nat /\ messages[m] > 0

\* At most one leader per term.
ElectionSafety ==
    \A i, j \in Server :
        (state[i] = "Leader" /\ state[j] = "Leader" /\ currentTerm[i] = currentTerm[j]) => i = j

\* Two logs with an entry of the same index and term agree up to that index.
LogMatching ==
    \A i, j \in Server :
        \A k \in 1..Min(LastIndex(i), LastIndex(j)) :
            TermAt(i, k) = TermAt(j, k) =>
                \A l \in 1..k : EntryAt(i, l) = EntryAt(j, l)

\* Whatever j knows to be committed is in the log of every leader of j's
\* term or a later one: it was committed in a term no later than j's, by
\* that term's leader or before it.
LeaderCompleteness ==
    \A i \in Server : state[i] = "Leader" =>
        \A j \in Server : currentTerm[j] <= currentTerm[i] =>
            /\ commitIndex[j] <= LastIndex(i)
            /\ \A k \in 1..commitIndex[j] : EntryAt(i, k) = EntryAt(j, k)

\* No two servers have committed different entries at the same index.
StateMachineSafety ==
    \A i, j \in Server :
        \A k \in 1..Min(commitIndex[i], commitIndex[j]) : EntryAt(i, k) = EntryAt(j, k)

----------------------------------------------------------------------------
\* Action properties.

IsPrefix(s, t) == Len(s) <= Len(t) /\ SubSeq(t, 1, Len(s)) = s

CurrentTermMonotonic ==
    [][\A i \in Server : currentTerm'[i] >= currentTerm[i]]_vars

\* While i stays leader of the same term its whole log only grows.
LeaderAppendOnly ==
    [][\A i \in Server :
          (/\ state[i] = "Leader"
           /\ state'[i] = "Leader"
           /\ currentTerm'[i] = currentTerm[i])
          => IsPrefix(FullLog(i), FullLog(i)')]_vars

\* Only a crash takes commitIndex back (to the snapshot index).
CommitIndexMonotonic ==
    [][\A i \in Server : commitIndex'[i] >= commitIndex[i] \/ Restart(i)]_vars

=============================================================================

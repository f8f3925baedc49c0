------------------------------- MODULE MCRaft -------------------------------
(***************************************************************************)
(* Finite models of Raft for model checking. Raft.tla has no bounds; they  *)
(* all live here: terms, log lengths and the network are cut off by the    *)
(* state constraint below, and the client values are a small set of model *)
(* values given in the .cfg file.                                          *)
(***************************************************************************)
EXTENDS Raft

CONSTANTS
    MaxTerm,        \* no server goes beyond this term
    MaxLogLen,      \* no log grows beyond this many entries (compacted ones included)
    MaxMessages,    \* at most this many distinct messages in flight
    MaxCopies       \* at most this many copies of one message in flight

\* States outside the bounds are still checked against the invariants, but
\* never expanded.
StateConstraint ==
    /\ \A i \in Server : currentTerm[i] <= MaxTerm
    /\ \A i \in Server : LastIndex(i) <= MaxLogLen
    /\ Cardinality(DOMAIN messages) <= MaxMessages
    /\ \A m \in DOMAIN messages : messages[m] <= MaxCopies

\* Servers are interchangeable, and so are client values.
Symmetry == Permutations(Server) \cup Permutations(Value)

\* Next on a cluster that does not fail: no server crashes, and the network
\* neither loses nor duplicates a message (it still delivers in any order).
\* Models of bugs that need no faults are much smaller with it.
ReliableNext ==
    \/ \E i \in Server : Timeout(i)
    \/ \E i, j \in Server : RequestVote(i, j)
    \/ \E i \in Server : BecomeLeader(i)
    \/ \E i \in Server, v \in Value : ClientRequest(i, v)
    \/ \E i \in Server : AdvanceCommitIndex(i)
    \/ \E i, j \in Server : AppendEntries(i, j)
    \/ \E i, j \in Server : InstallSnapshot(i, j)
    \/ \E i \in Server : TakeSnapshot(i)
    \/ \E m \in DOMAIN messages : Receive(m)

=============================================================================

------------------------------- MODULE Voting -------------------------------
(* A Paxos-like voting protocol: acceptors join ballots in increasing order *)
(* and vote for one value per ballot; a value is chosen when a majority     *)
(* votes for it in one ballot. A vote is only cast for a value that is safe *)
(* at that ballot: some majority promised no earlier ballot could choose    *)
(* anything else.                                                            *)
EXTENDS Naturals, FiniteSets

CONSTANTS Acceptor, Value, MaxBallot

Ballot == 0..MaxBallot
Quorum == {Q \in SUBSET Acceptor : 2 * Cardinality(Q) > Cardinality(Acceptor)}

VARIABLES votes, maxBal

Init == /\ votes = [a \in Acceptor |-> {}]
        /\ maxBal = [a \in Acceptor |-> -1]

VotedFor(a, b, v) == <<b, v>> \in votes[a]

ChosenAt(b, v) == \E Q \in Quorum : \A a \in Q : VotedFor(a, b, v)

Chosen == {v \in Value : \E b \in Ballot : ChosenAt(b, v)}

DidNotVoteAt(a, b) == \A v \in Value : ~VotedFor(a, b, v)

CannotVoteAt(a, b) == maxBal[a] > b /\ DidNotVoteAt(a, b)

NoneOtherChoosableAt(b, v) ==
    \E Q \in Quorum : \A a \in Q : VotedFor(a, b, v) \/ CannotVoteAt(a, b)

SafeAt(b, v) == \A c \in 0..(b - 1) : NoneOtherChoosableAt(c, v)

IncreaseMaxBal(a, b) == /\ b > maxBal[a]
                        /\ maxBal' = [maxBal EXCEPT ![a] = b]
                        /\ UNCHANGED votes

VoteFor(a, b, v) == /\ maxBal[a] <= b
                    /\ DidNotVoteAt(a, b)
                    /\ \A c \in Acceptor \ {a} : \A w \in Value : VotedFor(c, b, w) => w = v
                    /\ SafeAt(b, v)
                    /\ votes' = [votes EXCEPT ![a] = @ \cup {<<b, v>>}]
                    /\ maxBal' = [maxBal EXCEPT ![a] = b]

Next == \E a \in Acceptor, b \in Ballot :
            \/ IncreaseMaxBal(a, b)
            \/ \E v \in Value : VoteFor(a, b, v)

OneValuePerBallot == \A a1, a2 \in Acceptor, b \in Ballot, v1, v2 \in Value :
                         VotedFor(a1, b, v1) /\ VotedFor(a2, b, v2) => v1 = v2

Consistency == Cardinality(Chosen) <= 1
=============================================================================

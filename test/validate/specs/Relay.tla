------------------------------- MODULE Relay -------------------------------
(* A spec that is not Raft, for the trace validator's own tests: nodes send *)
(* each other amounts through a bag of messages; a receiver adds the amount *)
(* to its total. Totals stay within a bound.                               *)
EXTENDS Naturals, TLC

CONSTANTS Node, Max

VARIABLES total, inbox

vars == <<total, inbox>>

Init ==
    /\ total = [n \in Node |-> 0]
    /\ inbox = [m \in {} |-> 0]

Put(m, bag) == IF m \in DOMAIN bag THEN [bag EXCEPT ![m] = @ + 1] ELSE bag @@ (m :> 1)

Take(m, bag) == IF bag[m] = 1 THEN [k \in DOMAIN bag \ {m} |-> bag[k]] ELSE [bag EXCEPT ![m] = @ - 1]

Send(from, to, amount) ==
    /\ from # to
    /\ amount \in 1..Max
    /\ inbox' = Put([to |-> to, amount |-> amount], inbox)
    /\ UNCHANGED total

Receive(m) ==
    /\ total' = [total EXCEPT ![m.to] = @ + m.amount]
    /\ inbox' = Take(m, inbox)

Lose(m) ==
    /\ inbox' = Take(m, inbox)
    /\ UNCHANGED total

Next ==
    \/ \E from, to \in Node, amount \in 1..Max : Send(from, to, amount)
    \/ \E m \in DOMAIN inbox : Receive(m) \/ Lose(m)

Bounded == \A n \in Node : total[n] <= 5

=============================================================================

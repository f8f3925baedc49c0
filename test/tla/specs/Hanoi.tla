------------------------------- MODULE Hanoi --------------------------------
(* Towers of Hanoi with N discs. Each tower is a sequence, bottom first.    *)
(* NotSolved is meant to fail: its counterexample is a shortest solution.   *)
EXTENDS Naturals, Sequences

CONSTANT N

VARIABLE towers

Last(s) == s[Len(s)]

CanPut(d, t) == IF t = <<>> THEN TRUE ELSE Last(t) > d

Init == towers = <<[i \in 1..N |-> N + 1 - i], <<>>, <<>>>>

Move(from, to) ==
    /\ towers[from] # <<>>
    /\ CanPut(Last(towers[from]), towers[to])
    /\ towers' = [towers EXCEPT ![from] = SubSeq(@, 1, Len(@) - 1),
                                ![to] = Append(@, Last(towers[from]))]

Next == \E from \in 1..3, to \in 1..3 : from # to /\ Move(from, to)

TypeOK == \A t \in 1..3 : towers[t] \in Seq(1..N)

NotSolved == Len(towers[3]) < N
=============================================================================

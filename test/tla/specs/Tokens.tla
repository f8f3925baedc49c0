------------------------------- MODULE Tokens -------------------------------
(* Processes pass a single token around and each counts its turns (mod 2). *)
(* Processes are interchangeable: Tokens.cfg checks with SYMMETRY.          *)
EXTENDS Naturals, TLC

CONSTANT Proc

VARIABLES holder, turns

Init == /\ holder \in Proc
        /\ turns = [p \in Proc |-> 0]

Pass(p, q) == /\ holder = p
              /\ p # q
              /\ holder' = q
              /\ turns' = [turns EXCEPT ![q] = (@ + 1) % 2]

Next == \E p, q \in Proc : Pass(p, q)

Sym == Permutations(Proc)

TypeOK == holder \in Proc /\ turns \in [Proc -> 0..1]
=============================================================================

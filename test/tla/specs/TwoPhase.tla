------------------------------ MODULE TwoPhase ------------------------------
(* Two-phase commit: resource managers prepare or abort on their own; the  *)
(* coordinator commits once all have prepared. Messages are records kept   *)
(* in a set that only grows.                                                *)
EXTENDS Naturals, FiniteSets

CONSTANT RM

VARIABLES rm, coord, prepared, msgs

Init == /\ rm = [r \in RM |-> "working"]
        /\ coord = "init"
        /\ prepared = {}
        /\ msgs = {}

Prepare(r) == /\ rm[r] = "working"
              /\ rm' = [rm EXCEPT ![r] = "prepared"]
              /\ msgs' = msgs \cup {[type |-> "prepared", from |-> r]}
              /\ UNCHANGED <<coord, prepared>>

QuitEarly(r) == /\ rm[r] = "working"
                /\ rm' = [rm EXCEPT ![r] = "aborted"]
                /\ UNCHANGED <<coord, prepared, msgs>>

Collect(r) == /\ coord = "init"
              /\ [type |-> "prepared", from |-> r] \in msgs
              /\ prepared' = prepared \cup {r}
              /\ UNCHANGED <<rm, coord, msgs>>

Decide == /\ coord = "init"
          /\ \/ /\ prepared = RM
                /\ coord' = "commit"
                /\ msgs' = msgs \cup {[type |-> "commit"]}
             \/ /\ coord' = "abort"
                /\ msgs' = msgs \cup {[type |-> "abort"]}
          /\ UNCHANGED <<rm, prepared>>

Learn(r) == /\ rm[r] \in {"working", "prepared"}
            /\ \E m \in msgs : m.type \in {"commit", "abort"} /\
                 rm' = [rm EXCEPT ![r] = IF m.type = "commit" THEN "committed" ELSE "aborted"]
            /\ UNCHANGED <<coord, prepared, msgs>>

Next == Decide \/ \E r \in RM : Prepare(r) \/ QuitEarly(r) \/ Collect(r) \/ Learn(r)

Consistent == \A r1, r2 \in RM : ~(rm[r1] = "committed" /\ rm[r2] = "aborted")

TypeOK == /\ rm \in [RM -> {"working", "prepared", "committed", "aborted"}]
          /\ prepared \subseteq RM
          /\ Cardinality(msgs) <= Cardinality(RM) + 1
=============================================================================

------------------------------ MODULE Pipeline ------------------------------
(* Two bounded queues in a row, through INSTANCE ... WITH: items 0 or 1     *)
(* enter the first queue, move to the second and leave. Delivered counts    *)
(* the items that left, capped at 3.                                         *)
EXTENDS Naturals, Sequences

VARIABLES inQ, outQ, delivered

A == INSTANCE Queue WITH q <- inQ, Items <- {0, 1}, Cap <- 2
B == INSTANCE Queue WITH q <- outQ, Items <- {0, 1}, Cap <- 1

Init == A!Empty /\ B!Empty /\ delivered = 0

Put == \E x \in {0, 1} : A!Enq(x) /\ UNCHANGED <<outQ, delivered>>

Move == /\ ~A!Empty
        /\ B!Enq(A!Front)
        /\ A!Deq
        /\ UNCHANGED delivered

Take == /\ B!Deq
        /\ delivered' = IF delivered < 3 THEN delivered + 1 ELSE 3
        /\ UNCHANGED inQ

Next == Put \/ Move \/ Take

TypeOK == A!TypeOK /\ B!TypeOK /\ delivered \in 0..3
=============================================================================

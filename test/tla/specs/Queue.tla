------------------------------- MODULE Queue --------------------------------
(* A bounded FIFO queue; instantiated twice by Pipeline.tla.                *)
EXTENDS Naturals, Sequences

CONSTANTS Items, Cap

VARIABLE q

Empty == q = <<>>

Enq(x) == /\ Len(q) < Cap
          /\ q' = Append(q, x)

Deq == /\ q # <<>>
       /\ q' = Tail(q)

Front == Head(q)

TypeOK == q \in Seq(Items) /\ Len(q) <= Cap
=============================================================================

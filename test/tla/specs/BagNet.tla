------------------------------- MODULE BagNet -------------------------------
(* A network that may duplicate or lose messages, kept as a bag. A sender   *)
(* emits "ping" and "pong" messages; the receiver counts up to 3 receipts. *)
EXTENDS Naturals, Bags

VARIABLES net, got, sent

Init == net = EmptyBag /\ got = 0 /\ sent = 0

Send == /\ sent < 2
        /\ \E m \in {"ping", "pong"} : net' = net (+) SetToBag({m})
        /\ sent' = sent + 1
        /\ UNCHANGED got

Duplicate == /\ \E m \in BagToSet(net) : CopiesIn(m, net) < 2 /\ net' = net (+) SetToBag({m})
             /\ UNCHANGED <<got, sent>>

Receive == /\ got < 3
           /\ \E m \in BagToSet(net) : net' = net (-) SetToBag({m})
           /\ got' = got + 1
           /\ UNCHANGED sent

Next == Send \/ Duplicate \/ Receive

Bounded == BagCardinality(net) <= 4 /\ got <= 3 /\ IsABag(net)
=============================================================================

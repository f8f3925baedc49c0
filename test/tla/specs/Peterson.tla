------------------------------ MODULE Peterson ------------------------------
(* Peterson's mutual exclusion for two processes, one atomic step per line. *)
EXTENDS Naturals

VARIABLES pc, flag, turn

vars == <<pc, flag, turn>>

Other(i) == 1 - i

Init == /\ pc = [i \in {0, 1} |-> "idle"]
        /\ flag = [i \in {0, 1} |-> FALSE]
        /\ turn = 0

Want(i) == /\ pc[i] = "idle"
           /\ flag' = [flag EXCEPT ![i] = TRUE]
           /\ pc' = [pc EXCEPT ![i] = "yield"]
           /\ UNCHANGED turn

Yield(i) == /\ pc[i] = "yield"
            /\ turn' = Other(i)
            /\ pc' = [pc EXCEPT ![i] = "wait"]
            /\ UNCHANGED flag

Enter(i) == /\ pc[i] = "wait"
            /\ ~flag[Other(i)] \/ turn = i
            /\ pc' = [pc EXCEPT ![i] = "cs"]
            /\ UNCHANGED <<flag, turn>>

Leave(i) == /\ pc[i] = "cs"
            /\ flag' = [flag EXCEPT ![i] = FALSE]
            /\ pc' = [pc EXCEPT ![i] = "idle"]
            /\ UNCHANGED turn

Next == \E i \in {0, 1} : Want(i) \/ Yield(i) \/ Enter(i) \/ Leave(i)

MutualExclusion == ~(pc[0] = "cs" /\ pc[1] = "cs")

TurnStable == [][turn' # turn => \E i \in {0, 1} : pc[i] = "yield"]_vars
=============================================================================

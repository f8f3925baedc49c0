------------------------------- MODULE Recur --------------------------------
(* Recursion: a RECURSIVE operator, a recursive function over 0..n and one *)
(* over Nat, used by a counter that walks the Fibonacci numbers below 100.  *)
EXTENDS Naturals, Sequences

RECURSIVE Sum(_)
Sum(s) == IF s = <<>> THEN 0 ELSE Head(s) + Sum(Tail(s))

fib[n \in 0..20] == IF n < 2 THEN n ELSE fib[n - 1] + fib[n - 2]

fact[n \in Nat] == IF n = 0 THEN 1 ELSE n * fact[n - 1]

ASSUME Sum(<<1, 2, 3, 4>>) = 10 /\ fib[10] = 55 /\ fact[5] = 120

VARIABLES k, seen

Init == k = 1 /\ seen = <<>>

Next == /\ fib[k] < 100
        /\ k' = k + 1
        /\ seen' = Append(seen, fib[k])

SumOK == Sum(seen) = fib[k + 1] - 1
=============================================================================

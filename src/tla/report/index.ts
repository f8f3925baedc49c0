/**
 * TLC's output texts, as pure functions from data to strings: statistics lines (statistics.ts),
 * error/warning/liveness messages (messages.ts), trace states (trace.ts), the variable order of
 * printed states (variable-order.ts), number/time formats (numbers.ts) and exit codes.
 */
export * from "./exit-codes.ts"
export * from "./messages.ts"
export * from "./numbers.ts"
export * from "./statistics.ts"
export * from "./trace.ts"
export * from "./variable-order.ts"

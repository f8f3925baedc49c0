/**
 * TLA+ values as TLC sees them. This is the API the parser, evaluator, model checker and trace
 * checker build on; it knows nothing about Raft.
 *
 * ## Building values (value.ts)
 *   Booleans and integers are plain JS booleans and numbers (int(n) checks the 32-bit range)
 *   str(s), modelValue(name)
 *   setOf([...])                      `{a, b}` as written; normalized lazily
 *   setFromCanonical([...])           elements already in TLC order, no duplicates
 *   interval(lo, hi), NAT, INT, STRING, BOOLEAN, EMPTY_SET
 *   subsetOf(S), functionSet(S, T), recordSet([["a", S], ...]), product([S, T]), seqSet(S)
 *   tuple([...]), EMPTY_TUPLE, record([["a", v], ...])
 *   makeFunction(domain, values)      any finite function, in its canonical form (functions.ts)
 * Every other value is an object with a numeric `kind` (Kind.Str, Kind.Set, ...); kindOf(v)
 * covers all values, isSet(v) / isFunction(v) / isStr(v) / isModelValue(v) test the families.
 * A function with domain 1..n is always a TupleValue, one with a non-empty string domain a
 * RecordValue, anything else a FcnValue; `<<>>` is the empty function.
 *
 * ## Strings and TLC's order (intern.ts)
 *   beginInterning()    fresh table with TLC_STARTUP_NAMES, for a new model
 *   intern(name)        the loader registers names in TLC's order: .cfg model values/strings
 *                       (ModelConfig.internNames), root module identifiers in text order, other
 *                       modules' identifiers, then string literals not used as identifiers
 *   internTable()       the current table (ids are TLC's order for strings and model values)
 *
 * ## Semantics
 *   equals(a, b), compare(a, b)                          order.ts (TLC errors as EvalError)
 *   contains(S, v), setElements(S), setSize(S), cardinality(v), enumerate(S),
 *   union, intersection, difference, isSubset, bigUnion   sets.ts
 *   apply(f, x), selectField(r, "f"), domainOf(f), except(f, x, v), inDomain, entries,
 *   positionInDomain(domain, x) (where x is or would go in a canonical domain)        functions.ts
 *   plus, minus, negate, times, div, mod, pow, lessThan, ..., range                    arith.ts
 *   colonGreater, atAt, permutations, sortSeq, toStringValue, printLine, printTLine    tlc-module.ts
 *   setToBag, bagToSet, bagIn, copiesIn, bagAdd, bagSub, bagUnion, isSubBag, ...       bags.ts
 *
 * ## Printing
 *   valueToString(v)   one line, exactly as TLC prints it             print.ts
 *   prettyValue(v)     TLC's 80-column layout (traces, messages)       pretty.ts
 *
 * ## Fingerprints, states, symmetry
 *   fingerprint(v) {hi, lo}, fingerprint64(v) bigint, stateFingerprint(values, out?)
 *   FingerprintSet (add(hi, lo) -> new?)                               fingerprint-set.ts
 *   permutationsOf(symmetrySet), permute(v, perm), canonicalState, symmetricFingerprint
 *
 * ## JSON (trace files)
 *   toJson(v), fromJson(json, path?) -> JsonValueError naming the JSON path
 *
 * Errors: operations TLC rejects throw EvalError whose message is TLC's text.
 */
export * from "./arith.ts"
export * from "./bags.ts"
export * from "./errors.ts"
export * from "./fingerprint-set.ts"
export * from "./fingerprint.ts"
export * from "./functions.ts"
export * from "./intern.ts"
export * from "./json.ts"
export * from "./order.ts"
export * from "./pretty.ts"
export * from "./print.ts"
export * from "./sets.ts"
export * from "./symmetry.ts"
export * from "./tlc-module.ts"
export * from "./value.ts"

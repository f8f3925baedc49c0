/**
 * The order TLC prints a state's variables in (TLC-FACTS §6): neither declaration order nor
 * alphabetical, but the order of SANY's module context, a java.util.Hashtable: ascending
 * bucket `(String.hashCode(name) & 0x7fffffff) % capacity`, ties in declaration order.
 * The capacity depends on how many symbols the context holds; it was 191 for ordinary modules
 * and 383 for one with 200 extra definitions.
 */

/** Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 units, as a 32-bit int. */
export function javaStringHashCode(s: string): number {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0
  return h
}

/** The capacity TLC had for ordinary modules. */
export const DEFAULT_CONTEXT_CAPACITY = 191

/**
 * The capacity of a java.util.Hashtable created with the default capacity (11) and load factor
 * (0.75) after `entries` insertions: it grows to 2c+1 whenever an insertion finds it holding at
 * least 0.75c entries. 72 to 143 entries give 191; 144 to 287 give 383.
 */
export function hashtableCapacity(entries: number): number {
  let capacity = 11
  let threshold = Math.floor(capacity * 0.75)
  for (let count = 0; count < entries; count++) {
    if (count >= threshold) {
      capacity = capacity * 2 + 1
      threshold = Math.floor(capacity * 0.75)
    }
  }
  return capacity
}

/** The variables in the order TLC prints them, given their declaration order. */
export function variablePrintOrder(declared: readonly string[], capacity = DEFAULT_CONTEXT_CAPACITY): string[] {
  const bucket = (name: string): number => (javaStringHashCode(name) & 0x7fffffff) % capacity
  return declared
    .map((name, position) => ({ name, position, bucket: bucket(name) }))
    .sort((a, b) => a.bucket - b.bucket || a.position - b.position)
    .map((v) => v.name)
}

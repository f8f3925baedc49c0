/**
 * An immutable map from keys to values, kept sorted by key, so that two stores holding the same
 * entries are equal whatever order they were written in. A model's state must be immutable: the
 * search keeps old states on its stack and in its cache. The hash is a sum over entries, kept up
 * to date on each `set`, because the search hashes a state after every step.
 */
import type { Value } from "../value.ts"

type Entry<V> = readonly [key: string, value: V, hash: number]

const textHash = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h
}

export class Store<V> {
  private constructor(
    private readonly entries: ReadonlyArray<Entry<V>>,
    private readonly hashOf: (value: V) => number,
    /** Sum of the entries' hashes. */
    readonly hash: number
  ) {}

  static empty<V>(hashOf: (value: V) => number): Store<V> {
    return new Store<V>([], hashOf, 0)
  }

  /** The text a key is stored under: keys `1` and `"1"` stay apart. */
  static keyText(key: Value): string {
    return typeof key === "string" ? `"${key}` : JSON.stringify(key)
  }

  get size(): number {
    return this.entries.length
  }

  private find(text: string): number {
    let low = 0
    let high = this.entries.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (this.entries[mid][0] < text) low = mid + 1
      else high = mid
    }
    return low
  }

  get(key: Value): V | undefined {
    const text = Store.keyText(key)
    const at = this.find(text)
    return at < this.entries.length && this.entries[at][0] === text ? this.entries[at][1] : undefined
  }

  /** A store with `key` set to `value`, or removed when `value` is undefined. */
  set(key: Value, value: V | undefined): Store<V> {
    const text = Store.keyText(key)
    const at = this.find(text)
    const present = at < this.entries.length && this.entries[at][0] === text
    if (!present && value === undefined) return this
    const entries = this.entries.slice()
    let hash = this.hash
    if (present) hash -= this.entries[at][2]
    if (value === undefined) {
      entries.splice(at, 1)
    } else {
      const entryHash = Math.imul(textHash(text) ^ this.hashOf(value), 0x9e3779b1)
      hash += entryHash
      if (present) entries[at] = [text, value, entryHash]
      else entries.splice(at, 0, [text, value, entryHash])
    }
    return new Store(entries, this.hashOf, hash | 0)
  }

  equals(other: Store<V>, valueEquals: (a: V, b: V) => boolean): boolean {
    if (this.hash !== other.hash || this.entries.length !== other.entries.length) return false
    return this.entries.every(([k, v], i) => other.entries[i][0] === k && valueEquals(v, other.entries[i][1]))
  }

  describe(describeValue: (value: V) => string): string {
    return `{${this.entries.map(([k, v]) => `${k.startsWith('"') ? JSON.stringify(k.slice(1)) : k}: ${describeValue(v)}`).join(", ")}}`
  }
}

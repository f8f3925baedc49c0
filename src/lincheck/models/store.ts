/**
 * An immutable map from keys to values, small and sorted, so that two stores holding the same
 * entries are equal and hash alike whatever order they were written in. A model's state must be
 * immutable: the search keeps old states on its stack and in its cache.
 */
import type { Value } from "../value.ts"

export class Store<V> {
  private constructor(private readonly entries: ReadonlyArray<readonly [string, V]>) {}

  static empty<V>(): Store<V> {
    return new Store<V>([])
  }

  /** The text a key is stored under: keys `1` and `"1"` stay apart. */
  static keyText(key: Value): string {
    return JSON.stringify(key)
  }

  get size(): number {
    return this.entries.length
  }

  get(key: Value): V | undefined {
    const text = Store.keyText(key)
    return this.entries.find(([k]) => k === text)?.[1]
  }

  /** A store with `key` set to `value`, or removed when `value` is undefined. */
  set(key: Value, value: V | undefined): Store<V> {
    const text = Store.keyText(key)
    const kept = this.entries.filter(([k]) => k !== text)
    if (value === undefined) return kept.length === this.entries.length ? this : new Store(kept)
    kept.push([text, value])
    kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return new Store(kept)
  }

  equals(other: Store<V>, valueEquals: (a: V, b: V) => boolean): boolean {
    if (this.entries.length !== other.entries.length) return false
    return this.entries.every(([k, v], i) => other.entries[i][0] === k && valueEquals(v, other.entries[i][1]))
  }

  hash(hashValue: (value: V) => number): number {
    let h = 0x3c6ef372
    for (const [k, v] of this.entries) {
      for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193)
      h = Math.imul(h ^ hashValue(v), 0x01000193)
    }
    return h | 0
  }

  describe(describeValue: (value: V) => string): string {
    return `{${this.entries.map(([k, v]) => `${k}: ${describeValue(v)}`).join(", ")}}`
  }
}

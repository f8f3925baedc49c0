/**
 * The distinct states found so far, in discovery order (which is breadth-first order, so the
 * queue of states to expand is a range of it), each with the state it was reached from, its
 * level and the sub-action that produced it. Parents, levels and actions sit in typed arrays,
 * outside the JavaScript heap, whose size limit bounds how many states fit.
 */
import type { Value } from "../values/index.ts"

export type StoredState = ReadonlyArray<Value | undefined>

export class StateTable {
  readonly #states: StoredState[] = []
  /** Per state: parent index (-1 for initial states), level, sub-action index (-1 initial). */
  #links = new Int32Array(3 * 4096)

  get size(): number {
    return this.#states.length
  }

  /** Stores a state; returns its index. */
  add(state: StoredState, parent: number, level: number, action: number): number {
    const i = this.#states.length
    if (3 * i + 3 > this.#links.length) {
      const grown = new Int32Array(this.#links.length * 2)
      grown.set(this.#links)
      this.#links = grown
    }
    this.#links[3 * i] = parent
    this.#links[3 * i + 1] = level
    this.#links[3 * i + 2] = action
    this.#states.push(state)
    return i
  }

  state(i: number): StoredState {
    return this.#states[i]
  }

  parent(i: number): number {
    return this.#links[3 * i]
  }

  level(i: number): number {
    return this.#links[3 * i + 1]
  }

  action(i: number): number {
    return this.#links[3 * i + 2]
  }
}

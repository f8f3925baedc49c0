/**
 * Shrinking a failing script by delta debugging (Zeller and Hildebrandt's ddmin, the complement
 * variant): drop ever smaller chunks of commands while the run still fails the same check.
 * Replays are deterministic, so every candidate is judged by actually running it.
 */
import type { Script } from "../../runtime/cluster/script.ts"

export const shrinkScript = async (
  script: Script,
  stillFails: (candidate: Script) => Promise<boolean>,
  /** Stop trying at this time (performance.now()), keeping the smallest failing script so far. */
  deadline: number
): Promise<Script> => {
  let current = script
  let chunks = 2
  while (current.length >= 2 && performance.now() < deadline) {
    const size = Math.ceil(current.length / chunks)
    let reduced = false
    for (let start = 0; start < current.length && performance.now() < deadline; start += size) {
      const candidate = [...current.slice(0, start), ...current.slice(start + size)]
      if (await stillFails(candidate)) {
        current = candidate
        chunks = Math.max(chunks - 1, 2)
        reduced = true
        break
      }
    }
    if (!reduced) {
      if (chunks >= current.length) break
      chunks = Math.min(chunks * 2, current.length)
    }
  }
  return current
}

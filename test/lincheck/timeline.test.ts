import { describe, expect, it } from "vitest"
import { builtInModels, checkOperations, Unknown, type KvInput, type KvOutput, type Operation } from "../../src/lincheck/index.ts"
import { renderTimeline } from "../../src/lincheck/timeline.ts"

type Op = Operation<KvInput, KvOutput>
const model = builtInModels.register.model
const count = (page: string, text: string): number => page.split(text).length - 1

describe("the HTML timeline", () => {
  it("marks the stuck operation and numbers the partial linearization", () => {
    const history: Array<Op> = [
      { client: 0, call: 0, return: 2, input: { f: "write", value: 1 }, output: null },
      { client: 1, call: 3, return: 4, input: { f: "read" }, output: 1 },
      { client: 2, call: 5, return: 6, input: { f: "read" }, output: 7 },
      { client: 0, call: 3, return: Infinity, input: { f: "write", value: 2 }, output: Unknown }
    ]
    const result = checkOperations(model, history, { verbose: true })
    const page = renderTimeline({ title: "t", model, result, annotations: [{ kind: "crash", start: 3, end: Infinity, label: "n1 down", client: 0 }] })
    expect(count(page, 'class="op stuck"')).toBe(1)
    expect(page).toContain("Stuck at <b>read() → 7</b>")
    expect(count(page, 'class="badge"')).toBe(3)
    expect(page).toMatch(/class="op (linearized|outside) pending"/)
    expect(page).toContain('class="band crash"')
    expect(page).not.toMatch(/<(link|img|iframe)|src=|href=/)
  })

  it("draws at most maxOperations operations of a big history and says so", () => {
    const history: Array<Op> = Array.from({ length: 3000 }, (_, i) => ({
      client: i % 7,
      call: 2 * i,
      return: 2 * i + 1,
      input: i % 2 === 0 ? { f: "write", value: i } : { f: "read" },
      output: i % 2 === 0 ? null : i - 1
    }))
    const result = checkOperations(model, history)
    expect(result.verdict).toBe("ok")
    const page = renderTimeline({ title: "big", model, result, maxOperations: 250 })
    expect(count(page, '<g class="op ')).toBe(250)
    expect(page).toContain("Showing 250 of 3000 operations.")
  })
})

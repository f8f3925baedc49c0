import { describe, expect, it } from "vitest"
import { AnswerPacer } from "../../src/cluster/grpc/answer-pacer.ts"

/** One turn of the event loop: setImmediate callbacks queued before it have run. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

describe("AnswerPacer", () => {
  it("sends at most perTurn answers per turn of the event loop, in the order given", async () => {
    const pacer = new AnswerPacer(32)
    const sent: Array<number> = []
    for (let k = 0; k < 80; k++) pacer.answer(() => sent.push(k))
    expect(sent.length).toBe(32)
    await nextTurn()
    expect(sent.length).toBe(64)
    await nextTurn()
    expect(sent).toEqual(Array.from({ length: 80 }, (_, k) => k))
  })

  it("gives each turn the whole allowance again, and keeps later answers behind earlier ones", async () => {
    const pacer = new AnswerPacer(4)
    const sent: Array<string> = []
    for (let k = 0; k < 3; k++) pacer.answer(() => sent.push(`a${k}`))
    expect(sent).toEqual(["a0", "a1", "a2"])
    await nextTurn()
    await nextTurn()
    for (let k = 0; k < 6; k++) pacer.answer(() => sent.push(`b${k}`))
    expect(sent.slice(3)).toEqual(["b0", "b1", "b2", "b3"])
    // The next turn sends the two that waited, and has room for two more.
    await nextTurn()
    pacer.answer(() => sent.push("c0"))
    expect(sent.slice(3)).toEqual(["b0", "b1", "b2", "b3", "b4", "b5", "c0"])
  })

  it("refuses an allowance that is not a positive integer", () => {
    expect(() => new AnswerPacer(0)).toThrow(/not a positive integer/)
    expect(() => new AnswerPacer(1.5)).toThrow(/not a positive integer/)
  })
})

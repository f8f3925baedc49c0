import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { checkOperations, Unknown } from "../../src/lincheck/index.ts"
import { chooseModel, detectFormat, readHistory, validateHistory } from "../../src/lincheck/formats/read-history.ts"
import { HistoryFormatError } from "../../src/lincheck/formats/source.ts"
import type { FormatName } from "../../src/lincheck/formats/history-file.ts"

const histories = fileURLToPath(new URL("./histories/", import.meta.url))
const sample = (name: string) => readHistory(name, readFileSync(histories + name, "utf8"))
const verdictOf = (name: string): string => {
  const history = sample(name)
  const model = chooseModel(history)
  validateHistory(history, model)
  return checkOperations(model.model, history.operations).verdict
}

/** The message a bad input gets, which must name file:line:column. */
const problemWith = (text: string, format: FormatName, model?: "register" | "kv"): string => {
  try {
    const history = readHistory("bad", text, format)
    validateHistory(history, chooseModel(history, model))
  } catch (problem) {
    if (problem instanceof HistoryFormatError) return problem.message
    throw problem
  }
  throw new Error("expected the input to be rejected")
}

describe("sample histories give the verdict their name says", () => {
  const names = [
    "register-legal.json",
    "events-legal.json",
    "kv-legal.json",
    "raft-kv-retry-legal.json",
    "cas-info-legal.edn",
    "kv-legal.edn",
    "cas-legal.log",
    "cas-register-illegal.json",
    "kv-illegal.json",
    "raft-kv-double-apply-illegal.json",
    "cas-illegal.edn",
    "cas-illegal.log"
  ]
  for (const name of names) {
    it(name, () => expect(verdictOf(name)).toBe(name.includes("illegal") ? "illegal" : "ok"))
  }
})

describe("Jepsen semantics", () => {
  it("reads :info as open to the end, a cas :fail as false, a timed-out read :fail as unknown, other :fail as absent", () => {
    const { operations } = sample("cas-info-legal.edn")
    const summary = operations.map((op) => [op.input.f, op.output === Unknown ? "?" : op.output, op.return])
    expect(summary).toEqual([
      ["write", null, 1],
      ["cas", "?", Infinity],
      ["read", 1, 7],
      ["read", 2, 9],
      ["cas", false, 13],
      ["read", "?", 15],
      ["read", 2, 19]
    ])
  })

  it("turns nemesis start/stop into a partition band", () => {
    expect(sample("cas-info-legal.edn").annotations).toEqual([
      { kind: "partition", start: 2, end: 10, label: "start" }
    ])
  })

  it("reads the log's :info and :fail :timed-out the same way, skipping other log lines", () => {
    const { operations } = sample("cas-legal.log")
    expect(operations.map((op) => [op.client, op.input.f, op.output === Unknown ? "?" : op.output, op.return])).toEqual([
      [0, "write", null, 1],
      [1, "cas", "?", Infinity],
      [0, "read", 1, 5],
      [0, "read", "?", 7],
      [6, "read", 2, 9],
      [2, "cas", false, 11],
      [3, "read", 2, 13]
    ])
  })

  it("takes keys from EDN maps", () => {
    expect(sample("kv-legal.edn").operations.map((op) => op.input.key)).toEqual(["a", "a", "b", "b"])
  })
})

describe("format detection", () => {
  it("goes by extension, then by content", () => {
    expect(detectFormat("h.json", "")).toBe("json")
    expect(detectFormat("h.edn", "")).toBe("edn")
    expect(detectFormat("h.log", "")).toBe("jepsen-log")
    expect(detectFormat("h", '  {"operations": []}')).toBe("json")
    expect(detectFormat("h", '[{"client": 0}]')).toBe("json")
    expect(detectFormat("h", "{:process 0, :type :invoke}")).toBe("edn")
    expect(detectFormat("h", "[{:process 0}]")).toBe("edn")
    expect(detectFormat("h", "INFO  jepsen.util - 0\t:invoke\t:read\tnil")).toBe("jepsen-log")
  })
})

describe("bad input names file, line and column", () => {
  it("JSON syntax", () => {
    expect(problemWith('{"operations": [\n  {"client": 0, "call": 1,, }\n]}', "json")).toBe("bad:2:27: expected a quoted field name")
    expect(problemWith('{"operations": [', "json")).toMatch(/^bad:1:17: /)
  })

  it("JSON fields", () => {
    const text = '{"operations": [\n  {"client": 0, "call": 0, "return": 1, "f": "read", "output": 1},\n  {"client": 0, "return": 3, "f": "read"}\n]}'
    expect(problemWith(text, "json")).toBe('bad:3:3: "call" is missing')
    expect(problemWith('[{"call": 5, "return": 2, "f": "read"}]', "json")).toBe('bad:1:2: "return" (2) is before "call" (5)')
    expect(problemWith('{"model": "paxos", "operations": []}', "json")).toMatch(/^bad:1:1: "model" must be one of register/)
    expect(problemWith('{"events": [{"type": "return", "id": 1}]}', "json")).toBe("bad:1:13: a return with id 1 and no open call")
  })

  it("an operation the model does not have", () => {
    const text = '[{"call": 0, "return": 1, "f": "read", "output": 1},\n {"call": 0, "return": 1, "f": "append", "value": "x"}]'
    expect(problemWith(text, "json", "register")).toBe('bad:2:2: operation "append" is not one of this model\'s: read, write (model register)')
    expect(problemWith('[{"call": 0, "return": 1, "f": "get"}]', "json", "kv")).toBe("bad:1:2: get needs a key (model kv)")
  })

  it("EDN", () => {
    expect(problemWith("{:process 0, :type :invoke, :f :read, :value nil}\n{:process 0, :type :ok", "edn")).toBe("bad:2:1: '{' is never closed")
    expect(problemWith("{:process 0, :type :done, :f :read}", "edn")).toBe("bad:1:1: :type must be :invoke, :ok, :fail or :info")
    expect(problemWith("{:process 0, :type :invoke, :f :read}\n{:process 0, :type :invoke, :f :read}", "edn")).toBe(
      "bad:2:1: process 0 invokes again while its call at line 1 is still open"
    )
    expect(problemWith("{:process 1, :type :ok, :f :read, :value 3}", "edn")).toBe("bad:1:1: :ok of process 1 has no open :invoke")
  })

  it("Jepsen log", () => {
    expect(problemWith("INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2\n", "jepsen-log")).toBe("bad:1:36: '[' is never closed")
    expect(problemWith("INFO  jepsen.util - zero :invoke :read nil", "jepsen-log")).toBe("bad:1:21: 'zero' is not a process number")
    expect(problemWith("INFO  jepsen.util - garbage", "jepsen-log")).toMatch(/^bad:1:1: expected `<process> :<type> :<f> <value>`/)
    expect(problemWith("just some text\n", "jepsen-log")).toMatch(/^bad:1:1: no Jepsen op lines/)
  })
})

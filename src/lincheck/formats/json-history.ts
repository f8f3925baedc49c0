/**
 * Our JSON history format (docs/lincheck.md). A document is either an array of operations or
 *   { "model"?: name, "operations": [...] | "events": [...], "annotations"?: [...] }
 * An operation: { "client", "call", "return"?, "f", "key"?, "value"?, "session"?, "output"? }.
 * No "return" (or null): the call never returned. No "output": the answer is unknown.
 * Events: { "type": "call", "id", "client", "f", ... } and { "type": "return", "id", "output"? },
 * in time order; an event's time is its place in the list.
 */
import { Unknown, type ClientId, type Operation } from "../history.ts"
import { modelNames, type ModelName } from "../models/catalogue.ts"
import type { KvInput, KvOutput, Session } from "../models/kv-input.ts"
import { isValue, type Value } from "../value.ts"
import type { Annotation } from "../annotation.ts"
import { readJson } from "./json-reader.ts"
import { SyntaxProblem, type Position } from "./source.ts"

export interface JsonHistory {
  readonly operations: Array<Operation<KvInput, KvOutput>>
  readonly positions: Array<Position>
  readonly annotations: Array<Annotation>
  readonly model?: ModelName
}

type Fields = Record<string, unknown>

export const readJsonHistory = (text: string): JsonHistory => {
  const document = readJson(text)
  const start = { line: 1, column: 1 }
  const where = (node: unknown): Position =>
    (typeof node === "object" && node !== null ? document.positionOf(node) : undefined) ?? start
  const problem = (node: unknown, reason: string): SyntaxProblem => new SyntaxProblem(where(node), reason)

  const objectAt = (node: unknown, what: string): Fields => {
    if (typeof node !== "object" || node === null || Array.isArray(node)) throw problem(node, `${what} must be an object`)
    return node as Fields
  }
  const arrayAt = (node: unknown, owner: unknown, what: string): ReadonlyArray<unknown> => {
    if (!Array.isArray(node)) throw problem(owner, `${what} must be an array`)
    return node
  }
  const time = (fields: Fields, name: string, optional: boolean): number | undefined => {
    const t = fields[name]
    if (t === undefined || t === null) {
      if (optional) return undefined
      throw problem(fields, `"${name}" is missing`)
    }
    if (typeof t !== "number") throw problem(fields, `"${name}" must be a number`)
    return t
  }
  const client = (fields: Fields, name: string): ClientId => {
    const c = fields[name] ?? 0
    if (typeof c !== "number" && typeof c !== "string") throw problem(fields, `"${name}" must be a number or a string`)
    return c
  }
  const value = (fields: Fields, name: string): Value | undefined => {
    const v = fields[name]
    if (v === undefined) return undefined
    if (!isValue(v)) throw problem(fields, `"${name}" must be null, a boolean, a number, a string or an array of those`)
    return v
  }
  const inputOf = (fields: Fields): KvInput => {
    const f = fields.f
    if (typeof f !== "string") throw problem(fields, `"f" (the operation, e.g. "read") is missing`)
    const key = value(fields, "key")
    const argument = value(fields, "value")
    const session = fields.session === undefined ? undefined : sessionOf(objectAt(fields.session, `"session"`))
    return {
      f,
      ...(key !== undefined ? { key } : {}),
      ...(argument !== undefined ? { value: argument } : {}),
      ...(session !== undefined ? { session } : {})
    }
  }
  const sessionOf = (fields: Fields): Session => {
    const seq = fields.seq
    if (typeof seq !== "number" || !Number.isInteger(seq)) throw problem(fields, `"seq" must be an integer`)
    return { clientId: client(fields, "clientId"), seq }
  }
  // An absent "output" is an unknown one; a present null is the answer nil.
  const outputOf = (fields: Fields): Operation<KvInput, KvOutput>["output"] =>
    "output" in fields ? (value(fields, "output") as Value) : Unknown

  const operations: Array<Operation<KvInput, KvOutput>> = []
  const positions: Array<Position> = []
  const readOperations = (list: ReadonlyArray<unknown>): void => {
    for (const node of list) {
      const fields = objectAt(node, "an operation")
      const call = time(fields, "call", false) as number
      const ret = time(fields, "return", true) ?? Infinity
      if (ret < call) throw problem(fields, `"return" (${ret}) is before "call" (${call})`)
      const output = ret === Infinity ? Unknown : outputOf(fields)
      operations.push({ client: client(fields, "client"), input: inputOf(fields), call, output, return: ret })
      positions.push(where(fields))
    }
  }
  const readEvents = (list: ReadonlyArray<unknown>): void => {
    const open = new Map<unknown, { fields: Fields; call: number }>()
    list.forEach((node, t) => {
      const fields = objectAt(node, "an event")
      const id = fields.id
      if (typeof id !== "number" && typeof id !== "string") throw problem(fields, `"id" must be a number or a string`)
      if (fields.type === "call") {
        if (open.has(id)) throw problem(fields, `a second call with id ${JSON.stringify(id)} while the first is open`)
        open.set(id, { fields, call: t })
      } else if (fields.type === "return") {
        const call = open.get(id)
        if (call === undefined) throw problem(fields, `a return with id ${JSON.stringify(id)} and no open call`)
        open.delete(id)
        const clientId = client(call.fields, "client")
        operations.push({ client: clientId, input: inputOf(call.fields), call: call.call, output: outputOf(fields), return: t })
        positions.push(where(call.fields))
      } else throw problem(fields, `"type" must be "call" or "return"`)
    })
    for (const call of open.values()) {
      operations.push({ client: client(call.fields, "client"), input: inputOf(call.fields), call: call.call, output: Unknown, return: Infinity })
      positions.push(where(call.fields))
    }
  }
  const annotationOf = (node: unknown): Annotation => {
    const fields = objectAt(node, "an annotation")
    const kind = fields.kind ?? "note"
    if (kind !== "crash" && kind !== "partition" && kind !== "note") throw problem(fields, `"kind" must be "crash", "partition" or "note"`)
    const begin = time(fields, "start", false) as number
    const end = time(fields, "end", true) ?? Infinity
    const label = fields.label ?? kind
    if (typeof label !== "string") throw problem(fields, `"label" must be a string`)
    return { kind, start: begin, end, label, ...(fields.client !== undefined ? { client: client(fields, "client") } : {}) }
  }

  const root = document.value
  if (Array.isArray(root)) {
    readOperations(root)
    return { operations, positions, annotations: [] }
  }
  const fields = objectAt(root, "the document")
  const model = fields.model
  if (model !== undefined && !(modelNames as ReadonlyArray<unknown>).includes(model)) {
    throw problem(fields, `"model" must be one of ${modelNames.join(", ")}`)
  }
  if (fields.operations !== undefined) readOperations(arrayAt(fields.operations, fields, `"operations"`))
  else if (fields.events !== undefined) readEvents(arrayAt(fields.events, fields, `"events"`))
  else throw problem(fields, `expected "operations" or "events"`)
  const annotations = fields.annotations === undefined ? [] : arrayAt(fields.annotations, fields, `"annotations"`).map(annotationOf)
  return { operations, positions, annotations, ...(model !== undefined ? { model: model as ModelName } : {}) }
}

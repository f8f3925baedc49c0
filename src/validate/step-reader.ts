/**
 * Turns the lines of a trace into steps with decoded states, one line at a time.
 *
 * Full states: a line is cut into the raw text of each variable; a variable whose text equals
 * the previous line's keeps its value. A changed function variable is cut further into its
 * points, and each point's text is looked up among the points of the previous line, so one
 * server's change or one message sent re-decodes only that point. Delta states: the patches of
 * ./state-delta.ts are applied to the previous values.
 */
import { JsonTextError, objectMembers, onlySpaceAfter } from "./json-text.ts"
import { type Part, StateText, type VariableText } from "./state-text.ts"
import { applyPatch } from "./state-delta.ts"
import { decodeHeader, decodeStepFields, type StepFields, type TraceHeader } from "./trace-schema.ts"
import {
  applyFunction,
  decodeExtended,
  decodeValue,
  forgetDecodedRecords,
  functionOfPoints,
  type References,
  type Value,
  ValueJsonError
} from "./values.ts"

/** A trace line that is not valid: the CLI reports `file:line:column: message` (exit 2). */
export class TraceInputError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string
  ) {
    super(`${line}:${column}: ${reason}`)
  }
}

export interface Step {
  readonly line: number
  readonly fields: StepFields
  /** The parameters as the trace gives them (JSON), for reports. */
  readonly paramsJson: Readonly<Record<string, unknown>>
  readonly params: ReadonlyMap<string, Value>
  /** The state after the step, by variable; undefined where the trace does not give it. */
  readonly next: ReadonlyArray<Value | undefined>
}

const parseJson = (text: string, line: number, column: number): unknown => {
  try {
    return JSON.parse(text)
  } catch (error) {
    const at = /position (\d+)/.exec(String(error))
    throw new TraceInputError(line, column + (at ? Number(at[1]) : 0), `not JSON: ${(error as Error).message}`)
  }
}

export class StepReader {
  readonly header: TraceHeader
  /** The initial state by variable (undefined where the header leaves it out). */
  readonly init: ReadonlyArray<Value | undefined>
  private readonly index: ReadonlyMap<string, number>
  private values: Array<Value | undefined>
  private readonly stateText = new StateText()
  /** The line being read, for the positions of errors. */
  private line = 0
  private readonly parse = (json: string, start: number): unknown => parseJson(json, this.line, start + 1)

  constructor(
    readonly vars: ReadonlyArray<string>,
    header: TraceHeader,
    /** The content of a message in flight, by id (for `$msg` references in delta traces). */
    private readonly messageOf: (id: number) => Value | undefined = () => undefined
  ) {
    this.header = header
    forgetDecodedRecords()
    this.index = new Map(vars.map((v, k) => [v, k]))
    this.values = vars.map((v) => {
      if (!(v in header.init)) return undefined
      return at(1, 1, () => decodeValue(header.init[v], `init.${v}`))
    })
    for (const name of Object.keys(header.init)) this.variable(name, 1, 1, "init")
    this.init = [...this.values]
  }

  /** Reads and checks the header line (before the spec is loaded, which it names). */
  static header(text: string): TraceHeader {
    const json = parseJson(text, 1, 1)
    const header = decodeHeader(json)
    if ("problem" in header) throw new TraceInputError(1, 1, `bad header: ${header.problem}`)
    return header
  }

  get delta(): boolean {
    return this.header.stateMode === "delta"
  }

  step(text: string, line: number): Step {
    try {
      return at(line, 1, () => (this.delta ? this.deltaStep(text, line) : this.fullStep(text, line)))
    } catch (error) {
      if (!(error instanceof TraceInputError)) throw error
      // JSON.parse words a syntax error the way users know it; the scanner's position is the fallback.
      if (error.reason.startsWith("not JSON")) parseJson(text, line, 1)
      throw error
    }
  }

  private variable(name: string, line: number, column: number, where: string): number {
    const k = this.index.get(name)
    if (k === undefined) throw new TraceInputError(line, column, `${where}.${name}: the spec has no variable ${name} (it has ${this.vars.join(", ")})`)
    return k
  }

  private fields(json: Record<string, unknown>, line: number): StepFields {
    const fields = decodeStepFields(json)
    if ("problem" in fields) throw new TraceInputError(line, 1, `bad step: ${fields.problem}`)
    return fields
  }

  private fullStep(text: string, line: number): Step {
    this.line = line
    const parse = this.parse
    const start = text.search(/\S/)
    if (start < 0 || text.charCodeAt(start) !== 123) throw new TraceInputError(line, Math.max(start, 0) + 1, "not JSON: expected a JSON object")
    let variables: VariableText[] | undefined
    const paramsJson: Record<string, unknown> = {}
    // The parts the parameters were read as: a message of the bag keeps the value it has there.
    const paramParts = new Map<string, Part>()
    const { members, end } = objectMembers(text, start, (key, at) => {
      if (text.charCodeAt(at) !== 123) return undefined
      if (key === "state") {
        const read = this.stateText.read(text, at, parse)
        variables = read.variables
        return read.end
      }
      if (key === "params") {
        return objectMembers(text, at, (name, p) => {
          const part = this.stateText.value(text, p, parse)
          paramsJson[name] = part.json
          paramParts.set(name, part)
          return p + part.text.length
        }).end
      }
      return undefined
    })
    if (!onlySpaceAfter(text, end)) throw new TraceInputError(line, end + 1, "not JSON: unexpected text after the object")
    const small: Record<string, unknown> = {}
    for (const m of members) {
      if (m.key === "delta") throw new TraceInputError(line, m.start + 1, `delta: this trace's header declares full states ("stateMode" is not "delta")`)
      if (m.key !== "state") small[m.key] = m.key === "params" && text.charCodeAt(m.start) === 123 ? paramsJson : parse(text.slice(m.start, m.end), m.start)
    }
    if (variables === undefined) throw new TraceInputError(line, 1, "bad step: no \"state\" object (full-state traces give every step's state)")
    const fields = this.fields(small, line)
    const params = new Map<string, Value>()
    for (const [name, j] of Object.entries(fields.params)) {
      const part = paramParts.get(name)
      const path = `params.${name}`
      params.set(name, at(line, 1, () => (part !== undefined && part.json === j ? partValue(part, path) : decodeValue(j, path))))
    }
    const next = this.vars.map(() => undefined as Value | undefined)
    for (const v of variables) {
      const k = this.variable(v.name, line, v.start + 1, "state")
      if (v.changed) this.values[k] = at(line, v.start + 1, () => variableValue(v))
      next[k] = this.values[k]
    }
    return { line, fields, paramsJson: fields.params, params, next }
  }

  private deltaStep(text: string, line: number): Step {
    const json = parseJson(text, line, 1)
    if (json === null || typeof json !== "object" || Array.isArray(json)) throw new TraceInputError(line, 1, "bad step: expected a JSON object")
    const { state, delta, ...rest } = json as Record<string, unknown>
    if (state !== undefined) throw new TraceInputError(line, 1, `bad step: "state" in a delta trace; give "delta" (the changed variables)`)
    const fields = this.fields(rest, line)
    const paramsJson = fields.params
    // References point into the state before the step.
    const before = this.values
    const refs: References = {
      message: this.messageOf,
      at: (name, args) => {
        const k = this.index.get(name)
        let v = k === undefined ? undefined : before[k]
        for (const arg of args) v = v === undefined ? undefined : applyFunction(v, arg)
        return v
      }
    }
    const params = new Map<string, Value>()
    for (const [name, j] of Object.entries(paramsJson)) params.set(name, at(line, 1, () => decodeValue(j, `params.${name}`, refs)))
    const after = [...before]
    if (delta !== undefined) {
      if (delta === null || typeof delta !== "object" || Array.isArray(delta)) throw new TraceInputError(line, 1, "bad step: \"delta\" must be an object of changed variables")
      for (const [name, patch] of Object.entries(delta)) {
        const k = this.variable(name, line, 1, "delta")
        after[k] = at(line, 1, () => applyPatch(before[k], patch, `delta.${name}`, refs))
      }
    }
    this.values = after
    return { line, fields, paramsJson, params, next: [...after] }
  }
}

/** The value of a changed variable of a full state, reusing the values of the parts it shares with earlier lines. */
const variableValue = (v: VariableText): Value => {
  const path = `state.${v.name}`
  if (v.points === undefined) return decodeValue(v.json, path)
  // Decoded as decodeValue decodes {"$fn": [[argument, value], ...]}, with the same paths in errors.
  const at = `${path}.$fn`
  const domain: Value[] = []
  const range: Value[] = []
  for (let n = 0; 2 * n < v.points.length; n++) {
    const argument = v.points[2 * n]
    const value = v.points[2 * n + 1]
    domain.push(argument.value ?? partValue(argument, `${at}[${n}][0]`))
    range.push(value.value ?? partValue(value, `${at}[${n}][1]`))
  }
  return functionOfPoints(domain, range, at)
}

/** A part's value, decoded the first time it is asked for (and only the appended elements of a grown sequence). */
const partValue = (part: Part, path: string): Value => {
  if (part.value === undefined) {
    const base = part.grownFrom
    part.value = base === undefined ? decodeValue(part.json, path) : decodeExtended(partValue(base, path), part.json as unknown[], path)
    part.grownFrom = undefined
  }
  return part.value
}

/** Runs a decoder, turning a bad value into a TraceInputError on this line. */
const at = <A>(line: number, column: number, decode: () => A): A => {
  try {
    return decode()
  } catch (error) {
    if (error instanceof ValueJsonError) throw new TraceInputError(line, column, error.message)
    if (error instanceof JsonTextError) throw new TraceInputError(line, error.offset + 1, `not JSON: ${error.reason}`)
    throw error
  }
}


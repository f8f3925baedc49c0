/**
 * Jepsen/Knossos histories in EDN: one op map per line (or any layout, or a vector of maps), e.g.
 * `{:process 3, :type :invoke, :f :cas, :key "k", :value [1 4]}`.
 */
import type { Value } from "../value.ts"
import { EdnSymbol, Keyword, readEdn, type Edn, type EdnMap } from "./edn-reader.ts"
import { historyOfRecords, type JepsenHistory, type JepsenRecord, type RecordType } from "./jepsen.ts"
import { SyntaxProblem, type Position } from "./source.ts"

const recordTypes: ReadonlyArray<string> = ["invoke", "ok", "fail", "info"]

/** An EDN value as a model value; keywords keep their colon. */
export const valueOfEdn = (edn: Edn, position: Position): Value => {
  if (edn === null || typeof edn === "boolean" || typeof edn === "number" || typeof edn === "string") return edn
  if (edn instanceof Keyword) return edn.toString()
  if (edn instanceof EdnSymbol) return edn.name
  if (Array.isArray(edn)) return (edn as ReadonlyArray<Edn>).map((item) => valueOfEdn(item, position))
  throw new SyntaxProblem(position, "a map is not a value the built-in models store")
}

/** Whether an `:error` (a keyword, string or vector) says the operation timed out. */
export const mentionsTimeout = (edn: Edn | undefined): boolean => {
  if (edn instanceof Keyword) return edn.name.includes("timed-out") || edn.name.includes("timeout")
  if (typeof edn === "string") return /timed.out|timeout/i.test(edn)
  return Array.isArray(edn) && (edn as ReadonlyArray<Edn>).some(mentionsTimeout)
}

const field = (map: EdnMap, name: string): Edn | undefined => map.get(Keyword.of(name))

export const recordOfEdnMap = (map: EdnMap, position: Position): JepsenRecord => {
  const process = field(map, "process")
  const type = field(map, "type")
  const f = field(map, "f")
  if (!(typeof process === "number" || process instanceof Keyword)) {
    throw new SyntaxProblem(position, ":process must be a number (or a keyword such as :nemesis)")
  }
  if (!(type instanceof Keyword) || !recordTypes.includes(type.name)) {
    throw new SyntaxProblem(position, ":type must be :invoke, :ok, :fail or :info")
  }
  if (!(f instanceof Keyword || typeof f === "string")) throw new SyntaxProblem(position, ":f must be a keyword")
  const key = field(map, "key")
  const value = valueOfEdn(field(map, "value") ?? null, position)
  return {
    process: typeof process === "number" ? process : process.name,
    type: type.name as RecordType,
    f: f instanceof Keyword ? f.name : f,
    ...(key !== undefined ? { key: valueOfEdn(key, position) } : {}),
    value,
    timedOut: mentionsTimeout(field(map, "error")) || value === ":timed-out",
    position
  }
}

export const readEdnHistory = (text: string): JepsenHistory => {
  const document = readEdn(text)
  const records: Array<JepsenRecord> = []
  const take = (edn: Edn, fallback: Position): void => {
    if (edn instanceof Map) {
      records.push(recordOfEdnMap(edn, document.positionOf(edn) ?? fallback))
    } else if (Array.isArray(edn)) {
      for (const item of edn as ReadonlyArray<Edn>) take(item, fallback)
    } else {
      throw new SyntaxProblem(fallback, "expected an op map such as {:process 0, :type :invoke, :f :read, :value nil}")
    }
  }
  for (const form of document.forms) take(form.value, form.position)
  if (records.length === 0) throw new SyntaxProblem({ line: 1, column: 1 }, "no operations in the file")
  return historyOfRecords(records)
}

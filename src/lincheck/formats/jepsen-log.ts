/**
 * Jepsen's textual log: `INFO  jepsen.util - 3<TAB>:invoke<TAB>:cas<TAB>[1 4]`, fields separated
 * by any whitespace, the value (and an optional error such as `:timed-out`) in EDN. The logger
 * prefix may be absent; lines that are not op lines and do not claim to be (no `jepsen.util`)
 * are other log output and are skipped.
 */
import { Keyword, readEdn } from "./edn-reader.ts"
import { mentionsTimeout, valueOfEdn } from "./edn.ts"
import { historyOfRecords, type JepsenHistory, type JepsenRecord, type RecordType } from "./jepsen.ts"
import { SyntaxProblem } from "./source.ts"

const opLine = /^(.*?jepsen\.util\s+-\s+)?(\S+)\s+:(invoke|ok|fail|info)\s+:?(\S+)(?:\s+(.*))?$/

export const readJepsenLog = (text: string): JepsenHistory => {
  const records: Array<JepsenRecord> = []
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/\r$/, "")
    const lineNumber = index + 1
    const match = opLine.exec(line)
    if (match === null) {
      if (line.includes("jepsen.util")) {
        throw new SyntaxProblem({ line: lineNumber, column: 1 }, "expected `<process> :<type> :<f> <value>` after `jepsen.util -`")
      }
      return
    }
    const [, prefix = "", processText, type, f, valueText = ""] = match
    const position = { line: lineNumber, column: prefix.length + 1 }
    const process = /^\d+$/.test(processText) ? Number(processText) : processText.startsWith(":") ? processText.slice(1) : undefined
    if (process === undefined) throw new SyntaxProblem(position, `'${processText}' is not a process number`)
    const valueColumn = line.length - valueText.length + 1
    let forms
    try {
      forms = valueText.trim() === "" ? [] : readEdn(valueText).forms
    } catch (problem) {
      if (problem instanceof SyntaxProblem) {
        throw new SyntaxProblem({ line: lineNumber, column: valueColumn + problem.position.column - 1 }, problem.reason)
      }
      throw problem
    }
    const value = forms.length > 0 ? valueOfEdn(forms[0].value, position) : null
    const error = forms.length > 1 ? forms[1].value : undefined
    records.push({
      process,
      type: type as RecordType,
      f,
      value,
      timedOut: mentionsTimeout(error) || (forms[0]?.value instanceof Keyword && mentionsTimeout(forms[0].value)),
      position
    })
  })
  if (records.length === 0) {
    throw new SyntaxProblem({ line: 1, column: 1 }, "no Jepsen op lines (`<process> :invoke :<f> <value>`) in the file")
  }
  return historyOfRecords(records)
}

/**
 * Reading a history file: pick the format (from the extension, else from the content), parse it,
 * pick the model (asked for, else named in the file, else guessed from the operations), and check
 * every operation belongs to that model. Any problem is a HistoryFormatError naming file:line:col.
 */
import { builtInModels, type BuiltInModel, type ModelName } from "../models/catalogue.ts"
import { readEdnHistory } from "./edn.ts"
import type { FormatName, HistoryFile } from "./history-file.ts"
import { readJepsenLog } from "./jepsen-log.ts"
import { readJsonHistory } from "./json-history.ts"
import { HistoryFormatError, SyntaxProblem } from "./source.ts"

const byExtension: ReadonlyArray<readonly [RegExp, FormatName]> = [
  [/\.json$/i, "json"],
  [/\.edn$/i, "edn"],
  [/\.(log|txt)$/i, "jepsen-log"]
]

/** `.json`, `.edn`, `.log`/`.txt`; otherwise JSON if it opens with `[` or `{"`, EDN if with `{:` / `[{`, else a log. */
export const detectFormat = (file: string, text: string): FormatName => {
  const named = byExtension.find(([pattern]) => pattern.test(file))
  if (named) return named[1]
  const start = text.replace(/^(\s|;[^\n]*\n)*/, "")
  if (/^(\{\s*"|\[\s*(\{\s*"|\]|$))/.test(start)) return "json"
  if (/^(\{|\[\s*\{|#)/.test(start)) return "edn"
  return "jepsen-log"
}

export const readHistory = (file: string, text: string, format: FormatName = detectFormat(file, text)): HistoryFile => {
  try {
    switch (format) {
      case "json":
        return { file, format, ...readJsonHistory(text) }
      case "edn":
        return { file, format, ...readEdnHistory(text) }
      case "jepsen-log":
        return { file, format, ...readJepsenLog(text) }
    }
  } catch (problem) {
    if (problem instanceof SyntaxProblem) throw new HistoryFormatError(file, problem.position, problem.reason)
    throw problem
  }
}

export const chooseModel = (history: HistoryFile, requested?: ModelName): BuiltInModel => {
  if (requested !== undefined) return builtInModels[requested]
  if (history.model !== undefined) return builtInModels[history.model]
  if (history.operations.some((op) => op.input.session !== undefined)) return builtInModels["raft-kv"]
  if (history.operations.some((op) => op.input.key !== undefined)) return builtInModels.kv
  return builtInModels["cas-register"]
}

/** Throws at the first operation that is not one of `model`'s. */
export const validateHistory = (history: HistoryFile, model: BuiltInModel): void => {
  history.operations.forEach((op, index) => {
    const problem = model.problemWith(op.input, op.output)
    if (problem !== undefined) {
      throw new HistoryFormatError(history.file, history.positions[index], `${problem} (model ${model.name})`)
    }
  })
}

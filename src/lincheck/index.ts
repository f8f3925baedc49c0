/**
 * raft-tla's linearizability checker, usable on its own: give it a model and a history of
 * operations (or call/return events) and it answers ok, illegal, or unknown when out of time.
 */
export { Unknown, operationsOfEvents, MalformedEvents } from "./history.ts"
export type { ClientId, Event, Operation, Outcome } from "./history.ts"
export type { Model } from "./model.ts"
export { checkEvents, checkOperations } from "./check.ts"
export type { CheckOptions, CheckResult, PartitionResult, Verdict } from "./check.ts"
export type { PartialLinearization } from "./search.ts"
export { builtInModels, modelNames } from "./models/catalogue.ts"
export type { BuiltInModel, ModelName } from "./models/catalogue.ts"
export type { KvInput, KvOutput, Session } from "./models/kv-input.ts"
export type { Value } from "./value.ts"
export { readHistory, detectFormat, chooseModel, validateHistory } from "./formats/read-history.ts"
export { formatNames } from "./formats/history-file.ts"
export type { FormatName, HistoryFile } from "./formats/history-file.ts"
export { HistoryFormatError } from "./formats/source.ts"
export type { Annotation } from "./annotation.ts"
export { renderTimeline } from "./timeline.ts"
export type { TimelineInput } from "./timeline.ts"
export { explainIllegal } from "./explain.ts"

/**
 * Conversions between the evaluator's values (./value.ts) and the project's shared value module
 * (src/tla/values: JSON codec, TLC printing). Until the evaluator runs on src/tla/values itself,
 * a trace read with `fromJson` is converted here before it is checked against the spec, and
 * states the evaluator produces are converted back for printing or JSON.
 */
import * as shared from "../values/index.ts"
import { EvalError } from "./errors.ts"
import { Fcn, LazySet, makeFcn, makeRecord, ModelValue, modelValue, SetValue, Str, str, toSet, tuple, type Value } from "./value.ts"

export const toEvalValue = (v: shared.Value): Value => {
  if (typeof v === "boolean" || typeof v === "number") return v
  switch (v.kind) {
    case shared.Kind.Str:
      return str(v.value)
    case shared.Kind.ModelValue:
      return modelValue(v.name)
    case shared.Kind.Tuple:
      return tuple(v.elems.map(toEvalValue))
    case shared.Kind.Record:
      return makeRecord(
        v.names.map((n) => str(n.value)),
        v.values.map(toEvalValue)
      )
    case shared.Kind.Fcn:
      return makeFcn(v.domain.map(toEvalValue), v.values.map(toEvalValue))
  }
  if (shared.isSet(v)) {
    if (shared.isInfinite(v)) throw new EvalError(`Cannot convert the infinite set ${shared.valueToString(v)}`)
    return SetValue.of(shared.setElements(v).map(toEvalValue))
  }
  throw new EvalError(`Cannot convert the value ${shared.valueToString(v)}`)
}

export const toSharedValue = (v: Value): shared.Value => {
  if (typeof v === "boolean" || typeof v === "number") return v
  if (v instanceof Str) return shared.str(v.s)
  if (v instanceof ModelValue) return shared.modelValue(v.name)
  if (v instanceof Fcn) {
    if (v.isSeq()) return shared.tuple(v.vals.map(toSharedValue))
    return shared.makeFunction(v.dom.map(toSharedValue), v.vals.map(toSharedValue))
  }
  if (v instanceof LazySet && !v.finite()) throw new EvalError(`Cannot convert the infinite set ${v.describe()}`)
  return shared.setOf(toSet(v).elems.map(toSharedValue))
}

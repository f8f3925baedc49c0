/**
 * The TLA+ value a .cfg constant denotes. Call after interning ModelConfig.internNames so that
 * model values and strings take TLC's order.
 */
import { bool, int, modelValue, setOf, str, type Value } from "../values/index.ts"
import type { ConfigValue } from "./model-config.ts"

export function configValueToValue(v: ConfigValue): Value {
  switch (v.kind) {
    case "int":
      return int(v.value)
    case "string":
      return str(v.value)
    case "bool":
      return bool(v.value)
    case "set":
      return setOf(v.elems.map(configValueToValue))
    case "modelValue":
      return modelValue(v.name)
  }
}

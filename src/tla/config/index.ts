/**
 * TLC .cfg files: `parseConfig(text, file)` -> ModelConfig, or a ConfigError naming
 * `file:line:col` and carrying TLC's own message (`tlcMessage`) when TLC rejects the file too.
 * `configValueToValue` turns a constant's value into a TLA+ value.
 */
export * from "./constant-value.ts"
export * from "./lexer.ts"
export * from "./model-config.ts"
export * from "./parse.ts"

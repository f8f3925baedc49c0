/**
 * TLA+ values as JSON, the encoding shared with src/tla (see docs/trace-format.md):
 * integers, strings and booleans as themselves; sequences as arrays; records as objects;
 * sets as {"$set": [...]}; other functions as {"$fn": [[key, value], ...]}; model values as
 * {"$mv": "name"}.
 */
import { Schema } from "effect"

export type TlaJson =
  | number
  | string
  | boolean
  | ReadonlyArray<TlaJson>
  | { readonly $set: ReadonlyArray<TlaJson> }
  | { readonly $fn: ReadonlyArray<readonly [TlaJson, TlaJson]> }
  | { readonly $mv: string }
  | { readonly [field: string]: TlaJson }

const isField = (key: string) => !key.startsWith("$")

export const TlaJson: Schema.Codec<TlaJson> = Schema.Union([
  Schema.Int,
  Schema.String,
  Schema.Boolean,
  Schema.Array(Schema.suspend(() => TlaJson)),
  Schema.Struct({ $set: Schema.Array(Schema.suspend(() => TlaJson)) }),
  Schema.Struct({ $fn: Schema.Array(Schema.Tuple([Schema.suspend(() => TlaJson), Schema.suspend(() => TlaJson)])) }),
  Schema.Struct({ $mv: Schema.String }),
  Schema.Record(Schema.String, Schema.suspend(() => TlaJson)).check(
    Schema.makeFilter((record) => Object.keys(record).every(isField) || "record fields never start with $")
  )
])

export const modelValue = (name: string): TlaJson => ({ $mv: name })

export const setOf = (elements: ReadonlyArray<TlaJson>): TlaJson => ({ $set: elements })

/** A function whose domain is not 1..n nor a set of strings. An empty one is the empty sequence. */
export const functionOf = (pairs: ReadonlyArray<readonly [TlaJson, TlaJson]>): TlaJson =>
  pairs.length === 0 ? [] : { $fn: pairs }

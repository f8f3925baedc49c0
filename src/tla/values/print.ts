/**
 * TLC's one-line printed form of a value (its Value.toString): `<<1, 2>>`, `{1, 2}`,
 * `[a |-> 1, b |-> 2]`, `(1 :> 2 @@ 3 :> 3)`, `"a\"b"`, `1..3`. Sets print in normalized order,
 * SUBSET / [S -> T] / record sets / products print enumerated. pretty.ts breaks long forms.
 */
import { isInfinite, setElements } from "./sets.ts"
import { Kind, type SetLike, type Value } from "./value.ts"

export function valueToString(v: Value): string {
  const out: string[] = []
  write(v, out)
  return out.join("")
}

/** A string literal as TLC prints it: quoted, with \" \\ \t \n \f \r escaped. */
export function quoteString(s: string): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    switch (ch) {
      case '"':
        out += '\\"'
        break
      case "\\":
        out += "\\\\"
        break
      case "\t":
        out += "\\t"
        break
      case "\n":
        out += "\\n"
        break
      case "\f":
        out += "\\f"
        break
      case "\r":
        out += "\\r"
        break
      default:
        out += ch
    }
  }
  return out + '"'
}

/**
 * Whether a record field prints as `name |-> v`: letters, digits and "_" with at least one letter,
 * and not a WF_/SF_ prefix (TLC's FcnRcdValue.isName). Other string domains print as `:>` pairs.
 */
export function isFieldName(s: string): boolean {
  if (!/^[\p{L}\p{Nd}_]*$/u.test(s) || !/\p{L}/u.test(s)) return false
  return s.length < 4 || !(s.startsWith("WF_") || s.startsWith("SF_"))
}

function writeList(items: readonly Value[], out: string[]): void {
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.push(", ")
    write(items[i], out)
  }
}

function writeEnumerated(s: SetLike, out: string[]): void {
  out.push("{")
  writeList(setElements(s), out)
  out.push("}")
}

function write(v: Value, out: string[]): void {
  if (typeof v === "number") {
    out.push(String(v))
    return
  }
  if (typeof v === "boolean") {
    out.push(v ? "TRUE" : "FALSE")
    return
  }
  switch (v.kind) {
    case Kind.Str:
      out.push(quoteString(v.value))
      return
    case Kind.ModelValue:
      out.push(v.name)
      return
    case Kind.Interval:
      out.push(v.size === 0 ? "{}" : `${v.lo}..${v.hi}`)
      return
    case Kind.Nat:
      out.push("Nat")
      return
    case Kind.IntSet:
      out.push("Int")
      return
    case Kind.StringSet:
      out.push("STRING")
      return
    case Kind.AnySet:
      out.push("Any")
      return
    case Kind.SetOp:
      write(v.left, out)
      out.push(" ", v.op, " ")
      write(v.right, out)
      return
    case Kind.LazyFcn:
      // It cannot be enumerated; its name is the most useful thing to show.
      out.push(v.name)
      return
    case Kind.SeqSet:
      if (isInfinite(v)) {
        out.push("Seq(")
        write(v.base, out)
        out.push(")")
      } else {
        writeEnumerated(v, out)
      }
      return
    case Kind.Set:
    case Kind.Subset:
    case Kind.FcnSet:
    case Kind.RecordSet:
    case Kind.Product:
      writeEnumerated(v, out)
      return
    case Kind.Tuple:
      out.push("<<")
      writeList(v.elems, out)
      out.push(">>")
      return
    case Kind.Record:
      if (v.names.every((n) => isFieldName(n.value))) {
        out.push("[")
        for (let i = 0; i < v.names.length; i++) {
          if (i > 0) out.push(", ")
          out.push(v.names[i].value, " |-> ")
          write(v.values[i], out)
        }
        out.push("]")
      } else {
        writePairs(v.names, v.values, out)
      }
      return
    case Kind.Fcn:
      writePairs(v.domain, v.values, out)
      return
  }
}

function writePairs(domain: readonly Value[], values: readonly Value[], out: string[]): void {
  out.push("(")
  for (let i = 0; i < domain.length; i++) {
    if (i > 0) out.push(" @@ ")
    write(domain[i], out)
    out.push(" :> ")
    write(values[i], out)
  }
  out.push(")")
}

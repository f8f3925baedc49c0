/**
 * SANY's operator precedence table: each operator has a range [low, high]; two operators whose
 * ranges overlap cannot be mixed without parentheses ("conflicting precedence"), except a
 * left-associative operator with itself. Spellings that mean the same operator map to one name.
 */
export interface OpInfo {
  readonly name: string
  readonly low: number
  readonly high: number
  readonly leftAssoc: boolean
}

const info = (name: string, low: number, high: number, leftAssoc = false): OpInfo => ({ name, low, high, leftAssoc })

const INFIX: Record<string, OpInfo> = {}
const add = (spellings: string[], low: number, high: number, leftAssoc = false): void => {
  for (const s of spellings) INFIX[s] = info(spellings[0], low, high, leftAssoc)
}

add(["=>"], 1, 1)
add(["<=>", "\\equiv"], 2, 2)
add(["~>"], 2, 2)
add(["-+->"], 2, 2)
add(["/\\", "\\land"], 3, 3, true)
add(["\\/", "\\lor"], 3, 3, true)
for (const op of ["=", "<", ">", "\\in", "\\notin", "\\subseteq", "\\subset", "\\supseteq", "\\supset",
  "\\prec", "\\preceq", "\\succ", "\\succeq", "\\sqsubset", "\\sqsubseteq", "\\sqsupset", "\\sqsupseteq",
  "\\approx", "\\asymp", "\\cong", "\\doteq", "\\propto", "\\sim", "\\simeq", "\\gg", "\\ll", "-|", "|-", "|=", "=|", "::=", ":=", "?"]) {
  add([op], 5, 5)
}
add(["#", "/="], 5, 5)
add(["<=", "=<", "\\leq"], 5, 5)
add([">=", "\\geq"], 5, 5)
add(["@@"], 6, 6, true)
add([":>"], 7, 7)
add(["<:"], 7, 7)
add(["\\cup", "\\union"], 8, 8, true)
add(["\\cap", "\\intersect"], 8, 8, true)
add(["\\"], 8, 8)
add([".."], 9, 9)
add(["..."], 9, 9)
for (const op of ["!!", "##", "$", "$$", "??", "\\sqcap", "\\sqcup", "\\uplus"]) add([op], 9, 13, op !== "!!" && op !== "##" && op !== "$" && op !== "$$")
add(["\\wr"], 9, 14)
add(["+"], 10, 10, true)
add(["++"], 10, 10, true)
add(["(+)", "\\oplus"], 10, 10, true)
add(["%"], 10, 11)
add(["%%"], 10, 11, true)
add(["|"], 10, 11, true)
add(["||"], 10, 11, true)
add(["\\X", "\\times"], 10, 13, true)
add(["-"], 11, 11, true)
add(["--"], 11, 11, true)
add(["(-)", "\\ominus"], 11, 11, true)
for (const op of ["&", "&&", "*", "**", "\\bigcirc", "\\bullet", "\\star", "\\otimes", "(\\X)"]) add([op], 13, 13, true)
add(["(.)", "\\odot"], 13, 13, true)
add(["\\o", "\\circ"], 13, 13, true)
add(["/"], 13, 13)
add(["//"], 13, 13)
add(["(/)", "\\oslash"], 13, 13)
add(["\\div"], 13, 13)
add(["\\cdot"], 5, 14, true)
add(["^"], 14, 14)
add(["^^"], 14, 14)
INFIX["\\otimes"] = info("(\\X)", 13, 13, true)

export const infixInfo = (spelling: string): OpInfo | undefined => INFIX[spelling]

/** Prefix operators handled as ordinary operator applications (the rest are syntax). */
const PREFIX: Record<string, OpInfo> = {
  "~": info("~", 4, 4),
  "\\lnot": info("~", 4, 4),
  "\\neg": info("~", 4, 4),
  "[]": info("[]", 4, 15),
  "<>": info("<>", 4, 15),
  ENABLED: info("ENABLED", 4, 15),
  UNCHANGED: info("UNCHANGED", 4, 15),
  SUBSET: info("SUBSET", 8, 8),
  UNION: info("UNION", 8, 8),
  DOMAIN: info("DOMAIN", 9, 9),
  "-": info("-.", 12, 12)
}

export const prefixInfo = (spelling: string): OpInfo | undefined => PREFIX[spelling]

/** The canonical name of an infix operator symbol when used as a name (`a (+) b == ..`, `SortSeq(s, <)`). */
export const canonicalOpName = (spelling: string): string => INFIX[spelling]?.name ?? (spelling === "-." ? "-." : spelling)

/**
 * The .cfg parser against TLC-FACTS §7 and TLC's reading of the file.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { beforeEach, describe, expect, it } from "vitest"
import { ConfigError, configValueToValue, parseConfig, type ModelConfig } from "../../../src/tla/config/index.ts"
import { beginInterning, intern, tuple, valueToString } from "../../../src/tla/values/index.ts"

const names = (list: readonly { name: string }[]) => list.map((n) => n.name)

function configError(text: string, file = "Model.cfg"): ConfigError {
  try {
    parseConfig(text, file)
  } catch (e) {
    if (e instanceof ConfigError) return e
    throw e
  }
  throw new Error("expected a ConfigError")
}

beforeEach(() => {
  beginInterning()
})

describe("layout", () => {
  it("ignores line breaks: keywords and assignments may share a line (G7cfg)", () => {
    const c = parseConfig("INIT Init NEXT Next CONSTANTS N = 3 M = 4 INVARIANT Inv", "G7cfg.cfg")
    expect([c.init?.name, c.next?.name, names(c.constants), names(c.invariants)]).toEqual(["Init", "Next", ["N", "M"], ["Inv"]])
  })

  it("skips \\* and nested (* *) comments, even a *) inside quotes ends a comment", () => {
    const c = parseConfig(
      [
        "\\* the model",
        "(* a (* nested *) comment *) INIT Init \\* here",
        '(* "a string *) NEXT Next',
        "INVARIANT (* inline *) Inv"
      ].join("\n"),
      "Comments.cfg"
    )
    expect([c.init?.name, c.next?.name, names(c.invariants)]).toEqual(["Init", "Next", ["Inv"]])
  })

  it("records where each name was written", () => {
    const c = parseConfig("INIT\n  Init\nINVARIANTS\n  TypeOK Safe", "X.cfg")
    expect(c.init).toEqual({ name: "Init", line: 2, col: 3 })
    expect(c.invariants[1]).toEqual({ name: "Safe", line: 4, col: 10 })
  })
})

describe("keywords", () => {
  it("takes both spellings of the list keywords and runs each list to the next keyword", () => {
    const c = parseConfig(
      "INVARIANT A INVARIANTS B C PROPERTY P PROPERTIES Q CONSTRAINT K CONSTRAINTS L " +
        "ACTION_CONSTRAINT X ACTION_CONSTRAINTS Y POSTCONDITION Z POSTCONDITIONS W",
      "X.cfg"
    )
    expect([c.invariants, c.properties, c.constraints, c.actionConstraints, c.postconditions].map(names)).toEqual([
      ["A", "B", "C"],
      ["P", "Q"],
      ["K", "L"],
      ["X", "Y"],
      ["Z", "W"]
    ])
  })

  it("reads the single keywords", () => {
    const c = parseConfig("SPECIFICATION Spec VIEW V SYMMETRY Sym ALIAS A CHECK_DEADLOCK FALSE", "X.cfg")
    expect([c.specification?.name, c.view?.name, c.symmetry?.name, c.alias?.name, c.checkDeadlock]).toEqual([
      "Spec",
      "V",
      "Sym",
      "A",
      false
    ])
    expect(parseConfig("INIT I", "X.cfg").checkDeadlock).toBeUndefined()
    expect(parseConfig("CHECK_DEADLOCK TRUE", "X.cfg").checkDeadlock).toBe(true)
  })

  it("rejects a single keyword given twice, as TLC does", () => {
    const e = configError("INIT Init\nNEXT Next\nINIT Other", "Twice.cfg")
    expect(e.message).toBe("Twice.cfg:3:1: INIT is given twice (first at line 1)")
    expect(e.tlcMessage).toBe("TLC found an error in the configuration file at line 3\nThe keyword INIT appeared twice.")
  })

  it("rejects a keyword with nothing after it", () => {
    const e = configError("NEXT Next\nINIT", "Short.cfg")
    expect(e.tlcMessage).toBe("TLC found an error in the configuration file at line 2\nThe keyword INIT was not followed by an identifier.")
    expect(e.message).toMatch(/^Short\.cfg:2:5: /)
  })

  it("rejects text that is not a keyword", () => {
    const e = configError("INIT Init\nNEXT Next\nInv")
    expect(e.message).toBe(
      'Model.cfg:3:1: expected a keyword (INIT, NEXT, SPECIFICATION, CONSTANTS, INVARIANTS, PROPERTIES, ...), found "Inv"'
    )
    expect(e.tlcMessage).toBe("TLC found an error in the configuration file at line 3\nIt was expecting a keyword, but did not find it.")
  })

  it("rejects what TLC would take as an invariant name but is no name", () => {
    const e = configError("INIT Init\nINVARIANT Inv\n= 3")
    expect(e.message).toBe('Model.cfg:3:1: expected a name after INVARIANT, found "="')
    expect(e.tlcMessage).toBeUndefined()
  })

  it("accepts only TRUE or FALSE after CHECK_DEADLOCK", () => {
    expect(configError("CHECK_DEADLOCK yes").tlcMessage).toBe(
      "TLC found an error in the configuration file at line 1\nIt was expecting TRUE or FALSE, but did not find it."
    )
  })

  it("is stricter than TLC where TLC would read a keyword as a name", () => {
    const e = configError("INIT NEXT")
    expect(e.message).toBe("Model.cfg:1:6: expected a name after INIT, found the keyword NEXT")
    expect(e.tlcMessage).toBeUndefined()
  })
})

describe("constants", () => {
  it("reads every constant form TLC accepts (G7cfg)", () => {
    const c = parseConfig(
      [
        "CONSTANTS",
        "  N = 3  S = {s1, s2}  Str = \"hello\"  B = TRUE  E = {}",
        "  Nested = {{}, {\"a\"}, {1, 2}}  M = MV",
        "  Two <- MyTwo  Def <- MyDef",
        "  K <- [Inner] Op",
        "  C = [Inner] 5",
        "  F(1, 2) = 3",
        "  H!Val <- Twenty"
      ].join("\n"),
      "G7cfg.cfg"
    )
    const values = c.constants.filter((a) => a.args.length === 0).map((a) => configValueToValue(a.value))
    expect(valueToString(tuple(values))).toBe('<<3, {s1, s2}, "hello", TRUE, {}, {{}, {"a"}, {1, 2}}, MV>>')
    expect(c.substitutions.map((s) => `${s.name}<-${s.by}`)).toEqual(["Two<-MyTwo", "Def<-MyDef", "H!Val<-Twenty"])
    expect(c.moduleSubstitutions).toEqual([{ name: "K", line: 5, col: 3, module: "Inner", by: "Op" }])
    expect(c.moduleConstants.map((m) => [m.module, m.name, m.value])).toEqual([["Inner", "C", { kind: "int", value: 5 }]])
    const f = c.constants.find((a) => a.name === "F")
    expect(f?.args).toEqual([
      { kind: "int", value: 1 },
      { kind: "int", value: 2 }
    ])
  })

  it("lists the model values and strings in the order TLC interns them", () => {
    const c = parseConfig('CONSTANTS P = {kk3, kk1, kk2} Q = "qq" R = kk1', "V8mv.cfg")
    expect(c.internNames).toEqual(["kk3", "kk1", "kk2", "qq", "kk1"])
  })

  it("gives model values TLC's order once the loader interns the .cfg names first (V8mv, V8intern)", () => {
    const c = parseConfig("CONSTANT P = {kk3, kk1, kk2}", "V8mv.cfg")
    for (const name of c.internNames) intern(name)
    // The spec's identifiers come after the .cfg's names.
    for (const name of ["V8mv", "P", "kk1", "kk2", "kk3"]) intern(name)
    expect(valueToString(configValueToValue(c.constants[0].value))).toBe("{kk3, kk1, kk2}")
  })

  it("rejects a negative integer like TLC (G7neg)", () => {
    const e = configError("CONSTANT N = -1\nINIT Init", "G7neg.cfg")
    expect(e.tlcMessage).toBe("TLC found an error in the configuration file at line 2\nIt was expecting = or <-, but did not find it.")
    expect(e.message).toMatch(/^G7neg\.cfg:1:14: negative integers cannot be written in a \.cfg file/)
  })

  it("rejects an assignment without = or <-", () => {
    const e = configError("CONSTANTS\n  N 3")
    expect(e.message).toBe('Model.cfg:2:5: expected "=" or "<-" after N, found "3"')
    expect(e.tlcMessage).toBe("TLC found an error in the configuration file at line 2\nIt was expecting = or <-, but did not find it.")
  })

  it("rejects an unclosed set", () => {
    expect(configError("CONSTANT S = {a, b\nINIT Init").tlcMessage).toBe(
      "TLC found an error in the configuration file at line 2\nIt was expecting }, but did not find it."
    )
  })

  it("rejects a missing value and a missing substitution target", () => {
    expect(configError("CONSTANT N =").tlcMessage).toBe(
      "TLC found an error in the configuration file at line 1\nIt was expecting a value, but did not find it."
    )
    expect(configError("CONSTANT N <-").tlcMessage).toBe(
      "TLC found an error in the configuration file at line 1\nExpected an identifier after <-."
    )
    expect(configError("CONSTANT N <- [M Op").tlcMessage).toBe(
      "TLC found an error in the configuration file at line 1\nIt was expecting ], but did not find it."
    )
  })

  it("reports an unterminated string at its position", () => {
    const e = configError('CONSTANT S = "abc\nINIT Init')
    expect(e.message).toBe("Model.cfg:1:14: unterminated string")
  })

  it("rejects a constant assigned twice and integers beyond 32 bits", () => {
    expect(configError("CONSTANT N = 1 N = 2").message).toBe("Model.cfg:1:16: N is assigned twice (first at line 1)")
    expect(configError("CONSTANT N = 2147483648").message).toMatch(/too large for TLC/)
  })
})

describe("the TLC corpus configurations", () => {
  // The shared corpus sits next to the repository when it is available; the samples below run
  // either way.
  const corpus = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/tla-corpus")
  const corpusFiles = existsSync(corpus) ? readdirSync(corpus).filter((f) => f.endsWith(".cfg")) : []
  const samples: Record<string, string> = {
    "Sample1.cfg": "CONSTANTS\n  Procs = {p1, p2, p3}\n  None = None\nINIT Init\nNEXT Next\nINVARIANTS TypeOK Safe\n",
    "Sample2.cfg": "SPECIFICATION Spec \\* fair\nPROPERTY Live\nSYMMETRY Perms\nCHECK_DEADLOCK FALSE\n"
  }

  it("parses every one of them", () => {
    const parsed: ModelConfig[] = [
      ...corpusFiles.map((f) => parseConfig(readFileSync(join(corpus, f), "utf8"), f)),
      ...Object.entries(samples).map(([f, text]) => parseConfig(text, f))
    ]
    expect(parsed.length).toBe(corpusFiles.length + 2)
    for (const c of parsed) expect(c.init !== undefined || c.specification !== undefined).toBe(true)
  })
})

/**
 * What the docs need from the TypeScript sources, read with the TypeScript compiler's own parser:
 * the functions of the core with the spec action their doc comment cites, the conjunct tags
 * (`// spec: Action/conjunct`) with the code each one marks, the bug flags each function tests,
 * the string literals that name invariants, and the test cases with what they mention.
 *
 * The compiler (a devDependency) is passed in, so that only `raft-tla docs` pays for loading it.
 */
import type * as TS from "typescript"
import type { Range } from "./spec-outline.ts"

export type Compiler = typeof TS

export interface SourceFile {
  /** Repository-relative path, with forward slashes. */
  readonly path: string
  readonly text: string
}

/** A doc comment's `Spec: Action(params), spec/Raft.tla lines a-b`. */
export interface Citation {
  readonly action: string
  readonly specFile: string
  readonly start: number
  readonly end: number
  readonly line: number
}

export interface CodeFunction {
  readonly name: string
  readonly file: string
  readonly exported: boolean
  readonly range: Range
  readonly citation: Citation | undefined
  /** Bug flags the function tests, as `bugs.has("name")`, with the line of each test. */
  readonly bugFlags: ReadonlyArray<{ readonly name: string; readonly line: number }>
}

/** A `// spec: Action/key` comment and the code it marks. */
export interface Tag {
  readonly file: string
  readonly line: number
  readonly column: number
  readonly action: string
  readonly key: string
  /** The lines of the statement (or property, or line) the tag marks. */
  readonly block: { readonly line: number; readonly endLine: number }
}

/** A string literal in a source file, e.g. an invariant's name where a checker reports it. */
export interface Mention {
  readonly file: string
  readonly line: number
  readonly text: string
}

export interface TestCase {
  readonly file: string
  readonly line: number
  readonly title: string
  /** Identifiers and string literals used in the test, and the words of its title. */
  readonly names: ReadonlySet<string>
}

export interface CodeOutline {
  readonly functions: ReadonlyArray<CodeFunction>
  readonly tags: ReadonlyArray<Tag>
}

const citationPattern = /Spec: (\w+)(?:\([^)]*\))?, (\S+) lines (\d+)-(\d+)/
const tagPattern = /^\/\/\s*spec:\s*(\w+)\/(.+?)\s*$/

const lineOf = (source: TS.SourceFile, position: number): number => source.getLineAndCharacterOfPosition(position).line + 1

const rangeOf = (source: TS.SourceFile, node: TS.Node): Range => {
  const start = source.getLineAndCharacterOfPosition(node.getStart(source))
  const end = source.getLineAndCharacterOfPosition(node.getEnd())
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character }
}

const parse = (ts: Compiler, file: SourceFile): TS.SourceFile => ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true)

const visit = (ts: Compiler, node: TS.Node, f: (node: TS.Node) => void): void => {
  f(node)
  ts.forEachChild(node, (child) => visit(ts, child, f))
}

/** The last doc comment before a statement. */
const docOf = (ts: Compiler, source: TS.SourceFile, statement: TS.Node): { text: string; line: number } | undefined => {
  const comments = ts.getLeadingCommentRanges(source.text, statement.getFullStart()) ?? []
  const doc = comments.filter((c) => source.text.startsWith("/**", c.pos)).pop()
  return doc && { text: source.text.slice(doc.pos, doc.end), line: lineOf(source, doc.pos) }
}

const citationIn = (doc: { text: string; line: number } | undefined): Citation | undefined => {
  if (doc === undefined) return undefined
  const match = citationPattern.exec(doc.text)
  if (!match) return undefined
  const line = doc.line + doc.text.slice(0, match.index).split("\n").length - 1
  return { action: match[1], specFile: match[2], start: Number(match[3]), end: Number(match[4]), line }
}

/** `x.bugs.has("name")` or `bugs.has("name")` anywhere inside `node`. */
const bugFlagsIn = (ts: Compiler, source: TS.SourceFile, node: TS.Node): Array<{ name: string; line: number }> => {
  const flags: Array<{ name: string; line: number }> = []
  visit(ts, node, (n) => {
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression) || n.expression.name.text !== "has") return
    const target = n.expression.expression
    const named = ts.isIdentifier(target) ? target.text : ts.isPropertyAccessExpression(target) ? target.name.text : ""
    const [arg] = n.arguments
    if (named === "bugs" && arg !== undefined && ts.isStringLiteral(arg)) flags.push({ name: arg.text, line: lineOf(source, arg.getStart(source)) })
  })
  return flags
}

const functionsOf = (ts: Compiler, file: SourceFile, source: TS.SourceFile): Array<CodeFunction> => {
  const found: Array<CodeFunction> = []
  for (const statement of source.statements) {
    const exported = ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    const add = (name: string) =>
      found.push({
        name,
        file: file.path,
        exported,
        range: rangeOf(source, statement),
        citation: citationIn(docOf(ts, source, statement)),
        bugFlags: bugFlagsIn(ts, source, statement)
      })
    if (ts.isFunctionDeclaration(statement) && statement.name) add(statement.name.text)
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer
        if (ts.isIdentifier(declaration.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) add(declaration.name.text)
      }
    }
  }
  return found
}

/** The outermost node that starts exactly at `position`. */
const nodeStartingAt = (ts: Compiler, source: TS.SourceFile, position: number): TS.Node | undefined => {
  let best: TS.Node | undefined
  visit(ts, source, (n) => {
    if (n !== source && n.getStart(source) === position && (best === undefined || n.getEnd() > best.getEnd())) best = n
  })
  return best
}

/** Where the first token after `position` starts, past white space and comments. */
const nextTokenAfter = (ts: Compiler, text: string, position: number): number => {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, text, undefined, position)
  scanner.scan()
  return scanner.getTokenStart()
}

const tagsOf = (ts: Compiler, file: SourceFile, source: TS.SourceFile): Array<Tag> => {
  const tags: Array<Tag> = []
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, source.text)
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token !== ts.SyntaxKind.SingleLineCommentTrivia) continue
    const match = tagPattern.exec(scanner.getTokenText())
    if (!match) continue
    const position = scanner.getTokenStart()
    const { line, character } = source.getLineAndCharacterOfPosition(position)
    const lineStart = source.getPositionOfLineAndCharacter(line, 0)
    const trailing = source.text.slice(lineStart, position).trim() !== ""
    let block = { line: line + 1, endLine: line + 1 }
    if (!trailing) {
      const next = nextTokenAfter(ts, source.text, scanner.getTokenEnd())
      const node = next < source.text.length ? nodeStartingAt(ts, source, next) : undefined
      if (node !== undefined) block = { line: line + 1, endLine: lineOf(source, node.getEnd()) }
    }
    tags.push({ file: file.path, line: line + 1, column: character + 1, action: match[1], key: match[2], block })
  }
  return tags
}

/** Functions and tags of the core's files. */
export const outlineCode = (ts: Compiler, files: ReadonlyArray<SourceFile>): CodeOutline => {
  const functions: Array<CodeFunction> = []
  const tags: Array<Tag> = []
  for (const file of files) {
    const source = parse(ts, file)
    functions.push(...functionsOf(ts, file, source))
    tags.push(...tagsOf(ts, file, source))
  }
  return { functions, tags }
}

/** Every string literal of the files that is one of `wanted`, where it is. */
export const mentionsOf = (ts: Compiler, files: ReadonlyArray<SourceFile>, wanted: ReadonlySet<string>): Array<Mention> => {
  const mentions: Array<Mention> = []
  for (const file of files) {
    if (![...wanted].some((w) => file.text.includes(w))) continue
    const source = parse(ts, file)
    visit(ts, source, (n) => {
      if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && wanted.has(n.text)) {
        mentions.push({ file: file.path, line: lineOf(source, n.getStart(source)), text: n.text })
      }
    })
  }
  return mentions
}

const testTitle = (ts: Compiler, node: TS.Expression | undefined): string | undefined =>
  node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) ? node.getText().slice(1, -1) : undefined

/** The test cases (`it`, `test`, and their `.each` forms) of the files. */
export const testCasesOf = (ts: Compiler, files: ReadonlyArray<SourceFile>): Array<TestCase> => {
  const cases: Array<TestCase> = []
  for (const file of files) {
    const source = parse(ts, file)
    visit(ts, source, (n) => {
      if (!ts.isCallExpression(n)) return
      const callee = n.expression
      const plain = ts.isIdentifier(callee) && (callee.text === "it" || callee.text === "test")
      const table =
        ts.isCallExpression(callee) &&
        ts.isPropertyAccessExpression(callee.expression) &&
        callee.expression.name.text === "each" &&
        ts.isIdentifier(callee.expression.expression) &&
        ["it", "test"].includes(callee.expression.expression.text)
      if (!plain && !table) return
      const title = testTitle(ts, n.arguments[0])
      if (title === undefined) return
      const names = new Set<string>(title.split(/[^A-Za-z0-9_-]+/).filter((w) => w !== ""))
      const collect = (node: TS.Node) =>
        visit(ts, node, (m) => {
          if (ts.isIdentifier(m)) names.add(m.text)
          else if (ts.isStringLiteral(m) || ts.isNoSubstitutionTemplateLiteral(m)) names.add(m.text)
        })
      for (const arg of n.arguments.slice(1)) collect(arg)
      if (table) for (const arg of (callee as TS.CallExpression).arguments) collect(arg)
      cases.push({ file: file.path, line: lineOf(source, n.getStart(source)), title, names })
    })
  }
  return cases
}

/**
 * The static site of the spec <-> code mapping: an index, one page per action with the TLA+ text
 * beside the TypeScript that implements it (whole, and conjunct by conjunct where tags mark the
 * correspondence), a page of invariants with the checks that enforce them, and line-numbered
 * copies of the spec and of every source file a page links to. Plain HTML and one stylesheet.
 */
import type { SourceFile } from "./code-outline.ts"
import type { ActionMapping, InvariantMapping, Mapping, TagLink } from "./mapping.ts"
import { problemText } from "./mapping.ts"

/** A page of the site: its path under the site's folder, and its HTML. */
export interface Page {
  readonly path: string
  readonly html: string
}

export interface SiteInput {
  readonly mapping: Mapping
  /** Every source file the pages may show, by repository path. */
  readonly files: ReadonlyMap<string, SourceFile>
  /** Bug flags whose counterexample trace is committed, for links to it. */
  readonly counterexamples: ReadonlySet<string>
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)

export const codePagePath = (file: string): string => `code/${file}.html`
const actionPagePath = (name: string): string => `actions/${name}.html`

/** A link from the page at `from` to `to` (both site paths), with an optional anchor. */
const href = (from: string, to: string, anchor?: string): string => {
  const depth = from.split("/").length - 1
  return `${"../".repeat(depth)}${to}${anchor === undefined ? "" : `#${anchor}`}`
}

const layout = (from: string, title: string, body: string): string => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)} — raft-tla</title><link rel="stylesheet" href="${href(from, "style.css")}"></head>
<body><nav><a href="${href(from, "index.html")}">raft-tla: spec ↔ code</a> · <a href="${href(from, "spec.html")}">spec</a> · <a href="${href(from, "invariants.html")}">invariants</a></nav>
<main>${body}</main></body></html>
`

export const style = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222}
nav{padding:8px 16px;background:#f3f3f3;border-bottom:1px solid #ddd}
main{padding:8px 16px 40px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;vertical-align:top;text-align:left}
.problems{background:#fde8e8;border:1px solid #e0a0a0;padding:8px 12px}
.ok{color:#2b8a3e}.missing{color:#c92a2a}
pre,.src{font:12.5px/1.5 ui-monospace,monospace;margin:0}
.src{white-space:pre}
.listing{border:1px solid #ddd;overflow:auto}
.listing .l{display:block}.listing .l:target{background:#fff3bf}
.n{display:inline-block;width:3.5em;color:#999;text-align:right;margin-right:1em;user-select:none}
.n a{color:inherit;text-decoration:none}
.tagged{background:#e7f5ff}
.badge{display:inline-block;min-width:1.4em;text-align:center;border-radius:8px;background:#1c7ed6;color:#fff;font:11px system-ui;margin-right:6px;text-decoration:none}
.side{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:12px}
.aligned td{padding:0}.aligned td.note{padding:3px 8px;color:#666;font-style:italic}
.aligned pre{padding:4px 8px}
.meta{color:#555}
`

/** Lines `from..to` of a file as a listing; `marks` maps a line to its badges. */
const listing = (
  text: string,
  from: number,
  to: number,
  anchorPrefix: string,
  marks: ReadonlyMap<number, ReadonlyArray<{ label: string; link: string; title: string }>> = new Map(),
  tagged: ReadonlySet<number> = new Set()
): string => {
  const lines = text.split("\n")
  const out: Array<string> = []
  for (let n = from; n <= to; n++) {
    const badges = (marks.get(n) ?? []).map((b) => `<a class="badge" href="${b.link}" title="${escape(b.title)}">${escape(b.label)}</a>`).join("")
    const cls = tagged.has(n) ? "l tagged" : "l"
    out.push(`<span class="${cls}" id="${anchorPrefix}${n}"><span class="n"><a href="#${anchorPrefix}${n}">${n}</a></span>${badges}${escape(lines[n - 1] ?? "")}</span>`)
  }
  return `<div class="listing"><div class="src">${out.join("")}</div></div>`
}

const lineSpan = (from: number, to: number): Set<number> => new Set(Array.from({ length: to - from + 1 }, (_, k) => from + k))

/** Numbers the conjuncts that tags name, in spec order, so both sides show the same badge. */
const numberedLinks = (action: ActionMapping): Array<TagLink & { number: number }> => {
  const conjuncts = [...new Set(action.links.map((l) => l.conjunct))].sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column)
  return action.links
    .map((l) => ({ ...l, number: conjuncts.indexOf(l.conjunct) + 1 }))
    .sort((a, b) => a.number - b.number || a.tag.line - b.tag.line)
}

const sideBySide = (page: string, input: SiteInput, action: ActionMapping): string => {
  const spec = input.mapping.spec
  const op = action.operator
  const links = numberedLinks(action)
  const specMarks = new Map<number, Array<{ label: string; link: string; title: string }>>()
  const codeMarks = new Map<number, Array<{ label: string; link: string; title: string }>>()
  const specTagged = new Set<number>()
  const codeTagged = new Set<number>()
  for (const link of links) {
    const sameFile = action.fn !== undefined && link.tag.file === action.fn.file && link.tag.line >= action.fn.range.line && link.tag.line <= action.fn.range.endLine
    const codeAnchor = sameFile ? `#c${link.tag.line}` : href(page, codePagePath(link.tag.file), `L${link.tag.line}`)
    const list = specMarks.get(link.conjunct.range.line) ?? []
    if (!list.some((b) => b.label === String(link.number) && b.link === codeAnchor)) list.push({ label: String(link.number), link: codeAnchor, title: `implemented at ${link.tag.file}:${link.tag.line}` })
    specMarks.set(link.conjunct.range.line, list)
    for (const n of lineSpan(link.conjunct.range.line, link.conjunct.range.endLine)) specTagged.add(n)
    if (sameFile) {
      codeMarks.set(link.tag.line, [...(codeMarks.get(link.tag.line) ?? []), { label: String(link.number), link: `#s${link.conjunct.range.line}`, title: `the conjunct at ${spec.file}:${link.conjunct.range.line}` }])
      for (const n of lineSpan(link.tag.block.line, link.tag.block.endLine)) codeTagged.add(n)
    }
  }
  const left = listing(spec.lines.join("\n"), op.range.line, op.range.endLine, "s", specMarks, specTagged)
  const fn = action.fn
  const right = fn === undefined ? `<p class="missing">No function implements ${escape(action.name)}.</p>` : listing(input.files.get(fn.file)?.text ?? "", fn.range.line, fn.range.endLine, "c", codeMarks, codeTagged)
  const specHead = `<a href="${href(page, "spec.html", `L${op.range.line}`)}">${escape(spec.file)} lines ${op.range.line}–${op.range.endLine}</a>`
  const codeHead = fn === undefined ? "" : `<a href="${href(page, codePagePath(fn.file), `L${fn.range.line}`)}">${escape(fn.file)} lines ${fn.range.line}–${fn.range.endLine}</a>: <code>${escape(fn.name)}</code>`
  return `<div class="side"><div><p class="meta">TLA+ · ${specHead}</p>${left}</div><div><p class="meta">TypeScript · ${codeHead}</p>${right}</div></div>`
}

/** Rows of spec lines, each owned by the innermost tagged conjunct holding it, beside the code tagged with it. */
const conjunctByConjunct = (page: string, input: SiteInput, action: ActionMapping): string => {
  const links = numberedLinks(action)
  if (links.length === 0) return `<p>No conjunct of ${escape(action.name)} is tagged in the code yet.</p>`
  const spec = input.mapping.spec
  const op = action.operator
  const conjuncts = [...new Set(links.map((l) => l.conjunct))]
  const ownerOf = (line: number) =>
    conjuncts.filter((c) => c.range.line <= line && line <= c.range.endLine).sort((a, b) => (a.range.endLine - a.range.line) - (b.range.endLine - b.range.line))[0]
  const rows: Array<{ owner: (typeof conjuncts)[number] | undefined; from: number; to: number }> = []
  for (let n = op.range.line; n <= op.range.endLine; n++) {
    const owner = ownerOf(n)
    const last = rows[rows.length - 1]
    if (last !== undefined && last.owner === owner) last.to = n
    else rows.push({ owner, from: n, to: n })
  }
  const shown = new Set<unknown>()
  const html = rows.map((row) => {
    const left = `<pre>${escape(spec.lines.slice(row.from - 1, row.to).join("\n"))}</pre>`
    if (row.owner === undefined) return `<tr><td>${left}</td><td class="note"></td></tr>`
    if (shown.has(row.owner)) return `<tr class="tagged"><td>${left}</td><td class="note">(continued)</td></tr>`
    shown.add(row.owner)
    const blocks = links
      .filter((l) => l.conjunct === row.owner)
      .map((l) => {
        const text = (input.files.get(l.tag.file)?.text ?? "").split("\n").slice(l.tag.block.line - 1, l.tag.block.endLine).join("\n")
        return `<a class="meta" href="${href(page, codePagePath(l.tag.file), `L${l.tag.line}`)}">${escape(l.tag.file)}:${l.tag.line}</a><pre>${escape(text)}</pre>`
      })
      .join("")
    const number = links.find((l) => l.conjunct === row.owner)!.number
    return `<tr class="tagged"><td><span class="badge">${number}</span>${left}</td><td>${blocks}</td></tr>`
  })
  return `<table class="aligned"><tr><th>${escape(spec.file)}</th><th>code</th></tr>${html.join("")}</table>`
}

const testsList = (page: string, tests: ActionMapping["tests"]): string =>
  tests.length === 0
    ? "<p>No test names it.</p>"
    : `<ul>${tests.map((t) => `<li><a href="${href(page, codePagePath(t.file), `L${t.line}`)}">${escape(t.file)}:${t.line}</a> — ${escape(t.title)}</li>`).join("")}</ul>`

const actionPage = (input: SiteInput, action: ActionMapping, k: number): Page => {
  const page = actionPagePath(action.name)
  const names = input.mapping.actions.map((a) => a.name)
  const prev = k > 0 ? `<a href="${href(page, actionPagePath(names[k - 1]))}">← ${escape(names[k - 1])}</a>` : ""
  const next = k < names.length - 1 ? `<a href="${href(page, actionPagePath(names[k + 1]))}">${escape(names[k + 1])} →</a>` : ""
  const flags = action.fn?.bugFlags ?? []
  const bugs =
    flags.length === 0
      ? "<p>No bug flag changes this function.</p>"
      : `<ul>${flags
          .map((f) => {
            const trace = input.counterexamples.has(f.name) ? ` · counterexample <code>traces/counterexamples/${escape(f.name)}.ndjson</code> (<code>raft-tla view</code> draws it)` : ""
            return `<li><code>${escape(f.name)}</code>, tested at <a href="${href(page, codePagePath(action.fn!.file), `L${f.line}`)}">${escape(action.fn!.file)}:${f.line}</a> · <a href="${href(page, "../bugs.md")}">docs/bugs.md</a>${trace}</li>`
          })
          .join("")}</ul>`
  const body = `<p class="meta">${prev} ${next}</p><h1>${escape(action.name)}(${escape(action.operator.params.join(", "))})</h1>
<p>${action.links.length} tag${action.links.length === 1 ? "" : "s"} tie conjuncts of the spec to the code. A numbered badge on either side links to the other.</p>
${sideBySide(page, input, action)}
<h2>Conjunct by conjunct</h2>${conjunctByConjunct(page, input, action)}
<h2>Bug flags</h2>${bugs}
<h2>Tests</h2>${testsList(page, action.tests)}`
  return { path: page, html: layout(page, action.name, body) }
}

const invariantsPage = (input: SiteInput): Page => {
  const page = "invariants.html"
  const spec = input.mapping.spec
  const section = (inv: InvariantMapping): string => {
    const op = inv.operator
    const text = op === undefined ? `<p class="missing">Not defined in ${escape(spec.file)}.</p>` : listing(spec.lines.join("\n"), op.range.line, op.range.endLine, `${inv.name}-`)
    const configs = inv.configs.map((c) => `<a href="${href(page, codePagePath(c.file), `L${c.line}`)}">${escape(c.file)}</a>`).join(", ")
    const checkers = inv.checkers.length === 0 ? "none in the code" : inv.checkers.map((m) => `<a href="${href(page, codePagePath(m.file), `L${m.line}`)}">${escape(m.file)}:${m.line}</a>`).join(", ")
    return `<h2 id="${escape(inv.name)}">${escape(inv.name)} <span class="meta">(${inv.kind})</span></h2>${text}
<p>Model checking: ${configs}. Checked in code: ${checkers}.</p>${testsList(page, inv.tests)}`
  }
  return { path: page, html: layout(page, "Invariants", `<h1>Invariants and properties</h1><p>Each one with the model configurations that check it, the code that checks it on every simulated step, and the tests that name it.</p>${input.mapping.invariants.map(section).join("")}`) }
}

const indexPage = (input: SiteInput): Page => {
  const page = "index.html"
  const m = input.mapping
  const problems =
    m.problems.length === 0
      ? `<p class="ok">Every action of ${escape(m.spec.file)} is paired with its function, and every tag names a conjunct that exists.</p>`
      : `<div class="problems"><b>${m.problems.length} problem${m.problems.length === 1 ? "" : "s"}: the code and the spec have drifted apart.</b><ul>${m.problems.map((p) => `<li><code>${escape(problemText(p))}</code></li>`).join("")}</ul></div>`
  const rows = m.actions
    .map((a) => {
      const fn = a.fn === undefined ? `<span class="missing">missing</span>` : `<a href="${codePagePath(a.fn.file)}#L${a.fn.range.line}">${escape(a.fn.file)}:${a.fn.range.line}</a> <code>${escape(a.fn.name)}</code>`
      const flags = (a.fn?.bugFlags ?? []).map((f) => `<code>${escape(f.name)}</code>`).join(" ")
      return `<tr><td><a href="${actionPagePath(a.name)}">${escape(a.name)}</a></td><td>${fn}</td><td>${a.links.length}</td><td>${a.tests.length}</td><td>${flags}</td></tr>`
    })
    .join("")
  const invariants = m.invariants
    .map((i) => `<tr><td><a href="invariants.html#${escape(i.name)}">${escape(i.name)}</a></td><td>${i.kind}</td><td>${i.configs.length}</td><td>${i.checkers.length}</td><td>${i.tests.length}</td></tr>`)
    .join("")
  const body = `<h1>${escape(m.spec.file)} beside the code that implements it</h1>
<p>Generated by <code>raft-tla docs</code> from the spec and the sources; <code>npm test</code> runs the same generator, so this view cannot drift from the code. Tags in the code, <code>// spec: Action/conjunct</code>, tie a conjunct of an action (named by its LET name or by text from it) to the statement below the tag (see docs/architecture.md).</p>
${problems}
<h2>Actions</h2><table><tr><th>action</th><th>function</th><th>tags</th><th>tests</th><th>bug flags</th></tr>${rows}</table>
<h2>Invariants and properties</h2><table><tr><th>name</th><th>kind</th><th>model configs</th><th>checkers</th><th>tests</th></tr>${invariants}</table>`
  return { path: page, html: layout(page, "spec ↔ code", body) }
}

const specPage = (input: SiteInput): Page => {
  const page = "spec.html"
  const spec = input.mapping.spec
  const marks = new Map(input.mapping.actions.map((a) => [a.operator.range.line, [{ label: "↔ code", link: actionPagePath(a.name), title: `${a.name} beside its code` }]] as const))
  return { path: page, html: layout(page, spec.file, `<h1>${escape(spec.file)}</h1>${listing(spec.lines.join("\n"), 1, spec.lines.length, "L", marks)}`) }
}

const codePage = (input: SiteInput, file: SourceFile): Page => {
  const page = codePagePath(file.path)
  const marks = new Map<number, Array<{ label: string; link: string; title: string }>>()
  const add = (line: number, badge: { label: string; link: string; title: string }) => marks.set(line, [...(marks.get(line) ?? []), badge])
  for (const a of input.mapping.actions) {
    if (a.fn?.file === file.path) add(a.fn.range.line, { label: "↔ spec", link: href(page, actionPagePath(a.name)), title: `${a.name} beside its spec` })
    for (const l of a.links) if (l.tag.file === file.path) add(l.tag.line, { label: "↔", link: href(page, actionPagePath(a.name), `s${l.conjunct.range.line}`), title: `the conjunct at ${input.mapping.spec.file}:${l.conjunct.range.line}` })
  }
  const lines = file.text.split("\n").length
  return { path: page, html: layout(page, file.path, `<h1>${escape(file.path)}</h1>${listing(file.text, 1, lines, "L", marks)}`) }
}

/** Every page of the site, and the stylesheet. */
export const renderSite = (input: SiteInput): Array<Page> => {
  const m = input.mapping
  const linked = new Set<string>()
  for (const a of m.actions) {
    if (a.fn) linked.add(a.fn.file)
    for (const l of a.links) linked.add(l.tag.file)
    for (const t of a.tests) linked.add(t.file)
  }
  for (const i of m.invariants) for (const f of [...i.configs.map((c) => c.file), ...i.checkers.map((c) => c.file), ...i.tests.map((t) => t.file)]) linked.add(f)
  return [
    { path: "style.css", html: style },
    indexPage(input),
    specPage(input),
    invariantsPage(input),
    ...m.actions.map((a, k) => actionPage(input, a, k)),
    ...[...linked].sort().flatMap((path) => {
      const file = input.files.get(path)
      return file === undefined ? [] : [codePage(input, file)]
    })
  ]
}

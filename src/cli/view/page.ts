/**
 * The trace viewer's page: one self-contained HTML file (inline CSS, SVG and script, nothing
 * fetched). Time runs down the page, one row per step; each server is a lane coloured by its role
 * and labelled with its term; messages are arrows from the step that sent them to the step that
 * received or dropped them. Clicking a step shows its state diff and the spec action it took.
 */
import type { Arrow, Band, Mark, Segment, StepView, Timeline } from "./timeline.ts"
import { pageScript } from "./page-script.ts"

/** The text of a spec action, shown beside the step that took it. */
export interface SpecText {
  readonly file: string
  readonly line: number
  readonly text: string
}

export interface PageInput {
  readonly title: string
  readonly timeline: Timeline
  readonly specActions: ReadonlyMap<string, SpecText>
  /** Why there is no spec text, when there is none. */
  readonly specNote?: string
}

const layout = { gutter: 330, row: 18, top: 44, bar: 12 }

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)

/** JSON that can sit inside a <script> element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c")

const clip = (text: string, length: number): string => (text.length > length ? `${text.slice(0, length - 1)}…` : text)

class Geometry {
  /** Lane width: narrower for bigger clusters, so that five servers fit beside the details. */
  readonly lane: number
  constructor(private readonly timeline: Timeline) {
    this.lane = Math.max(80, Math.min(150, Math.floor(560 / Math.max(1, timeline.servers.length))))
  }
  get width(): number {
    return layout.gutter + this.lane * this.timeline.servers.length + 20
  }
  get height(): number {
    return layout.top + layout.row * Math.max(1, this.timeline.steps.length) + 24
  }
  /** The top of a step's row. */
  rowTop(seq: number): number {
    return layout.top + (seq - this.timeline.first) * layout.row
  }
  rowMiddle(seq: number): number {
    return this.rowTop(seq) + layout.row / 2
  }
  laneCentre(server: string): number {
    const k = this.timeline.servers.indexOf(server)
    return layout.gutter + this.lane * (k < 0 ? 0 : k) + this.lane / 2
  }
  get bottom(): number {
    return layout.top + layout.row * Math.max(1, this.timeline.steps.length)
  }
}

const messageKind = (label: string): string => {
  if (label.startsWith("RequestVote")) return "vote"
  if (label.startsWith("InstallSnapshot")) return "snap"
  return "append"
}

const drawRow = (g: Geometry, step: StepView, failing: boolean): string => {
  const y = g.rowTop(step.seq)
  const cls = failing ? "step failing" : "step"
  return `<g class="${cls}" data-seq="${step.seq}"><rect class="hit" x="0" y="${y}" width="${g.width}" height="${layout.row}"/>` +
    `<text class="seq" x="48" y="${y + 13}">${step.seq}</text>` +
    `<text class="call" x="56" y="${y + 13}">${escapeHtml(clip(step.call, 44))}</text></g>`
}

const drawSegment = (g: Geometry, segment: Segment): string => {
  const x = g.laneCentre(segment.server) - layout.bar / 2
  const y = g.rowTop(segment.from)
  const height = (segment.to - segment.from + 1) * layout.row
  const title = `${segment.server}: ${segment.role}, term ${segment.term}, steps ${segment.from}–${segment.to}`
  return `<rect class="lane role-${escapeHtml(segment.role)}" x="${x}" y="${y}" width="${layout.bar}" height="${height}"><title>${escapeHtml(title)}</title></rect>` +
    `<text class="term" x="${x - 4}" y="${y + 12}">t${segment.term}</text>`
}

const drawPartition = (g: Geometry, band: Band): string =>
  band.servers
    .map((server) => {
      const x = g.laneCentre(server) - g.lane / 2 + 4
      const y = g.rowTop(band.from)
      const height = (band.to - band.from + 1) * layout.row
      return `<rect class="band partition" x="${x}" y="${y}" width="${g.lane - 8}" height="${height}"><title>${escapeHtml(`${band.servers.join(", ")} cut off from the others, steps ${band.from}–${band.to}`)}</title></rect>`
    })
    .join("")

const markSymbol: Record<Mark["kind"], string> = { commit: "◆", snapshot: "▣", crash: "✕", duplicate: "⧉" }

const drawMark = (g: Geometry, mark: Mark): string => {
  const x = g.laneCentre(mark.server)
  const y = g.rowTop(mark.seq)
  const band = mark.kind === "crash" ? `<rect class="band crash" x="${x - g.lane / 2 + 4}" y="${y}" width="${g.lane - 8}" height="${layout.row}"/>` : ""
  const dx = mark.kind === "duplicate" ? -layout.bar - 30 : layout.bar
  return `<g class="mark ${mark.kind}">${band}<text x="${x + dx}" y="${y + 13}">${markSymbol[mark.kind]} ${escapeHtml(mark.label.replace(/^(commit|snapshot) /, ""))}</text><title>${escapeHtml(`${mark.label} (step ${mark.seq}, ${mark.server})`)}</title></g>`
}

const drawArrow = (g: Geometry, arrow: Arrow): string => {
  const x1 = g.laneCentre(arrow.source)
  const x2 = arrow.end === "dropped" ? (x1 + g.laneCentre(arrow.dest)) / 2 : g.laneCentre(arrow.dest)
  const y1 = arrow.sentAt === null ? layout.top : g.rowMiddle(arrow.sentAt)
  const y2 = arrow.endAt === null ? g.bottom : g.rowMiddle(arrow.endAt)
  const classes = ["msg", messageKind(arrow.label), arrow.end.replace(" ", "-"), arrow.copyOf === undefined ? "" : "copy"].filter((c) => c !== "").join(" ")
  const fate =
    arrow.end === "received" ? `received at step ${arrow.endAt}` : arrow.end === "dropped" ? `dropped at step ${arrow.endAt}` : "still in flight at the end of the window"
  const origin = arrow.sentAt === null ? "sent before this window" : `sent at step ${arrow.sentAt}`
  const copy = arrow.copyOf === undefined ? "" : `, a duplicate of message ${arrow.copyOf}`
  const title = `message ${arrow.id}${copy}: ${arrow.source} → ${arrow.dest}, ${origin}, ${fate}\n${arrow.text}`
  const cross = arrow.end === "dropped" ? `<text class="cross" x="${x2 - 5}" y="${y2 + 5}">✕</text>` : ""
  const head = arrow.end === "received" ? ' marker-end="url(#head)"' : ""
  return `<g class="${classes}" data-msg="${arrow.id}"><line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"${head}/>${cross}<title>${escapeHtml(title)}</title></g>`
}

const style = `
body{font:13px/1.4 system-ui,sans-serif;margin:0;color:#222}
header{padding:10px 16px;border-bottom:1px solid #ccc;background:#fafafa}
header h1{font-size:16px;margin:0 0 4px}
.meta{color:#555}.window{margin-top:4px}
.failure{margin-top:6px;padding:6px 8px;background:#fde8e8;border:1px solid #e0a0a0;border-radius:4px;max-height:8em;overflow:auto}
.failure .summary{white-space:pre-wrap}
.legend span{margin-right:14px;white-space:nowrap}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px}
main{display:flex;align-items:flex-start}
#chart{flex:1 1 auto;overflow:auto;height:calc(100vh - 120px)}
#details{flex:0 0 440px;height:calc(100vh - 120px);overflow:auto;border-left:1px solid #ccc;padding:8px 12px;box-sizing:border-box;background:#fcfcfc}
#details h2{font-size:14px;margin:4px 0}
#details table{border-collapse:collapse;width:100%;font:12px ui-monospace,monospace}
#details td{border-top:1px solid #eee;padding:2px 4px;vertical-align:top;word-break:break-all}
#details pre{font:12px ui-monospace,monospace;white-space:pre-wrap;background:#f3f3f3;padding:6px;margin:4px 0}
#details pre .hit{background:#f8c9c9}
.conjunct{background:#fde8e8;border:1px solid #e0a0a0;padding:6px;margin:6px 0}
svg text{font:11px ui-monospace,monospace}
.server{font:bold 12px system-ui,sans-serif;text-anchor:middle}
.step .hit{fill:transparent;cursor:pointer}.step:hover .hit{fill:#f0f4ff}
.step.selected .hit{fill:#dfe8ff}.step.failing .hit{fill:#fde0e0}
.step.failing.selected .hit{fill:#f8c9c9}
.seq{text-anchor:end;fill:#888}.call{fill:#222}
.lane{stroke:none}.role-Follower{fill:#c9ccd1}.role-Candidate{fill:#f0b429}.role-Leader{fill:#2f9e44}
.term{text-anchor:end;fill:#666;font-size:10px}
.band.partition{fill:#7048e8;opacity:.12}.band.crash{fill:#e03131;opacity:.25}
.mark text{font-size:10px}.mark.commit text{fill:#2f9e44}.mark.snapshot text{fill:#1971c2}.mark.crash text{fill:#c92a2a;font-weight:bold}.mark.duplicate text{fill:#9c36b5}
.msg line{stroke-width:1.2;opacity:.75}.msg.append line{stroke:#1c7ed6}.msg.vote line{stroke:#ae3ec9}.msg.snap line{stroke:#0c8599}
.msg.dropped line{stroke:#e03131;stroke-dasharray:4 3}.msg.in-flight line{stroke-dasharray:2 4;opacity:.5}.msg.copy line{stroke-dasharray:1 3}
.msg:hover line{stroke-width:3;opacity:1}.cross{fill:#e03131;font-size:12px}
`

const legend = `<div class="legend"><span><i style="background:#c9ccd1"></i>Follower</span><span><i style="background:#f0b429"></i>Candidate</span><span><i style="background:#2f9e44"></i>Leader</span>
<span style="color:#1c7ed6">→ AppendEntries</span><span style="color:#ae3ec9">→ RequestVote</span><span style="color:#0c8599">→ InstallSnapshot</span>
<span style="color:#e03131">- - ✕ dropped</span><span>··· duplicate copy / in flight</span><span style="color:#2f9e44">◆ commit</span><span style="color:#1971c2">▣ snapshot</span>
<span style="color:#c92a2a">✕ crash</span><span><i style="background:#7048e8;opacity:.3"></i>partitioned</span></div>`

const windowText = (t: Timeline): string => {
  if (t.steps.length === 0) return `The trace has ${t.total} steps; none from step ${t.first} on.`
  if (t.first === 1 && t.last === t.total) return `All ${t.total} steps are shown.`
  return `Showing steps ${t.first}–${t.last} of ${t.total}. A page draws a window of steps; run <code>raft-tla view</code> with <code>--from</code> and <code>--steps</code> to see others.`
}

const sourceText = (t: Timeline): string => {
  const source = t.header.source
  if (source === undefined) return ""
  return Object.entries(source)
    .map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(typeof v === "string" ? v : JSON.stringify(v))}`)
    .join(" · ")
}

const failureBanner = (t: Timeline): string => {
  const f = t.failure
  if (f === undefined) return ""
  const where = f.seq !== undefined && t.focus === undefined ? ` (outside the steps shown: open the page with <code>--from ${f.seq}</code>)` : ""
  const conjunct = f.conjunct === undefined ? "" : ` Failing conjunct at ${escapeHtml(`${f.conjunct.file}:${f.conjunct.line}:${f.conjunct.column}`)}: <code>${escapeHtml(clip(f.conjunct.text, 160))}</code>`
  return `<div class="failure"><b>${escapeHtml(f.heading)}</b>${where}: <span class="summary">${escapeHtml(f.summary)}${/[.!?]$/.test(f.summary) ? "" : "."}</span>${conjunct}</div>`
}

/** Renders the page. */
export const renderPage = (input: PageInput): string => {
  const t = input.timeline
  const g = new Geometry(t)
  const failingSeq = t.failure?.seq
  const heads = t.servers
    .map((server) => `<text class="server" x="${g.laneCentre(server)}" y="20">${escapeHtml(server)}</text><line x1="${g.laneCentre(server)}" y1="28" x2="${g.laneCentre(server)}" y2="${g.bottom}" stroke="#eee"/>`)
    .join("")
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}">`,
    `<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>`,
    `<text x="48" y="20" class="seq">step</text><text x="56" y="20">action</text>`,
    heads,
    ...t.steps.map((step) => drawRow(g, step, step.seq === failingSeq)),
    ...t.partitions.map((band) => drawPartition(g, band)),
    ...t.segments.map((segment) => drawSegment(g, segment)),
    ...t.arrows.map((arrow) => drawArrow(g, arrow)),
    ...t.marks.map((mark) => drawMark(g, mark)),
    "</svg>"
  ].join("\n")
  const data = {
    steps: t.steps,
    spec: Object.fromEntries(input.specActions),
    specNote: input.specNote ?? "",
    failure: t.failure ?? null,
    focus: t.focus ?? null,
    first: t.steps[0]?.seq ?? null
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)} — raft-tla trace</title><style>${style}</style></head>
<body>
<header><h1>${escapeHtml(input.title)}</h1>
<div class="meta">spec ${escapeHtml(t.header.spec)} · servers ${escapeHtml(t.servers.join(", "))}${t.header.source ? " · " + sourceText(t) : ""}</div>
<div class="window">${windowText(t)}</div>
${failureBanner(t)}
${legend}
</header>
<main><div id="chart">${svg}</div><aside id="details"><p>Click a step to see what it changed and the spec action it took.</p></aside></main>
<pre id="script-errors" hidden></pre>
<script type="application/json" id="trace-data">${scriptJson(data)}</script>
<script>${pageScript}</script>
</body></html>
`
}

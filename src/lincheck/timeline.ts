/**
 * The timeline view of a checked history: one self-contained HTML file (inline SVG and CSS, one
 * line of script that scrolls each chart to its stuck operation, nothing fetched), one lane per client, each
 * operation a bar from its call to its return.
 * A legal partition shows its linearization (numbered points joined by a line); an illegal one
 * its longest partial linearization and, in red, the operation where it gets stuck. Fault
 * annotations are bands behind the bars; hovering a bar shows its times and the state it leaves.
 * Time is drawn by rank (each distinct instant one column), so
 * that short operations stay readable; the real times are in the hover text.
 */
import type { Annotation } from "./annotation.ts"
import type { CheckResult, PartitionResult } from "./check.ts"
import type { Operation } from "./history.ts"
import type { Model } from "./model.ts"
import { describeOperation, replay } from "./replay.ts"

export interface TimelineInput<S, I, O> {
  readonly title: string
  readonly model: Model<S, I, O>
  readonly result: CheckResult<I, O>
  readonly annotations?: ReadonlyArray<Annotation>
  /** Operations drawn in all, to keep the file small for big histories (default 2000). */
  readonly maxOperations?: number
}

const perPartitionCap = 600
const layout = { left: 90, top: 46, lane: 30, bar: 20, labelChars: 48, stateChars: 300 }
/** Column width: wide for small histories, so that labels fit; at least 16 px. */
const columnFor = (instants: number): number => Math.max(16, Math.min(90, Math.floor(1100 / Math.max(1, instants))))

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)

const clip = (text: string, length: number): string => (text.length > length ? `${text.slice(0, length - 1)}…` : text)

const timeText = (t: number): string => (t === Infinity ? "never returned" : String(t))

type Role = "linearized" | "stuck" | "outside"

interface Bar {
  readonly op: Operation<unknown, unknown>
  readonly label: string
  readonly role: Role
  /** 1-based place in the (partial) linearization. */
  readonly order?: number
  readonly stateAfter?: string
}

/** The operations of a partition worth drawing, in call order: all, or a window around the stuck point. */
const shownIndices = <I, O>(partition: PartitionResult<I, O>, cap: number): Array<number> => {
  const byCall = partition.operations.map((_, i) => i).sort((a, b) => partition.operations[a].call - partition.operations[b].call)
  if (byCall.length <= cap) return byCall
  const stuck = partition.partials?.[0]?.stuck
  const centre = stuck === undefined ? 0 : byCall.indexOf(stuck)
  const from = Math.max(0, Math.min(byCall.length - cap, centre - Math.floor((cap * 3) / 4)))
  return byCall.slice(from, from + cap)
}

const barsOf = <S, I, O>(model: Model<S, I, O>, partition: PartitionResult<I, O>, shown: ReadonlyArray<number>): Array<Bar> => {
  const order = partition.linearization ?? partition.partials?.[0]?.order ?? []
  const stuck = partition.partials?.[0]?.stuck
  const states = replay(model, partition.operations, order).after
  const place = new Map(order.map((op, at) => [op, at]))
  return shown.map((i) => {
    const op = partition.operations[i] as Operation<unknown, unknown>
    const at = place.get(i)
    const label = describeOperation(model, partition.operations[i])
    if (at !== undefined) return { op, label, role: "linearized", order: at + 1, stateAfter: states[at] }
    return { op, label, role: i === stuck ? "stuck" : "outside" }
  })
}

const clientOrder = (a: string, b: string): number => {
  const x = Number(a)
  const y = Number(b)
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : a < b ? -1 : a > b ? 1 : 0
}

const renderChart = (bars: ReadonlyArray<Bar>, annotations: ReadonlyArray<Annotation>, stuckState: string | undefined): string => {
  const finite = bars.flatMap((bar) => [bar.op.call, bar.op.return]).filter(Number.isFinite)
  const low = Math.min(...finite)
  const high = Math.max(...finite)
  const bands = annotations.filter((a) => a.end >= low && a.start <= high)
  const instants = [...new Set([...finite, ...bands.flatMap((a) => [a.start, a.end]).filter((t) => Number.isFinite(t) && t >= low && t <= high)])].sort(
    (a, b) => a - b
  )
  const rank = new Map(instants.map((t, i) => [t, i]))
  const column = columnFor(instants.length)
  const right = layout.left + (instants.length + 1.5) * column
  const x = (t: number): number => {
    if (t === Infinity) return right
    if (t < low) return layout.left
    return layout.left + ((rank.get(t) ?? 0) + 0.5) * column
  }

  // Lanes: one per client, split into rows where a client's operations overlap.
  const lanes = new Map<string, Array<Array<Bar>>>()
  for (const bar of [...bars].sort((a, b) => a.op.call - b.op.call)) {
    const rows = lanes.get(String(bar.op.client)) ?? []
    lanes.set(String(bar.op.client), rows)
    const row = rows.find((r) => r[r.length - 1].op.return < bar.op.call)
    if (row) row.push(bar)
    else rows.push([bar])
  }
  const rowOf = new Map<Bar, number>()
  const rowsOfClient = new Map<string, { first: number; count: number }>()
  const laneLabels: Array<string> = []
  let rowCount = 0
  for (const client of [...lanes.keys()].sort(clientOrder)) {
    const rows = lanes.get(client) ?? []
    rowsOfClient.set(client, { first: rowCount, count: rows.length })
    laneLabels.push(`<text class="lane" x="8" y="${layout.top + rowCount * layout.lane + 15}">client ${escape(client)}</text>`)
    rows.forEach((row, r) => row.forEach((bar) => rowOf.set(bar, rowCount + r)))
    rowCount += rows.length
    laneLabels.push(`<line class="lane" x1="0" x2="${right + 20}" y1="${layout.top + rowCount * layout.lane - 4}" y2="${layout.top + rowCount * layout.lane - 4}"/>`)
  }
  const height = layout.top + rowCount * layout.lane + 10
  const width = right + 24

  const bandMarks = bands.map((band, i) => {
    const x1 = x(Math.max(band.start, low))
    const x2 = band.end === Infinity ? right : x(Math.min(band.end, high))
    // A client's own fault covers its lane only; one without a client covers them all.
    const rows = band.client === undefined ? undefined : rowsOfClient.get(String(band.client))
    const y1 = rows ? layout.top + rows.first * layout.lane - 3 : 14
    const y2 = rows ? layout.top + (rows.first + rows.count) * layout.lane - 5 : height
    const tip = `${band.kind}: ${band.label}\nfrom ${band.start} to ${band.end === Infinity ? "the end" : band.end}`
    const labelY = 24 + (i % 2) * 11
    return `<g class="band ${band.kind}"><title>${escape(tip)}</title><rect x="${x1}" y="${y1}" width="${Math.max(3, x2 - x1)}" height="${y2 - y1}"/><text x="${x1 + 3}" y="${labelY}">${escape(clip(band.label, 40))}</text></g>`
  })

  const ticks: Array<string> = []
  const every = Math.max(1, Math.ceil(instants.length / 40))
  instants.forEach((t, i) => {
    if (i % every === 0) ticks.push(`<text class="tick" x="${x(t)}" y="10">${escape(String(t))}</text>`)
  })

  const points: Array<{ order: number; x: number; y: number }> = []
  const barMarks = bars.map((bar) => {
    const row = rowOf.get(bar) ?? 0
    const y = layout.top + row * layout.lane
    const x1 = x(bar.op.call) - column * 0.4
    const x2 = bar.op.return === Infinity ? right : x(bar.op.return) + column * 0.4
    const w = Math.max(6, x2 - x1)
    const lines = [
      bar.label,
      `client ${String(bar.op.client)} · call ${bar.op.call} · return ${timeText(bar.op.return)}`,
      bar.role === "linearized"
        ? `linearized #${bar.order} · state after: ${clip(bar.stateAfter ?? "", layout.stateChars)}`
        : bar.role === "stuck"
          ? `stuck: it must take effect next, and no extension of the partial linearization lets it (state: ${clip(stuckState ?? "", layout.stateChars)})`
          : "not in the partial linearization"
    ]
    if (bar.order !== undefined) points.push({ order: bar.order, x: x1, y: y + layout.bar / 2 })
    const pending = bar.op.return === Infinity ? " pending" : ""
    return (
      `<g class="op ${bar.role}${pending}"><title>${escape(lines.join("\n"))}</title>` +
      `<rect x="${x1}" y="${y}" width="${w}" height="${layout.bar}" rx="3"/>` +
      `<svg x="${x1}" y="${y}" width="${w}" height="${layout.bar}"><text x="${bar.order === undefined ? 4 : 14}" y="14">${escape(clip(bar.label, layout.labelChars))}</text></svg>` +
      `</g>`
    )
  })

  // Linearization points: in order, each inside its operation's bar and after the previous one.
  points.sort((a, b) => a.order - b.order)
  const barOf = new Map(bars.filter((b) => b.order !== undefined).map((b) => [b.order as number, b]))
  let previous = -Infinity
  const placed = points.map((point) => {
    const bar = barOf.get(point.order) as Bar
    const x1 = x(bar.op.call) - column * 0.4 + 4
    const x2 = bar.op.return === Infinity ? right - 4 : x(bar.op.return) + column * 0.4 - 4
    const px = Math.min(Math.max(previous + 2, x1), Math.max(x1, x2))
    previous = px
    return { ...point, x: px }
  })
  const orderLine =
    placed.length > 1 ? `<polyline class="order" points="${placed.map((p) => `${p.x},${p.y}`).join(" ")}"/>` : ""
  const badges = placed.map(
    (p) => {
      const half = Math.max(7, 2.6 * String(p.order).length + 2)
      return `<g class="badge"><rect x="${p.x - half}" y="${p.y - 7}" width="${2 * half}" height="14" rx="7"/><text x="${p.x}" y="${p.y + 3}">${p.order}</text></g>`
    }
  )
  return (
    `<div class="chart"><svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<defs><linearGradient id="fade"><stop offset="60%" stop-color="#8fb3dd"/><stop offset="100%" stop-color="#8fb3dd" stop-opacity="0.1"/></linearGradient></defs>` +
    ticks.join("") +
    bandMarks.join("") +
    laneLabels.join("") +
    orderLine +
    barMarks.join("") +
    badges.join("") +
    `</svg></div>`
  )
}

const style = `
body { font: 13px system-ui, sans-serif; margin: 16px; color: #222; }
h1 { font-size: 18px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 18px 0 4px; }
.verdict-ok { color: #1a7f37; } .verdict-illegal { color: #c0111f; } .verdict-unknown { color: #9a6700; }
.note { color: #555; margin: 2px 0; } .chart { overflow-x: auto; border: 1px solid #ddd; background: #fcfcfc; }
.legend span { display: inline-block; padding: 1px 8px; margin-right: 6px; border-radius: 3px; }
text { font: 11px system-ui, sans-serif; } text.tick { fill: #888; text-anchor: middle; font-size: 9px; }
text.lane { fill: #444; font-weight: 600; } line.lane { stroke: #eee; }
.op rect { stroke: #33577f; stroke-width: 1; } .op text { fill: #111; }
.op.linearized rect, .legend .linearized { fill: #8fb3dd; background: #8fb3dd; }
.op.outside rect, .legend .outside { fill: #d9d9d9; background: #d9d9d9; stroke: #999; }
.op.stuck rect, .legend .stuck { fill: #f26b6b; background: #f26b6b; stroke: #a00; stroke-width: 3; }
.op.stuck text { font-weight: 700; }
.op.pending rect { fill: url(#fade); stroke-dasharray: 4 2; }
.op:hover rect { stroke: #000; stroke-width: 2; }
.band rect { opacity: 0.35; } .band.partition rect, .legend .partition { fill: #f5c26b; background: #f5c26b; }
.band.crash rect, .legend .crash { fill: #e88; background: #e88; } .band.note rect { fill: #bde; }
.band text { fill: #7a4a00; font-size: 10px; }
polyline.order { fill: none; stroke: #1d4f91; stroke-width: 1.2; opacity: 0.7; }
.badge rect { fill: #1d4f91; } .badge text { fill: #fff; font-size: 8px; text-anchor: middle; }
`

export const renderTimeline = <S, I, O>(input: TimelineInput<S, I, O>): string => {
  const { model, result } = input
  const total = result.partitions.reduce((n, p) => n + p.operations.length, 0)
  const rankOf = (p: PartitionResult<I, O>): number => (p.verdict === "illegal" ? 0 : p.verdict === "unknown" ? 1 : 2)
  const order = result.partitions.map((_, i) => i).sort((a, b) => rankOf(result.partitions[a]) - rankOf(result.partitions[b]) || a - b)
  let budget = input.maxOperations ?? 2000
  const sections: Array<string> = []
  let hidden = 0
  for (const index of order) {
    const partition = result.partitions[index]
    const cap = Math.min(budget, perPartitionCap)
    if (cap <= 0) {
      hidden++
      continue
    }
    const shown = shownIndices(partition, cap)
    budget -= shown.length
    const bars = barsOf(model, partition, shown)
    const partial = partition.partials?.[0]
    const heading =
      result.partitions.length > 1 ? `Partition ${index + 1} of ${result.partitions.length}` : "History"
    const notes: Array<string> = []
    let stuckState: string | undefined
    if (partial !== undefined) {
      const states = replay(model, partition.operations, partial.order)
      stuckState = partial.order.length === 0 ? states.initial : states.after[partial.order.length - 1]
      notes.push(
        `Longest partial linearization: ${partial.order.length} of ${partition.operations.length} operations. ` +
          `Stuck at <b>${escape(describeOperation(model, partition.operations[partial.stuck]))}</b> ` +
          `(client ${escape(String(partition.operations[partial.stuck].client))}), in state ${escape(clip(stuckState, 200))}.`
      )
    } else if (partition.verdict === "ok") {
      notes.push(`Linearizable: the numbers give a legal order (${partition.operations.length} operations).`)
    } else if (partition.verdict === "unknown") {
      notes.push("Not decided: the time budget ran out.")
    }
    if (shown.length < partition.operations.length) {
      notes.push(`Showing ${shown.length} of ${partition.operations.length} operations${partial ? " around the stuck point" : ""}.`)
    }
    sections.push(
      `<h2>${heading} — <span class="verdict-${partition.verdict}">${partition.verdict}</span></h2>` +
        notes.map((n) => `<p class="note">${n}</p>`).join("") +
        renderChart(bars, input.annotations ?? [], stuckState)
    )
  }
  if (hidden > 0) sections.push(`<p class="note">${hidden} more partitions not drawn, to keep this file small.</p>`)
  const verdictText = { ok: "linearizable", illegal: "NOT linearizable", unknown: "undecided (timed out)" }[result.verdict]
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escape(input.title)} — ${verdictText}</title><style>${style}</style></head>
<body>
<h1>${escape(input.title)}: <span class="verdict-${result.verdict}">${verdictText}</span></h1>
<p class="note">${total} operations in ${result.partitions.length} partition(s). Hover an operation for its times and state.</p>
<p class="legend"><span class="linearized">linearized</span><span class="outside">not linearized</span><span class="stuck">stuck here</span><span class="partition">partition</span><span class="crash">crash</span> dashed, fading: never returned</p>
${sections.join("\n")}
<script>for (const stuck of document.querySelectorAll(".op.stuck rect")) { const chart = stuck.closest(".chart"); chart.scrollLeft = stuck.x.baseVal.value - chart.clientWidth / 2 }</script>
</body></html>
`
}

/**
 * The same window of a trace as a Mermaid sequence diagram, for pasting into issues and docs.
 * Mermaid draws each arrow at one moment, so a message appears where it was received (or dropped),
 * labelled with the step that sent it; steps that change a server's role, term, commitIndex or
 * snapshot appear as notes over that server. Sends are not drawn on their own: their arrow is.
 */
import type { Arrow, Mark, Segment, Timeline } from "./timeline.ts"

/** Mermaid reads `;` as the end of a statement and `#` as the start of an entity code. */
const label = (text: string): string => text.replace(/;/g, ",").replace(/#/g, "#35;")

const arrowLine = (arrow: Arrow): string => {
  const from = arrow.sentAt === null ? "sent earlier" : `sent ${arrow.sentAt}`
  const copy = arrow.copyOf === undefined ? "" : ` copy of ${arrow.copyOf}`
  if (arrow.end === "dropped") return `  ${arrow.source}--x${arrow.dest}: ${label(arrow.label)} (${from}${copy}, dropped at ${arrow.endAt})`
  return `  ${arrow.source}->>${arrow.dest}: ${arrow.endAt} ${label(arrow.label)} (${from}${copy})`
}

/** A server's role and term as they change, keyed by the step of the change. */
const laneNotes = (segments: ReadonlyArray<Segment>, first: number): Map<number, Array<string>> => {
  const notes = new Map<number, Array<string>>()
  for (const segment of segments) {
    if (segment.from === first) continue
    const list = notes.get(segment.from) ?? []
    list.push(`  Note over ${segment.server}: ${segment.from} ${segment.role}, term ${segment.term}`)
    notes.set(segment.from, list)
  }
  return notes
}

const markNote = (mark: Mark): string => `  Note over ${mark.server}: ${mark.seq} ${label(mark.label)}`

export const renderMermaid = (title: string, t: Timeline): string => {
  const lines = [`%% raft-tla view ${title}: steps ${t.first}–${t.last} of ${t.total}`, "sequenceDiagram"]
  for (const server of t.servers) lines.push(`  participant ${server}`)
  const opening = t.segments.filter((s) => s.from === t.first)
  if (opening.length > 0) lines.push(`  Note over ${t.servers[0]},${t.servers[t.servers.length - 1]}: step ${t.first}: ${opening.map((s) => `${s.server} ${s.role} t${s.term}`).join(", ")}`)
  const roles = laneNotes(t.segments, t.first)
  const arrowsAt = new Map<number, Array<Arrow>>()
  for (const arrow of t.arrows) {
    if (arrow.endAt === null) continue
    const list = arrowsAt.get(arrow.endAt) ?? []
    list.push(arrow)
    arrowsAt.set(arrow.endAt, list)
  }
  const marksAt = new Map<number, Array<Mark>>()
  for (const mark of t.marks) {
    if (mark.kind === "duplicate") continue
    const list = marksAt.get(mark.seq) ?? []
    list.push(mark)
    marksAt.set(mark.seq, list)
  }
  const cutAt = new Map(t.partitions.map((band) => [band.from, band] as const))
  const healAt = new Map(t.partitions.map((band) => [band.to, band] as const))
  for (const step of t.steps) {
    const cut = cutAt.get(step.seq)
    if (cut) lines.push(`  Note over ${cut.servers.join(",")}: ${step.seq} partitioned off`)
    for (const arrow of arrowsAt.get(step.seq) ?? []) lines.push(arrowLine(arrow))
    lines.push(...(roles.get(step.seq) ?? []))
    for (const mark of marksAt.get(step.seq) ?? []) lines.push(markNote(mark))
    if (step.action === "ClientRequest" && step.server !== undefined) lines.push(`  Note over ${step.server}: ${step.seq} ${label(step.call)}`)
    const heal = healAt.get(step.seq)
    if (heal && heal.to < t.last) lines.push(`  Note over ${heal.servers.join(",")}: ${step.seq + 1} partition healed`)
  }
  const pending = t.arrows.filter((a) => a.endAt === null).length
  if (pending > 0) lines.push(`%% ${pending} message(s) still in flight at step ${t.last} are not drawn`)
  return lines.join("\n") + "\n"
}

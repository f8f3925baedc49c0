/**
 * The viewer page's script, inline in the page. It records its own errors in #script-errors (so a
 * headless browser test can read them from the DOM), shows a clicked step's details, and opens on
 * the failing step when there is one. Plain browser JavaScript: it runs in the page, not in Node.
 */
export const pageScript = String.raw`
"use strict";
const errors = document.getElementById("script-errors");
const report = (text) => { errors.hidden = false; errors.textContent += text + "\n"; };
window.addEventListener("error", (e) => report("error: " + e.message + " at " + e.lineno + ":" + e.colno));
window.addEventListener("unhandledrejection", (e) => report("unhandled rejection: " + String(e.reason)));

const data = JSON.parse(document.getElementById("trace-data").textContent);
const details = document.getElementById("details");
const bySeq = new Map(data.steps.map((s) => [s.seq, s]));

const el = (tag, text, cls) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
};

const specBlock = (step) => {
  const spec = data.spec[step.action];
  const box = el("div");
  if (!spec) {
    box.append(el("p", data.specNote || ("No spec text for " + step.action + ".")));
    return box;
  }
  box.append(el("h2", "Spec action " + step.action + " (" + spec.file + ":" + spec.line + ")"));
  const pre = el("pre");
  const conjunct = data.failure && data.failure.seq === step.seq ? data.failure.conjunct : null;
  spec.text.split("\n").forEach((text, k) => {
    const n = spec.line + k;
    const hit = conjunct && conjunct.file.endsWith(spec.file.replace(/^.*\//, "")) && n >= conjunct.line && n <= conjunct.line + conjunct.text.split("\n").length - 1;
    pre.append(el("span", String(n).padStart(4) + "  " + text + "\n", hit ? "hit" : ""));
  });
  box.append(pre);
  return box;
};

const show = (seq) => {
  const step = bySeq.get(seq);
  if (!step) return;
  for (const row of document.querySelectorAll(".step.selected")) row.classList.remove("selected");
  const row = document.querySelector('.step[data-seq="' + seq + '"]');
  if (row) row.classList.add("selected");
  details.replaceChildren();
  details.append(el("h2", "Step " + step.seq + ": " + step.call));
  details.append(el("p", "line " + step.line + " of the trace" +
    (step.msgId !== undefined ? " · message " + step.msgId : "") +
    (step.sent.length > 0 ? " · sent " + step.sent.join(", ") : "") +
    (step.persist.length > 0 ? " · persisted " + step.persist.join(", ") : "")));
  if (data.failure && data.failure.seq === step.seq) {
    const box = el("div", undefined, "conjunct");
    box.append(el("b", data.failure.heading));
    box.append(el("div", data.failure.summary));
    if (data.failure.conjunct) {
      const c = data.failure.conjunct;
      box.append(el("div", "failing conjunct, " + c.file + ":" + c.line + ":" + c.column));
      box.append(el("pre", c.text));
    }
    for (const line of data.failure.details) box.append(el("div", line));
    details.append(box);
  }
  if (step.params.length > 0) {
    details.append(el("h2", "Parameters"));
    const table = el("table");
    for (const [name, value] of step.params) {
      const tr = el("tr");
      tr.append(el("td", name), el("td", value));
      table.append(tr);
    }
    details.append(table);
  }
  details.append(el("h2", step.changes.length === 0 ? "No variable changed" : "What changed"));
  if (step.changes.length > 0) {
    const table = el("table");
    for (const change of step.changes) {
      const tr = el("tr");
      const what = change.note !== undefined ? change.note + (change.before !== undefined ? ": " + change.before + " → " + change.after : "")
        : (change.before ?? "(none)") + " → " + (change.after ?? "(none)");
      tr.append(el("td", change.path), el("td", what));
      table.append(tr);
    }
    details.append(table);
  }
  details.append(specBlock(step));
};

document.getElementById("chart").addEventListener("click", (event) => {
  const row = event.target.closest(".step");
  if (row) show(Number(row.dataset.seq));
});

const start = data.focus !== null ? data.focus : data.first;
if (start !== null) {
  show(start);
  if (data.focus !== null) {
    // Scroll the chart only: scrollIntoView would also scroll the page and hide its header.
    const row = document.querySelector('.step[data-seq="' + data.focus + '"] .hit');
    const chart = document.getElementById("chart");
    if (row) chart.scrollTop = row.y.baseVal.value - chart.clientHeight / 2;
  }
}
document.body.dataset.viewer = "ready";
`

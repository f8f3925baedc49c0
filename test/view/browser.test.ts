/**
 * The viewer's pages in a real browser: the page of a simulator trace and of every committed
 * counterexample (traces/counterexamples/) load in headless Chromium with their script run to the
 * end and no script error; a screenshot of one page shows the lanes. See test/view/chromium.ts for
 * RAFT_TLA_NO_BROWSER and RAFT_TLA_CHROMIUM.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { buildTimeline, specTexts } from "../../src/cli/view.ts"
import { renderPage } from "../../src/cli/view/page.ts"
import { browserSwitchedOff, findChromium, loadPage, screenshot } from "./chromium.ts"
import { writeSimulatorTrace } from "./fixtures.ts"
import { readPng } from "./png.ts"

const root = fileURLToPath(new URL("../../", import.meta.url))
const counterexampleDir = join(root, "traces", "counterexamples")
const counterexamples = existsSync(counterexampleDir)
  ? readdirSync(counterexampleDir).filter((name) => name.endsWith(".ndjson")).map((name) => join(counterexampleDir, name))
  : []

const scratch = mkdtempSync(join(tmpdir(), "raft-tla-browser-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** Renders a trace's page the way `raft-tla view` does, into the scratch folder. */
const pageFor = async (trace: string, name: string, steps = 1000): Promise<string> => (await pageWithFocus(trace, name, steps)).file

/** The page, and the step it opens on: the failing step of a counterexample, else the first. */
const pageWithFocus = async (trace: string, name: string, steps = 1000): Promise<{ file: string; opensOn: number }> => {
  const timeline = await buildTimeline({ trace, from: undefined, steps, failure: undefined })
  const spec = specTexts(join(root, timeline.header.spec))
  const file = join(scratch, `${name}.html`)
  writeFileSync(file, renderPage({ title: name, timeline, specActions: spec.texts }))
  return { file, opensOn: timeline.focus ?? timeline.first }
}

if (browserSwitchedOff) {
  console.warn("RAFT_TLA_NO_BROWSER=1: the viewer's pages are not loaded in a browser")
} else {
  describe("the viewer's pages in headless Chromium", () => {
    it("finds Chromium", () => {
      expect(existsSync(findChromium())).toBe(true)
    })

    it.each([["a simulator trace", "simulator"], ...counterexamples.map((file) => [`counterexample ${file.slice(counterexampleDir.length + 1)}`, file])])(
      "loads the page of %s without script errors",
      async (_, which) => {
        const trace = which === "simulator" ? writeSimulatorTrace(scratch, 1, 400).file : which
        const page = await pageWithFocus(trace, which === "simulator" ? "simulator" : `counterexample-${counterexamples.indexOf(which)}`)
        const header = JSON.parse(readFileSync(trace, "utf8").slice(0, readFileSync(trace, "utf8").indexOf("\n")))
        expect(page.opensOn, "a counterexample opens on its failing step, if one step failed").toBe(header.counterexample?.failedAtStep ?? 1)
        const loaded = loadPage(page.file)
        expect(loaded.errors).toBe("")
        expect(loaded.ready).toBe(true)
        // The script filled the details pane with the step the page opens on.
        expect(loaded.dom).toContain(`<h2>Step ${page.opensOn}: `)
      }
    )

    it("reports a script error on a page, so that a clean load means something", async () => {
      const good = await pageFor(writeSimulatorTrace(scratch, 2, 50).file, "broken", 50)
      const broken = join(scratch, "broken-page.html")
      writeFileSync(broken, readFileSync(good, "utf8").replace("</body>", "<script>window.viewerCannotFindThis()</script></body>"))
      const loaded = loadPage(broken)
      expect(loaded.errors).toContain("viewerCannotFindThis is not a function")
      const unfinished = join(scratch, "unfinished-page.html")
      writeFileSync(unfinished, readFileSync(good, "utf8").replace('id="trace-data">', 'id="trace-data">{'))
      const stopped = loadPage(unfinished)
      expect(stopped.ready).toBe(false)
      expect(stopped.errors).toContain("JSON")
    })

    it("draws the lanes in their role colours (screenshot)", async () => {
      const page = await pageFor(writeSimulatorTrace(scratch, 1, 400).file, "screenshot")
      const png = join(scratch, "screenshot.png")
      screenshot(page, png, 1400, 900)
      const image = readPng(readFileSync(png))
      expect([image.width, image.height]).toEqual([1400, 900])
      const count = new Map<string, number>()
      for (let y = 0; y < image.height; y++) {
        for (let x = 0; x < image.width; x++) {
          const key = image.rgb(x, y).join(",")
          count.set(key, (count.get(key) ?? 0) + 1)
        }
      }
      // Leader and Follower lane colours (.role-Leader, .role-Follower), and the selected row's highlight.
      expect(count.get("47,158,68") ?? 0).toBeGreaterThan(1000)
      expect(count.get("201,204,209") ?? 0).toBeGreaterThan(1000)
      expect(count.get("223,232,255") ?? 0).toBeGreaterThan(1000)
    })
  })
}

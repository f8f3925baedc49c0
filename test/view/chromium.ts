/**
 * Loads a page in headless Chromium (the Debian package, not an npm dependency) and reports what
 * its script recorded. The viewer page writes its own errors into #script-errors and sets
 * data-viewer="ready" on <body> when its script has run, so --dump-dom tells both.
 *
 * The browser tests run unless RAFT_TLA_NO_BROWSER=1; without Chromium they fail and say how to
 * install it. RAFT_TLA_CHROMIUM names another browser binary.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { delimiter, join } from "node:path"
import { pathToFileURL } from "node:url"

export const browserSwitchedOff = process.env.RAFT_TLA_NO_BROWSER === "1"

/** The Chromium binary, or an error saying how to get one. */
export const findChromium = (): string => {
  const named = process.env.RAFT_TLA_CHROMIUM
  if (named !== undefined && named !== "") return named
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of ["chromium", "chromium-browser"]) {
      if (existsSync(join(dir, name))) return join(dir, name)
    }
  }
  throw new Error(
    "Chromium is not installed, so the viewer's pages cannot be checked in a browser. Install it (apt-get install -y chromium), " +
      "point RAFT_TLA_CHROMIUM at a binary, or set RAFT_TLA_NO_BROWSER=1 to leave the browser tests out."
  )
}

const run = (args: ReadonlyArray<string>): string => {
  const profile = mkdtempSync(join(tmpdir(), "raft-tla-chromium-"))
  try {
    const result = spawnSync(
      findChromium(),
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${profile}`,
        ...args
      ],
      { encoding: "utf8", timeout: 90_000, maxBuffer: 256 * 1024 * 1024 }
    )
    if (result.error) throw result.error
    if (result.status !== 0) throw new Error(`chromium exited ${result.status}: ${result.stderr.slice(-2000)}`)
    return result.stdout
  } finally {
    rmSync(profile, { recursive: true, force: true })
  }
}

export interface Loaded {
  /** The page's script ran to its end. */
  readonly ready: boolean
  /** What the page recorded in #script-errors. */
  readonly errors: string
  readonly dom: string
}

const unescape = (text: string): string => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&")

export const loadPage = (file: string): Loaded => {
  const dom = run(["--dump-dom", pathToFileURL(file).href])
  const errors = /<pre id="script-errors"[^>]*>([\s\S]*?)<\/pre>/.exec(dom)
  return { ready: /<body[^>]*data-viewer="ready"/.test(dom), errors: errors ? unescape(errors[1]).trim() : "(no #script-errors element)", dom }
}

export const screenshot = (file: string, png: string, width: number, height: number): void => {
  run([`--window-size=${width},${height}`, `--screenshot=${png}`, pathToFileURL(file).href])
}

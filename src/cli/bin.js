#!/usr/bin/env node
// Entry point of the `raft-tla` command. The sources are TypeScript, run through tsx's
// loader so that a fresh clone works after `npm ci` with no build step.
import { register } from "tsx/esm/api"

register()
await import("./main.ts")

/**
 * An in-memory disk with crash semantics and fault injection, for tests and the simulator.
 *
 * Every file has two contents: what the running process sees, and what is durable (as of its last
 * `sync`). Every directory likewise has its current entries and its durable entries (as of its last
 * `syncDirectory`). `crash()` throws away everything that is not durable, which is the worst a real
 * file system may do after a power loss, or keeps part of what was appended, as a torn write does. On
 * top of that a test can tear the last write, flip a bit, make a chosen operation fail, or cut the
 * power after a given number of operations.
 *
 * Simplification: directories themselves are durable as soon as they are created.
 * Everything runs synchronously except `sync`/`syncDirectory`, which yield once so that other fibers run
 * while a sync is "in flight" — the window in which group commit gathers its next batch.
 */
import { Effect } from "effect"
import * as path from "node:path"
import type { Disk, DiskFile, OpenMode } from "./disk.ts"
import { StorageError } from "./storage-error.ts"

/** A byte array that grows in place; bytes past `size` are always zero. */
class GrowableBytes {
  private buffer = new Uint8Array(64)
  size = 0

  view(): Uint8Array {
    return this.buffer.subarray(0, this.size)
  }

  write(bytes: Uint8Array, position: number): void {
    this.reserve(position + bytes.length)
    this.buffer.set(bytes, position)
    this.size = Math.max(this.size, position + bytes.length)
  }

  resize(size: number): void {
    if (size < this.size) this.buffer.fill(0, size, this.size)
    else this.reserve(size)
    this.size = size
  }

  private reserve(capacity: number): void {
    if (capacity <= this.buffer.length) return
    const grown = new Uint8Array(Math.max(capacity, this.buffer.length * 2))
    grown.set(this.buffer.subarray(0, this.size))
    this.buffer = grown
  }
}

class Inode {
  readonly current = new GrowableBytes()
  readonly durable = new GrowableBytes()
  /** The byte range changed since the last sync; only it is copied on sync. */
  private dirtyFrom = Infinity
  private dirtyTo = 0

  markDirty(from: number, to: number): void {
    this.dirtyFrom = Math.min(this.dirtyFrom, from)
    this.dirtyTo = Math.max(this.dirtyTo, to)
  }

  sync(): void {
    this.durable.resize(this.current.size)
    const to = Math.min(this.dirtyTo, this.current.size)
    if (this.dirtyFrom < to) this.durable.write(this.current.view().subarray(this.dirtyFrom, to), this.dirtyFrom)
    this.dirtyFrom = Infinity
    this.dirtyTo = 0
  }

  /**
   * Power loss: the process's view falls back to what was durable. When the only change since the last
   * sync was appending, `keep` may say how many of the appended bytes reached the medium anyway.
   */
  revert(keep: ((unsyncedBytes: number) => number) | undefined): void {
    const durableSize = this.durable.size
    const appended = this.dirtyFrom >= durableSize ? this.current.size - durableSize : 0
    const kept = appended > 0 && keep !== undefined ? Math.max(0, Math.min(appended, keep(appended))) : 0
    const survivor = this.current.view().slice(durableSize, durableSize + kept)
    this.current.resize(0)
    this.current.write(this.durable.view(), 0)
    this.current.write(survivor, durableSize)
    this.durable.write(survivor, durableSize)
    this.dirtyFrom = Infinity
    this.dirtyTo = 0
  }
}

interface Directory {
  current: Map<string, Inode>
  durable: Map<string, Inode>
}

/** Operations a test can single out: the first matching call fails with an I/O error. */
export type DiskOperation =
  | "mkdir"
  | "list"
  | "read"
  | "open"
  | "write"
  | "sync"
  | "truncate"
  | "close"
  | "rename"
  | "remove"
  | "syncDirectory"

interface InjectedError {
  readonly operation: DiskOperation
  readonly pathIncludes: string
}

export class SimulatedDisk implements Disk {
  private readonly directories = new Map<string, Directory>()
  /** Bumped by `crash()`: handles opened before it belong to a dead process. */
  private generation = 0
  private lastWrite: { inode: Inode; position: number; length: number; sizeBefore: number } | undefined
  private powerBudget: number | undefined
  private poweredOff = false
  private readonly injected: Array<InjectedError> = []

  /** How many state-changing operations ran (writes, syncs, opens, renames, removals...). */
  mutations = 0
  /** How many file and directory syncs ran. */
  syncs = 0

  // ---- the Disk seam ----

  readonly ensureDirectory = (dir: string) =>
    this.perform("mkdir", dir, true, () => {
      for (let at = path.normalize(dir); !this.directories.has(at); at = path.dirname(at)) {
        this.directories.set(at, { current: new Map(), durable: new Map() })
        if (path.dirname(at) === at) break
      }
    })

  readonly list = (dir: string) => this.perform("list", dir, false, () => [...this.directoryOf(dir, dir).current.keys()])

  readonly read = (file: string) =>
    this.perform("read", file, false, () => {
      const inode = this.lookup(file)
      return inode === undefined ? undefined : inode.current.view().slice()
    })

  readonly open = (file: string, mode: OpenMode) =>
    this.perform("open", file, mode !== "existing", (): DiskFile => {
      const directory = this.directoryOf(path.dirname(file), file)
      const name = path.basename(file)
      let inode = directory.current.get(name)
      if (mode === "create" && inode !== undefined) throw this.failure(file, "open", "EEXIST: file already exists")
      if (mode === "existing" && inode === undefined) throw this.failure(file, "open", "ENOENT: no such file")
      if (inode === undefined) {
        inode = new Inode()
        directory.current.set(name, inode)
      } else if (mode === "replace") {
        inode.markDirty(0, inode.current.size)
        inode.current.resize(0)
      }
      return this.handle(file, inode)
    })

  readonly rename = (from: string, to: string) =>
    this.perform("rename", from, true, () => {
      const source = this.directoryOf(path.dirname(from), from)
      const target = this.directoryOf(path.dirname(to), to)
      const inode = source.current.get(path.basename(from))
      if (inode === undefined) throw this.failure(from, "rename", "ENOENT: no such file")
      source.current.delete(path.basename(from))
      target.current.set(path.basename(to), inode)
    })

  readonly remove = (file: string) =>
    this.perform("remove", file, true, () => {
      if (!this.directoryOf(path.dirname(file), file).current.delete(path.basename(file))) {
        throw this.failure(file, "remove", "ENOENT: no such file")
      }
    })

  readonly syncDirectory = (dir: string) =>
    Effect.yieldNow.pipe(
      Effect.andThen(
        this.perform("syncDirectory", dir, true, () => {
          const directory = this.directoryOf(dir, dir)
          directory.durable = new Map(directory.current)
          this.syncs++
        })
      )
    )

  // ---- faults ----

  /**
   * Power loss and restart: every file falls back to its last synced content, every directory to its
   * last synced entries, and handles opened before are dead.
   *
   * By default nothing unsynced survives. With `keepUnsynced`, a file that was only appended to since
   * its last sync keeps the first `keepUnsynced(file, unsyncedBytes)` of the appended bytes — a write
   * that partly reached the medium before the power went.
   */
  crash(keepUnsynced?: (file: string, unsyncedBytes: number) => number): void {
    const reverted = new Set<Inode>()
    for (const [dir, directory] of this.directories) {
      directory.current = new Map(directory.durable)
      for (const [name, inode] of directory.current) {
        if (reverted.has(inode)) continue
        reverted.add(inode)
        inode.revert(keepUnsynced && ((unsynced) => keepUnsynced(path.join(dir, name), unsynced)))
      }
    }
    this.generation++
    this.lastWrite = undefined
    this.powerBudget = undefined
    this.poweredOff = false
  }

  /**
   * Lets `operations` more state-changing operations happen, then cuts the power: that operation and
   * every later one fails until `crash()` restarts the machine.
   */
  powerFailAfter(operations: number): void {
    this.powerBudget = operations
  }

  /**
   * The last write (an append at the end of a file) reached the platter only partly: the file keeps its
   * first `keepBytes` bytes, durably, and loses the rest, as a power loss in the middle of the write would.
   */
  tearLastWrite(keepBytes: number): void {
    const last = this.lastWrite
    if (last === undefined) throw new Error("tearLastWrite: nothing was written since the last crash")
    if (last.position !== last.sizeBefore || last.inode.current.size !== last.position + last.length) {
      throw new Error("tearLastWrite: the last write was not an append that still ends its file")
    }
    if (keepBytes < 0 || keepBytes > last.length) throw new Error(`tearLastWrite: keepBytes ${keepBytes} out of range`)
    last.inode.markDirty(0, last.position + last.length)
    last.inode.current.resize(last.position + keepBytes)
    last.inode.sync()
  }

  /** Flips one bit of a file, in what the process sees and in what is durable: decay on the medium. */
  flipBit(file: string, byteOffset: number, bit = 0): void {
    const inode = this.lookup(file)
    if (inode === undefined || byteOffset >= inode.current.size) {
      throw new Error(`flipBit: ${file} has no byte at offset ${byteOffset}`)
    }
    for (const bytes of [inode.current, inode.durable]) {
      if (byteOffset < bytes.size) bytes.view()[byteOffset] ^= 1 << bit
    }
  }

  /** The next `operation` on a path containing `pathIncludes` fails with an I/O error (EIO). */
  failNext(operation: DiskOperation, pathIncludes = ""): void {
    this.injected.push({ operation, pathIncludes })
  }

  // ---- inspection ----

  /** The names of the files in a directory, sorted. */
  filesIn(dir: string): ReadonlyArray<string> {
    return [...(this.directories.get(path.normalize(dir))?.current.keys() ?? [])].sort()
  }

  /** A copy of a file's current content, or undefined. */
  contentOf(file: string): Uint8Array | undefined {
    return this.lookup(file)?.current.view().slice()
  }

  // ---- internals ----

  private handle(file: string, inode: Inode): DiskFile {
    const generation = this.generation
    let open = true
    const live = (operation: DiskOperation, mutates: boolean, run: () => void) =>
      this.perform(operation, file, mutates, () => {
        if (!open || generation !== this.generation) throw this.failure(file, operation, "EBADF: file handle is closed")
        run()
      })
    return {
      path: file,
      write: (bytes, position) =>
        live("write", true, () => {
          this.lastWrite = { inode, position, length: bytes.length, sizeBefore: inode.current.size }
          inode.markDirty(position, position + bytes.length)
          inode.current.write(bytes, position)
        }),
      sync: () =>
        Effect.yieldNow.pipe(
          Effect.andThen(
            live("sync", true, () => {
              inode.sync()
              this.syncs++
            })
          )
        ),
      truncate: (size) =>
        live("truncate", true, () => {
          inode.markDirty(Math.min(size, inode.current.size), Math.max(size, inode.current.size))
          inode.current.resize(size)
        }),
      close: () =>
        live("close", false, () => {
          open = false
        })
    }
  }

  /** Runs one operation under the fault rules: a dead machine, an injected error, the power budget. */
  private perform<A>(operation: DiskOperation, file: string, mutates: boolean, run: () => A): Effect.Effect<A, StorageError> {
    return Effect.suspend(() => {
      try {
        if (this.poweredOff) throw this.failure(file, operation, "simulated power failure")
        const injected = this.injected.findIndex((e) => e.operation === operation && file.includes(e.pathIncludes))
        if (injected >= 0) {
          this.injected.splice(injected, 1)
          throw this.failure(file, operation, "EIO: injected I/O error")
        }
        if (mutates) {
          if (this.powerBudget !== undefined && this.powerBudget-- <= 0) {
            this.poweredOff = true
            throw this.failure(file, operation, "simulated power failure")
          }
          this.mutations++
        }
        return Effect.succeed(run())
      } catch (error) {
        if (error instanceof StorageError) return Effect.fail(error)
        throw error
      }
    })
  }

  private failure(file: string, operation: string, reason: string): StorageError {
    return new StorageError({ file, operation, reason })
  }

  private directoryOf(dir: string, file: string): Directory {
    const directory = this.directories.get(path.normalize(dir))
    if (directory === undefined) throw this.failure(file, "lookup", `ENOENT: no such directory ${dir}`)
    return directory
  }

  private lookup(file: string): Inode | undefined {
    return this.directories.get(path.normalize(path.dirname(file)))?.current.get(path.basename(file))
  }
}

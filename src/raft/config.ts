/**
 * What every transition needs to know about the cluster it runs in.
 */
import { Schema } from "effect"

/** A server's name, e.g. "s1". In spec states it is the model value of the same name. */
export const ServerId = Schema.String
export type ServerId = typeof ServerId.Type

export interface RaftConfig {
  /** All servers of the cluster, in a fixed order (the order only makes runs reproducible). */
  readonly servers: ReadonlyArray<ServerId>
  /**
   * Names of historical Raft bugs to switch back on. Every server transition takes the config, so
   * that a bug switch can reach any of them; most do not read it yet. Empty in every correct run; the bug catalogue
   * (a later issue) gives the names meaning, so that its checks can show each bug is caught.
   */
  readonly bugs: ReadonlySet<string>
}

export const makeConfig = (servers: ReadonlyArray<ServerId>, bugs: ReadonlySet<string> = new Set()): RaftConfig => ({
  servers,
  bugs
})

/** More than half of the servers. */
export const isQuorum = (size: number, config: RaftConfig): boolean => size * 2 > config.servers.length

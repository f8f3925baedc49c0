/**
 * The gRPC service definition, loaded at run time from raft_tla.proto beside this file, and the
 * shapes of its messages as @grpc/proto-loader decodes them (camelCase fields, uint64 as number,
 * unset fields at their defaults, `_expected` telling whether the optional `expected` was set).
 */
import * as grpc from "@grpc/grpc-js"
import * as protoLoader from "@grpc/proto-loader"
import { fileURLToPath } from "node:url"

export const PROTO_FILE = fileURLToPath(new URL("./raft_tla.proto", import.meta.url))

export interface SessionMessage {
  readonly clientId: string
  readonly seq: number
}

export interface PutRequest {
  readonly session: SessionMessage | null
  readonly key: string
  readonly value: string
}
export type AppendRequest = PutRequest
export interface DeleteRequest {
  readonly session: SessionMessage | null
  readonly key: string
}
export interface CompareAndSwapRequest {
  readonly session: SessionMessage | null
  readonly key: string
  readonly expected?: string
  /** Names the field `expected` when it was set. */
  readonly _expected?: string
  readonly value: string
}
export interface GetRequest {
  readonly key: string
}
export interface GetReply {
  readonly found: boolean
  readonly value: string
}
export interface CompareAndSwapReply {
  readonly swapped: boolean
}
export interface StatusReply {
  readonly id: string
  readonly role: string
  readonly term: number
  readonly commitIndex: number
  readonly lastIndex: number
  readonly lastApplied: number
  readonly snapshotIndex: number
  readonly leader: string
  readonly leaderAddress: string
  readonly storage: { readonly fsyncs: number; readonly records: number; readonly batches: number }
}

const definition = protoLoader.loadSync(PROTO_FILE, { keepCase: false, longs: Number, defaults: true, oneofs: true })

interface KvPackage {
  readonly raft_tla: { readonly v1: { readonly Kv: grpc.ServiceClientConstructor } }
}

export const KvClientConstructor = (grpc.loadPackageDefinition(definition) as unknown as KvPackage).raft_tla.v1.Kv
export const kvService: grpc.ServiceDefinition = KvClientConstructor.service

/** Metadata keys a follower sets on FAILED_PRECONDITION. */
export const LEADER_KEY = "raft-leader"
export const LEADER_ADDRESS_KEY = "raft-leader-address"

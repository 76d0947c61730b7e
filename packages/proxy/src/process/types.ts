// The seams of the running proxy: what a client session needs from the process (the compiled
// pipeline, the live Runtime, the upstream connections, the settings read from the config) and
// what the upstream layer offers. Sessions decide nothing themselves: every decision comes from
// the simulator's PipelineSession; these layers only move bytes and keep time.
import type { Socket } from 'node:net';
import type { CompiledProxy, HttpConnectionMode, Pipeline, SimRuntime } from '@haplo/sim';
import type { ProcessLogging } from '../log/process-logging.js';
import type { LoadedTls } from '../tls/load-tls.js';
import type { ConnectOptions } from '../upstream/connect-attempt.js';

/** Timeouts in milliseconds (undefined: not set, HAProxy's default behaviour applies). */
export interface ProxyTimeouts {
  client?: number;
  server?: number;
  connect?: number;
  httpRequest?: number;
  httpKeepAlive?: number;
  queue?: number;
  tunnel?: number;
  clientFin?: number;
  serverFin?: number;
  check?: number;
}

/** What a frontend or backend runs with, read once from the model. */
export interface ProxySettings {
  name: string;
  mode: 'http' | 'tcp';
  timeouts: ProxyTimeouts;
  /** Frontend `maxconn` (0: the global one only). */
  maxconn: number;
  /** Backend `retries` (HAProxy default 3). */
  retries: number;
  /** `option redispatch` (with its interval: redispatch on every Nth retry; 1 = on the last retry, HAProxy's default). */
  redispatch: boolean;
  /** `tcp-request inspect-delay` in ms (0: rules decide on what is there). */
  inspectDelay: number;
  /** `option http-buffer-request`: wait for the whole body (bounded by the buffer) before the rules run. */
  bufferRequest: boolean;
  /** `option http-keep-alive` / `http-server-close` / `httpclose`, decided once at load. */
  connectionMode: HttpConnectionMode;
}

/** Process-wide settings (the global section). */
export interface GlobalSettings {
  /** Global `maxconn` (HAProxy's default depends on ulimit; haplo uses 4096 when unset). */
  maxconn: number;
  /** tune.bufsize (16384). */
  bufsize: number;
  /** tune.maxrewrite (1024): the head may use bufsize - maxrewrite. */
  maxrewrite: number;
  /** tune.http.maxhdr (101). */
  maxHeaders: number;
  /**
   * Open sockets past which a released server connection is kept idle only when its server has
   * none (`low`: tune.pool-low-fd-ratio), or not at all and a new connect closes an idle one
   * (`high`: tune.pool-high-fd-ratio).
   */
  idleFds: { low: number; high: number };
}

/** Why an upstream connection could not be had. */
export interface UpstreamFailure {
  /** refused / timeout (timeout connect) / reset / unreachable / queue-timeout. */
  kind: 'refused' | 'timeout' | 'reset' | 'unreachable' | 'queue-timeout';
  message: string;
}

/** A connection to one server, from the pool or new. */
export interface UpstreamConnection {
  socket: Socket;
  backend: string;
  server: string;
  /** Taken from the idle pool (a failure on first write may then be retried on a new one). */
  reused: boolean;
}

/** Cancels a pending connect (the client went away). */
export type Cancel = () => void;

/** Connections to servers: pools per server, connect timeouts, retries and redispatch. */
export interface Upstreams {
  /**
   * A connection for the stream's chosen server: an idle pooled one, else a new one within
   * `timeout connect`, retried `retries` times; on the last retry with `option redispatch` the
   * session is asked to choose another server (`session.redispatch()`). `done` is called once.
   */
  connect(
    backend: string,
    server: string,
    redispatch: () => string | undefined,
    done: (err: UpstreamFailure | undefined, conn?: UpstreamConnection) => void,
    /** Optional: skip the pool (`fresh`), persistence (`direct`), the client `send-proxy` and `sni` read (`client`, `stream`). */
    options?: ConnectOptions,
  ): Cancel;
  /** Gives a connection back after a complete exchange: kept idle when `reusable`, else destroyed. */
  release(conn: UpstreamConnection, reusable: boolean): void;
  /**
   * Waits for a free slot in `backend` (a stream's server choice said `queue`) for at most
   * `timeout queue`; `done(true)` when a slot freed (choose again), `done(false)` on timeout.
   */
  enqueue(backend: string, done: (slot: boolean) => void): Cancel;
  /** A stream holding a slot of `backend` ended: wakes the first queued stream. */
  slotFreed(backend: string): void;
  /** Closes every pooled connection and stops timers. */
  close(): void;
}

/** Everything a client session needs. */
export interface ProxyContext {
  pipeline: Pipeline;
  runtime: SimRuntime;
  upstreams: Upstreams;
  global: GlobalSettings;
  settings(proxy: CompiledProxy): ProxySettings;
  /** The configuration's certificates and TLS settings (`bind … ssl`, `server … ssl`), loaded with it. */
  tls?: LoadedTls;
  /** Current time in ms (the Runtime's clock). */
  now(): number;
  /** The generation's loggers (one per frontend); absent: nothing is logged. */
  logging?: ProcessLogging;
}

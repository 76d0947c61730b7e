// createUpstreams: the process's Upstreams (process/types.ts) — per-server idle pools, connects
// with `timeout connect`, HAProxy's retries and redispatch, and per-backend queues. Server
// addresses and backend settings are read once from the parser model behind the pipeline; server
// states (for redispatch decisions) come from the shared Runtime.
import type { CompiledProxy, Pipeline, SimRuntime } from '@haplo/sim';
import type { Cancel, ProxySettings, UpstreamConnection, Upstreams } from '../process/types.js';
import { backendSettings, type BackendSettings } from './backend-settings.js';
import { BackendQueue } from './backend-queue.js';
import { ConnectAttempt, type ConnectDone, type ConnectOptions } from './connect-attempt.js';
import { proxyConnector, type Connector } from './connector.js';
import { idleLimits } from './idle-rules.js';
import { ServerUpstream, type FdThresholds, type UpstreamHost } from './server-upstream.js';
import { serverTarget } from './server-target.js';
import { transportOfServer } from './transport-of-server.js';
import type { LoadedTls } from '../tls/load-tls.js';
import { UpstreamLink } from './upstream-link.js';

export interface UpstreamOptions {
  /** The process's settings reader (ProxyContext.settings); default: read from the model here. */
  settings?: (proxy: CompiledProxy) => ProxySettings;
  /** The configuration's TLS (ProxyContext.tls): `server … ssl` settings. */
  tls?: LoadedTls;
  /** Opens new connections (tests inject one). Default: net.connect with TCP_NODELAY. */
  connector?: Connector;
  /** Idle connections kept per server at most, whatever `pool-max-conn` says (default: no limit). */
  maxIdlePerServer?: number;
  /** Open sockets past which idle connections are rationed (GlobalSettings.idleFds; default: never). */
  idleFds?: FdThresholds;
  /**
   * Queue wait when neither `timeout queue` nor `timeout connect` is set. HAProxy then waits for
   * ever; haplo bounds it (default 60 000 ms) so a stuck stream is eventually answered (503).
   */
  unboundedQueueTimeoutMs?: number;
  /** Wall clock for idle bookkeeping (default Date.now). */
  now?: () => number;
}

/** Upstreams plus the optional extras this implementation offers. */
export interface PooledUpstreams extends Upstreams {
  /**
   * As Upstreams.connect; `options.fresh` skips the idle pool (retrying after a reused socket
   * failed before any response byte), `options.direct` says persistence chose the server.
   */
  connect(
    backend: string,
    server: string,
    redispatch: () => string | undefined,
    done: ConnectDone,
    options?: ConnectOptions,
  ): Cancel;
  /**
   * An idle pooled connection of the server, handed over at once (no connect attempt, no tick),
   * or undefined when none is idle. What a keep-alive session's later requests use (http-reuse
   * safe): the caller then attaches it as a `reused` connection.
   */
  takeIdle(backend: string, server: string): UpstreamConnection | undefined;
  /** Streams waiting in a backend's queue (stats). */
  queued(backend: string): number;
  /** Idle pooled connections of a server (stats, tests). */
  idle(backend: string, server: string): number;
  /** A server's connections as HAProxy's stats count them (undefined: no such server). */
  connections(backend: string, server: string): ServerConnectionCounts | undefined;
}

/** HAProxy's per-server connection counters, as its stats print them. */
export interface ServerConnectionCounts {
  /** Idle connections never reused (curr_idle_nb: the stats' idle_conn_cur). */
  idle: number;
  /** Idle connections that served more than one exchange (curr_safe_nb: safe_conn_cur). */
  safe: number;
  /** Open connections that are not idle: carrying a stream or connecting (used_conn_cur). */
  used: number;
  /** Connections the server is estimated to need (est_need_conns: need_conn_est). */
  needed: number;
}

const NO_FD_LIMITS: FdThresholds = { low: Infinity, high: Infinity };
export const DEFAULT_UNBOUNDED_QUEUE_TIMEOUT_MS = 60_000;

class BackendUpstream implements UpstreamHost {
  readonly servers = new Map<string, ServerUpstream>();
  readonly queue: BackendQueue;
  private readonly attempts: Set<ConnectAttempt>;

  constructor(
    readonly settings: BackendSettings,
    readonly connector: Connector,
    private readonly runtime: SimRuntime,
    attempts: Set<ConnectAttempt>,
    unboundedQueueTimeout: number,
  ) {
    this.queue = new BackendQueue(settings.queueTimeout ?? unboundedQueueTimeout);
    this.attempts = attempts;
  }

  server(name: string): ServerUpstream | undefined {
    return this.servers.get(name);
  }

  running(server: string): boolean {
    const st = this.runtime.serverState(this.settings.name, server)?.status;
    return st === 'UP' || st === 'DRAIN';
  }

  activeServers(): number {
    const be = this.runtime.backend(this.settings.name);
    if (!be) return 0;
    let n = 0;
    for (const s of be.servers) if (!s.backup && s.status === 'UP' && s.weight > 0) n++;
    return n;
  }

  track(a: ConnectAttempt): void {
    this.attempts.add(a);
  }

  untrack(a: ConnectAttempt): void {
    this.attempts.delete(a);
  }
}

function failLater(done: ConnectDone, message: string): Cancel {
  let cancelled = false;
  process.nextTick(() => {
    if (!cancelled) done({ kind: 'unreachable', message });
  });
  return () => {
    cancelled = true;
  };
}

/** Builds the upstream layer for every backend (and listen) of the pipeline. */
export function createUpstreams(pipeline: Pipeline, runtime: SimRuntime, options: UpstreamOptions = {}): PooledUpstreams {
  const connector = options.connector ?? proxyConnector;
  const now = options.now ?? Date.now;
  const fds = options.idleFds ?? NO_FD_LIMITS;
  let purgeEvery = Infinity;
  const attempts = new Set<ConnectAttempt>();
  const backends = new Map<string, BackendUpstream>();
  for (const [name, proxy] of pipeline.backends) {
    const settings = backendSettings(proxy.model, options.settings?.(proxy));
    const be = new BackendUpstream(settings, connector, runtime, attempts, options.unboundedQueueTimeoutMs ?? DEFAULT_UNBOUNDED_QUEUE_TIMEOUT_MS);
    for (const s of proxy.model.servers) {
      if (be.servers.has(s.name)) continue;
      const srv = new ServerUpstream(name, s.name, serverTarget(s), idleLimits(s, options.maxIdlePerServer), fds, now);
      if (srv.limits.purgeDelay > 0) purgeEvery = Math.min(purgeEvery, srv.limits.purgeDelay);
      srv.transport = transportOfServer(s, options.tls?.servers);
      be.servers.set(s.name, srv);
    }
    backends.set(name, be);
  }
  let closed = false;
  // Each server purges every pool-purge-delay while it has idle connections (ServerUpstream.purge).
  const purge = setInterval(() => {
    const t = now();
    for (const be of backends.values()) for (const s of be.servers.values()) s.purge(t);
  }, Math.min(1000, Math.max(100, Math.floor(purgeEvery / 4)))).unref();

  return {
    connect(backend, server, redispatch, done, connectOptions) {
      const be = backends.get(backend);
      const srv = be?.servers.get(server);
      if (!be || !srv) return failLater(done, `unknown server '${backend}/${server}'`);
      if (closed) return failLater(done, 'the proxy is stopping');
      const a = new ConnectAttempt(be, srv, redispatch, done, connectOptions);
      a.start();
      return a.cancel;
    },
    takeIdle(backend, server) {
      if (closed) return undefined;
      const link = backends.get(backend)?.servers.get(server)?.take();
      if (link) link.reused = true;
      return link;
    },
    release(conn: UpstreamConnection, reusable: boolean) {
      if (!(conn instanceof UpstreamLink)) {
        conn.socket.destroy();
        return;
      }
      const srv = backends.get(conn.backend)?.servers.get(conn.server);
      if (!srv || closed) conn.destroy();
      else srv.release(conn, reusable);
    },
    enqueue(backend, done) {
      const be = backends.get(backend);
      if (!be || closed) {
        let cancelled = false;
        process.nextTick(() => {
          if (!cancelled) done(false);
        });
        return () => {
          cancelled = true;
        };
      }
      return be.queue.enqueue(done);
    },
    slotFreed(backend) {
      backends.get(backend)?.queue.wakeOne();
    },
    queued: (backend) => backends.get(backend)?.queue.length ?? 0,
    idle: (backend, server) => backends.get(backend)?.servers.get(server)?.pool.size ?? 0,
    connections(backend, server) {
      const s = backends.get(backend)?.servers.get(server);
      if (!s) return undefined;
      const { pool, demand } = s;
      return { idle: pool.size - pool.safe, safe: pool.safe, used: demand.open - pool.size, needed: demand.estNeed };
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(purge);
      for (const a of [...attempts]) a.abort();
      for (const be of backends.values()) {
        be.queue.clear();
        for (const s of be.servers.values()) s.pool.closeAll();
      }
    },
  };
}

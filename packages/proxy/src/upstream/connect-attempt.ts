// One `Upstreams.connect()` call: a pooled socket if the server has one, else new connections
// within `timeout connect`, retried like HAProxy 2.6 (backend.c back_handle_st_cer and
// stream_choose_redispatch):
//  * `retries` N allows N + 1 attempts in all;
//  * after a connection error (refused, reset, unreachable) the retry waits min(1 s, timeout
//    connect); after a connect timeout it starts at once (the time was already spent);
//  * with `option redispatch`, a retry goes to another server (the session re-balances) when the
//    server is no longer running, on the retry `redispatchAfter` names (the last one by default),
//    or at once when the backend balances round-robin over more than one active server and the
//    server was not chosen through persistence; such a redispatch does not wait.
// `done` is called exactly once, always asynchronously, unless the attempt is cancelled.
import type { Socket } from 'node:net';
import type { StreamContext } from '@haplo/sim';
import type { ClientOrigin } from '../process/client-session.js';
import type { UpstreamConnection, UpstreamFailure } from '../process/types.js';
import { CONNECT_TIMEOUT, classifyConnectError } from './failures.js';
import type { ServerUpstream, UpstreamHost } from './server-upstream.js';
import type { ServerTransport } from './server-transport.js';
import type { UpstreamLink } from './upstream-link.js';

export type ConnectDone = (err: UpstreamFailure | undefined, conn?: UpstreamConnection) => void;

/** Optional facts a session may pass to connect() (see Upstreams docs in upstreams.ts). */
export interface ConnectOptions {
  /** Skip the idle pool (a reused connection just failed before any response byte). */
  fresh?: boolean;
  /** The server was chosen through persistence (cookie, use-server, stick): no early redispatch. */
  direct?: boolean;
  /** The client connection the stream came on: its addresses go in a `send-proxy` header. */
  client?: ClientOrigin;
  /** The stream, for a server's `sni <expr>` (without it only connection fetches answer). */
  stream?: StreamContext;
}

/** HAProxy's cap on the pause before retrying the same server after a connection error. */
const MAX_RETRY_DELAY = 1000;

export class ConnectAttempt {
  private server: ServerUpstream;
  /** Retries done so far (HAProxy's conn_retries). */
  private retried = 0;
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pooled: UpstreamLink | undefined;
  private finished = false;
  /** What the caller holds to abort (the one closure every call makes). */
  readonly cancel = (): void => this.abort();

  constructor(
    private readonly host: UpstreamHost,
    server: ServerUpstream,
    private readonly redispatch: () => string | undefined,
    private readonly done: ConnectDone,
    private readonly options: ConnectOptions | undefined,
  ) {
    this.server = server;
  }

  start(): void {
    this.host.track(this);
    if (!this.options?.fresh) {
      const link = this.server.take(this.server.boundKey(this.options?.client));
      if (link) {
        link.reused = true;
        this.pooled = link;
        process.nextTick(deliverPooled, this);
        return;
      }
    }
    this.attempt();
  }

  /** Called by nextTick: hands over the pooled socket unless cancelled meanwhile. */
  deliverPooled(): void {
    const link = this.pooled!;
    this.pooled = undefined;
    if (this.finished) return;
    if (!link.alive) {
      // Closed between take and delivery: a fresh connection instead.
      link.destroy();
      this.attempt();
      return;
    }
    this.finish(undefined, link);
  }

  private attempt(): void {
    const srv = this.server;
    const target = srv.target;
    if (!target.target) {
      if (target.pending) {
        srv.resolve((err) => {
          if (this.finished) return;
          if (err) this.failed(classifyConnectError(err), true);
          else this.attempt();
        });
        return;
      }
      this.fail({ kind: 'unreachable', message: target.unusable ?? 'no address' });
      return;
    }
    const socket = this.host.connector(target.target);
    srv.opened(socket);
    this.socket = socket;
    this.onConnect ??= () => this.connected();
    this.onError ??= (err: Error) => this.errored(err);
    socket.once('connect', this.onConnect);
    socket.once('error', this.onError);
    const t = this.host.settings.connectTimeout;
    if (t !== undefined) this.timer = setTimeout(onConnectTimeout, t, this).unref();
  }

  // Socket handlers, made on the first new connection only (the pooled path needs none).
  private onConnect: (() => void) | undefined;
  private onError: ((err: Error) => void) | undefined;

  private connected(): void {
    const transport = this.server.transport;
    if (transport) return this.open(transport);
    this.ready();
  }

  /**
   * `send-proxy` header and TLS handshake (server-transport.ts): still the connect phase, so
   * the connect timer keeps running and a failure is retried like a refused connect.
   */
  private open(transport: ServerTransport): void {
    const raw = this.socket!;
    raw.removeListener('error', this.onError!);
    const socket = transport.open(raw, this.options?.client, this.options?.stream, (err) => {
      if (this.socket !== socket) return; // timed out or cancelled meanwhile
      if (err) this.errored(err);
      else this.ready();
    });
    this.socket = socket;
  }

  private ready(): void {
    const socket = this.detachSocket();
    if (!socket) return;
    socket.setNoDelay(true);
    this.finish(undefined, this.server.adopt(socket, this.server.boundKey(this.options?.client)));
  }

  private errored(err: Error): void {
    this.abandon(this.detachSocket());
    this.failed(classifyConnectError(err), true);
  }

  onTimeout(): void {
    this.timer = undefined;
    this.abandon(this.detachSocket());
    this.failed(CONNECT_TIMEOUT, false);
  }

  /** Stops watching the connecting socket and its timer; returns the socket. */
  private detachSocket(): Socket | undefined {
    const s = this.socket;
    if (s) {
      if (this.onConnect) s.removeListener('connect', this.onConnect);
      if (this.onError) s.removeListener('error', this.onError);
    }
    this.socket = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return s;
  }

  /** Destroys a socket given up on; a late error on it must not go unhandled. */
  private abandon(s: Socket | undefined): void {
    if (!s) return;
    s.on('error', ignore);
    s.destroy();
  }

  /** A connection attempt failed: retry (maybe elsewhere, maybe after a pause) or give up. */
  private failed(failure: UpstreamFailure, connError: boolean): void {
    if (this.finished) return;
    this.retried++;
    const settings = this.host.settings;
    if (this.retried > settings.retries) return this.fail(failure);
    let redispatched = false;
    if (this.shouldRedispatch()) {
      const next = this.redispatch();
      if (next === undefined) return this.fail(failure);
      const srv = this.host.server(next);
      if (!srv) return this.fail({ kind: 'unreachable', message: `unknown server '${next}'` });
      this.server = srv;
      redispatched = true;
    }
    // Only a retry on the same server (or on a non round-robin pick) pauses.
    const pause = connError && (!redispatched || !settings.roundRobin || this.host.activeServers() <= 1);
    if (pause) {
      const delay = Math.min(MAX_RETRY_DELAY, settings.connectTimeout ?? MAX_RETRY_DELAY);
      this.timer = setTimeout(onRetryTimer, delay, this).unref();
    } else {
      setImmediate(onRetryTimer, this);
    }
  }

  retryNow(): void {
    this.timer = undefined;
    if (!this.finished) this.attempt();
  }

  private shouldRedispatch(): boolean {
    const s = this.host.settings;
    if (s.redispatchAfter === 0) return false;
    if (!this.host.running(this.server.name)) return true;
    const n = this.retried;
    if (s.redispatchAfter > 0 && n % s.redispatchAfter === 0) return true;
    if (s.redispatchAfter < 0) {
      const every = s.retries + 1 + s.redispatchAfter;
      if (every > 0 && n % every === 0) return true;
    }
    return !this.options?.direct && s.roundRobin && this.host.activeServers() > 1;
  }

  private fail(failure: UpstreamFailure): void {
    this.finish(failure, undefined);
  }

  private finish(err: UpstreamFailure | undefined, conn: UpstreamLink | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.host.untrack(this);
    this.done(err, conn);
  }

  /** Cancel: frees the connecting socket, any pause, or the pooled socket not yet handed over. */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    this.host.untrack(this);
    this.abandon(this.detachSocket());
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const link = this.pooled;
    this.pooled = undefined;
    if (link) this.server.release(link, true);
  }
}

function ignore(): void {}
function deliverPooled(a: ConnectAttempt): void {
  a.deliverPooled();
}
function onConnectTimeout(a: ConnectAttempt): void {
  a.onTimeout();
}
function onRetryTimer(a: ConnectAttempt): void {
  a.retryNow();
}

// One server as the upstream layer sees it: where to connect, its idle pool and the counters
// HAProxy's idle rules read (idle-rules.ts). `UpstreamHost` is what a connect attempt asks of
// its backend (settings, the connector, server states).
import type { Socket } from 'node:net';
import type { BackendSettings } from './backend-settings.js';
import type { ConnectAttempt } from './connect-attempt.js';
import type { Connector } from './connector.js';
import type { ClientOrigin } from '../process/client-session.js';
import { openSockets } from '../process/open-sockets.js';
import { IdlePool } from './idle-pool.js';
import { ConnectionDemand, keepIdle, purgeCount, type IdleLimits } from './idle-rules.js';
import { resolveTarget, type ServerTarget } from './server-target.js';
import type { ServerTransport } from './server-transport.js';
import { UpstreamLink } from './upstream-link.js';
import { countOpened } from './open-count.js';

export interface UpstreamHost {
  readonly settings: BackendSettings;
  readonly connector: Connector;
  server(name: string): ServerUpstream | undefined;
  /** Whether the Runtime still lets traffic go to the server (UP or DRAIN). */
  running(server: string): boolean;
  /** Non-backup servers usable by load balancing (HAProxy's srv_act). */
  activeServers(): number;
  track(a: ConnectAttempt): void;
  untrack(a: ConnectAttempt): void;
}

/** Open sockets past which idle connections are rationed (GlobalSettings.idleFds). */
export interface FdThresholds {
  low: number;
  high: number;
}

export class ServerUpstream {
  readonly pool = new IdlePool();
  readonly demand = new ConnectionDemand();
  /** When the next purge is due (0: none, the pool was empty). */
  purgeAt = 0;
  /** What a new connection needs before the stream's bytes (PROXY header, TLS); none for plain TCP. */
  transport: ServerTransport | undefined;
  private resolving: ((err: Error | undefined) => void)[] | undefined;
  private readonly onIdleGone = (link: UpstreamLink): void => this.pool.drop(link);

  constructor(
    readonly backend: string,
    readonly name: string,
    readonly target: ServerTarget,
    readonly limits: IdleLimits,
    private readonly fds: FdThresholds,
    private readonly now: () => number,
  ) {}

  /**
   * A socket to the server was just created: counted open until it closes. Past the high
   * descriptor mark, an idle connection of the server that was never reused is closed for it
   * (HAProxy's connect_server).
   */
  opened(socket: Socket): void {
    if (openSockets.count > this.fds.high) this.pool.close(1, true);
    countOpened(socket, this);
    this.demand.used(this.pool.size);
  }

  /** An idle connection, taken for a stream (undefined: none for `boundTo`). */
  take(boundTo?: string): UpstreamLink | undefined {
    const link = this.pool.take(boundTo);
    if (link) this.demand.used(this.pool.size);
    return link;
  }

  /** A newly connected socket becomes a link of this server (`boundTo`: see boundKey). */
  adopt(socket: Socket, boundTo?: string): UpstreamLink {
    const link = new UpstreamLink(socket, this.backend, this.name, this.onIdleGone);
    link.boundTo = boundTo;
    return link;
  }

  /**
   * Which idle connections a client may take: any unbound one, or — when the server's
   * connections carry something of their client (a PROXY header, a per-stream SNI) — only those
   * opened for the same client addresses. HAProxy keys its idle connections the same way.
   */
  boundKey(client: ClientOrigin | undefined): string | undefined {
    if (!this.transport?.clientBound) return undefined;
    return client ? `${client.src}|${client.srcPort}|${client.dst}|${client.dstPort}` : '';
  }

  /** Keeps the link idle when reusable, alive and HAProxy's rules want it, else destroys it. */
  release(link: UpstreamLink, reusable: boolean): void {
    // Released twice, or already idle: nothing to do.
    if (link.dead || link.idle) return;
    // One carrying a client's PROXY header or SNI waits for that client only (IdlePool.take).
    if (!reusable || !keepIdle(this.demand, this.pool, this.limits, openSockets.count, this.fds, link.reused)) {
      link.destroy();
      return;
    }
    if (this.pool.put(link, link.reused) && this.purgeAt === 0) this.purgeAt = this.now() + this.limits.purgeDelay;
  }

  /** The purge timer ticked: a due purge closes the connections beyond the estimated need. */
  purge(now: number): void {
    if (this.purgeAt === 0 || now < this.purgeAt) return;
    this.pool.close(purgeCount(this.demand, this.pool.size));
    this.purgeAt = this.pool.size > 0 ? now + this.limits.purgeDelay : 0;
  }

  /** Resolves a host name once, however many attempts ask meanwhile. */
  resolve(done: (err: Error | undefined) => void): void {
    if (this.resolving) {
      this.resolving.push(done);
      return;
    }
    this.resolving = [done];
    resolveTarget(this.target, (err) => {
      const waiting = this.resolving ?? [];
      this.resolving = undefined;
      for (const cb of waiting) cb(err);
    });
  }
}

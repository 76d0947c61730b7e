// One server as the upstream layer sees it: where to connect and its idle pool. `UpstreamHost`
// is what a connect attempt asks of its backend (settings, the connector, server states).
import type { Socket } from 'node:net';
import type { BackendSettings } from './backend-settings.js';
import type { ConnectAttempt } from './connect-attempt.js';
import type { Connector } from './connector.js';
import type { ClientOrigin } from '../process/client-session.js';
import { IdlePool } from './idle-pool.js';
import { resolveTarget, type ServerTarget } from './server-target.js';
import type { ServerTransport } from './server-transport.js';
import { UpstreamLink } from './upstream-link.js';

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

export class ServerUpstream {
  readonly pool: IdlePool;
  /** What a new connection needs before the stream's bytes (PROXY header, TLS); none for plain TCP. */
  transport: ServerTransport | undefined;
  private resolving: ((err: Error | undefined) => void)[] | undefined;
  private readonly onIdleGone = (link: UpstreamLink): void => this.pool.drop(link);

  constructor(
    readonly backend: string,
    readonly name: string,
    readonly target: ServerTarget,
    maxIdle: number,
    private readonly now: () => number,
  ) {
    this.pool = new IdlePool(maxIdle);
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

  /** Keeps the link idle when reusable and alive, else destroys it. */
  release(link: UpstreamLink, reusable: boolean): void {
    // Released twice, or already idle: nothing to do.
    if (link.dead || link.idle) return;
    // One carrying a client's PROXY header or SNI waits for that client only (IdlePool.take).
    if (!reusable) link.destroy();
    else this.pool.put(link, this.now());
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

// One server as the upstream layer sees it: where to connect and its idle pool. `UpstreamHost`
// is what a connect attempt asks of its backend (settings, the connector, server states).
import type { Socket } from 'node:net';
import type { BackendSettings } from './backend-settings.js';
import type { ConnectAttempt } from './connect-attempt.js';
import type { Connector } from './connector.js';
import { IdlePool } from './idle-pool.js';
import { resolveTarget, type ServerTarget } from './server-target.js';
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

  /** A newly connected socket becomes a link of this server. */
  adopt(socket: Socket): UpstreamLink {
    return new UpstreamLink(socket, this.backend, this.name, this.onIdleGone);
  }

  /** Keeps the link idle when reusable and alive, else destroys it. */
  release(link: UpstreamLink, reusable: boolean): void {
    // Released twice, or already idle: nothing to do.
    if (link.dead || link.idle) return;
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

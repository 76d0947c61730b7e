// One loaded configuration while it serves: its context (pipeline, Runtime, upstreams), the
// services running beside it (health checks…) and the client sessions started on it. A reload
// retires the current generation: its services stop at once, its sessions finish (HTTP ones hand
// their connection to the next generation between requests), and its upstream pools close after
// its last session ends, or when `hard-stop-after` runs out first.
import type { Socket } from 'node:net';
import type { CompiledProxy } from '@haplo/sim';
import type { ClientSession } from './client-session.js';
import type { ProcessService } from './proxy-process.js';
import type { ProxyContext } from './types.js';

/** Where an idle connection of a retiring generation goes (the next generation's session). */
export type HandOver = (socket: Socket, from: ClientSession) => void;

export class Generation {
  readonly sessions = new Set<ClientSession>();
  private retired = false;
  private closed = false;
  private servicesStopped = false;
  private hardStop: NodeJS.Timeout | undefined;
  private drained: (() => void)[] = [];

  constructor(
    /** 1 for the configuration started with, +1 per reload. */
    readonly id: number,
    readonly ctx: ProxyContext,
    readonly frontends: ReadonlyMap<string, CompiledProxy>,
    readonly services: readonly ProcessService[],
    /** Global `hard-stop-after` of this configuration (ms). */
    readonly hardStopMs: number | undefined,
    /** Notices (stderr). */
    private readonly log: (line: string) => void = () => {},
  ) {}

  startServices(): void {
    for (const s of this.services) s.start(this.ctx);
  }

  stopServices(): void {
    if (this.servicesStopped) return;
    this.servicesStopped = true;
    for (const s of this.services) s.stop();
  }

  /** A session of this generation ended (or moved on to the next one). */
  sessionEnded(s: ClientSession): void {
    this.sessions.delete(s);
    if (this.retired && this.sessions.size === 0) this.close();
  }

  /**
   * No new connection starts here any more. Every session is asked to retire (`handOver` for
   * idle HTTP connections, undefined to close them); after `hard-stop-after` what is left is
   * dropped. Resolves once the last session has ended.
   */
  retire(handOver: HandOver | undefined): Promise<void> {
    if (this.closed) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.drained.push(resolve));
    if (!this.retired) {
      this.retired = true;
      if (this.hardStopMs !== undefined) {
        this.hardStop = setTimeout(() => this.cut(), this.hardStopMs);
        this.hardStop.unref();
      }
    }
    for (const s of [...this.sessions]) s.retire?.(handOver && ((socket) => handOver(socket, s)));
    if (this.sessions.size === 0) this.close();
    return done;
  }

  /** `hard-stop-after` ran out: what is left ends now (sessions close themselves). */
  private cut(): void {
    const n = this.sessions.size;
    this.log(`haplo run: soft-stop running for too long (hard-stop-after), performing a hard-stop of generation ${this.id}: ${n} connection${n === 1 ? '' : 's'} closed`);
    for (const s of [...this.sessions]) (s.hardStop ?? s.abort).call(s);
  }

  /** Drops every connection now and closes the upstream pools. */
  abort(): void {
    this.retired = true;
    for (const s of [...this.sessions]) s.abort();
    this.ctx.upstreams.close();
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    // Sessions end from their sockets' close events; the pools go only once none is left.
    if (this.sessions.size > 0) return;
    this.closed = true;
    if (this.hardStop) clearTimeout(this.hardStop);
    this.ctx.upstreams.close();
    // Logging last: the sessions that just ended have sent their lines.
    this.ctx.logging?.close();
    for (const resolve of this.drained.splice(0)) resolve();
  }
}

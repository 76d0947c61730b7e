// A server's idle keep-alive connections: last in, first out (the most recently used socket is
// the least likely to have been closed by the server), bounded, and purged when idle too long
// (HAProxy's pool-purge-delay plays that role). An idle socket that receives anything, ends or
// errors is dropped at once.
import type { UpstreamLink } from './upstream-link.js';

export class IdlePool {
  private readonly idle: UpstreamLink[] = [];

  constructor(private readonly max: number) {}

  get size(): number {
    return this.idle.length;
  }

  /** Keeps `link` idle; false (and the socket destroyed) when the pool is full or the socket unusable. */
  put(link: UpstreamLink, now: number): boolean {
    if (this.idle.length >= this.max || !link.alive) {
      link.destroy();
      return false;
    }
    link.detachSession();
    link.idleSince = now;
    link.watchIdle();
    this.idle.push(link);
    return true;
  }

  /**
   * The most recently idled live socket opened for `boundTo` (undefined: an unbound one), if
   * any; dead ones met on the way are dropped.
   */
  take(boundTo?: string): UpstreamLink | undefined {
    const idle = this.idle;
    for (let i = idle.length - 1; i >= 0; i--) {
      const link = idle[i]!;
      if (link.alive && link.boundTo !== boundTo) continue;
      if (i === idle.length - 1) idle.pop();
      else idle.splice(i, 1);
      link.unwatchIdle();
      if (link.alive) return link;
      link.destroy();
    }
    return undefined;
  }

  /** An idle socket went away (closed, errored, sent bytes): forget and destroy it. */
  drop(link: UpstreamLink): void {
    const i = this.idle.indexOf(link);
    if (i >= 0) this.idle.splice(i, 1);
    link.unwatchIdle();
    link.destroy();
  }

  /** Closes the sockets idle since before `cutoff` (the oldest sit at the bottom). */
  purge(cutoff: number): void {
    let n = 0;
    while (n < this.idle.length && this.idle[n]!.idleSince < cutoff) n++;
    if (n === 0) return;
    for (const link of this.idle.splice(0, n)) {
      link.unwatchIdle();
      link.destroy();
    }
  }

  closeAll(): void {
    for (const link of this.idle.splice(0)) {
      link.unwatchIdle();
      link.destroy();
    }
  }
}

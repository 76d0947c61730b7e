// A server's idle keep-alive connections: the never-reused ones (HAProxy's idle list) are taken
// before the reused ones (its safe list), each last in, first out (the most recently used socket is
// the least likely to have been closed by the server). Which connections enter and how many a
// purge closes is decided by idle-rules.ts; the pool counts its safe ones (connections that
// served more than one request) for those rules. An idle socket that receives anything, ends
// or errors is dropped at once.
import type { UpstreamLink } from './upstream-link.js';

export class IdlePool {
  private readonly idle: UpstreamLink[] = [];
  /** Idle links that served a request after their first (HAProxy's safe list). */
  safe = 0;

  get size(): number {
    return this.idle.length;
  }

  /** Keeps `link` idle (`safe`: its exchange was not its first); false (and destroyed) when unusable. */
  put(link: UpstreamLink, safe: boolean): boolean {
    if (!link.alive) {
      link.destroy();
      return false;
    }
    link.detachSession();
    link.safe = safe;
    if (safe) this.safe++;
    link.watchIdle();
    this.idle.push(link);
    return true;
  }

  /**
   * The most recently idled live socket opened for `boundTo` (undefined: an unbound one), if
   * any; dead ones met on the way are dropped.
   */
  take(boundTo?: string): UpstreamLink | undefined {
    // HAProxy's `http-reuse safe` looks in the idle list (never reused) before the safe list.
    return this.takeFrom(boundTo, false) ?? (this.safe > 0 ? this.takeFrom(boundTo, true) : undefined);
  }

  private takeFrom(boundTo: string | undefined, safe: boolean): UpstreamLink | undefined {
    const idle = this.idle;
    for (let i = idle.length - 1; i >= 0; i--) {
      const link = idle[i]!;
      if (link.safe !== safe || (link.alive && link.boundTo !== boundTo)) continue;
      this.removeAt(i);
      if (link.alive) return link;
      link.destroy();
    }
    return undefined;
  }

  /** An idle socket went away (closed, errored, sent bytes): forget and destroy it. */
  drop(link: UpstreamLink): void {
    const i = this.idle.indexOf(link);
    if (i >= 0) this.removeAt(i);
    else link.unwatchIdle();
    link.destroy();
  }

  /** Closes up to `n` idle sockets, the longest idle first, those never reused before safe ones. */
  close(n: number, unsafeOnly = false): void {
    for (const safe of unsafeOnly ? [false] : [false, true]) {
      for (let i = 0; n > 0 && i < this.idle.length; ) {
        const link = this.idle[i]!;
        if (link.safe !== safe) {
          i++;
          continue;
        }
        this.removeAt(i);
        link.destroy();
        n--;
      }
    }
  }

  closeAll(): void {
    this.close(this.idle.length);
  }

  private removeAt(i: number): void {
    const idle = this.idle;
    const link = idle[i]!;
    if (i === idle.length - 1) idle.pop();
    else idle.splice(i, 1);
    if (link.safe) this.safe--;
    link.unwatchIdle();
  }
}

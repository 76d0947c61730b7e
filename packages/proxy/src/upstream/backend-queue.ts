// A backend's queue of streams waiting for a server slot (every usable server at its maxconn):
// first in, first out, each waiting at most `timeout queue`. A freed slot wakes the head at once,
// synchronously, so it takes the slot before any newly arriving stream can.
import type { Cancel } from '../process/types.js';

class Waiter {
  timer: NodeJS.Timeout | undefined;
  gone = false;
  constructor(readonly queue: BackendQueue, readonly done: (slot: boolean) => void) {}
  readonly cancel: Cancel = () => this.queue.remove(this);
}

function expire(w: Waiter): void {
  w.timer = undefined;
  if (w.gone) return;
  w.queue.remove(w);
  w.done(false);
}

export class BackendQueue {
  private waiters: Waiter[] = [];
  private head = 0;
  private live = 0;

  /** `timeoutMs` undefined: wait until a slot frees or the queue is closed. */
  constructor(private readonly timeoutMs: number | undefined) {}

  /** Streams waiting now. */
  get length(): number {
    return this.live;
  }

  enqueue(done: (slot: boolean) => void): Cancel {
    const w = new Waiter(this, done);
    if (this.timeoutMs !== undefined) w.timer = setTimeout(expire, this.timeoutMs, w).unref();
    this.waiters.push(w);
    this.live++;
    return w.cancel;
  }

  /** Wakes the longest-waiting stream with `done(true)`; false when none waits. */
  wakeOne(): boolean {
    while (this.head < this.waiters.length) {
      const w = this.waiters[this.head]!;
      this.waiters[this.head++] = undefined as unknown as Waiter;
      if (w.gone) continue;
      this.settle(w);
      this.compact();
      w.done(true);
      return true;
    }
    this.compact();
    return false;
  }

  /** Takes a waiter out (cancelled or expired); it stays in the array, marked, until passed. */
  remove(w: Waiter): void {
    if (w.gone) return;
    this.settle(w);
  }

  /** Forgets every waiter without calling them (the proxy is closing). */
  clear(): void {
    for (let i = this.head; i < this.waiters.length; i++) {
      const w = this.waiters[i];
      if (w && !w.gone) this.settle(w);
    }
    this.waiters = [];
    this.head = 0;
  }

  private settle(w: Waiter): void {
    w.gone = true;
    this.live--;
    if (w.timer) clearTimeout(w.timer);
    w.timer = undefined;
  }

  /** Drops the consumed prefix once it dominates the array. */
  private compact(): void {
    if (this.head === this.waiters.length) {
      // Already empty (every request of an unqueued backend passes here): nothing to drop.
      if (this.head === 0) return;
      this.waiters = [];
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
  }
}

// Lazily re-armed deadlines under one process-wide timer. Moving a deadline later (activity on a
// socket, the next request of a keep-alive connection) only stores a number; its queue entry
// comes due at the old time, sees the new deadline and goes back in for the rest. So the hot path
// never creates or clears a timer, whatever the request rate. The owner is told through an
// interface rather than a closure so an idle connection carries no function objects for its
// timers — and, with the shared queue (deadline-queue.ts), no Node Timeout object either.
import { clock, dequeue, enqueue, type Queued } from './deadline-queue.js';

export interface DeadlineOwner {
  deadlineExpired(which: Deadline): void;
}

export class Deadline implements Queued {
  /** Expiry on the queue's clock() (0: disarmed). */
  private at = 0;
  /** The armed duration, for `touch()`. */
  private span = 0;
  /** When the queue entry comes due (0: not queued). */
  dueAt = 0;
  /** Position in the queue (-1: not queued) and arrival order among equal `dueAt`. */
  slot = -1;
  seq = 0;

  constructor(private readonly owner: DeadlineOwner) {}

  /** Expires `ms` from now; undefined or 0 disarms (HAProxy: no timeout, wait forever). */
  arm(ms: number | undefined): void {
    if (!ms) {
      this.at = 0;
      return;
    }
    this.span = ms;
    // The clock is read only for a real deadline (disarming happens on every request).
    this.at = clock() + ms;
    this.schedule();
  }

  /** Activity: an armed inactivity deadline moves to a full span from now. */
  touch(): void {
    if (this.at !== 0) this.at = clock() + this.span;
  }

  disarm(): void {
    this.at = 0;
  }

  get armed(): boolean {
    return this.at !== 0;
  }

  /** Leaves the queue for good (the connection is gone). */
  dispose(): void {
    this.at = 0;
    dequeue(this);
  }

  private schedule(): void {
    // An entry due no later than the deadline is already there: it will look again then.
    if (this.slot >= 0 && this.dueAt <= this.at) return;
    enqueue(this, this.at);
  }

  /** The queue entry came due (it has left the queue): expire, or go back in for the rest. */
  due(now: number): void {
    if (this.at === 0) return;
    if (now >= this.at) {
      this.at = 0;
      this.owner.deadlineExpired(this);
    } else enqueue(this, this.at);
  }
}

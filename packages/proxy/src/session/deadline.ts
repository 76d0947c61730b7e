// One lazily re-armed timer. Moving a deadline later (activity on a socket, the next request
// of a keep-alive connection) only stores a number; the Node timer fires at the old time, sees
// the new deadline and sleeps again for the rest. So the hot path never creates or clears a
// timer, whatever the request rate. The owner is told through an interface rather than a
// closure so an idle connection carries no function objects for its timers.

export interface DeadlineOwner {
  deadlineExpired(which: Deadline): void;
}

export class Deadline {
  /** Absolute expiry in ms (0: disarmed). */
  private at = 0;
  /** The armed duration, for `touch()`. */
  private span = 0;
  /** When the Node timer will fire (0: none scheduled). */
  private scheduledAt = 0;
  private handle: NodeJS.Timeout | undefined;

  constructor(private readonly owner: DeadlineOwner) {}

  /** Expires `ms` from now; undefined or 0 disarms (HAProxy: no timeout, wait forever). */
  arm(ms: number | undefined, now: number = Date.now()): void {
    if (!ms) {
      this.at = 0;
      return;
    }
    this.span = ms;
    this.at = now + ms;
    this.schedule(now);
  }

  /** Activity: an armed inactivity deadline moves to a full span from now. */
  touch(): void {
    if (this.at !== 0) this.at = Date.now() + this.span;
  }

  disarm(): void {
    this.at = 0;
  }

  get armed(): boolean {
    return this.at !== 0;
  }

  /** Stops the Node timer for good (the connection is gone). */
  dispose(): void {
    this.at = 0;
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
    this.scheduledAt = 0;
  }

  private schedule(now: number): void {
    if (this.scheduledAt !== 0 && this.scheduledAt <= this.at) return;
    if (this.handle) clearTimeout(this.handle);
    this.scheduledAt = this.at;
    this.handle = setTimeout(onTimer, Math.max(0, this.at - now), this);
  }

  /** The Node timer fired (module function below): expire, or sleep until the moved deadline. */
  fired(): void {
    this.scheduledAt = 0;
    this.handle = undefined;
    if (this.at === 0) return;
    const now = Date.now();
    if (now >= this.at) {
      this.at = 0;
      this.owner.deadlineExpired(this);
    } else this.schedule(now);
  }
}

function onTimer(d: Deadline): void {
  d.fired();
}

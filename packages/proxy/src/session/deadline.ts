// One lazily re-armed timer. Moving a deadline later (activity on a socket, the next request
// of a keep-alive connection) only stores a number; the Node timer fires at the old time, sees
// the new deadline and sleeps again for the rest. So the hot path never creates or clears a
// timer, whatever the request rate.

export class Deadline {
  /** Absolute expiry in ms (0: disarmed). */
  private at = 0;
  /** The armed duration, for `touch()`. */
  private span = 0;
  /** When the Node timer will fire (0: none scheduled). */
  private scheduledAt = 0;
  private handle: NodeJS.Timeout | undefined;
  private readonly wake = (): void => this.onTimer();

  constructor(private readonly expired: () => void) {}

  /** Expires `ms` from now; undefined or 0 disarms (HAProxy: no timeout, wait forever). */
  arm(ms: number | undefined): void {
    if (!ms) {
      this.at = 0;
      return;
    }
    this.span = ms;
    this.at = Date.now() + ms;
    this.schedule();
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

  private schedule(): void {
    if (this.scheduledAt !== 0 && this.scheduledAt <= this.at) return;
    if (this.handle) clearTimeout(this.handle);
    this.scheduledAt = this.at;
    this.handle = setTimeout(this.wake, Math.max(0, this.at - Date.now()));
  }

  private onTimer(): void {
    this.scheduledAt = 0;
    this.handle = undefined;
    if (this.at === 0) return;
    if (Date.now() >= this.at) {
      this.at = 0;
      this.expired();
    } else this.schedule();
  }
}

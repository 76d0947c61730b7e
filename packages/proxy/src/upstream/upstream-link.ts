// One server connection as the upstream layer tracks it: the UpstreamConnection handed to
// sessions, plus what the idle pool needs (when it went idle, the handlers that watch it while
// idle, and how many listeners Node itself had put on the socket, so the ones a session left
// behind can be removed on release).
import type { Socket } from 'node:net';
import type { UpstreamConnection } from '../process/types.js';

/** Events a session may listen to; anything above the socket's own baseline is the session's. */
const WATCHED = ['data', 'end', 'close', 'error', 'timeout', 'drain', 'readable', 'finish'] as const;

export class UpstreamLink implements UpstreamConnection {
  reused = false;
  /** In an idle pool (else lent out to a session). */
  idle = false;
  /** When it last went idle (ms, the upstream clock). */
  idleSince = 0;
  /** Destroyed or dropped: never lent again. */
  dead = false;
  private readonly baseline: number[];
  /** Watches an idle socket: any byte, end, error or close makes it unusable. Created once per socket. */
  readonly onIdleEvent: () => void;

  constructor(
    readonly socket: Socket,
    readonly backend: string,
    readonly server: string,
    onIdleGone: (link: UpstreamLink) => void,
  ) {
    this.baseline = WATCHED.map((e) => socket.listenerCount(e));
    this.onIdleEvent = () => onIdleGone(this);
  }

  /** Removes listeners a session added (above the baseline) and any socket timeout it set. */
  detachSession(): void {
    const s = this.socket;
    for (let i = 0; i < WATCHED.length; i++) {
      const event = WATCHED[i]!;
      const extra = s.listenerCount(event) - this.baseline[i]!;
      if (extra <= 0) continue;
      // Node's own listeners were registered first: the session's are the last ones.
      const all = s.listeners(event);
      for (let j = all.length - extra; j < all.length; j++) s.removeListener(event, all[j] as (...a: unknown[]) => void);
    }
    s.setTimeout(0);
  }

  watchIdle(): void {
    const s = this.socket;
    s.on('data', this.onIdleEvent);
    s.on('end', this.onIdleEvent);
    s.on('close', this.onIdleEvent);
    s.on('error', this.onIdleEvent);
    s.resume();
  }

  unwatchIdle(): void {
    const s = this.socket;
    s.removeListener('data', this.onIdleEvent);
    s.removeListener('end', this.onIdleEvent);
    s.removeListener('close', this.onIdleEvent);
    s.removeListener('error', this.onIdleEvent);
  }

  /** Usable for another exchange: open both ways. */
  get alive(): boolean {
    const s = this.socket;
    return !this.dead && !s.destroyed && s.readyState === 'open';
  }

  destroy(): void {
    this.dead = true;
    this.socket.destroy();
  }
}

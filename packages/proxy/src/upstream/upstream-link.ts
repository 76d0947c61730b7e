// One server connection as the upstream layer tracks it: the UpstreamConnection handed to
// sessions, plus what the idle pool needs (whether it is safe, the handlers that watch it while
// idle, and how many listeners Node itself had put on the socket, so the ones a session left
// behind can be removed on release).
import type { Socket } from 'node:net';
import type { UpstreamConnection } from '../process/types.js';
import { countClosed } from './open-count.js';

/** Events a session may listen to; anything above the socket's own baseline is the session's. */
const WATCHED = ['data', 'end', 'close', 'error', 'timeout', 'drain', 'readable', 'finish'] as const;

const KEPT = Symbol('haplo.kept-listeners');
type KeptSocket = Socket & { [KEPT]?: number[] };

/**
 * The listeners now on `socket` stay for its life: a session layer that binds its handlers once
 * per server socket (and routes them to whoever holds it) declares them here, so a release
 * (`detachSession`) leaves them and only strips what was added after.
 */
export function keepListeners(socket: Socket): void {
  (socket as KeptSocket)[KEPT] = WATCHED.map((e) => socket.listenerCount(e));
}

export class UpstreamLink implements UpstreamConnection {
  reused = false;
  /** In an idle pool (else lent out to a session). */
  idle = false;
  /** Idle after an exchange that was not its first (HAProxy's safe list). */
  safe = false;
  /** Destroyed or dropped: never lent again. */
  dead = false;
  /** Opened for one client (ServerUpstream.boundKey): lent to that client only. */
  boundTo: string | undefined = undefined;
  private readonly baseline: number[];
  /**
   * Watches the socket while idle: any byte, end, error or close makes it unusable. Installed
   * once for the socket's life and silent while it is lent out, so going idle and being taken
   * again (every request of a keep-alive client) adds and removes no listener.
   */
  readonly onIdleEvent: () => void;

  constructor(
    readonly socket: Socket,
    readonly backend: string,
    readonly server: string,
    onIdleGone: (link: UpstreamLink) => void,
  ) {
    this.onIdleEvent = () => {
      if (this.idle) onIdleGone(this);
    };
    socket.on('data', this.onIdleEvent);
    socket.on('end', this.onIdleEvent);
    socket.on('close', this.onIdleEvent);
    socket.on('error', this.onIdleEvent);
    this.baseline = WATCHED.map((e) => socket.listenerCount(e));
  }

  /** Removes listeners a session added (above the baseline) and any socket timeout it set. */
  detachSession(): void {
    const s = this.socket;
    const baseline = (s as KeptSocket)[KEPT] ?? this.baseline;
    for (let i = 0; i < WATCHED.length; i++) {
      const event = WATCHED[i]!;
      // A session that took its own listeners off (the usual case) costs one count per event.
      const extra = s.listenerCount(event) - baseline[i]!;
      if (extra <= 0) continue;
      // Node's own listeners were registered first: the session's are the last ones.
      const all = s.listeners(event);
      for (let j = all.length - extra; j < all.length; j++) s.removeListener(event, all[j] as (...a: unknown[]) => void);
    }
    s.setTimeout(0);
  }

  /** Idle from now on: the permanent watchers act; reading resumes so a close is noticed. */
  watchIdle(): void {
    this.idle = true;
    this.socket.resume();
  }

  /** Lent out again: the watchers fall silent. */
  unwatchIdle(): void {
    this.idle = false;
  }

  /** Usable for another exchange: open both ways. */
  get alive(): boolean {
    const s = this.socket;
    return !this.dead && !s.destroyed && s.readyState === 'open';
  }

  destroy(): void {
    this.dead = true;
    countClosed(this.socket);
    this.socket.destroy();
  }
}

// Process-level ends of an HTTP client session (http-session.ts): soft stop and reload
// (retire, then leave once idle) and `hard-stop-after`.
import type { Socket } from 'node:net';
import { Phase } from './http-phase.js';
import { badResponse } from './http-response-relay.js';
import type { HttpSession } from './http-session.js';
import { unbindClient } from './socket-events.js';

/**
 * `hard-stop-after` ran out (issue 6): as HAProxy 2.6 does, a request still waiting for its
 * response head is answered 502 and the connection closed; anything else is dropped.
 */
export function hardStopSession(s: HttpSession): void {
  if (s.phase !== Phase.Exchange || s.resHead || s.client.destroyed) return s.abort();
  s.closeAfter = true;
  s.retiring = null;
  badResponse(s);
}

/**
 * Soft stop or reload (issue 6): this configuration serves no further request here. Idle
 * between requests, the connection is closed (soft stop) or handed to `handOver` (reload: the
 * new configuration serves its next request) at once; busy, once the current exchange is over,
 * and with a soft stop its response says `connection: close`. A tunnel runs on until it ends.
 */
export function retireSession(s: HttpSession, handOver?: (socket: Socket) => void): void {
  if (s.retiring !== undefined || s.finished) return;
  s.retiring = handOver ?? null;
  if (s.phase === Phase.Head && !s.inStream && s.input.length === 0 && !s.reading) leave(s);
}

/** Idle and retiring: close, or let go of the socket (handlers, timers) for the next session. */
export function leave(s: HttpSession): void {
  const handOver = s.retiring;
  if (!handOver) {
    s.phase = Phase.Closed;
    s.client.destroySoon();
    return;
  }
  s.finished = true;
  s.phase = Phase.Closed;
  unbindClient(s.client);
  s.clientTimer.dispose();
  s.serverTimer?.dispose();
  s.client.pause();
  // A pipelined request already read goes back to the socket for the next session.
  const rest = s.input.take();
  if (rest) s.client.unshift(rest);
  handOver(s.client);
}

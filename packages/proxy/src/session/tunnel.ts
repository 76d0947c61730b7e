// A tunnel: bytes pumped both ways between a client socket and a server socket until both
// directions are done, as HAProxy does in TCP mode and after an HTTP upgrade (WebSocket).
//
//   const t = startTunnel(client, server, timeouts, (end) => …, { toServer, toClient, clientEnded });
//   t.abort();                      // destroys both sockets now (process stop); onEnd still runs
//   t.bytesIn, t.bytesOut           // client→server and server→client bytes so far
//
// Contract: the caller has removed its own 'data'/'end'/'drain'/'timeout' listeners from both
// sockets (an 'error' listener may stay) and hands them over; from then on the tunnel owns them
// until `onEnd`, which runs exactly once, after both sockets are closed (or destroyed).
// `toServer`/`toClient` are bytes the caller already read and must go first (an inspected
// request, bytes after a 101 head); `clientEnded` says the client's FIN was already consumed.
//
// Flow: chunks go straight from one socket's 'data' to the other's write (no copy); a write that
// fills the peer's buffer pauses the source until 'drain' (backpressure). A FIN from one side is
// passed on as a FIN to the other once its pending bytes are written (half-close); the other
// direction keeps flowing. An error or reset on either side destroys both.
//
// Timeouts (HAProxy 2.6, checked against the binary): each side has one inactivity timer, reset
// by any byte read from or written to it, and running only while the tunnel waits on that side
// (reading it, or writing to it is blocked). It uses the side's `timeout` (the caller passes
// `timeout tunnel` there when it applies) except once the side is half-closed (it sent a FIN or
// was sent one), where its explicit `fin` timeout applies instead (client-fin / server-fin).
// When a timer fires the whole tunnel is closed.
import type { Socket } from 'node:net';

/** Inactivity timeouts in ms; undefined or 0: none. */
export interface TunnelTimeouts {
  client?: number;
  server?: number;
  /** `timeout client-fin` when written (explicitly) in the frontend. */
  clientFin?: number;
  /** `timeout server-fin` when written (explicitly) in the backend. */
  serverFin?: number;
}

export type TunnelEndReason =
  /** Both sides finished normally (FIN both ways). */
  | 'done'
  | 'client-timeout'
  | 'server-timeout'
  /** A side reset, errored or closed abruptly. */
  | 'client-error'
  | 'server-error'
  /** `abort()` was called. */
  | 'aborted';

export interface TunnelEnd {
  reason: TunnelEndReason;
  /** Bytes read from the client (the initial `toServer` included). */
  bytesIn: number;
  /** Bytes written to the client (the initial `toClient` included). */
  bytesOut: number;
}

export interface TunnelStart {
  /** Bytes already read from the client, written to the server first. */
  toServer?: Uint8Array;
  /** Bytes already read from the server, written to the client first. */
  toClient?: Uint8Array;
  /** The client's FIN was already consumed by the caller: the server gets a FIN after `toServer`. */
  clientEnded?: boolean;
}

export interface Tunnel {
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Destroys both sockets now; `onEnd` runs with reason `aborted` unless it already ran. */
  abort(): void;
}

/** Starts pumping; see the contract at the top of this file. */
export function startTunnel(client: Socket, server: Socket, timeouts: TunnelTimeouts, onEnd: (end: TunnelEnd) => void, start: TunnelStart = {}): Tunnel {
  return new BytePump(client, server, timeouts, onEnd, start);
}

const MAX_TIMER = 0x7fffffff;

/** One socket of the tunnel and the state of both its directions. */
class Side {
  /** No FIN received from this socket yet. */
  readOpen = true;
  /** We have not sent this socket a FIN yet. */
  writeOpen = true;
  /** A write to this socket returned false: waiting for 'drain'. */
  writeBlocked = false;
  /** Reading paused because the other side's writes are blocked. */
  paused = false;
  closed = false;
  /** Bytes read from this socket. */
  bytesRead = 0;
  /** The inactivity timeout currently set on the socket (0: none; -1: not set by the tunnel yet). */
  timerMs = -1;
  peer!: Side;

  constructor(readonly socket: Socket, readonly timeout: number, readonly fin: number, readonly name: 'client' | 'server') {}

  /** The timeout this side should run with now (0 when the tunnel is not waiting on it). */
  wanted(): number {
    const waiting = (this.readOpen && !this.paused) || this.writeBlocked;
    if (!waiting) return 0;
    if (this.fin > 0 && (!this.readOpen || !this.writeOpen)) return this.fin;
    return this.timeout;
  }

  syncTimer(): void {
    // Node timers overflow past 2^31-1 ms (HAProxy's own ceiling for a timeout too).
    const ms = Math.min(this.wanted(), MAX_TIMER);
    if (ms !== this.timerMs && !this.closed) {
      this.timerMs = ms;
      this.socket.setTimeout(ms);
    }
  }
}

class BytePump implements Tunnel {
  private readonly c: Side;
  private readonly s: Side;
  private ended = false;
  private reason: TunnelEndReason = 'done';
  private initialOut = 0;

  constructor(client: Socket, server: Socket, t: TunnelTimeouts, private readonly onEnd: (end: TunnelEnd) => void, start: TunnelStart) {
    this.c = new Side(client, t.client ?? 0, t.clientFin ?? 0, 'client');
    this.s = new Side(server, t.server ?? 0, t.serverFin ?? 0, 'server');
    this.c.peer = this.s;
    this.s.peer = this.c;
    // Half-closed sockets must stay writable: Node ends them on FIN otherwise.
    client.allowHalfOpen = true;
    server.allowHalfOpen = true;
    if (start.toServer && start.toServer.length > 0) {
      this.c.bytesRead += start.toServer.length;
      this.write(this.s, start.toServer);
    }
    if (start.toClient && start.toClient.length > 0) {
      this.initialOut = start.toClient.length;
      this.write(this.c, start.toClient);
    }
    this.attach(this.c);
    this.attach(this.s);
    if (client.destroyed || server.destroyed) {
      this.fail(client.destroyed ? this.c : this.s);
      return;
    }
    // A FIN may have been read (and its 'end' emitted) before the tunnel listened.
    if (start.clientEnded || client.readableEnded) this.finReceived(this.c);
    if (server.readableEnded) this.finReceived(this.s);
    this.c.syncTimer();
    this.s.syncTimer();
    if (!this.c.paused) client.resume();
    if (!this.s.paused) server.resume();
  }

  get bytesIn(): number {
    return this.c.bytesRead;
  }

  get bytesOut(): number {
    return this.s.bytesRead + this.initialOut;
  }

  abort(): void {
    if (this.ended) return;
    this.reason = 'aborted';
    this.destroyBoth();
  }

  private attach(side: Side): void {
    const sock = side.socket;
    const peer = side.peer;
    sock.on('data', (chunk: Buffer) => {
      side.bytesRead += chunk.length;
      this.write(peer, chunk);
    });
    sock.on('drain', () => {
      if (!side.writeBlocked) return;
      side.writeBlocked = false;
      if (peer.paused) {
        peer.paused = false;
        if (peer.readOpen) peer.socket.resume();
        peer.syncTimer();
      }
      side.syncTimer();
    });
    sock.on('end', () => this.finReceived(side));
    sock.on('timeout', () => {
      if (this.ended) return;
      this.reason = side.name === 'client' ? 'client-timeout' : 'server-timeout';
      this.destroyBoth();
    });
    sock.on('error', () => this.fail(side));
    sock.on('close', () => {
      side.closed = true;
      // Closed before both directions finished (reset, destroyed elsewhere): the tunnel is over.
      if (side.readOpen || side.writeOpen) this.fail(side);
      else if (side.peer.closed) this.finish();
    });
  }

  /** Writes to `to`; a full buffer pauses the other side until 'drain'. */
  private write(to: Side, chunk: Uint8Array): void {
    if (!to.writeOpen || to.closed) return;
    if (!to.socket.write(chunk) && !to.writeBlocked) {
      to.writeBlocked = true;
      const from = to.peer;
      if (!from.paused) {
        from.paused = true;
        from.socket.pause();
        from.syncTimer();
      }
      to.syncTimer();
    }
  }

  /** `side` sent its FIN: pass it on once the bytes before it are written. */
  private finReceived(side: Side): void {
    if (!side.readOpen) return;
    side.readOpen = false;
    const peer = side.peer;
    if (peer.writeOpen) {
      peer.writeOpen = false;
      if (!peer.closed) peer.socket.end();
    }
    side.syncTimer();
    peer.syncTimer();
  }

  private fail(side: Side): void {
    if (this.ended) return;
    if (this.reason === 'done') this.reason = side.name === 'client' ? 'client-error' : 'server-error';
    this.destroyBoth();
  }

  private destroyBoth(): void {
    this.c.readOpen = this.c.writeOpen = this.s.readOpen = this.s.writeOpen = false;
    if (!this.c.socket.destroyed) this.c.socket.destroy();
    if (!this.s.socket.destroyed) this.s.socket.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.c.socket.setTimeout(0);
    this.s.socket.setTimeout(0);
    this.onEnd({ reason: this.reason, bytesIn: this.bytesIn, bytesOut: this.bytesOut });
  }
}

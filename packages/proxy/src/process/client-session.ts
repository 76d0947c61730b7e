// How the process hands an accepted client connection to a session (HTTP or TCP) and learns
// that it ended. Sessions own their socket from then on.
import type { Socket } from 'node:net';
import type { CompiledProxy } from '@haplo/sim';
import type { ProxyContext } from './types.js';

/** A running client connection, as the process sees it. */
export interface ClientSession {
  /** Destroys the connection now (the process stops). */
  abort(): void;
}

/** Where the client connected: the socket's local address, after any PROXY header (issue 6). */
export interface ClientOrigin {
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
}

/** Starts a session on an admitted, paused socket; `closed` is called exactly once at the end. */
export type SessionFactory = (
  ctx: ProxyContext,
  frontend: CompiledProxy,
  socket: Socket,
  origin: ClientOrigin,
  closed: () => void,
) => ClientSession;

/** Addresses of a TCP socket as the sample fetches want them (`::ffff:1.2.3.4` → `1.2.3.4`). */
export function originOf(socket: Socket): ClientOrigin {
  return {
    src: plainAddress(socket.remoteAddress ?? '127.0.0.1'),
    srcPort: socket.remotePort ?? 0,
    dst: plainAddress(socket.localAddress ?? '127.0.0.1'),
    dstPort: socket.localPort ?? 0,
  };
}

function plainAddress(a: string): string {
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

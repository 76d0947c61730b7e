// How the process hands an accepted client connection to a session (HTTP or TCP) and learns
// that it ended. Sessions own their socket from then on.
import type { Socket } from 'node:net';
import type { CompiledProxy, TlsInfo } from '@haplo/sim';
import type { ProxyContext } from './types.js';

/** A running client connection, as the process sees it. */
export interface ClientSession {
  /** Destroys the connection now (the process stops). */
  abort(): void;
  /**
   * Soft stop or reload: finish the request in progress, then close (no `handOver`) or give the
   * idle socket to `handOver` for the new configuration. Sessions without it (mode tcp) run on
   * until they end.
   */
  retire?(handOver?: (socket: Socket) => void): void;
  /** `hard-stop-after` ran out: end now, the HAProxy way (HTTP: 502 to a request awaiting its response). Else abort(). */
  hardStop?(): void;
}

/**
 * Where the client connected from and to: the socket's addresses, or those of the PROXY header
 * it sent (`bind … accept-proxy`); and its TLS handshake's facts (`bind … ssl`) for ssl_fc_*.
 */
export interface ClientOrigin {
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  tls?: TlsInfo;
  /** The authority TLV of the client's PROXY v2 header: `send-proxy-v2` passes it on instead of the SNI. */
  proxyAuthority?: string;
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

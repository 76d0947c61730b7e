// The handshake phase of an accepted connection on a `bind … accept-proxy` and/or `bind … ssl`
// line, before any session exists: the PROXY header first (its addresses replace the socket's),
// then the TLS handshake (its facts feed the ssl_fc_* fetches). As in HAProxy 2.6, both share
// one `timeout client` counted from the accept, and any failure just closes the connection.
import type { Socket } from 'node:net';
import { originOf, type ClientOrigin } from '../process/client-session.js';
import { acceptProxyHeader } from '../proxy-protocol/accept-header.js';
import { acceptTls } from '../tls/accept-tls.js';
import type { BindTls } from '../tls/bind-tls.js';

export interface HandshakeSetup {
  acceptProxy: boolean;
  tls?: BindTls;
  /** The frontend's `timeout client` (ms); undefined: wait as long as it takes. */
  timeoutMs?: number;
}

export type ClientHandshake =
  /** Ready for a session: the socket to use (TLS or the accepted one) and where the client is. */
  | { kind: 'ready'; socket: Socket; origin: ClientOrigin }
  /** The connection is closed; `reason` is HAProxy's log text. */
  | { kind: 'closed'; reason: string };

/**
 * Runs the handshake phase. `origin` (the socket's own addresses) is completed in place, so
 * whoever already holds it (the process, to hand the connection over on reload) sees the
 * addresses and TLS facts the session got.
 */
export async function clientHandshake(socket: Socket, setup: HandshakeSetup, origin: ClientOrigin = originOf(socket), now: () => number = Date.now): Promise<ClientHandshake> {
  const deadline = setup.timeoutMs === undefined ? undefined : now() + setup.timeoutMs;
  const left = (): { timeoutMs?: number } => (deadline === undefined ? {} : { timeoutMs: Math.max(0, deadline - now()) });
  if (setup.acceptProxy) {
    const header = await acceptProxyHeader(socket, left());
    if (header.kind === 'closed') return header;
    if (header.kind === 'proxy') {
      const a = header.addresses;
      origin.src = a.src;
      origin.srcPort = a.srcPort;
      origin.dst = a.dst;
      origin.dstPort = a.dstPort;
      if (header.authority !== undefined) origin.proxyAuthority = header.authority;
    }
  }
  if (!setup.tls) return { kind: 'ready', socket, origin };
  const secured = await acceptTls(socket, setup.tls, left());
  if (secured.kind === 'closed') return secured;
  origin.tls = secured.info;
  return { kind: 'ready', socket: secured.socket, origin };
}

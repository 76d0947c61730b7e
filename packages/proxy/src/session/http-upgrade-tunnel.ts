// An HTTP client session (http-session.ts) turning into a tunnel after a 101 or a 2xx to
// CONNECT, and the end of the connection when that tunnel ends.
import { Phase } from './http-phase.js';
import type { HttpSession } from './http-session.js';
import { unbindClient, unbindServer } from './socket-events.js';
import { tunnelTimeouts } from './tcp-timeouts.js';
import { startTunnel, type TunnelEnd } from './tunnel.js';

/**
 * After a 101 or a 2xx to CONNECT the two sockets become a tunnel (tunnel.ts, shared with mode
 * tcp): handed over with what each side already sent, under `timeout tunnel` (else
 * client/server) and client-fin/server-fin once half-closed. A client's FIN goes to the server
 * at once and the server may still answer (HAProxy 2.6 half-closes a CONNECT tunnel so,
 * observed). The stream ends when the tunnel does.
 */
export function startUpgradeTunnel(s: HttpSession, rest: Buffer | undefined): void {
  s.phase = Phase.Tunnel;
  const server = s.server!;
  unbindClient(s.client);
  unbindServer(server);
  s.clientTimer.disarm();
  s.serverTimer?.disarm();
  if (s.clientPaused) {
    s.clientPaused = false;
    s.client.resume();
  }
  if (s.serverPaused) {
    s.serverPaused = false;
    server.resume();
  }
  // Bytes the client sent after its upgrade request belong to the new protocol.
  const toServer = s.input.take();
  s.tunnel = startTunnel(s.client, server, tunnelTimeouts(s.ctx, s.ps.frontend, s.be!), (end) => s.guarded(() => tunnelEnded(s, end)), {
    toServer, toClient: rest, clientEnded: s.clientEnded,
  });
}

/** Both sockets of the tunnel are closed: the connection is over. */
function tunnelEnded(s: HttpSession, end: TunnelEnd): void {
  s.tunnel = undefined;
  s.bytesIn += end.bytesIn;
  s.bytesOut += end.bytesOut;
  const log = s.log;
  if (log) {
    log.bodyIn(end.bytesIn);
    log.bodyOut(end.bytesOut);
    if (end.reason === 'client-timeout') log.terminate('client-timeout', 'data');
    else if (end.reason === 'server-timeout') log.terminate('server-timeout', 'data');
    else if (end.reason === 'client-error') log.terminate('client', 'data');
    else if (end.reason === 'server-error') log.terminate('server', 'data');
    else if (end.reason === 'aborted') log.terminate('killed', 'data');
  }
  const conn = s.conn;
  s.conn = undefined;
  s.server = undefined;
  if (conn) s.ctx.upstreams.release(conn, false);
  s.clientClose();
}

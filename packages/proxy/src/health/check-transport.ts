// What a health check sends before its own bytes: a PROXY header and/or a TLS handshake, read
// once from the `server` line as HAProxy 2.6 does (check.c init_srv_check, and observed with
// the binary on loopback, test/proxy/health-transport-vs-haproxy.test.ts):
// * a check that goes where the traffic goes (no `port`, no `addr`) uses the server's own
//   transport: TLS when the server has `ssl` (unless `no-check-ssl`), the server's
//   `send-proxy*` header;
// * `check-ssl` makes any check TLS, `check-send-proxy` makes it send a PROXY header (in the
//   version the server's send-proxy options name, v1 by default);
// * the TLS settings are the server's (verify, ca-file, crt); the SNI is `check-sni` only (the
//   server's `sni` expression needs a stream), the ALPN `check-alpn`, else the server's `alpn`;
// * a v1 header carries the check connection's own addresses, a v2 header is LOCAL.
import type { Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { ServerModel } from '@haplo/parser';
import { proxySendPlan, type ProxySendPlan } from '../proxy-protocol/server-send.js';
import { proxyV1Header } from '../proxy-protocol/write-v1.js';
import { proxyV2Header } from '../proxy-protocol/write-v2.js';
import type { ServerTls } from '../tls/server-tls.js';

export interface CheckTransport {
  proxy?: ProxySendPlan;
  tls?: ServerTls;
  /** `check-sni`. */
  sni?: string;
  /** `check-alpn`, when written (else the server's `alpn`, in `tls`). */
  alpn?: string[];
  /** TLS is asked for but its settings were not given: every check fails (never plain instead). */
  tlsMissing?: boolean;
}

/** A v1 header and nothing else: `check-send-proxy` on a server that names no version. */
const V1_ONLY: ProxySendPlan = Object.freeze({ version: 1, crc32c: false, authority: false, uniqueId: false, ssl: false, sslCn: false, sslCipher: false, certSig: false, certKey: false });

/** The check's transport; undefined for a plain TCP connect. `tls`: the server's loaded TLS settings. */
export function checkTransportOf(server: ServerModel, tls: ServerTls | undefined): CheckTransport | undefined {
  const has = (name: string): boolean => server.options.get(name) !== undefined;
  const sameRoute = !has('port') && !has('addr');
  const out: CheckTransport = {};
  const useTls = has('check-ssl') || (sameRoute && has('ssl') && !has('no-check-ssl'));
  if (useTls && !tls) out.tlsMissing = true;
  else if (useTls && tls) {
    out.tls = tls;
    const sni = server.options.get('check-sni')?.[0]?.value;
    if (sni) out.sni = sni;
    const alpn = server.options.get('check-alpn')?.[0]?.value;
    if (alpn !== undefined) out.alpn = alpn.split(',').filter((p) => p !== '');
  }
  if (has('check-send-proxy') || sameRoute) {
    const plan = proxySendPlan(server);
    if (plan) out.proxy = plan;
    else if (has('check-send-proxy')) out.proxy = V1_ONLY;
  }
  return out.tls || out.proxy || out.tlsMissing ? out : undefined;
}

/** The PROXY header of one check connection (`socket` connected). */
export function checkProxyHeader(plan: ProxySendPlan, socket: Socket): Buffer {
  if (plan.version === 2) return proxyV2Header({ local: true, crc32c: plan.crc32c });
  const src = socket.localAddress !== undefined && socket.localPort !== undefined ? { address: socket.localAddress, port: socket.localPort } : undefined;
  const dst = socket.remoteAddress !== undefined && socket.remotePort !== undefined ? { address: socket.remoteAddress, port: socket.remotePort } : undefined;
  return proxyV1Header(src, dst);
}

/** Starts the check's TLS handshake over `raw` (after any PROXY header). */
export function startCheckTls(t: CheckTransport, raw: Socket): TLSSocket {
  const options = t.tls!.connectOptions(t.sni);
  if (t.alpn !== undefined) {
    if (t.alpn.length) options.ALPNProtocols = t.alpn;
    else delete options.ALPNProtocols;
  }
  return tlsConnect({ socket: raw, ...options });
}

// Layer-4 and TLS fetches: addresses and ports of the client connection, TLS facts of the
// frontend connection, and a ClientHello seen in the request buffer (TCP-mode inspection).
import { addr, bool, MISS, sint, str, type Outcome } from '../sample/sample.js';
import type { StreamContext, TlsInfo } from '../stream/context.js';
import { alias, plain, type FetchDef } from './registry.js';

const tls = (f: (t: TlsInfo) => Outcome) => (ctx: StreamContext): Outcome => (ctx.conn.tls ? f(ctx.conn.tls) : undefined);
const maybe = (v: string | undefined): Outcome => (v === undefined ? undefined : str(v));

/** A ClientHello: the one described for TCP inspection, else the TLS connection's own handshake. */
function hello(f: (t: TlsInfo) => Outcome): (ctx: StreamContext) => Outcome {
  return (ctx) => {
    const h = ctx.conn.clientHello ?? ctx.conn.tls;
    if (!h) return ctx.final ? undefined : MISS;
    return f(h);
  };
}

export const connectionFetches: readonly FetchDef[] = [
  ...alias(plain('src', 'ipv4', (ctx) => addr(ctx.conn.src)), 'fc_src'),
  ...alias(plain('src_port', 'sint', (ctx) => sint(ctx.conn.srcPort)), 'fc_src_port'),
  ...alias(plain('dst', 'ipv4', (ctx) => addr(ctx.conn.dst)), 'fc_dst'),
  ...alias(plain('dst_port', 'sint', (ctx) => sint(ctx.conn.dstPort)), 'fc_dst_port'),
  plain('src_is_local', 'bool', (ctx) => bool(isLoopback(ctx.conn.src.bytes, ctx.conn.src.family))),
  plain('ssl_fc', 'bool', (ctx) => bool(ctx.conn.tls !== undefined)),
  plain('ssl_fc_has_sni', 'bool', (ctx) => bool(ctx.conn.tls?.sni !== undefined)),
  plain('ssl_fc_sni', 'str', tls((t) => maybe(t.sni))),
  plain('ssl_fc_alpn', 'str', tls((t) => maybe(t.alpn))),
  plain('ssl_fc_protocol', 'str', tls((t) => maybe(t.protocol))),
  plain('ssl_c_used', 'bool', (ctx) => bool(ctx.conn.tls?.clientCert === true)),
  ...alias(plain('req.ssl_sni', 'str', hello((h) => maybe(h.sni))), 'req_ssl_sni'),
  plain('req.ssl_alpn', 'str', hello((h) => maybe(h.alpn))),
  ...alias(plain('req.ssl_ver', 'sint', hello((h) => (h.helloVersion === undefined ? undefined : sint(h.helloVersion)))), 'req_ssl_ver'),
  ...alias(plain('req.ssl_hello_type', 'sint', hello(() => sint(1))), 'req_ssl_hello_type'),
];

function isLoopback(b: Uint8Array, family: 4 | 6): boolean {
  if (family === 4) return b[0] === 127;
  for (let i = 0; i < 15; i++) if (b[i] !== 0) return false;
  return b[15] === 1;
}

// Layer-4 and TLS fetches: addresses and ports of the client connection, TLS facts of the
// frontend connection, and a ClientHello seen in the request buffer (TCP-mode inspection).
import { addr, bool, MISS, sint, str, type Outcome } from '../sample/sample.js';
import { rawRequestBuffer, type StreamContext, type TlsInfo } from '../stream/context.js';
import { helloType, scanClientHello, type HelloScan } from './client-hello.js';
import { alias, plain, type FetchDef } from './registry.js';

const tls = (f: (t: TlsInfo) => Outcome) => (ctx: StreamContext): Outcome => (ctx.conn.tls ? f(ctx.conn.tls) : undefined);
const maybe = (v: string | undefined): Outcome => (v === undefined ? undefined : str(v));

/**
 * A ClientHello: the one described for TCP inspection, else the TLS connection's own handshake,
 * else one read from the real bytes of a TCP stream's request buffer (the proxy).
 */
function hello(f: (t: TlsInfo) => Outcome): (ctx: StreamContext) => Outcome {
  return (ctx) => {
    const h = ctx.conn.clientHello ?? ctx.conn.tls;
    if (h) return f(h);
    const buf = rawRequestBuffer(ctx);
    if (buf && buf.length > 0) return fromScan(ctx, scanClientHello(buf), (s) => (s.info ? f(s.info) : undefined));
    return ctx.final ? undefined : MISS;
  };
}

/** What a scan of the request buffer gives: MISS while too short (until the wait is over), nothing when not a hello. */
function fromScan(ctx: StreamContext, s: HelloScan, f: (s: Extract<HelloScan, { kind: 'hello' }>) => Outcome): Outcome {
  if (s.kind === 'short') return ctx.final ? undefined : MISS;
  return s.kind === 'hello' ? f(s) : undefined;
}

/** req.ssl_hello_type: 1 for a described hello; the handshake type byte of real bytes. */
function helloTypeFetch(ctx: StreamContext): Outcome {
  if (ctx.conn.clientHello ?? ctx.conn.tls) return sint(1);
  const buf = rawRequestBuffer(ctx);
  if (buf && buf.length > 0) return fromScan(ctx, helloType(buf), (s) => sint(s.type));
  return ctx.final ? undefined : MISS;
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
  plain('ssl_fc_has_crt', 'bool', (ctx) => bool(ctx.conn.tls?.clientCert === true)),
  plain('ssl_fc_cipher', 'str', tls((t) => maybe(t.cipher))),
  plain('ssl_fc_is_resumed', 'bool', tls((t) => bool(t.resumed === true))),
  plain('ssl_c_verify', 'sint', tls((t) => sint(t.verifyResult ?? 0))),
  dnFetch('ssl_c_s_dn', (t) => t.clientSubject),
  dnFetch('ssl_c_i_dn', (t) => t.clientIssuer),
  ...alias(plain('req.ssl_sni', 'str', hello((h) => maybe(h.sni))), 'req_ssl_sni'),
  plain('req.ssl_alpn', 'str', hello((h) => maybe(h.alpn))),
  ...alias(plain('req.ssl_ver', 'sint', hello((h) => (h.helloVersion === undefined ? undefined : sint(h.helloVersion)))), 'req_ssl_ver'),
  ...alias(plain('req.ssl_hello_type', 'sint', helloTypeFetch), 'req_ssl_hello_type'),
];

/**
 * `ssl_c_s_dn([entry[,occ]])`: the whole DN (`/C=FR/CN=name`), or one entry's value — the
 * first by default, the nth from the start (occ > 0) or from the end (occ < 0). The optional
 * third argument (`rfc2253`) is not supported: it gives nothing.
 */
function dnFetch(name: string, dn: (t: TlsInfo) => string | undefined): FetchDef {
  return {
    name,
    output: 'str',
    compile(args) {
      const entry = args[0] === undefined || args[0] === '' ? undefined : args[0];
      const occ = args[1] === undefined || args[1] === '' ? 1 : Number(args[1]);
      const format = args[2];
      return {
        one: tls((t) => {
          const text = dn(t);
          if (text === undefined || (format !== undefined && format !== '')) return undefined;
          if (entry === undefined) return str(text);
          const values = text.split('/').slice(1).filter((p) => p.startsWith(`${entry}=`)).map((p) => p.slice(entry.length + 1));
          const v = occ > 0 ? values[occ - 1] : occ < 0 ? values[values.length + occ] : undefined;
          return maybe(v);
        }),
      };
    },
  };
}

function isLoopback(b: Uint8Array, family: 4 | 6): boolean {
  if (family === 4) return b[0] === 127;
  for (let i = 0; i < 15; i++) if (b[i] !== 0) return false;
  return b[15] === 1;
}

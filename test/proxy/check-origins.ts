// Origins for health checks over PROXY and TLS: one that notes what each connection opened with
// (a PROXY header, a TLS ClientHello with its SNI and ALPN, or plain bytes) and then closes, and
// a TLS origin that completes the handshake and answers HTTP. Loopback only.
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';

export interface Opening {
  /** `PROXY …` line (v1), `v2 <hex of the 16-byte head and its payload>`, or undefined. */
  proxy?: string;
  tls: boolean;
  sni?: string;
  alpn?: string[];
  /** The first plain bytes (not TLS), as latin1. */
  plain?: string;
}

const V2_SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');

/** SNI and ALPN of a ClientHello record at the start of `b`. */
export function clientHello(b: Buffer): { sni?: string; alpn?: string[] } {
  const out: { sni?: string; alpn?: string[] } = {};
  let p = 5 + 4 + 2 + 32;
  if (b.length < p + 1) return out;
  p += 1 + b[p]!;
  p += 2 + b.readUInt16BE(p);
  p += 1 + b[p]!;
  const end = p + 2 + b.readUInt16BE(p);
  p += 2;
  while (p + 4 <= end && p + 4 <= b.length) {
    const type = b.readUInt16BE(p);
    const len = b.readUInt16BE(p + 2);
    const body = b.subarray(p + 4, p + 4 + len);
    if (type === 0) out.sni = body.subarray(5, 5 + body.readUInt16BE(3)).toString('latin1');
    if (type === 16) {
      const list: string[] = [];
      for (let q = 2; q < body.length; q += 1 + body[q]!) list.push(body.subarray(q + 1, q + 1 + body[q]!).toString('latin1'));
      out.alpn = list;
    }
    p += 4 + len;
  }
  return out;
}

export function readOpening(b: Buffer): Opening {
  const o: Opening = { tls: false };
  let rest = b;
  if (b.subarray(0, 6).toString('latin1') === 'PROXY ') {
    const nl = b.indexOf('\r\n');
    o.proxy = b.subarray(0, nl).toString('latin1');
    rest = b.subarray(nl + 2);
  } else if (b.length >= 16 && b.subarray(0, 12).equals(V2_SIGNATURE)) {
    const n = 16 + b.readUInt16BE(14);
    o.proxy = `v2 ${b.subarray(12, n).toString('hex')}`;
    rest = b.subarray(n);
  }
  if (rest[0] === 0x16) {
    o.tls = true;
    Object.assign(o, clientHello(rest));
  } else if (rest.length) o.plain = rest.toString('latin1');
  return o;
}

export interface OpeningOrigin {
  port: number;
  openings: Opening[];
  close(): Promise<void>;
}

/**
 * Notes each connection's opening bytes once `settleMs` passed without more, then closes it
 * (`reply`: what it writes first, e.g. garbage for a TLS client; `silent`: never closes).
 */
export function startOpeningOrigin(port = 0, options: { reply?: string; silent?: boolean; settleMs?: number } = {}): Promise<OpeningOrigin> {
  const openings: Opening[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let got = Buffer.alloc(0);
    let timer: NodeJS.Timeout | undefined;
    sock.on('data', (d) => {
      got = Buffer.concat([got, d]);
      clearTimeout(timer);
      timer = setTimeout(() => {
        openings.push(readOpening(got));
        if (options.silent) return;
        if (options.reply) sock.end(options.reply);
        else sock.destroy();
      }, options.settleMs ?? 40);
    });
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve({
        port: (server.address() as { port: number }).port,
        openings,
        close: () => new Promise((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        }),
      });
    });
  });
}

export interface TlsHandshakeSeen {
  sni: string | false;
  alpn: string | false;
  /** The first request line, when an HTTP request came. */
  requestLine?: string;
}

/** A TLS origin (`key`/`cert` PEM) answering every request `200`; notes each handshake. */
export function startTlsOrigin(key: string, cert: string, port = 0): Promise<{ port: number; seen: TlsHandshakeSeen[]; close(): Promise<void> }> {
  const seen: TlsHandshakeSeen[] = [];
  const sockets = new Set<TLSSocket>();
  const server = createTlsServer({ key, cert, ALPNProtocols: ['h2', 'http/1.1'] }, (c) => {
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
    c.on('error', () => {});
    const entry: TlsHandshakeSeen = { sni: c.servername ?? false, alpn: c.alpnProtocol ?? false };
    seen.push(entry);
    c.on('data', (d) => {
      entry.requestLine = d.toString('latin1').split('\r\n')[0];
      c.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    });
  });
  server.on('tlsClientError', () => {});
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve({
        port: (server.address() as { port: number }).port,
        seen,
        close: () => new Promise((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        }),
      });
    });
  });
}

// Clients and origins for the `haplo run` TLS / PROXY protocol end-to-end tests: one HTTP
// request over TLS (Node, curl, openssl s_client), an origin that answers with what it saw, a
// Node TLS origin (optionally behind a PROXY header), and a raw client that sends exact bytes.
// Everything runs on 127.0.0.1; child processes are spawned asynchronously, so the origins in
// this process keep answering while a client waits.
import { execFile, spawn } from 'node:child_process';
import { connect as tcpConnect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer, TLSSocket, type ConnectionOptions } from 'node:tls';
import { acceptProxyHeader, type AcceptedProxyHeader } from '../../packages/proxy/src/proxy-protocol/index.js';
import { parseResponses, startHttpOrigin, type HttpOrigin, type ParsedResponse } from './run-harness.js';

export const REQUEST = 'GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n';

/** An origin answering `NAME|x-forwarded-for|x-sni` (what the proxy sent it). */
export function echoOrigin(name: string): Promise<HttpOrigin> {
  return startHttpOrigin(name, (req, res) => {
    const body = `${name}|${req.headers['x-forwarded-for'] ?? '-'}|${req.headers['x-sni'] ?? '-'}`;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}

export interface TlsAnswer {
  /** CN of the certificate the proxy presented; undefined when the handshake failed. */
  cn?: string;
  alpn?: string | false;
  response?: ParsedResponse;
  error?: string;
}

/** One request over a Node TLS connection; `prefix` (a PROXY header) goes first, in clear. */
export function tlsRequest(port: number, options: ConnectionOptions, prefix?: Buffer, request = REQUEST): Promise<TlsAnswer> {
  return new Promise((resolve) => {
    const raw = tcpConnect(port, '127.0.0.1');
    raw.on('error', () => {});
    const out: TlsAnswer = {};
    let got = Buffer.alloc(0);
    raw.once('connect', () => {
      if (prefix) raw.write(prefix);
      const c = tlsConnect({ socket: raw, rejectUnauthorized: false, ...options });
      const timer = setTimeout(() => c.destroy(), 5000);
      c.on('secureConnect', () => {
        out.cn = c.getPeerX509Certificate()?.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3);
        out.alpn = c.alpnProtocol;
        c.write(request);
      });
      c.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
      c.on('error', (e) => (out.error ??= e.message));
      c.on('close', () => {
        clearTimeout(timer);
        const r = parseResponses(got)[0];
        if (r) out.response = r;
        resolve(out);
      });
    });
  });
}

/** `curl -s -D - --resolve NAME:PORT:127.0.0.1 https://NAME:PORT/`: exit code, head and body. */
export function curlHttps(name: string, port: number, caFile: string, extra: string[] = []): Promise<{ code: number; out: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('curl', ['-sS', '-D', '-', '--max-time', '5', '--cacert', caFile, '--resolve', `${name}:${port}:127.0.0.1`, ...extra, `https://${name}:${port}/`], { encoding: 'utf8' },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout, stderr }));
  });
}

/** `openssl s_client -servername NAME` sending one request: the output (certificate subject, response). */
export function opensslRequest(port: number, servername: string, caFile: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', servername, '-CAfile', caFile, '-ign_eof', '-alpn', 'http/1.1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    child.stdin.end(`GET / HTTP/1.1\r\nhost: ${servername}\r\nconnection: close\r\n\r\n`);
  });
}

/**
 * Sends `bytes` on a new TCP connection and collects the answer until the proxy closes;
 * `byPeer` is false when the proxy still held the connection open after `ms`.
 */
export function rawExchange(port: number, bytes: Buffer | string, ms = 5000): Promise<{ data: Buffer; reset: boolean; byPeer: boolean }> {
  return new Promise((resolve) => {
    const c = tcpConnect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let reset = false;
    let byPeer = true;
    const timer = setTimeout(() => {
      byPeer = false;
      c.destroy();
    }, ms);
    c.on('connect', () => c.write(bytes));
    c.on('data', (d: Buffer) => (data = Buffer.concat([data, d])));
    c.on('error', (e: NodeJS.ErrnoException) => (reset ||= e.code === 'ECONNRESET'));
    c.on('close', () => {
      clearTimeout(timer);
      resolve({ data, reset, byPeer });
    });
  });
}

export interface TlsOrigin {
  port: number;
  /** Handshakes completed, and the SNI of each. */
  handshakes: (string | false)[];
  /** PROXY headers read before the handshake (with `proxy: true`). */
  headers: AcceptedProxyHeader[];
  close(): Promise<void>;
}

/**
 * A Node HTTPS-ish origin: TLS with `pem` (certificate + key), answering every request on a
 * connection with `tls-origin|SNI`. With `proxy`, it first reads a PROXY header in clear.
 */
export async function startTlsOrigin(pem: string, options: { proxy?: boolean } = {}): Promise<TlsOrigin> {
  const sockets = new Set<Socket>();
  const origin = { handshakes: [], headers: [] } as unknown as TlsOrigin;
  /** `proxied`: the client port the connection's PROXY header named, sent back as `x-proxy-src-port`. */
  const serve = (s: TLSSocket, proxied?: number): void => {
    origin.handshakes.push(s.servername ?? false);
    const extra = proxied === undefined ? '' : `x-proxy-src-port: ${proxied}\r\n`;
    let pending = '';
    s.on('data', (d: Buffer) => {
      pending += d.toString('latin1');
      while (pending.includes('\r\n\r\n')) {
        pending = pending.slice(pending.indexOf('\r\n\r\n') + 4);
        const body = `tls-origin|${s.servername || '-'}`;
        s.write(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n${extra}\r\n${body}`);
      }
    });
    s.on('error', () => {});
  };
  let server: Server;
  if (options.proxy) {
    server = createServer({ pauseOnConnect: true }, async (raw) => {
      sockets.add(raw);
      raw.on('close', () => sockets.delete(raw));
      raw.on('error', () => {});
      const h = await acceptProxyHeader(raw, { timeoutMs: 3000 });
      origin.headers.push(h);
      if (h.kind === 'closed') return;
      const s = new TLSSocket(raw, { isServer: true, key: pem, cert: pem });
      s.on('secure', () => serve(s, h.kind === 'proxy' ? h.addresses.srcPort : undefined));
      s.on('error', () => {});
    });
  } else {
    const tls = createTlsServer({ key: pem, cert: pem }, serve);
    tls.on('tlsClientError', () => {});
    tls.on('connection', (raw: Socket) => {
      sockets.add(raw);
      raw.on('close', () => sockets.delete(raw));
    });
    server = tls;
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin.port = (server.address() as AddressInfo).port;
  origin.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return origin;
}

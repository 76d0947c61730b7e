// Live pieces for the logging differential tests: a small HTTP origin, a TCP sink, a UDP
// syslog listener, raw clients that count bytes both ways, and the real HAProxy started on a
// config. Loopback only; everything is bounded in time and closed by the caller.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The response head every `/ok` answer carries (after Date/Connection, which Node adds). */
export const ORIGIN_OK_HEADERS: [string, string][] = [['Content-Type', 'text/plain'], ['X-Srv', 'o1'], ['Set-Cookie', 'SID=abc123; Path=/']];
export const ORIGIN_404_HEADERS: [string, string][] = [['Content-Type', 'text/plain'], ['X-Srv', 'o1']];

/** `/missing…` → 404, anything else → 200 with ORIGIN_OK_HEADERS. */
export async function startOrigin(port: number): Promise<HttpServer> {
  const s = createHttpServer((req, res) => {
    req.resume();
    const missing = req.url?.startsWith('/missing');
    res.writeHead(missing ? 404 : 200, Object.fromEntries(missing ? ORIGIN_404_HEADERS : ORIGIN_OK_HEADERS));
    res.end(missing ? 'nope' : 'hello world');
  });
  await new Promise<void>((r) => s.listen(port, '127.0.0.1', r));
  return s;
}

/** A TCP server that reads and never answers. */
export async function startSink(port: number): Promise<Server> {
  const s = createServer((c) => {
    c.on('error', () => {});
    c.resume();
  });
  await new Promise<void>((r) => s.listen(port, '127.0.0.1', r));
  return s;
}

export interface Syslog {
  messages: string[];
  close(): Promise<void>;
}

export async function startSyslog(port: number): Promise<Syslog> {
  const s: UdpSocket = createSocket('udp4');
  const messages: string[] = [];
  s.on('message', (m) => messages.push(m.toString('utf8')));
  await new Promise<void>((r) => s.bind(port, '127.0.0.1', r));
  return { messages, close: () => new Promise<void>((r) => s.close(() => r())) };
}

export interface ClientResult {
  /** The client's local port (%cp). */
  port: number;
  sent: number;
  received: number;
  /** Status of the first response line, when any. */
  status?: number;
  /** Everything received, as Latin-1 text. */
  raw: string;
}

/**
 * Connects, sends `payload`, and closes after `closeAfterMs` (or when the server closes).
 * `halfClose` ends the write side right after sending.
 */
export function rawClient(port: number, payload: string, o: { closeAfterMs?: number; halfClose?: boolean; reset?: boolean } = {}): Promise<ClientResult> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let received = '';
    let localPort = 0;
    const done = (): void => {
      clearTimeout(timer);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      resolve({ port: localPort, sent: Buffer.byteLength(payload), received: Buffer.byteLength(received, 'latin1'), status: m ? Number(m[1]) : undefined, raw: received });
    };
    const timer = setTimeout(() => (o.reset ? s.resetAndDestroy() : s.destroy()), o.closeAfterMs ?? 3000);
    s.setEncoding('latin1');
    s.on('connect', () => {
      localPort = s.localPort ?? 0;
      if (payload) s.write(payload);
      if (o.halfClose) s.end();
    });
    s.on('data', (d: string) => (received += d));
    s.on('error', () => {});
    s.on('close', done);
  });
}

export interface Haproxy {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `haproxy -db -f cfg` and waits until `readyPort` accepts connections (bounded). */
export async function startHaproxy(config: string, readyPort: number): Promise<Haproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'haplo-log-'));
  writeFileSync(join(dir, 'h.cfg'), config);
  const child = spawn('haproxy', ['-db', '-f', 'h.cfg'], { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, sleep(3000).then(() => child.kill('SIGKILL'))]);
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) break;
    const ok = await new Promise<boolean>((r) => {
      const s = connect(readyPort, '127.0.0.1', () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return { child, output: () => out, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`haproxy did not start:\n${out}`);
}

export interface ParsedResponse {
  startLine: [string, string, string];
  headers: [string, string][];
  bodyLength: number;
  chunked: boolean;
}

/** Reads an HTTP/1 response as received (chunked bodies decoded to count their payload). */
export function parseResponse(raw: string): ParsedResponse | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [line, ...rest] = raw.slice(0, end).split('\r\n');
  const m = /^(\S+) (\d{3}) ?(.*)$/.exec(line!);
  if (!m) return undefined;
  const headers = rest.map((h) => [h.slice(0, h.indexOf(':')), h.slice(h.indexOf(':') + 1).trim()] as [string, string]);
  const chunked = headers.some(([n, v]) => n.toLowerCase() === 'transfer-encoding' && /chunked/i.test(v));
  let body = raw.slice(end + 4);
  let bodyLength = body.length;
  if (chunked) {
    bodyLength = 0;
    for (;;) {
      const eol = body.indexOf('\r\n');
      if (eol < 0) break;
      const size = parseInt(body.slice(0, eol), 16);
      if (!(size > 0)) break;
      bodyLength += size;
      body = body.slice(eol + 2 + size + 2);
    }
  }
  return { startLine: [m[1]!, m[2]!, m[3]!], headers, bodyLength, chunked };
}

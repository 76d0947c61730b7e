// Helpers for the `haplo run` end-to-end tests: a proxy process started in-process on a config
// text, loopback origins (node:http or raw node:net), free ports, and a raw client that sends
// exact bytes and collects what comes back. Everything is on 127.0.0.1 and closed by `stop()`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../packages/proxy/src/config/load-config.js';
import { defaultProcessOptions } from '../../packages/proxy/src/process/defaults.js';
import { ProxyProcess, type ListenerInfo } from '../../packages/proxy/src/process/proxy-process.js';
import { freePort, freeRange } from '../support/ports.js';

export interface RunningProxy {
  proc: ProxyProcess;
  listeners: ListenerInfo[];
  stop(): Promise<void>;
}

/** Loads `text` as a configuration file and starts serving it. */
export async function startProxy(text: string): Promise<RunningProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'haplo-run-'));
  writeFileSync(join(dir, 'haproxy.cfg'), text);
  const loaded = loadConfig({ files: ['haproxy.cfg'], cwd: dir, env: {} });
  if (!loaded.ok) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(loaded.kind === 'misuse' ? loaded.message : loaded.diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('\n'));
  }
  const proc = new ProxyProcess(loaded.config, defaultProcessOptions());
  const listeners = await proc.start();
  return {
    proc,
    listeners,
    async stop() {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP port free right now (for bind lines, which need a number): see test/support/ports.ts. */
export { freePort };

/** Several distinct free ports. */
export async function freePorts(n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) {
    const p = await freePort();
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** `count` consecutive free ports (for a `bind :A-B` range): see test/support/ports.ts. */
export { freeRange };

/** What an origin saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  /** Header names lower-cased, as node:http gives them, with the raw names alongside. */
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body: Buffer;
  /** The client port of the connection it came on (to count connections). */
  remotePort: number;
}

export interface HttpOrigin {
  port: number;
  name: string;
  seen: SeenRequest[];
  connections: number;
  server: HttpServer;
  close(): Promise<void>;
}

export type OriginHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A node:http origin; by default answers 200 `hello from NAME` with `x-origin: NAME`. */
export async function startHttpOrigin(name: string, handler?: OriginHandler, options: { readBody?: boolean } = {}): Promise<HttpOrigin> {
  const origin = { name, seen: [] as SeenRequest[], connections: 0 } as HttpOrigin;
  const server = createHttpServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    const record = (body: Buffer): void => {
      origin.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body, remotePort: req.socket.remotePort ?? 0 });
    };
    if (options.readBody === false) {
      record(Buffer.alloc(0));
      (handler ?? defaultAnswer(name))(req, res, Buffer.alloc(0));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      record(body);
      (handler ?? defaultAnswer(name))(req, res, body);
    });
  });
  server.on('connection', () => origin.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin.server = server;
  origin.port = (server.address() as AddressInfo).port;
  origin.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return origin;
}

function defaultAnswer(name: string): OriginHandler {
  return (_req, res) => {
    const body = `hello from ${name}`;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), 'x-origin': name });
    res.end(body);
  };
}

/** A raw TCP origin whose connection handler is given the socket (for exact bytes on the wire). */
export async function startRawOrigin(onConnection: (socket: Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    onConnection(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A raw client connection that records everything it receives and when it closes. */
export class RawClient {
  readonly socket: Socket;
  received = Buffer.alloc(0);
  closed = false;
  ended = false;
  private waiters: (() => void)[] = [];

  constructor(port: number, host = '127.0.0.1') {
    this.socket = connect({ port, host, allowHalfOpen: true });
    this.socket.on('data', (d: Buffer) => {
      this.received = Buffer.concat([this.received, d]);
      this.wake();
    });
    this.socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    this.socket.on('error', () => {});
  }

  get text(): string {
    return this.received.toString('latin1');
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.readyState === 'open') return resolve();
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Waits until `test` holds (checked on each arrival), or rejects after `ms`. */
  until(test: (c: RawClient) => boolean, ms = 5000, what = 'condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`timed out waiting for ${what}; received so far: ${JSON.stringify(this.text.slice(0, 400))}`));
      }, ms);
      const check = (): void => {
        if (!test(this)) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
      check();
    });
  }

  /** Waits for `n` complete responses with Content-Length bodies (or bodiless ones). */
  untilResponses(n: number, ms = 5000): Promise<void> {
    return this.until((c) => parseResponses(c.received).length >= n, ms, `${n} responses`);
  }

  untilClosed(ms = 5000): Promise<void> {
    return this.until((c) => c.closed || c.ended, ms, "close");
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

export interface ParsedResponse {
  status: number;
  reason: string;
  /** Names lower-cased. */
  headers: [string, string][];
  body: Buffer;
}

/** Splits raw bytes into complete responses (Content-Length or bodiless; 1xx included). */
export function parseResponses(raw: Buffer): ParsedResponse[] {
  const out: ParsedResponse[] = [];
  let off = 0;
  for (;;) {
    const end = raw.indexOf('\r\n\r\n', off, 'latin1');
    if (end < 0) return out;
    const lines = raw.subarray(off, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[0]!);
    if (!m) return out;
    const headers = lines.slice(1).map((l): [string, string] => {
      const i = l.indexOf(':');
      return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()];
    });
    const status = Number(m[1]);
    const cl = headers.find(([n]) => n === 'content-length');
    const length = status < 200 || status === 204 || status === 304 ? 0 : cl ? Number(cl[1]) : 0;
    if (raw.length < end + 4 + length) return out;
    out.push({ status, reason: m[2]!, headers, body: raw.subarray(end + 4, end + 4 + length) });
    off = end + 4 + length;
  }
}

export function header(r: ParsedResponse, name: string): string | undefined {
  return r.headers.find(([n]) => n === name)?.[1];
}

/** One request on a new connection; resolves with the parsed response and whether the proxy closed. */
export async function oneRequest(port: number, request: string, ms = 5000): Promise<{ response: ParsedResponse; client: RawClient }> {
  const c = new RawClient(port);
  await c.ready();
  c.send(request);
  await c.untilResponses(1, ms);
  return { response: parseResponses(c.received)[0]!, client: c };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

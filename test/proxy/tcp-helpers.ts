// Helpers for the mode tcp tests: a config compiled into a ProxyContext (the real upstream
// layer, settings read like the process does) served by serveTcp on a loopback port, small
// origins (echo, banner, sink, TLS), a client that collects everything it receives, and the
// real HAProxy 2.6 started on a config for differential tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { checkSources } from '@haplo/parser';
import { compilePipeline, type CompiledProxy } from '@haplo/sim';
import { globalSettings } from '../../packages/proxy/src/config/global-settings.js';
import { proxySettings } from '../../packages/proxy/src/config/proxy-settings.js';
import type { ProxyContext, ProxySettings } from '../../packages/proxy/src/process/types.js';
import { serveTcp } from '../../packages/proxy/src/session/tcp-session.js';
import { createUpstreams } from '../../packages/proxy/src/upstream/index.js';
import { freePort } from '../support/ports.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Compiles `text` (errors throw) into a ProxyContext on the real clock. */
export function contextOf(text: string): ProxyContext {
  const r = checkSources([{ path: 't.cfg', text }], {});
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('\n'));
  const pipeline = compilePipeline(r.model);
  if (pipeline.problems.length) throw new Error(pipeline.problems.map((p) => p.message).join('\n'));
  const runtime = pipeline.createRuntime({ now: Date.now, random: Math.random });
  const cache = new Map<CompiledProxy, ProxySettings>();
  const settings = (p: CompiledProxy): ProxySettings => {
    let s = cache.get(p);
    if (!s) cache.set(p, (s = proxySettings(p.model)));
    return s;
  };
  return { pipeline, runtime, settings, global: globalSettings(r.model), now: Date.now, upstreams: createUpstreams(pipeline, runtime, { settings }) };
}

export interface TcpProxy {
  port: number;
  cx: ProxyContext;
  close(): Promise<void>;
}

/** Serves frontend `fe` (default: the first) of `text` with serveTcp on 127.0.0.1:0. */
export async function startTcpProxy(text: string, frontend?: string): Promise<TcpProxy> {
  const cx = contextOf(text);
  const fe = frontend ? cx.pipeline.frontends.find((f) => f.name === frontend)! : cx.pipeline.frontends[0]!;
  const sockets = new Set<Socket>();
  // As the listener does: accepted paused, Nagle off.
  const server = createServer({ pauseOnConnect: true, noDelay: true }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    serveTcp(s, fe, cx);
  });
  const port = await listen(server);
  return {
    port,
    cx,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      cx.upstreams.close();
    },
  };
}

function listen(server: Server | TlsServer, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export interface Origin {
  port: number;
  /** Connections accepted so far. */
  accepted: number;
  close(): Promise<void>;
}

/** A TCP origin; `handle` gets each (half-open capable) connection. */
export async function startOrigin(handle: (s: Socket) => void): Promise<Origin> {
  const sockets = new Set<Socket>();
  const origin = { accepted: 0 } as Origin;
  const server = createServer({ allowHalfOpen: true }, (s) => {
    origin.accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    handle(s);
  });
  origin.port = await listen(server);
  origin.close = () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return origin;
}

/** Echoes every byte, prefixed once by `tag` (when given); FIN after the client's FIN. */
export const echo = (tag = '') => (s: Socket): void => {
  if (tag) s.write(tag);
  s.on('data', (d) => s.write(d));
  s.on('end', () => s.end());
};

/** Speaks first: writes `banner` on connect, then echoes. */
export const banner = (text: string) => (s: Socket): void => {
  s.write(text);
  s.on('data', (d) => s.write(d));
  s.on('end', () => s.end());
};

/** What a client got from one connection. */
export interface Exchange {
  data: Buffer;
  /** The connection was closed (FIN or reset) before `wait` ran out. */
  closed: boolean;
  /** A reset or other error was seen. */
  error?: string;
  /** ms from connect to close (or to the end of the wait). */
  ms: number;
}

export interface ClientOptions {
  port: number;
  /** Written on connect, in order, with `gap` ms between them. */
  send?: (string | Buffer)[];
  gap?: number;
  /** Shut the write side after sending. */
  end?: boolean;
  /** Give up (and destroy) after this many ms. */
  wait?: number;
  /** Resolve as soon as this many bytes arrived (then destroy). */
  expect?: number;
  localAddress?: string;
}

/** Connects, sends, collects what comes back until close, `expect` bytes or `wait` ms. */
export function exchange(o: ClientOptions): Promise<Exchange> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const chunks: Buffer[] = [];
    let got = 0;
    let error: string | undefined;
    let done = false;
    const c = connect({ port: o.port, host: '127.0.0.1', allowHalfOpen: true, localAddress: o.localAddress });
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      c.destroy();
      resolve({ data: Buffer.concat(chunks), closed, error, ms: Date.now() - t0 });
    };
    const timer = setTimeout(() => finish(false), o.wait ?? 3000);
    c.on('connect', async () => {
      for (const [i, part] of (o.send ?? []).entries()) {
        if (i > 0 && o.gap) await sleep(o.gap);
        if (!c.destroyed) c.write(part);
      }
      if (o.end && !c.destroyed) c.end();
    });
    c.on('data', (d) => {
      chunks.push(d);
      got += d.length;
      if (o.expect !== undefined && got >= o.expect) finish(false);
    });
    // Like most clients, answer the server's FIN with ours (half-close tests drive sockets by hand).
    c.on('end', () => c.end());
    c.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    c.on('close', () => finish(true));
  });
}

export const sha256 = (b: Buffer | Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** `n` bytes, deterministic and not periodic (each 64 KiB block is stamped with its index). */
export function bulk(n: number): Buffer {
  const block = Buffer.alloc(65536);
  for (let i = 0; i < block.length; i++) block[i] = (i * 131 + (i >> 8) * 7) & 0xff;
  const out = Buffer.allocUnsafe(n);
  for (let off = 0, k = 0; off < n; off += block.length, k++) {
    block.writeUInt32BE(k, 0);
    block.copy(out, off, 0, Math.min(block.length, n - off));
  }
  return out;
}

let opensslPresent: boolean | undefined;

export function hasOpenssl(): boolean {
  if (opensslPresent === undefined) opensslPresent = spawnSync('openssl', ['version'], { encoding: 'utf8', timeout: 5000 }).status === 0;
  return opensslPresent;
}

export interface Cert {
  key: Buffer;
  cert: Buffer;
}

/** A self-signed certificate for `cn`, made by `openssl req -x509` in a temporary directory. */
export function selfSigned(cn: string): Cert {
  const dir = mkdtempSync(join(tmpdir(), 'haplo-tcp-cert-'));
  try {
    const key = join(dir, 'k.pem');
    const cert = join(dir, 'c.pem');
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${cn}`], { encoding: 'utf8', timeout: 20_000 });
    if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr}`);
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A TLS origin that greets each handshake with `I am <name>\n` and then echoes. */
export async function startTlsOrigin(name: string, cert: Cert): Promise<Origin> {
  const sockets = new Set<Socket>();
  const origin = { accepted: 0 } as Origin;
  const server = createTlsServer({ key: cert.key, cert: cert.cert }, (s) => {
    origin.accepted++;
    s.on('error', () => {});
    s.write(`I am ${name}\n`);
    s.on('data', (d) => s.write(d));
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  origin.port = await listen(server);
  origin.close = () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return origin;
}

/** `openssl s_client -servername <sni>` through `port`: what it printed (stdout), within `ms`. */
export function opensslClient(port: number, sni: string, ms = 5000): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', sni, '-quiet'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) child.kill('SIGKILL');
    });
    child.stderr.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    child.on('error', () => resolve(out));
  });
}

/** A free loopback port: see test/support/ports.ts. */
export { freePort };

export interface RunningHaproxy {
  close(): Promise<void>;
}

/** Starts `haproxy -db -f cfg` and waits until `port` accepts connections. */
export async function startHaproxy(cfg: string, port: number): Promise<RunningHaproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'haplo-tcp-hap-'));
  const file = join(dir, 'h.cfg');
  writeFileSync(file, cfg);
  let log = '';
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const close = async (): Promise<void> => {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const end = Date.now() + 5000;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const c = connect({ port, host: '127.0.0.1' }, () => (c.destroy(), r(true)));
      c.on('error', () => r(false));
    });
    if (ok) {
      // The probe was a real (empty) client: let HAProxy finish serving it before measuring.
      await sleep(150);
      return { close };
    }
    if (child.exitCode !== null || Date.now() > end) {
      await close();
      throw new Error(`haproxy did not start: ${log}`);
    }
    await sleep(20);
  }
}

// Helpers for the `haplo run` signal and reload tests: ports in 15000–15999 (loopback), an origin
// that echoes the header a config sets and can answer late (`/slow/<ms>`), waiting for a line
// in the proxy's output, and a child's exit.
import type { ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { sleep } from './run-harness.js';
import { freePort } from '../support/ports.js';

/** `n` distinct ports free right now on 127.0.0.1 (from test/support/ports.ts). */
export async function portsInRange(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let tries = 0; out.length < n && tries < 500; tries++) {
    const p = await freePort();
    if (out.includes(p)) continue;
    const s = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      s.once('error', () => resolve(false));
      s.listen(p, '127.0.0.1', () => resolve(true));
    });
    if (ok) {
      await new Promise<void>((r) => s.close(() => r()));
      out.push(p);
    }
  }
  if (out.length < n) throw new Error('no free ports in 15000-15999');
  return out;
}

export interface EchoOrigin {
  port: number;
  /** Requests seen, in order: path and the `x-gen` header the proxy set. */
  seen: { path: string; gen: string | undefined; port: number }[];
  /** Connections open to it now (the proxy's pooled and busy ones). */
  open(): number;
  close(): Promise<void>;
}

/** 200 `ok <path>` with `x-seen-gen: <x-gen>`; `/slow/<ms>` answers after that many ms. */
export async function startEchoOrigin(port: number): Promise<EchoOrigin> {
  const seen: EchoOrigin['seen'] = [];
  const sockets = new Set<Socket>();
  const server: HttpServer = createHttpServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    const gen = req.headers['x-gen'] as string | undefined;
    seen.push({ path: req.url ?? '', gen, port: req.socket.remotePort ?? 0 });
    const delay = Number(/^\/slow\/(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
    const answer = (): void => {
      const body = `ok ${req.url}`;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), 'x-seen-gen': gen ?? '' });
      res.end(body);
    };
    req.resume();
    if (delay) setTimeout(answer, delay);
    else answer();
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    seen,
    open: () => sockets.size,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Waits until `read()` contains `text` (polling), or throws with what was read. */
export async function waitForText(read: () => string, text: string | RegExp, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  const has = (): boolean => (typeof text === 'string' ? read().includes(text) : text.test(read()));
  while (!has()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${String(text)} in:\n${read()}`);
    await sleep(20);
  }
}

/** The child's exit code (null and the signal when killed), or undefined if still running after `ms`. */
export function exitOf(child: ChildProcess, ms = 8000): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal });
    });
  });
}

/** A GET with an `x-test` marker, HTTP/1.1 keep-alive. */
export const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`;

// What an idle keep-alive client costs on the server side: nothing. A client holds a server
// connection only while its exchange is in flight; afterwards the connection goes back to the
// server's shared pool (HAProxy's default `http-reuse safe`), which HAProxy's rules bound by
// the most connections in use at once: 2,000 idle clients, asking 250 at a time, leave at most
// 250 server connections open, and their next requests share them.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, parseResponses, RawClient, startProxy, type RunningProxy } from './run-harness.js';

const CLIENTS = 2000;
/** Clients asking at once: the server connections in use at once, what the pool may keep. */
const BATCH = 250;

let origin: Server;
let originPort: number;
const open = new Set<Socket>();
let accepted = 0;
let proxy: RunningProxy;
let port: number;
const clients: RawClient[] = [];

beforeAll(async () => {
  origin = createServer((s) => {
    accepted++;
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => {});
    s.on('data', () => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
  });
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  originPort = (origin.address() as { port: number }).port;
  port = await freePort();
  proxy = await startProxy(`
global
  maxconn 5000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 5s
  timeout http-keep-alive 30s
frontend fe
  bind 127.0.0.1:${port}
  default_backend be
backend be
  server s1 127.0.0.1:${originPort}
`);
}, 20_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await proxy?.stop();
  for (const s of open) s.destroy();
  await new Promise<void>((r) => origin.close(() => r()));
});

async function ask(c: RawClient, n: number): Promise<void> {
  c.send('GET /idle HTTP/1.1\r\nHost: x\r\n\r\n');
  await c.untilResponses(n);
}

describe('idle keep-alive clients and server connections', () => {
  it(`${CLIENTS} idle clients keep at most the connections used at once open`, async () => {
    for (let i = 0; i < CLIENTS; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, CLIENTS - i) }, () => new RawClient(port));
      clients.push(...batch);
      await Promise.all(batch.map((c) => c.ready()));
      await Promise.all(batch.map((c) => ask(c, 1)));
    }
    // Every client got its answer and stays connected (keep-alive), idle.
    expect(clients.every((c) => parseResponses(c.received)[0]?.status === 200)).toBe(true);
    expect(proxy.proc.connections.active).toBe(CLIENTS);
    await new Promise((r) => setTimeout(r, 200));
    expect(open.size).toBeLessThanOrEqual(BATCH);
  }, 60_000);

  it('their next requests share the pooled connections instead of opening new ones', async () => {
    const before = accepted;
    const some = clients.slice(0, 100);
    for (const c of some) await ask(c, 2);
    expect(some.every((c) => parseResponses(c.received)[1]?.status === 200)).toBe(true);
    // One after the other, each second request finds an idle pooled connection.
    expect(accepted - before).toBe(0);
    expect(open.size).toBeLessThanOrEqual(BATCH);
  }, 30_000);
});

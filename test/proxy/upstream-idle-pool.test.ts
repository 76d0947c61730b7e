// The idle pool's order (HAProxy's `http-reuse safe`: a later request takes a never-reused
// connection before a reused one) and the open count a destroyed connection leaves at once
// (HAProxy frees it synchronously; Node's 'close' comes a turn later).
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdlePool } from '../../packages/proxy/src/upstream/idle-pool.js';
import { countClosed, countOpened } from '../../packages/proxy/src/upstream/open-count.js';
import { UpstreamLink } from '../../packages/proxy/src/upstream/upstream-link.js';

let server: Server;
let port: number;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = createServer((s) => s.on('error', () => {}));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

async function link(name: string): Promise<UpstreamLink> {
  const s = createConnection({ host: '127.0.0.1', port });
  sockets.push(s);
  await new Promise((r) => s.once('connect', r));
  return new UpstreamLink(s, 'be', name, () => {});
}

describe('idle pool', () => {
  it('lends never-reused connections before reused ones, each most recent first', async () => {
    const pool = new IdlePool();
    const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map(link));
    pool.put(a!, true);
    pool.put(b!, false);
    pool.put(c!, true);
    pool.put(d!, false);
    expect(pool.safe).toBe(2);
    expect([pool.take(), pool.take(), pool.take(), pool.take()].map((l) => l?.server)).toEqual(['d', 'b', 'c', 'a']);
    expect(pool.take()).toBeUndefined();
    expect(pool.safe).toBe(0);
  });

  it('counts a destroyed connection closed at once, and only once', async () => {
    const counter = { demand: { open: 0 } };
    const l = await link('e');
    countOpened(l.socket, counter);
    expect(counter.demand.open).toBe(1);
    l.destroy();
    expect(counter.demand.open).toBe(0);
    await new Promise((r) => l.socket.once('close', r));
    countClosed(l.socket);
    expect(counter.demand.open).toBe(0);
  });
});

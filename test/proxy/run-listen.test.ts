// Listeners of `haplo run`: every address and port of every `bind` (IPv6, port ranges, several
// binds per frontend), and `maxconn` — over the limit a connection is not served (HAProxy leaves
// it in the kernel's backlog) until another one ends.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort, freePorts, freeRange, oneRequest, parseResponses, RawClient, sleep, startHttpOrigin, startProxy,
  type HttpOrigin, type RunningProxy,
} from './run-harness.js';

let origin: HttpOrigin;
const running: RunningProxy[] = [];

async function serve(text: string): Promise<RunningProxy> {
  const p = await startProxy(text);
  running.push(p);
  return p;
}

const defaults = `
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 5s
`;

async function hasIpv6(): Promise<boolean> {
  const s = createServer();
  const ok = await new Promise<boolean>((resolve) => {
    s.once('error', () => resolve(false));
    s.listen(0, '::1', () => resolve(true));
  });
  if (ok) await new Promise<void>((r) => s.close(() => r()));
  return ok;
}

beforeAll(async () => {
  origin = await startHttpOrigin('o');
});

afterAll(async () => {
  for (const p of running) await p.stop();
  await origin?.close();
});

describe('binds', () => {
  it('listens on every port of a range and on each of several binds', async () => {
    const start = await freeRange(3);
    const [single] = await freePorts(1);
    const p = await serve(`${defaults}
frontend fe
  bind 127.0.0.1:${start}-${start + 2}
  bind 127.0.0.1:${single}
  default_backend be
backend be
  server o 127.0.0.1:${origin.port}
`);
    expect(p.listeners.map((l) => l.address)).toEqual([
      `127.0.0.1:${start}`, `127.0.0.1:${start + 1}`, `127.0.0.1:${start + 2}`, `127.0.0.1:${single}`,
    ]);
    for (const port of [start, start + 1, start + 2, single!]) {
      const { response, client } = await oneRequest(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      client.close();
      expect(response.status).toBe(200);
    }
  });

  it('listens on an IPv6 address', async (t) => {
    if (!(await hasIpv6())) t.skip();
    const port = await freePort('::1');
    const p = await serve(`${defaults}
frontend fe6
  bind [::1]:${port}
  default_backend be
backend be
  server o 127.0.0.1:${origin.port}
`);
    expect(p.listeners[0]!.address).toBe(`[::1]:${port}`);
    const c = new RawClient(port, '::1');
    await c.ready();
    c.send('GET /v6 HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.untilResponses(1);
    expect(parseResponses(c.received)[0]!.status).toBe(200);
    c.close();
  });

  it('refuses to start when an address is already in use, naming it', async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      await expect(startProxy(`${defaults}
frontend fe
  bind 127.0.0.1:${port}
  default_backend be
backend be
  server o 127.0.0.1:${origin.port}
`)).rejects.toThrow(/127\.0\.0\.1:\d+.*address already in use/);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });
});

describe('maxconn', () => {
  it('does not serve a connection over the frontend maxconn until another one ends', async () => {
    const port = await freePort();
    await serve(`${defaults}
frontend fe
  bind 127.0.0.1:${port}
  maxconn 1
  default_backend be
backend be
  server o 127.0.0.1:${origin.port}
`);
    const first = new RawClient(port);
    await first.ready();
    first.send('GET /1 HTTP/1.1\r\nHost: x\r\n\r\n');
    await first.untilResponses(1);

    const second = new RawClient(port);
    await second.ready();
    second.send('GET /2 HTTP/1.1\r\nHost: x\r\n\r\n');
    await sleep(300);
    expect(second.received.length).toBe(0);

    first.close();
    await second.untilResponses(1);
    expect(parseResponses(second.received)[0]!.status).toBe(200);
    second.close();
  });

  it('applies the global maxconn across frontends', async () => {
    const [p1, p2] = await freePorts(2);
    await serve(`
global
  maxconn 1
${defaults}
frontend one
  bind 127.0.0.1:${p1}
  default_backend be
frontend two
  bind 127.0.0.1:${p2}
  default_backend be
backend be
  server o 127.0.0.1:${origin.port}
`);
    const first = new RawClient(p1!);
    await first.ready();
    first.send('GET /1 HTTP/1.1\r\nHost: x\r\n\r\n');
    await first.untilResponses(1);

    const second = new RawClient(p2!);
    await second.ready();
    second.send('GET /2 HTTP/1.1\r\nHost: x\r\n\r\n');
    await sleep(300);
    expect(second.received.length).toBe(0);

    first.close();
    await second.untilResponses(1);
    second.close();
  });
});

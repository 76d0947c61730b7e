// mode tcp timeouts, as observed on HAProxy 2.6: `timeout client`/`server` are inactivity timers
// (bytes written to a side keep it alive too), `timeout tunnel` replaces both once the tunnel is
// up, `timeout client-fin`/`server-fin` apply to a half-closed side when written, and `timeout
// client` also bounds a silent client during content inspection.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { exchange, sleep, startOrigin, startTcpProxy } from './tcp-helpers.js';

const cfg = (port: number, timeouts: string[], fe: string[] = []): string =>
  [
    'defaults', '  mode tcp', '  timeout connect 2s', ...timeouts.map((t) => '  ' + t),
    'frontend fe', '  bind 127.0.0.1:17103', ...fe.map((l) => '  ' + l), '  default_backend be',
    'backend be', `  server s1 127.0.0.1:${port}`, '',
  ].join('\n');

/** A half-open capable client; resolves with what it saw when the proxy closes or resets it. */
function rawClient(port: number): { socket: Socket; result: Promise<{ data: string; fin: number; closed: number }> } {
  const t0 = Date.now();
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let data = '';
  let fin = -1;
  const result = new Promise<{ data: string; fin: number; closed: number }>((resolve) => {
    socket.on('data', (d) => (data += d));
    socket.on('end', () => {
      fin = Date.now() - t0;
      // The proxy closed its side; close ours so the connection ends.
      socket.end();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve({ data, fin, closed: Date.now() - t0 }));
  });
  return { socket, result };
}

/** An origin that accepts and keeps silent (half-open capable: a FIN does not close it). */
const silent = () => startOrigin(() => {});

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(10);
}

describe('tcp timeouts', () => {
  const open: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(x: T): T => (open.push(x), x);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((x) => x.close()));
  });

  it('timeout client closes an idle tunnel', async () => {
    const origin = track(await silent());
    const proxy = track(await startTcpProxy(cfg(origin.port, ['timeout client 300ms', 'timeout server 5s'])));
    const r = await exchange({ port: proxy.port, wait: 4000 });
    expect(r.closed).toBe(true);
    expect(r.ms).toBeGreaterThanOrEqual(280);
    expect(r.ms).toBeLessThan(2500);
  });

  it('timeout tunnel replaces client and server once the tunnel is up', async () => {
    const origin = track(await silent());
    const proxy = track(await startTcpProxy(cfg(origin.port, ['timeout client 150ms', 'timeout server 150ms', 'timeout tunnel 800ms'])));
    const r = await exchange({ port: proxy.port, wait: 4000 });
    expect(r.closed).toBe(true);
    expect(r.ms).toBeGreaterThanOrEqual(750);
  });

  it('bytes flowing to a silent client keep its side alive', async () => {
    const origin = track(await startOrigin((s) => {
      let n = 0;
      const t = setInterval(() => {
        if (++n > 8) {
          clearInterval(t);
          s.end();
        } else s.write('.');
      }, 80);
      s.on('close', () => clearInterval(t));
    }));
    const proxy = track(await startTcpProxy(cfg(origin.port, ['timeout client 250ms', 'timeout server 5s'])));
    const r = await exchange({ port: proxy.port, wait: 4000 });
    expect(r.data.toString()).toBe('........');
    expect(r.closed).toBe(true);
  });

  it('timeout server-fin bounds a server that received our FIN and stays silent', async () => {
    const origin = track(await silent());
    const proxy = track(await startTcpProxy(cfg(origin.port, ['timeout client 5s', 'timeout server 5s', 'timeout server-fin 300ms'])));
    const c = rawClient(proxy.port);
    c.socket.on('connect', () => c.socket.end('bye'));
    const r = await c.result;
    expect(r.fin).toBeGreaterThanOrEqual(280);
    expect(r.fin).toBeLessThan(2500);
  });

  it('timeout client-fin bounds a client that was sent a FIN and stays silent', async () => {
    // Seen from the origin: the tunnel (and so its server connection) closes when client-fin runs out.
    let openedAt = 0;
    let closedAfter = -1;
    const origin = track(await startOrigin((s) => {
      openedAt = Date.now();
      s.end('done');
      s.on('close', () => (closedAfter = Date.now() - openedAt));
    }));
    const proxy = track(await startTcpProxy(cfg(origin.port, ['timeout client 5s', 'timeout server 5s', 'timeout client-fin 300ms'])));
    const socket = connect({ port: proxy.port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => {});
    let data = '';
    socket.on('data', (d) => (data += d));
    await until(() => closedAfter >= 0, 4000);
    socket.destroy();
    expect(data).toBe('done');
    expect(closedAfter).toBeGreaterThanOrEqual(280);
    expect(closedAfter).toBeLessThan(2500);
  });

  it('without client-fin a half-closed client keeps timeout tunnel', async () => {
    const origin = track(await silent());
    const proxy = track(await startTcpProxy(cfg(origin.port, ['timeout client 5s', 'timeout server 5s', 'timeout tunnel 600ms'])));
    const c = rawClient(proxy.port);
    c.socket.on('connect', () => c.socket.end('bye'));
    const r = await c.result;
    expect(r.fin).toBeGreaterThanOrEqual(560);
    expect(r.fin).toBeLessThan(3000);
  });

  it('timeout client bounds a silent client during content inspection', async () => {
    const origin = track(await silent());
    const proxy = track(await startTcpProxy(cfg(origin.port, ['timeout client 300ms', 'timeout server 5s'], [
      'tcp-request inspect-delay 3s',
      'tcp-request content accept if { req.len gt 0 }',
    ])));
    const r = await exchange({ port: proxy.port, wait: 4000 });
    expect(r.closed).toBe(true);
    expect(r.ms).toBeGreaterThanOrEqual(280);
    expect(r.ms).toBeLessThan(2000);
    await sleep(20);
    expect(origin.accepted).toBe(0);
  });
});

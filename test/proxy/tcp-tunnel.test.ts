// mode tcp without content rules: the tunnel. Echo both ways, a 50 MB transfer each way intact,
// half-close, server-speaks-first, a refused server, resets, and the byte counts end() records.
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { findEntry, readData, str } from '@haplo/sim';
import { banner, bulk, echo, exchange, sha256, sleep, startOrigin, startTcpProxy } from './tcp-helpers.js';

const cfg = (port: number, fe: string[] = [], be: string[] = []): string =>
  [
    'defaults', '  mode tcp', '  timeout connect 2s', '  timeout client 10s', '  timeout server 10s',
    'frontend fe', '  bind 127.0.0.1:17100', ...fe.map((l) => '  ' + l), '  default_backend be',
    'backend be', ...be.map((l) => '  ' + l), `  server s1 127.0.0.1:${port}`, '',
  ].join('\n');

describe('tcp tunnel', () => {
  const open: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(x: T): T => (open.push(x), x);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((x) => x.close()));
  });

  it('echoes bytes both ways over several round trips', async () => {
    const origin = track(await startOrigin(echo()));
    const proxy = track(await startTcpProxy(cfg(origin.port)));
    const r = await exchange({ port: proxy.port, send: ['one ', 'two ', 'three'], gap: 20, end: true });
    expect(r.data.toString()).toBe('one two three');
    expect(r.closed).toBe(true);
    expect(r.error).toBeUndefined();
  });

  it('carries 50 MB from client to server intact (checksum)', async () => {
    let digest = '';
    let size = 0;
    const origin = track(await startOrigin((s) => {
      const h = createHash('sha256');
      s.on('data', (d) => {
        size += d.length;
        h.update(d);
      });
      s.on('end', () => {
        digest = h.digest('hex');
        s.end(digest);
      });
    }));
    const proxy = track(await startTcpProxy(cfg(origin.port)));
    const payload = bulk(50 * 1024 * 1024);
    const r = await exchange({ port: proxy.port, send: [payload], end: true, wait: 25_000 });
    expect(size).toBe(payload.length);
    expect(digest).toBe(sha256(payload));
    expect(r.data.toString()).toBe(digest);
  }, 30_000);

  it('carries 50 MB from server to client intact (checksum)', async () => {
    const payload = bulk(50 * 1024 * 1024);
    const origin = track(await startOrigin((s) => s.end(payload)));
    const proxy = track(await startTcpProxy(cfg(origin.port)));
    const r = await exchange({ port: proxy.port, wait: 25_000 });
    expect(r.data.length).toBe(payload.length);
    expect(sha256(r.data)).toBe(sha256(payload));
    expect(r.closed).toBe(true);
  }, 30_000);

  it('half-close: the client shuts its write side and still receives the reply', async () => {
    const origin = track(await startOrigin((s) => {
      let got = '';
      s.on('data', (d) => (got += d));
      // Answer only after the client's FIN reached the server, and after a pause.
      s.on('end', () => setTimeout(() => s.end(`got ${got}`), 100));
    }));
    const proxy = track(await startTcpProxy(cfg(origin.port)));
    const r = await exchange({ port: proxy.port, send: ['question'], end: true });
    expect(r.data.toString()).toBe('got question');
    expect(r.closed).toBe(true);
  });

  it('half-close the other way: the server shuts first, the client keeps sending', async () => {
    let received = '';
    const origin = track(await startOrigin((s) => {
      s.end('bye\n');
      s.on('data', (d) => (received += d));
    }));
    const proxy = track(await startTcpProxy(cfg(origin.port)));
    const c = connect({ port: proxy.port, host: '127.0.0.1', allowHalfOpen: true });
    const got = await new Promise<string>((resolve) => {
      let data = '';
      c.on('data', (d) => (data += d));
      c.on('end', () => resolve(data));
    });
    expect(got).toBe('bye\n');
    c.end('still here');
    await new Promise((r) => c.on('close', r));
    await waitFor(() => received === 'still here');
  });

  it('server speaks first: the banner arrives without the client sending anything', async () => {
    const origin = track(await startOrigin(banner('220 ready\r\n')));
    const proxy = track(await startTcpProxy(cfg(origin.port)));
    const r = await exchange({ port: proxy.port, expect: 11 });
    expect(r.data.toString()).toBe('220 ready\r\n');
  });

  it('closes the client when the server refuses the connection', async () => {
    const origin = await startOrigin(echo());
    const port = origin.port;
    await origin.close();
    const proxy = track(await startTcpProxy(cfg(port, [], ['retries 1'])));
    const r = await exchange({ port: proxy.port, send: ['hello'], wait: 5000 });
    expect(r.closed).toBe(true);
    expect(r.data.length).toBe(0);
  });

  it('a client reset mid-stream closes the server side and leaves other connections alone', async () => {
    const serverClosed: boolean[] = [];
    const origin = track(await startOrigin((s) => {
      s.on('data', (d) => s.write(d));
      s.on('end', () => s.end());
      s.on('close', () => serverClosed.push(true));
    }));
    const proxy = track(await startTcpProxy(cfg(origin.port)));
    const other = connect({ port: proxy.port, host: '127.0.0.1' });
    await once(other, 'connect');
    const bad = connect({ port: proxy.port, host: '127.0.0.1' });
    await once(bad, 'connect');
    bad.write(Buffer.from([0, 255, 13, 10, 0x16, 3, 1]));
    await sleep(50);
    bad.resetAndDestroy();
    await waitFor(() => serverClosed.length === 1);
    other.write('alive');
    const [d] = (await once(other, 'data')) as [Buffer];
    expect(d.toString()).toBe('alive');
    other.destroy();
  });

  it('queues a connection while the server is at maxconn and serves it when the slot frees', async () => {
    const origin = track(await startOrigin(echo()));
    const text = cfg(origin.port, [], ['timeout queue 5s']).replace(`server s1 127.0.0.1:${origin.port}`, `server s1 127.0.0.1:${origin.port} maxconn 1`);
    const proxy = track(await startTcpProxy(text));
    const first = connect({ port: proxy.port, host: '127.0.0.1' });
    first.write('first');
    expect(((await once(first, 'data')) as [Buffer])[0].toString()).toBe('first');
    const second = exchange({ port: proxy.port, send: ['second'], expect: 6, wait: 4000 });
    await sleep(200);
    expect(origin.accepted).toBe(1);
    first.end();
    const r = await second;
    expect(r.data.toString()).toBe('second');
    expect(origin.accepted).toBe(2);
  });

  it('closes a queued connection when timeout queue runs out', async () => {
    const origin = track(await startOrigin(echo()));
    const text = cfg(origin.port, [], ['timeout queue 300ms']).replace(`server s1 127.0.0.1:${origin.port}`, `server s1 127.0.0.1:${origin.port} maxconn 1`);
    const proxy = track(await startTcpProxy(text));
    const first = connect({ port: proxy.port, host: '127.0.0.1' });
    first.write('first');
    await once(first, 'data');
    const r = await exchange({ port: proxy.port, send: ['second'], wait: 3000 });
    expect(r.closed).toBe(true);
    expect(r.data.length).toBe(0);
    expect(r.ms).toBeGreaterThanOrEqual(250);
    expect(origin.accepted).toBe(1);
    first.destroy();
  });

  it('records bytes in and out on tracked counters when the connection ends', async () => {
    const origin = track(await startOrigin((s) => {
      s.on('data', () => {});
      s.on('end', () => s.end('x'.repeat(1000)));
    }));
    const text = cfg(origin.port, ['tcp-request connection track-sc0 src', 'stick-table type ip size 10 store bytes_in_cnt,bytes_out_cnt']);
    const proxy = track(await startTcpProxy(text));
    const r = await exchange({ port: proxy.port, send: ['y'.repeat(300)], end: true });
    expect(r.data.length).toBe(1000);
    await sleep(50);
    const rt = proxy.cx.runtime;
    const entry = findEntry(rt, rt.table('fe')!, str('127.0.0.1'));
    expect(entry).toBeDefined();
    expect(readData(rt.table('fe')!, entry!, 'bytes_in_cnt', Date.now())).toBe(300);
    expect(readData(rt.table('fe')!, entry!, 'bytes_out_cnt', Date.now())).toBe(1000);
  });
});

function once(s: Socket, event: string): Promise<unknown[]> {
  return new Promise((resolve) => s.once(event, (...a: unknown[]) => resolve(a)));
}

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}


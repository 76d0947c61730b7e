// Faults around `haplo run` (issue 5): an origin that refuses, hangs, or resets before or during
// its response; a client that aborts an upload or sends its headers too slowly; a server that
// flaps under health checks while traffic flows. Each fault gets HAProxy's answer (503 after the
// retries, 504, 502, a truncated response, 408) and no good request is lost, on this connection
// or any other. Loopback only; every server and process is stopped after.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHaploRun, type RunningHaplo } from '../support/haplo-run.js';
import { portBlock } from '../support/ports.js';

const BASE = portBlock(31);
const PORT = {
  proxy: BASE, refuse: BASE + 1, hang: BASE + 2, resetHead: BASE + 3, resetBody: BASE + 4, good: BASE + 5,
  upload: BASE + 6, flapA: BASE + 7, flapB: BASE + 8, slow: BASE + 9,
};
// Nothing listens on this port: connections to it are refused.
const CLOSED = BASE + 30;

const config = `global
    maxconn 1000
defaults
    mode http
    timeout connect 200ms
    timeout client 2s
    timeout server 300ms
    timeout http-request 300ms
    retries 2
frontend fe
    bind 127.0.0.1:${PORT.proxy}
    use_backend refuse if { path_beg /refuse }
    use_backend hang if { path_beg /hang }
    use_backend reset_head if { path_beg /reset-head }
    use_backend reset_body if { path_beg /reset-body }
    use_backend upload if { path_beg /upload }
    use_backend flap if { path_beg /flap }
    default_backend good
backend refuse
    server r 127.0.0.1:${CLOSED}
backend hang
    server h 127.0.0.1:${PORT.hang}
backend reset_head
    server rh 127.0.0.1:${PORT.resetHead}
backend reset_body
    server rb 127.0.0.1:${PORT.resetBody}
backend good
    server g 127.0.0.1:${PORT.good}
backend upload
    timeout server 2s
    server u 127.0.0.1:${PORT.upload}
backend flap
    option redispatch
    retries 3
    balance roundrobin
    server a 127.0.0.1:${PORT.flapA} check inter 50 fall 1 rise 1
    server b 127.0.0.1:${PORT.flapB} check inter 50 fall 1 rise 1
`;

interface Answer { status: number | null; raw: string; closed: boolean }

/** Writes `chunks` (with `gapMs` between them) and collects everything until the server closes or `waitMs` pass. */
function exchange(chunks: (string | Buffer)[], o: { gapMs?: number; waitMs?: number; endAfter?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const s = connect(PORT.proxy, '127.0.0.1');
    const got: Buffer[] = [];
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      const raw = Buffer.concat(got).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
      s.destroy();
      resolve({ status: m ? Number(m[1]) : null, raw, closed });
    };
    const timer = setTimeout(finish, o.waitMs ?? 3000);
    s.on('data', (d) => got.push(d));
    s.on('close', () => { closed = true; finish(); });
    s.on('error', () => undefined);
    s.on('connect', async () => {
      for (const c of chunks) {
        s.write(c);
        if (o.gapMs) await new Promise((r) => setTimeout(r, o.gapMs));
      }
    });
  });
}

const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nhost: t\r\n${extra}\r\n`;
const ok = (body: string) => `HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n${body}`;

const servers: Server[] = [];
let flapB: Server | undefined;
let haplo: RunningHaplo;
let uploadAborted: Promise<number> = Promise.resolve(0);

function listen(port: number, onSocket: (s: Socket) => void): Promise<Server> {
  const srv = createServer((s) => {
    s.on('error', () => undefined);
    onSocket(s);
  });
  return new Promise((res) => srv.listen(port, '127.0.0.1', () => res(srv)));
}

/** Answers every request on the connection with `body` (keep-alive). */
function answering(body: string) {
  return (s: Socket) => {
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      let end: number;
      while ((end = buf.indexOf('\r\n\r\n')) >= 0) {
        buf = buf.slice(end + 4);
        s.write(ok(body));
      }
    });
  };
}

beforeAll(async () => {
  servers.push(await listen(PORT.good, answering('good')));
  servers.push(await listen(PORT.hang, () => undefined));
  servers.push(await listen(PORT.resetHead, (s) => s.once('data', () => s.resetAndDestroy())));
  servers.push(await listen(PORT.resetBody, (s) => s.once('data', () => {
    s.write('HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n' + 'x'.repeat(1000));
    setTimeout(() => s.resetAndDestroy(), 50);
  })));
  let resolveUpload: (n: number) => void = () => undefined;
  uploadAborted = new Promise((r) => (resolveUpload = r));
  servers.push(await listen(PORT.upload, (s) => {
    let received = 0;
    s.on('data', (d) => (received += d.length));
    s.on('close', () => resolveUpload(received));
  }));
  servers.push(await listen(PORT.flapA, answering('a')));
  flapB = await listen(PORT.flapB, answering('b'));
  haplo = await startHaploRun(config, [PORT.proxy]);
});

afterAll(async () => {
  await haplo?.stop();
  for (const s of [...servers, flapB]) s?.close();
});

describe('haplo run under faults', () => {
  it('answers 503 when the server refuses every attempt', async () => {
    const a = await exchange([get('/refuse')]);
    expect(a.status).toBe(503);
  });

  it('answers 504 when the server accepts but never answers within timeout server', async () => {
    const a = await exchange([get('/hang')]);
    expect(a.status).toBe(504);
  });

  it('answers 502 when the server resets before its response', async () => {
    const a = await exchange([get('/reset-head')]);
    expect(a.status).toBe(502);
  });

  it('truncates (closes) when the server resets during the body', async () => {
    const a = await exchange([get('/reset-body')]);
    expect(a.status).toBe(200);
    expect(a.closed).toBe(true);
    const body = a.raw.slice(a.raw.indexOf('\r\n\r\n') + 4);
    expect(body.length).toBeGreaterThan(0);
    expect(body.length).toBeLessThan(100000);
  });

  it('answers 408 to a client whose headers are slower than timeout http-request', async () => {
    const a = await exchange(['GET / HTTP/1.1\r\n', 'host: t\r\n', 'x-slow: 1\r\n', 'x-slow: 2\r\n', 'x-slow: 3\r\n'], { gapMs: 120 });
    expect(a.status).toBe(408);
    expect(a.closed).toBe(true);
  });

  it('survives a client that aborts an upload, and the server sees its connection end', async () => {
    const s = connect(PORT.proxy, '127.0.0.1');
    s.on('error', () => undefined);
    await new Promise((r) => s.on('connect', r));
    s.write('POST /upload HTTP/1.1\r\nhost: t\r\ncontent-length: 1000000\r\n\r\n');
    s.write(Buffer.alloc(64 * 1024, 0x61));
    await new Promise((r) => setTimeout(r, 100));
    s.destroy();
    const received = await uploadAborted;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(1_000_000);
    const after = await exchange([get('/fine')]);
    expect(after.status).toBe(200);
    expect(after.raw.endsWith('good')).toBe(true);
  });

  it('keeps serving other connections while one misbehaves', async () => {
    const [bad, good] = await Promise.all([exchange([get('/hang')]), exchange([get('/x')])]);
    expect(bad.status).toBe(504);
    expect(good.status).toBe(200);
  });

  it('loses no request while a server flaps under health checks (redispatch and retries)', async () => {
    let stopFlapping = false;
    const flapping = (async () => {
      while (!stopFlapping) {
        await new Promise((r) => flapB!.close(r));
        await new Promise((r) => setTimeout(r, 150));
        flapB = await listen(PORT.flapB, answering('b'));
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    const statuses: (number | null)[] = [];
    const end = Date.now() + 1500;
    while (Date.now() < end) statuses.push((await exchange([get('/flap', 'connection: close\r\n')])).status);
    stopFlapping = true;
    await flapping;
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });
});

// `haplo run` and SIGHUP: the configuration is read again from the same file and checked. A good
// one serves new connections at once; a request in flight finishes on the configuration it
// started on, then its keep-alive connection goes on with the new one (never closed); a socket
// whose address stays is kept, new binds open, removed ones close. A broken one is refused with
// its diagnostics, and the old configuration keeps serving. Stick table entries carry over.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { portOpen, startHaploRun, type RunningHaplo } from '../support/haplo-run.js';
import { header, parseResponses, RawClient } from './run-harness.js';
import { exitOf, get, portsInRange, startEchoOrigin, waitForText, type EchoOrigin } from './run-signal-helpers.js';

let origin: EchoOrigin;
let haplo: RunningHaplo | undefined;
let ports: number[];

interface Variant {
  gen: string;
  binds: number[];
  /** Lines added to the frontend. */
  extra?: string[];
}

const config = (v: Variant): string => `global
    maxconn 200
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    timeout http-keep-alive 10s
frontend fe
${v.binds.map((p) => `    bind 127.0.0.1:${p}`).join('\n')}
    http-request set-header x-gen ${v.gen}
${(v.extra ?? []).map((l) => `    ${l}`).join('\n')}
    default_backend be
backend be
    server o1 127.0.0.1:${origin.port}
`;

/** Rewrites the file and sends SIGHUP; resolves once the reload is reported (done or refused). */
async function reload(h: RunningHaplo, text: string, expect: string | RegExp): Promise<void> {
  writeFileSync(h.configFile, text);
  h.child.kill('SIGHUP');
  await waitForText(() => h.stderr(), expect);
}

/** Sends a request on `c` and returns its response (the n-th on that connection). */
async function ask(c: RawClient, path: string, n: number): Promise<ReturnType<typeof parseResponses>[number]> {
  c.send(get(path));
  await c.untilResponses(n, 5000);
  return parseResponses(c.received)[n - 1]!;
}

async function fresh(port: number, path = '/'): Promise<ReturnType<typeof parseResponses>[number]> {
  const c = new RawClient(port);
  await c.ready();
  const r = await ask(c, path, 1);
  c.close();
  return r;
}

beforeAll(async () => {
  const all = await portsInRange(4);
  origin = await startEchoOrigin(all[0]!);
  ports = all.slice(1);
});

afterEach(async () => {
  await haplo?.stop();
  haplo = undefined;
});

afterAll(async () => {
  await origin?.close();
});

describe('haplo run: SIGHUP reload', () => {
  it('serves the next request with the new configuration; a request in flight finishes and its connection moves on', async () => {
    const [p1, p2, p3] = ports as [number, number, number];
    haplo = await startHaploRun(config({ gen: 'one', binds: [p1, p2] }), [p1, p2]);
    const keepAlive = new RawClient(p1);
    await keepAlive.ready();
    expect(header(await ask(keepAlive, '/a', 1), 'x-seen-gen')).toBe('one');
    const busy = new RawClient(p1);
    await busy.ready();
    const seenBefore = origin.seen.length;
    busy.send(get('/slow/300'));
    await waitForText(() => (origin.seen.length > seenBefore ? 'seen' : ''), 'seen');

    await reload(haplo, config({ gen: 'two', binds: [p1, p3] }), 'reloaded configuration (generation 2)');

    expect(header(await fresh(p1), 'x-seen-gen')).toBe('two');
    // The request in flight was sent with the old rules and completes normally...
    await busy.untilResponses(1, 3000);
    const slow = parseResponses(busy.received)[0]!;
    expect(slow.status).toBe(200);
    expect(header(slow, 'x-seen-gen')).toBe('one');
    expect(header(slow, 'connection')).toBeUndefined();
    // ...and the same connections go on with the new ones.
    expect(header(await ask(busy, '/b', 2), 'x-seen-gen')).toBe('two');
    expect(header(await ask(keepAlive, '/c', 2), 'x-seen-gen')).toBe('two');
    expect(keepAlive.closed || keepAlive.ended).toBe(false);
    // Binds: p1 kept, p3 opened, p2 closed.
    expect(header(await fresh(p3), 'x-seen-gen')).toBe('two');
    expect(await portOpen(p2)).toBe(false);
    expect(haplo.stdout()).toContain(`listening on 127.0.0.1:${p3} (frontend fe)`);
    expect(haplo.stdout()).toContain(`no longer listening on 127.0.0.1:${p2}`);
    keepAlive.close();
    busy.close();
  });

  it('refuses a broken configuration, prints its diagnostics and keeps serving the old one', async () => {
    const [p1] = ports as [number];
    haplo = await startHaploRun(config({ gen: 'one', binds: [p1] }), [p1]);
    const keepAlive = new RawClient(p1);
    await keepAlive.ready();
    await ask(keepAlive, '/a', 1);
    const broken = config({ gen: 'two', binds: [p1] }).replace('http-request set-header x-gen two', 'http-request set-header x-gen');
    await reload(haplo, broken, 'reload refused');
    const err = haplo.stderr();
    expect(err).toMatch(/haproxy\.cfg:\d+:\d+: error\[HAP\d+\]: .*set-header/);
    expect(err).toContain('haplo run: reload refused (1 error in the configuration); still serving generation 1');
    expect(header(await fresh(p1), 'x-seen-gen')).toBe('one');
    expect(header(await ask(keepAlive, '/b', 2), 'x-seen-gen')).toBe('one');
    // Fixed, it loads.
    await reload(haplo, config({ gen: 'three', binds: [p1] }), 'reloaded configuration (generation 2)');
    expect(header(await fresh(p1), 'x-seen-gen')).toBe('three');
    keepAlive.close();
  });

  it('refuses a configuration whose new bind cannot be bound, and keeps serving', async () => {
    const [p1, p2] = ports as [number, number];
    haplo = await startHaploRun(config({ gen: 'one', binds: [p1] }), [p1]);
    const squatter = createServer(() => {});
    await new Promise<void>((resolve) => squatter.listen(p2, '127.0.0.1', resolve));
    try {
      await reload(haplo, config({ gen: 'two', binds: [p1, p2] }), 'reload refused');
      expect(haplo.stderr()).toMatch(new RegExp(`reload refused \\(cannot bind 127\\.0\\.0\\.1:${p2} .*address already in use\\); still serving generation 1`));
      expect(header(await fresh(p1), 'x-seen-gen')).toBe('one');
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it('keeps stick table entries across a reload', async () => {
    const [p1] = ports as [number];
    const tracking = ['http-request track-sc0 src table st', 'http-response set-header x-count %[sc_http_req_cnt(0)]'];
    const text = (gen: string): string =>
      config({ gen, binds: [p1], extra: tracking }) + 'backend st\n    stick-table type ip size 100 expire 1m store http_req_cnt\n';
    haplo = await startHaploRun(text('one'), [p1]);
    for (let i = 1; i <= 3; i++) expect(header(await fresh(p1), 'x-count')).toBe(String(i));
    await reload(haplo, text('two'), 'reloaded configuration (generation 2)');
    const r = await fresh(p1);
    expect(header(r, 'x-seen-gen')).toBe('two');
    expect(header(r, 'x-count')).toBe('4');
  });

  it('SIGTERM after reloads still stops at once with status 0', async () => {
    const [p1] = ports as [number];
    haplo = await startHaploRun(config({ gen: 'one', binds: [p1] }), [p1]);
    await reload(haplo, config({ gen: 'two', binds: [p1] }), 'generation 2');
    await reload(haplo, config({ gen: 'three', binds: [p1] }), 'generation 3');
    const c = new RawClient(p1);
    await c.ready();
    await ask(c, '/', 1);
    haplo.child.kill('SIGTERM');
    expect(await exitOf(haplo.child)).toEqual({ code: 0, signal: null });
    await c.untilClosed(2000);
  });
});

// Server selection: balance algorithms, backups, use-server, persistence rules.
import { describe, expect, it } from 'vitest';
import { compileSelection, createContext, createRuntime, type ContextOptions, type Runtime } from '../../packages/sim/src/index.js';
import { model } from './helpers.js';

function setup(lines: string[], now: () => number = () => 0) {
  const m = model(['backend be', '  mode http', ...lines.map((l) => '  ' + l)].join('\n') + '\n');
  const rt = createRuntime(m, { now });
  const sel = compileSelection(m.proxies.find((p) => p.name === 'be')!);
  return { rt, sel, m };
}

function pick(s: ReturnType<typeof setup>, o: ContextOptions = {}) {
  const ctx = createContext({ request: { uri: '/' }, backend: 'be', ...o });
  ctx.runtime = s.rt;
  const r = s.sel(ctx, s.rt);
  return { r, ctx };
}

function seq(s: ReturnType<typeof setup>, n: number, o: (i: number) => ContextOptions = () => ({})): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const { r, ctx } = pick(s, o(i));
    out.push(r.server ?? '-');
    // each request is served and finished before the next, as in the differential test
    if (r.server) s.rt.beginConnection(ctx, 'be', r.server);
    s.rt.endConnection(ctx);
  }
  return out.join(' ');
}

const servers = (ws: number[], extra = '') => ws.map((w, i) => `server ${String.fromCharCode(97 + i)} 127.0.0.1:${8000 + i} weight ${w}${extra}`);

describe('roundrobin', () => {
  it.each([
    [[3, 1, 2], 'a c a b a c a c a b a c'],
    [[1, 1, 1], 'a b c a b c a b c a b c'],
    [[2, 1], 'a a b a a b a a b a a b'],
  ])('weights %j give HAProxy observed order', (ws, expected) => {
    expect(seq(setup(['balance roundrobin', ...servers(ws)]), 12)).toBe(expected);
  });

  it('skips a DOWN server and takes it back', () => {
    const s = setup(['balance roundrobin', ...servers([1, 1, 1])]);
    expect(seq(s, 3)).toBe('a b c');
    s.rt.setServerState('be', 'b', 'DOWN');
    expect(seq(s, 4)).not.toContain('b');
    s.rt.setServerState('be', 'b', 'UP');
    expect(seq(s, 6).split(' ').filter((x) => x === 'b').length).toBe(2);
  });

  it('a weight change applies at run time', () => {
    const s = setup(['balance roundrobin', ...servers([1, 1])]);
    seq(s, 2);
    s.rt.setWeight('be', 'a', 3);
    const picks = seq(s, 40).split(' ');
    expect(picks.filter((x) => x === 'a').length).toBeGreaterThanOrEqual(28);
  });

  it('weight 0 servers are left out', () => {
    expect(seq(setup(['balance roundrobin', ...servers([1, 0, 1])]), 4)).toBe('a c a c');
  });

  it('disabled servers start in maintenance', () => {
    expect(seq(setup(['balance roundrobin', 'server a 127.0.0.1:1 disabled', 'server b 127.0.0.1:2']), 3)).toBe('b b b');
  });
});

describe('static-rr', () => {
  it('weights 3/1/2 give HAProxy observed order', () => {
    expect(seq(setup(['balance static-rr', ...servers([3, 1, 2])]), 12)).toBe('a a c a b c a a c a b c');
  });
});

describe('backup servers', () => {
  it('only the first backup serves', () => {
    expect(seq(setup(['server a 127.0.0.1:1 disabled', 'server b 127.0.0.1:2 backup', 'server c 127.0.0.1:3 backup']), 4)).toBe('b b b b');
  });
  it('option allbackups uses them all', () => {
    expect(seq(setup(['option allbackups', 'server a 127.0.0.1:1 disabled', 'server b 127.0.0.1:2 backup', 'server c 127.0.0.1:3 backup']), 4)).toBe('b c b c');
  });
  it('the reason says backup', () => {
    const s = setup(['server a 127.0.0.1:1 disabled', 'server b 127.0.0.1:2 backup']);
    expect(pick(s).r.reason).toBe('backup');
  });
  it('no usable server gives no server (503)', () => {
    const s = setup(['server a 127.0.0.1:1 disabled']);
    const { r } = pick(s);
    expect(r.server).toBeUndefined();
    expect(r.reason).toBe('none');
  });
});

describe('leastconn and first', () => {
  it('leastconn round-robins among equals and prefers the least loaded', () => {
    const s = setup(['balance leastconn', ...servers([1, 1, 1])]);
    expect(seq(s, 4)).toBe('a b c a');
    const { ctx } = pick(s);
    s.rt.beginConnection(ctx, 'be', 'a');
    expect(seq(s, 3)).toBe('b c b');
    s.rt.endConnection(ctx);
  });
  it('first fills servers by id up to maxconn', () => {
    const s = setup(['balance first', 'server a 127.0.0.1:1 maxconn 2 id 3', 'server b 127.0.0.1:2 maxconn 1 id 1', 'server c 127.0.0.1:3']);
    const held: ReturnType<typeof pick>[] = [];
    const out: string[] = [];
    for (let i = 0; i < 4; i++) {
      const p = pick(s);
      out.push(p.r.server!);
      s.rt.beginConnection(p.ctx, 'be', p.r.server!);
      held.push(p);
    }
    expect(out.join(' ')).toBe('b c c c'.replace('c c c', 'a a c'));
    for (const p of held) s.rt.endConnection(p.ctx);
    expect(pick(s).r.server).toBe('b');
  });
});

describe('hash algorithms', () => {
  it('source is stable per address and spreads addresses', () => {
    const s = setup(['balance source', ...servers([1, 1, 1])]);
    const a = seq(s, 3, () => ({ src: '10.0.0.1' }));
    expect(new Set(a.split(' ')).size).toBe(1);
    const many = new Set(seq(s, 30, (i) => ({ src: `10.0.0.${i + 1}` })).split(' '));
    expect(many.size).toBe(3);
  });
  it('source: the map index is the XOR of the address words modulo the total weight', () => {
    const s = setup(['balance source', ...servers([1, 1, 1])]);
    // 10.0.0.5 = 0x0a000005 → 167772165 % 3 = 0 → a ; 10.0.0.6 → 1 → b
    expect(pick(s, { src: '10.0.0.5' }).r.server).toBe('a');
    expect(pick(s, { src: '10.0.0.6' }).r.server).toBe('b');
  });
  it('uri hashes the path without the query (sdbm modulo the weight)', () => {
    const s = setup(['balance uri', ...servers([1, 1, 1])]);
    const x = pick(s, { request: { uri: '/a?x=1' } }).r.server;
    expect(pick(s, { request: { uri: '/a?x=2' } }).r.server).toBe(x);
    expect(s.sel.balance.algorithm).toBe('uri');
  });
  it('url_param falls back to round robin when the parameter is absent', () => {
    const s = setup(['balance url_param id', ...servers([1, 1, 1])]);
    expect(seq(s, 3, () => ({ request: { uri: '/x' } }))).toBe('a b c');
    const v = seq(s, 3, () => ({ request: { uri: '/x?id=42' } })).split(' ');
    expect(new Set(v).size).toBe(1);
  });
  it('hdr(host) use_domain_only hashes the domain label', () => {
    const s = setup(['balance hdr(host) use_domain_only', ...servers([1, 1, 1])]);
    const a = pick(s, { request: { uri: '/', headers: [['host', 'www.example.com']] } }).r.server;
    const b = pick(s, { request: { uri: '/', headers: [['host', 'img.example.com']] } }).r.server;
    expect(a).toBe(b);
    expect(pick(s, { request: { uri: '/' } }).r.detail).toMatch(/round robin/);
  });
  it('consistent hashing keeps keys when another server leaves', () => {
    const s = setup(['balance uri', 'hash-type consistent', ...servers([1, 1, 1, 1])]);
    const uris = Array.from({ length: 40 }, (_, i) => `/k${i}`);
    const before = uris.map((u) => pick(s, { request: { uri: u } }).r.server);
    s.rt.setServerState('be', 'd', 'MAINT');
    const after = uris.map((u) => pick(s, { request: { uri: u } }).r.server);
    uris.forEach((_, i) => { if (before[i] !== 'd') expect(after[i]).toBe(before[i]); });
    expect(after).not.toContain('d');
  });
  it('hash <expr> uses the sample expression', () => {
    const s = setup(['balance hash req.hdr(x-user)', ...servers([1, 1, 1])]);
    const v = seq(s, 3, () => ({ request: { uri: '/', headers: [['x-user', 'bob']] } })).split(' ');
    expect(new Set(v).size).toBe(1);
  });
  it('random is deterministic through ctx.random', () => {
    const s = setup(['balance random', ...servers([1, 1, 1])]);
    expect(seq(s, 6)).toBe(seq(setup(['balance random', ...servers([1, 1, 1])]), 6));
  });
});

describe('use-server and persistence', () => {
  it('use-server wins, a DOWN target is skipped unless option persist', () => {
    const s = setup(['use-server b if { path /b }', ...servers([1, 1])]);
    expect(pick(s, { request: { uri: '/b' } }).r).toMatchObject({ server: 'b', reason: 'use-server' });
    s.rt.setServerState('be', 'b', 'DOWN');
    expect(pick(s, { request: { uri: '/b' } }).r.reason).toBe('balance');
    const p = setup(['option persist', 'use-server b if { path /b }', ...servers([1, 1])]);
    p.rt.setServerState('be', 'b', 'DOWN');
    expect(pick(p, { request: { uri: '/b' } }).r.server).toBe('b');
  });
  it('force-persist sends to a DOWN server', () => {
    const s = setup(['force-persist if { path /f }', 'use-server b if TRUE', ...servers([1, 1])]);
    s.rt.setServerState('be', 'b', 'DOWN');
    expect(pick(s, { request: { uri: '/f' } }).r.server).toBe('b');
    expect(pick(s, { request: { uri: '/g' } }).r.server).toBe('a');
  });
});

export type { Runtime };

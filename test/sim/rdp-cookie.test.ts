// RDP cookies (payload.c fetch_rdp_cookie_name): the req.rdp_cookie / req.rdp_cookie_cnt fetches,
// the RDP_COOKIE predefined ACL, `balance rdp-cookie` (backend.c get_server_rch) and
// `persist rdp-cookie` (tcp_persist_rdp_cookie), on a TCP stream whose request buffer is the body.
import { describe, expect, it } from 'vitest';
import {
  compileSample, compileSelection, createContext, createRuntime, MISS, predefinedAcl, rdpPersistTarget, sampleText, scanRdpCookie,
  type ContextOptions, type StreamContext,
} from '../../packages/sim/src/index.js';
import { model, sampleExpr } from './helpers.js';
import { pipelineOf } from './pipeline-helpers.js';

const enc = new TextEncoder();
/** TPKT (4 bytes) + X.224 connection request header (7 bytes): what the decoder skips unchecked. */
const HDR = '\x03\x00\x00\x2c\x27\xe0\x00\x00\x00\x00\x00';
const bytes = (s: string): Uint8Array => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
const rdp = (cookieLine: string, tail = '\x01\x00\x08\x00\x03\x00\x00\x00'): Uint8Array => bytes(HDR + cookieLine + tail);

/** The fetch's value as text, `<no sample>` or `<miss>`. */
function evalSample(expr: string, ctx: StreamContext): string {
  const o = compileSample(sampleExpr(expr), {}).one(ctx);
  return o === undefined ? '<no sample>' : o === MISS ? '<miss>' : sampleText(o);
}

const tcp = (body: Uint8Array, o: ContextOptions = {}) => createContext({ mode: 'tcp', request: { body }, phase: 'fe-tcp-content', ...o });

describe('scanRdpCookie (fetch_rdp_cookie_name)', () => {
  const found = (v: string) => ({ found: true, value: enc.encode(v) });
  const NONE = { found: false, short: false };
  const SHORT = { found: false, short: true };
  it.each<[string, Uint8Array, string, object]>([
    ['mstshash cookie', rdp('Cookie: mstshash=alice\r\n'), 'mstshash', found('alice')],
    ['name matched case-insensitively', rdp('cookie: MSTSHASH=bob\r\n'), 'mstshash', found('bob')],
    ['several spaces after the colon', rdp('Cookie:    mstshash=x\r\n'), 'mstshash', found('x')],
    ['no space after the colon', rdp('Cookie:mstshash=x\r\n'), 'mstshash', found('x')],
    ['any name when none given', rdp('Cookie: msts=3640205228.15629.0000\r\n'), '', found('3640205228.15629.0000')],
    ['empty value', rdp('Cookie: mstshash=\r\n'), 'mstshash', found('')],
    ['value keeps a bare LF', rdp('Cookie: mstshash=a\nb\r\n'), 'mstshash', found('a\nb')],
    ['value with spaces and =', rdp('Cookie: mstshash=a b=c\r\n'), 'mstshash', found('a b=c')],
    ['other name', rdp('Cookie: msts=1.2.\r\n'), 'mstshash', NONE],
    ['name is a prefix of the cookie name', rdp('Cookie: mstshashx=1\r\n'), 'mstshash', NONE],
    ['not a Cookie: line', rdp('Cooky: mstshash=a\r\n'), 'mstshash', NONE],
    ['CR not followed by LF', rdp('Cookie: mstshash=a\r\x00'), 'mstshash', NONE],
    ['any name: line ends before =', rdp('Cookie: abc\r\n'), '', NONE],
    ['empty buffer', new Uint8Array(0), 'mstshash', SHORT],
    ['11 bytes only', bytes(HDR), 'mstshash', SHORT],
    ['header and 7 bytes', bytes(HDR + 'Cookie:'), 'mstshash', SHORT],
    ['value not terminated', bytes(HDR + 'Cookie: mstshash=abc'), 'mstshash', SHORT],
    ['CR as the last byte', bytes(HDR + 'Cookie: mstshash=abc\r'), 'mstshash', SHORT],
    ['name not complete', bytes(HDR + 'Cookie: mstsh'), 'mstshash', SHORT],
    ['any name: no = yet', bytes(HDR + 'Cookie: abc'), '', SHORT],
  ])('%s', (_what, buf, name, expected) => {
    const r = scanRdpCookie(buf, enc.encode(name));
    expect(r.found ? { found: true, value: r.value } : r).toEqual(expected);
  });
});

describe('req.rdp_cookie / req.rdp_cookie_cnt', () => {
  const buf = rdp('Cookie: mstshash=alice\r\n');
  it.each<[string, Uint8Array, string]>([
    ['req.rdp_cookie', buf, 'alice'],
    ['req.rdp_cookie(mstshash)', buf, 'alice'],
    ['req.rdp_cookie(MSTSHASH)', buf, 'alice'],
    ['rdp_cookie', buf, 'alice'],
    ['req.rdp_cookie(msts)', buf, '<no sample>'],
    ['req.rdp_cookie_cnt', buf, '1'],
    ['req.rdp_cookie_cnt(mstshash)', buf, '1'],
    ['rdp_cookie_cnt(mstshash)', buf, '1'],
    ['req.rdp_cookie_cnt(msts)', buf, '0'],
    ['req.rdp_cookie(msts)', rdp('Cookie: msts=16777226.15629.0000\r\n'), '16777226.15629.0000'],
    ['req.rdp_cookie_cnt', bytes('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), '0'],
    // too short to decide: no sample at all, even for the count
    ['req.rdp_cookie_cnt', new Uint8Array(0), '<no sample>'],
    ['req.rdp_cookie', bytes(HDR + 'Cookie: mstshash=ali'), '<no sample>'],
    ['req.rdp_cookie,upper', buf, 'ALICE'],
  ])('%s', (expr, body, expected) => {
    expect(evalSample(expr, tcp(body))).toBe(expected);
  });

  it('waits (MISS) on a short buffer before the inspect-delay expires', () => {
    expect(evalSample('req.rdp_cookie', tcp(bytes(HDR + 'Cookie'), { final: false }))).toBe('<miss>');
    expect(evalSample('req.rdp_cookie_cnt', tcp(bytes(HDR + 'Cookie'), { final: false }))).toBe('<miss>');
    expect(evalSample('req.rdp_cookie_cnt', tcp(rdp('Cookie: x=1\r\n'), { final: false }))).toBe('1');
  });

  it('finds nothing on an HTTP stream (HTX buffer), whatever its body', () => {
    const ctx = createContext({ request: { method: 'POST', body: rdp('Cookie: mstshash=alice\r\n') } });
    expect(evalSample('req.rdp_cookie', ctx)).toBe('<no sample>');
    expect(evalSample('req.rdp_cookie_cnt', ctx)).toBe('0');
  });

  it('req.len is the raw buffer on a TCP stream', () => {
    expect(evalSample('req.len', tcp(buf))).toBe(String(buf.length));
  });
});

describe('RDP_COOKIE predefined ACL', () => {
  it.each<[string, ContextOptions, string]>([
    ['cookie present', { mode: 'tcp', request: { body: rdp('Cookie: mstshash=a\r\n') } }, 'pass'],
    ['any cookie name counts', { mode: 'tcp', request: { body: rdp('Cookie: foo=a\r\n') } }, 'pass'],
    ['no cookie', { mode: 'tcp', request: { body: rdp('Cooky: mstshash=a\r\n') } }, 'fail'],
    ['empty buffer, final', { mode: 'tcp', request: { body: new Uint8Array(0) } }, 'fail'],
    ['empty buffer, more may come', { mode: 'tcp', request: { body: new Uint8Array(0) }, final: false }, 'miss'],
    ['HTTP stream', { request: { body: rdp('Cookie: mstshash=a\r\n') } }, 'fail'],
  ])('%s → %s', (_what, o, expected) => {
    const acl = predefinedAcl('RDP_COOKIE')!;
    expect(acl).toBeDefined();
    expect(acl.test(createContext({ phase: 'fe-tcp-content', ...o }))).toBe(expected);
  });
});

/** sdbm as backend.c gen_hash computes it (hash-type map-based sdbm, the default). */
function sdbm(s: string): number {
  let h = 0;
  for (const c of enc.encode(s)) h = (c + (h << 6) + (h << 16) - h) >>> 0;
  return h;
}

function setup(lines: string[]) {
  const m = model(['backend be', '  mode tcp', ...lines.map((l) => '  ' + l)].join('\n') + '\n');
  const rt = createRuntime(m);
  const sel = compileSelection(m.proxies.find((p) => p.name === 'be')!);
  const pick = (body: Uint8Array) => {
    const ctx = tcp(body, { backend: 'be' });
    ctx.runtime = rt;
    const r = sel(ctx, rt);
    if (r.server) rt.beginConnection(ctx, 'be', r.server);
    rt.endConnection(ctx);
    return r;
  };
  return { rt, sel, pick };
}

const three = ['server a 10.0.0.1:3389', 'server b 10.0.0.2:3389', 'server c 10.0.0.3:3389'];

describe('balance rdp-cookie', () => {
  it.each<[string, string, string]>([
    ['balance rdp-cookie', 'mstshash', 'alice'],
    ['balance rdp-cookie', 'mstshash', 'bob'],
    ['balance rdp-cookie', 'MstsHash', 'carol'],
    ['balance rdp-cookie(user)', 'user', 'dave'],
    ['balance rdp-cookie(user)', 'user', 'erin'],
  ])('%s with %s=%s picks server sdbm(value) %% 3', (balance, name, value) => {
    const s = setup([balance, ...three]);
    const expected = 'abc'[sdbm(value) % 3];
    const buf = rdp(`Cookie: ${name}=${value}\r\n`);
    for (let i = 0; i < 3; i++) expect(s.pick(buf)).toMatchObject({ server: expected, reason: 'balance' });
    expect(s.pick(buf).detail).toContain(`'${value}'`);
  });

  it('the default name is mstshash', () => {
    expect(setup(['balance rdp-cookie', ...three]).sel.balance.param).toBe('mstshash');
  });

  it.each<[string, Uint8Array]>([
    ['no cookie', rdp('Cooky: mstshash=a\r\n')],
    ['another cookie name', rdp('Cookie: msts=1.2.\r\n')],
    ['an empty value', rdp('Cookie: mstshash=\r\n')],
    ['a buffer too short', bytes(HDR)],
  ])('falls back to round robin on %s', (_what, buf) => {
    const s = setup(['balance rdp-cookie', ...three]);
    const seq = [0, 1, 2, 3].map(() => s.pick(buf));
    expect(seq.map((r) => r.server).join(' ')).toBe('a b c a');
    expect(seq[0]!.detail).toMatch(/absent: round robin/);
  });

  it('hashes through the configured hash-type (consistent: stable across a server leaving)', () => {
    const s = setup(['balance rdp-cookie', 'hash-type consistent', ...three, 'server d 10.0.0.4:3389']);
    const users = Array.from({ length: 30 }, (_, i) => `user${i}`);
    const before = users.map((u) => s.pick(rdp(`Cookie: mstshash=${u}\r\n`)).server);
    expect(new Set(before).size).toBeGreaterThan(1);
    s.rt.setServerState('be', 'd', 'MAINT');
    const after = users.map((u) => s.pick(rdp(`Cookie: mstshash=${u}\r\n`)).server);
    users.forEach((_, i) => { if (before[i] !== 'd') expect(after[i]).toBe(before[i]); });
  });

  it('with one usable server, no hash is needed', () => {
    const s = setup(['balance rdp-cookie', 'server a 10.0.0.1:3389']);
    expect(s.pick(rdp('Cookie: mstshash=z\r\n')).server).toBe('a');
  });
});

describe('persist rdp-cookie', () => {
  // 10.0.0.2 as in_addr read little-endian: 0x0200000a = 33554442; port 3389 = 0x0d3d → 0x3d0d = 15629
  const toB = 'Cookie: msts=33554442.15629.0000\r\n';
  it.each<[string, string[], string, string | undefined]>([
    ['names a server by address and port', ['persist rdp-cookie', 'balance roundrobin', ...three], toB, 'b'],
    ['custom name', ['persist rdp-cookie(tok)', ...three], 'Cookie: tok=33554442.15629.0000\r\n', 'b'],
    ['wrong port', ['persist rdp-cookie', ...three], 'Cookie: msts=33554442.3389.0000\r\n', undefined],
    ['not <addr>.<port>.', ['persist rdp-cookie', ...three], 'Cookie: msts=33554442.15629\r\n', undefined],
    ['no address match', ['persist rdp-cookie', ...three], 'Cookie: msts=1.15629.0000\r\n', undefined],
  ])('%s', (_what, lines, cookie, expected) => {
    const s = setup(lines);
    const r = s.pick(rdp(cookie));
    if (expected) expect(r).toMatchObject({ server: expected, reason: 'rdp-cookie', direct: true });
    else expect(r.reason).toBe('balance');
  });

  it('a stopped server is skipped unless option persist', () => {
    const s = setup(['persist rdp-cookie', ...three]);
    s.rt.setServerState('be', 'b', 'DOWN');
    expect(s.pick(rdp(toB)).reason).toBe('balance');
    const p = setup(['persist rdp-cookie', 'option persist', ...three]);
    p.rt.setServerState('be', 'b', 'DOWN');
    expect(p.pick(rdp(toB))).toMatchObject({ server: 'b', reason: 'rdp-cookie' });
  });

  it('use-server comes first', () => {
    const s = setup(['persist rdp-cookie', 'use-server c if TRUE', ...three]);
    expect(s.pick(rdp(toB))).toMatchObject({ server: 'c', reason: 'use-server' });
  });

  it('parses the cookie as strtoul does', () => {
    expect(rdpPersistTarget(enc.encode('33554442.15629.0000'))).toEqual({ addr: 33554442, port: 3389 });
    expect(rdpPersistTarget(enc.encode(' +33554442.15629.'))).toEqual({ addr: 33554442, port: 3389 });
    expect(rdpPersistTarget(enc.encode('..'))).toEqual({ addr: 0, port: 0 });
    expect(rdpPersistTarget(enc.encode('x.1.'))).toBeUndefined();
  });
});

describe('in a TCP-mode pipeline', () => {
  const cfg = [
    'defaults', '    mode tcp', '    timeout connect 1s', '    timeout client 1s', '    timeout server 1s',
    'listen rdp', '    bind 127.0.0.1:3389', '    tcp-request inspect-delay 5s',
    '    tcp-request content reject if !RDP_COOKIE', '    balance rdp-cookie', ...three.map((l) => '    ' + l), '',
  ].join('\n');
  it('RDP_COOKIE gates the connection and the cookie picks the server', () => {
    const p = pipelineOf(cfg);
    const rt = p.createRuntime();
    // a described body is text (UTF-8 encoded): this header keeps to ASCII so offsets hold
    const ascii = '\x03\x00\x00\x2c\x27\x60\x00\x00\x00\x00\x00';
    const body = ascii + 'Cookie: mstshash=alice\r\n';
    const r = p.run({ dst: '127.0.0.1:3389', body }, rt);
    expect(r.server).toBe('abc'[sdbm('alice') % 3]);
    const again = p.run({ dst: '127.0.0.1:3389', body }, rt);
    expect(again.server).toBe(r.server);
    const rejected = p.run({ dst: '127.0.0.1:3389', body: ascii + 'Cooky: x\r\n' }, rt);
    expect(rejected.server).toBeNull();
    expect(rejected.outcome).not.toBe(r.outcome);
  });
});

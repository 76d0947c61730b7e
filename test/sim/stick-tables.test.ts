// Stick tables: keys, expiry on an injected clock, size purging, stored counters and rates,
// tracking through sc_*/src_* fetches and table_* converters, stick match/store.
import { describe, expect, it } from 'vitest';
import {
  compileSample, compileSelection, createContext, createRuntime, incGpc0, sampleText, setGpt0, str, trackSc, addr, parseAddress,
  type StreamContext,
} from '../../packages/sim/src/index.js';
import { model, sampleExpr } from './helpers.js';

function world(table: string, extra: string[] = []) {
  let t = 0;
  const m = model(['backend st', `  stick-table ${table}`, 'backend be', '  mode http', ...extra.map((l) => '  ' + l), '  server a 127.0.0.1:1', '  server b 127.0.0.1:2'].join('\n') + '\n');
  const rt = createRuntime(m, { now: () => t });
  return { m, rt, at: (ms: number) => { t = ms; }, tick: (ms: number) => { t += ms; } };
}

function stream(rt: ReturnType<typeof createRuntime>, src = '10.0.0.1'): StreamContext {
  const ctx = createContext({ request: { uri: '/' }, src, backend: 'be', phase: 'fe-http-request' });
  ctx.runtime = rt;
  return ctx;
}

const ev = (ctx: StreamContext, expr: string) => sampleText(compileSample(sampleExpr(expr), {}).one(ctx));
const ip = (s: string) => addr(parseAddress(s)!);

describe('tracking and counters', () => {
  it('the first tracked request already reads 1, and counts accumulate', () => {
    const w = world('type ip size 10 expire 30s store http_req_rate(10s),http_req_cnt,conn_cur,conn_cnt,gpc0');
    const c1 = stream(w.rt);
    trackSc(c1, w.rt, 0, 'st', ip('10.0.0.1'), 'http-request');
    expect(ev(c1, 'sc_http_req_rate(0)')).toBe('1');
    expect(ev(c1, 'sc0_http_req_cnt')).toBe('1');
    expect(ev(c1, 'sc0_conn_cur')).toBe('1');
    w.rt.endStream(c1);
    const c2 = stream(w.rt);
    trackSc(c2, w.rt, 0, 'st', ip('10.0.0.1'), 'http-request');
    expect(ev(c2, 'sc0_http_req_rate')).toBe('2');
    expect(ev(c2, 'src_http_req_cnt(st)')).toBe('2');
    expect(ev(c2, 'src_conn_cur(st)')).toBe('1');
    expect(ev(c2, 'sc0_conn_cnt')).toBe('2');
  });

  it('untracked counters and unstored types give no sample; unknown src gives 0', () => {
    const w = world('type ip size 10 store http_req_cnt');
    const c = stream(w.rt);
    expect(ev(c, 'sc0_http_req_cnt')).toBe('');
    expect(ev(c, 'src_http_req_cnt(st)')).toBe('0');
    trackSc(c, w.rt, 1, 'st', ip('10.0.0.1'), 'http-request');
    expect(ev(c, 'sc1_http_req_cnt')).toBe('1');
    expect(ev(c, 'sc1_get_gpc0')).toBe('');
    expect(ev(c, 'sc_tracked(1)')).toBe('1');
    expect(ev(c, 'sc2_tracked')).toBe('0');
  });

  it('a tcp-request track counts the request when countRequest runs', () => {
    const w = world('type ip size 10 store http_req_cnt,sess_cnt');
    const c = stream(w.rt);
    trackSc(c, w.rt, 0, 'st', ip('10.0.0.1'), 'tcp-request connection');
    expect(ev(c, 'sc0_http_req_cnt')).toBe('0');
    expect(ev(c, 'sc0_sess_cnt')).toBe('1');
    w.rt.countRequest(c);
    expect(ev(c, 'sc0_http_req_cnt')).toBe('1');
  });

  it('gpc0: sc-inc-gpc0, sc_inc_gpc0, sc_clr_gpc0, gpt0', () => {
    const w = world('type ip size 10 store gpc0,gpc0_rate(10s),gpt0');
    const c = stream(w.rt);
    trackSc(c, w.rt, 0, 'st', ip('10.0.0.1'), 'http-request');
    expect(incGpc0(c, w.rt, 0)).toBe(1);
    expect(ev(c, 'sc0_inc_gpc0')).toBe('2');
    expect(ev(c, 'sc0_gpc0_rate')).toBe('2');
    expect(ev(c, 'src_get_gpc0(st)')).toBe('2');
    expect(ev(c, 'sc0_clr_gpc0')).toBe('2');
    expect(ev(c, 'sc_get_gpc0(0)')).toBe('0');
    expect(setGpt0(c, w.rt, 0, 7)).toBe(true);
    expect(ev(c, 'sc0_get_gpt0')).toBe('7');
  });

  it('http_err counters count errors of tracked streams', () => {
    const w = world('type ip size 10 store http_err_cnt,http_err_rate(10s)');
    const c = stream(w.rt);
    trackSc(c, w.rt, 0, 'st', ip('10.0.0.1'), 'http-request');
    w.rt.countError(c);
    expect(ev(c, 'sc0_http_err_cnt')).toBe('1');
    expect(ev(c, 'sc0_http_err_rate')).toBe('1');
  });
});

describe('rates over the sliding window', () => {
  it.each([
    // [events at, read at, expected rate over 10s]
    [[0, 1000, 2000], 2000, 3],
    [[0, 1000, 2000], 10_000, 3], // 10s later: previous period weighted fully (remain = 10000)
    [[0, 1000, 2000], 15_000, 1], // half of the previous period's 3 (1.5 → 1)
    [[0, 1000, 2000], 25_000, 0], // more than two periods: gone
    [[0, 12_000], 12_000, 1], // 1 in the current period, 1 * 8/10 of the previous → 1
  ])('events %j read at %d → %d', (events, readAt, expected) => {
    const w = world('type ip size 10 store http_req_rate(10s)');
    for (const t of events) {
      w.at(t);
      const c = stream(w.rt);
      trackSc(c, w.rt, 0, 'st', ip('10.0.0.1'), 'http-request');
      w.rt.endStream(c);
    }
    w.at(readAt);
    expect(ev(stream(w.rt), 'src_http_req_rate(st)')).toBe(String(expected));
  });
});

describe('expiry and size', () => {
  it('entries expire on the injected clock, refreshed by each touch', () => {
    const w = world('type ip size 10 expire 10s store http_req_cnt');
    const c = stream(w.rt);
    trackSc(c, w.rt, 0, 'st', ip('10.0.0.1'), 'http-request');
    w.rt.endStream(c);
    w.at(9_999);
    expect(ev(stream(w.rt), 'table_cnt(st)')).toBe('1');
    w.at(10_000);
    expect(ev(stream(w.rt), 'table_cnt(st)')).toBe('0');
    expect(ev(stream(w.rt), 'src_http_req_cnt(st)')).toBe('0');
  });

  it('a full table purges the least recently touched entry', () => {
    const w = world('type ip size 2 store http_req_cnt');
    for (const [t, src] of [[0, '10.0.0.1'], [1, '10.0.0.2'], [2, '10.0.0.1'], [3, '10.0.0.3']] as const) {
      w.at(t);
      const c = stream(w.rt, src);
      trackSc(c, w.rt, 0, 'st', ip(src), 'http-request');
      w.rt.endStream(c);
    }
    const t = w.rt.table('st')!;
    expect([...t.entries.keys()].sort()).toEqual(['10.0.0.1', '10.0.0.3']);
    expect(ev(stream(w.rt), 'table_avl(st)')).toBe('0');
  });

  it('string keys are cut to len; integer and binary keys are normalised', () => {
    const s = world('type string len 4 size 10 store gpc0');
    const c = stream(s.rt);
    trackSc(c, s.rt, 0, 'st', str('abcdefg'), 'http-request');
    expect([...s.rt.table('st')!.entries.keys()]).toEqual(['abcd']);
    const i = world('type integer size 10 store gpc0');
    const c2 = stream(i.rt);
    trackSc(c2, i.rt, 0, 'st', str('42'), 'http-request');
    expect([...i.rt.table('st')!.entries.keys()]).toEqual(['42']);
  });
});

describe('table converters', () => {
  it('read an entry by key; absent key → 0; in_table', () => {
    const w = world('type ip size 10 store http_req_rate(10s),gpc0');
    const c = stream(w.rt);
    trackSc(c, w.rt, 0, 'st', ip('10.0.0.1'), 'http-request');
    expect(ev(c, 'src,table_http_req_rate(st)')).toBe('1');
    expect(ev(c, 'src,in_table(st)')).toBe('1');
    expect(ev(c, 'str(10.9.9.9),in_table(st)')).toBe('0');
    expect(ev(c, 'str(10.9.9.9),table_gpc0(st)')).toBe('0');
    expect(ev(c, 'src,table_conn_rate(st)')).toBe('');
    expect(ev(c, 'src,table_trackers(st)')).toBe('1');
  });
});

describe('stick match and store', () => {
  it('stick on src keeps a client on its first server until the entry expires', () => {
    let t = 0;
    const m = model(['backend be', '  mode http', '  balance roundrobin', '  stick-table type ip size 10 expire 5s', '  stick on src', '  server a 127.0.0.1:1', '  server b 127.0.0.1:2'].join('\n') + '\n');
    const rt = createRuntime(m, { now: () => t });
    const sel = compileSelection(m.proxies[0]!);
    const go = (src: string) => {
      const ctx = createContext({ request: { uri: '/' }, src, backend: 'be' });
      const r = sel(ctx, rt);
      sel.storeStickResponse(ctx, rt, r.server);
      return `${r.server}:${r.reason}`;
    };
    expect([go('10.0.0.1'), go('10.0.0.2'), go('10.0.0.1'), go('10.0.0.2')]).toEqual(['a:balance', 'b:balance', 'a:stick', 'b:stick']);
    rt.setServerState('be', 'a', 'DOWN');
    expect(go('10.0.0.1')).toBe('b:balance');
    expect(go('10.0.0.1')).toBe('b:stick');
    t = 6_000;
    rt.setServerState('be', 'a', 'UP');
    expect(go('10.0.0.1').endsWith(':balance')).toBe(true);
  });

  it('store-response records a key from the response', () => {
    const m = model(['backend be', '  mode http', '  stick-table type string len 32 size 10', '  stick match req.cook(sid)', '  stick store-response res.cook(sid)', '  server a 127.0.0.1:1', '  server b 127.0.0.1:2'].join('\n') + '\n');
    const rt = createRuntime(m);
    const sel = compileSelection(m.proxies[0]!);
    const c1 = createContext({ request: { uri: '/' }, backend: 'be' });
    const r1 = sel(c1, rt);
    c1.response = { status: 200, reason: 'OK', version: '1.1', headers: { entries: [{ name: 'Set-Cookie', value: 'sid=xyz; path=/' }] }, body: new Uint8Array() };
    sel.storeStickResponse(c1, rt, r1.server);
    expect(rt.table('be')!.entries.get('xyz')?.serverName).toBe(r1.server);
    const c2 = createContext({ request: { uri: '/', headers: [['cookie', 'sid=xyz']] }, backend: 'be' });
    sel(c2, rt); // advance round robin
    const c3 = createContext({ request: { uri: '/', headers: [['cookie', 'sid=xyz']] }, backend: 'be' });
    expect(sel(c3, rt)).toMatchObject({ server: r1.server, reason: 'stick' });
  });
});

// Log lines rendered from hand-built records, compared with lines the real HAProxy 2.6.12
// sent over UDP for the same exchanges (captured once; the records carry the same timers,
// dates, ports and byte counts, so the whole lines must match).
import { describe, expect, it } from 'vitest';
import type { StreamLogRecord } from '../../packages/proxy/src/log/index.js';
import { context, localTime, loggingOf } from './log-helpers.js';

const HTTP_CFG = `
global
    log 127.0.0.1:18102 local0
defaults
    mode http
    log global
    option httplog
    timeout connect 1s
    timeout client 2s
    timeout server 2s
frontend fe
    bind 127.0.0.1:18100
    capture request header Host len 20
    capture request header User-Agent len 10
    capture response header X-Srv len 5
    capture cookie SID len 20
    http-request deny if { path_beg /deny }
    use_backend nosrv if { path_beg /nosrv }
    default_backend be
backend be
    server s1 127.0.0.1:18101
backend nosrv
    server s2 127.0.0.1:18109
`;

/** Sets the timers as HAProxy's logs.t_* (ms from accept). */
function timers(rec: StreamLogRecord, t: { idle?: number; request?: number; queue?: number; connect?: number; data?: number; close: number }): StreamLogRecord {
  rec.idle = t.idle ?? -1;
  rec.request = t.request ?? -1;
  rec.queue = t.queue ?? -1;
  rec.connect = t.connect ?? -1;
  rec.data = t.data ?? -1;
  rec.close = t.close;
  return rec;
}

const UA = 'curl/7.88.1';

describe('option httplog', () => {
  const { logging, lines } = loggingOf(HTTP_CFG);
  const fe = logging.frontend('fe');

  function exchange(o: { port: number; ms: number; uri: string; backend?: string; server?: string; ua?: string; cookie?: string; status: number; resHeaders?: [string, string][] }): { rec: StreamLogRecord; ctx: ReturnType<typeof context> } {
    const rec = fe.record({ acceptDate: localTime(2026, 11, 24, 23, 45, 14, o.ms) });
    const headers: [string, string][] = [['Host', '127.0.0.1:18100'], ['User-Agent', o.ua ?? UA], ['Accept', '*/*']];
    if (o.cookie) headers.push(['Cookie', o.cookie]);
    const ctx = context({
      srcPort: o.port, frontend: 'fe', backend: o.backend, server: o.server,
      request: { method: 'GET', uri: o.uri, version: '1.1', headers },
      response: { status: o.status, headers: o.resHeaders ?? [] },
    });
    fe.captureRequest(ctx, rec, headers);
    if (o.resHeaders) fe.captureResponse(ctx, rec, o.resHeaders);
    return { rec, ctx };
  }

  it('is compiled for the frontend and enabled', () => {
    expect(logging.problems).toEqual([]);
    expect(fe.enabled).toBe(true);
    expect(fe.hasFormat).toBe(true);
  });

  it('renders a 200 with header and cookie captures and #-encoded characters', () => {
    const { rec, ctx } = exchange({
      port: 55328, ms: 475, uri: '/ok?a=1', backend: 'be', server: 's1', ua: 'curl/7.x "q" {x}|y', status: 200,
      resHeaders: [['Content-Type', 'text/plain'], ['X-Srv', 'o1'], ['Set-Cookie', 'SID=abc123; Path=/']],
    });
    timers(rec, { idle: 0, request: 0, queue: 0, connect: 2, data: 11, close: 11 });
    rec.bytesOut = 179;
    expect(fe.message(rec, ctx)?.text).toBe(
      '127.0.0.1:55328 [24/Nov/2026:23:45:14.475] fe be/s1 0/0/2/9/11 200 179 - SID=abc123 ---- 1/1/0/0/0 0/0 {127.0.0.1:18100|curl/7.x #22} {o1} "GET /ok?a=1 HTTP/1.1"');
  });

  it('renders a 404 from the server', () => {
    const { rec, ctx } = exchange({ port: 55338, ms: 522, uri: '/missing', backend: 'be', server: 's1', status: 404, resHeaders: [['X-Srv', 'o1']] });
    timers(rec, { idle: 0, request: 0, queue: 0, connect: 0, data: 0, close: 0 });
    rec.bytesOut = 151;
    expect(fe.message(rec, ctx)?.text).toBe(
      '127.0.0.1:55338 [24/Nov/2026:23:45:14.522] fe be/s1 0/0/0/0/0 404 151 - - ---- 1/1/0/0/0 0/0 {127.0.0.1:18100|curl/7.88.} {o1} "GET /missing HTTP/1.1"');
  });

  it('renders a 503 after three refused connections (SC, retries 3)', () => {
    const { rec, ctx } = exchange({ port: 55340, ms: 531, uri: '/nosrv', backend: 'nosrv', server: 's2', status: 503 });
    timers(rec, { idle: 0, request: 0, queue: 0, close: 3004 });
    rec.retries = 3;
    rec.terminate('server', 'connect');
    rec.bytesOut = 217;
    expect(fe.message(rec, ctx)?.text).toBe(
      '127.0.0.1:55340 [24/Nov/2026:23:45:14.531] fe nosrv/s2 0/0/-1/-1/3004 503 217 - - SC-- 1/1/0/0/3 0/0 {127.0.0.1:18100|curl/7.88.} {} "GET /nosrv HTTP/1.1"');
  });

  it('renders a denied request (PR, <NOSRV>, the frontend as backend)', () => {
    const { rec, ctx } = exchange({ port: 53918, ms: 547, uri: '/deny', status: 403 });
    timers(rec, { idle: 0, request: 0, close: 0 });
    rec.terminate('proxy');
    rec.bytesOut = 192;
    expect(rec.terminationState).toBe('PR');
    expect(fe.message(rec, ctx)?.text).toBe(
      '127.0.0.1:53918 [24/Nov/2026:23:45:14.547] fe fe/<NOSRV> 0/-1/-1/-1/0 403 192 - - PR-- 1/1/0/0/0 0/0 {127.0.0.1:18100|curl/7.88.} {} "GET /deny HTTP/1.1"');
  });

  it('renders the client cookie capture', () => {
    const { rec, ctx } = exchange({
      port: 53930, ms: 587, uri: '/ok', backend: 'be', server: 's1', cookie: 'SID=zz9', status: 200,
      resHeaders: [['X-Srv', 'o1'], ['Set-Cookie', 'SID=abc123; Path=/']],
    });
    timers(rec, { idle: 0, request: 0, queue: 0, connect: 0, data: 1, close: 1 });
    rec.bytesOut = 179;
    expect(fe.message(rec, ctx)?.text).toBe(
      '127.0.0.1:53930 [24/Nov/2026:23:45:14.587] fe be/s1 0/0/0/1/1 200 179 SID=zz9 SID=abc123 ---- 1/1/0/0/0 0/0 {127.0.0.1:18100|curl/7.88.} {o1} "GET /ok HTTP/1.1"');
  });

  it('sends it as an RFC 3164 line without hostname (the default local format) at info', () => {
    const { rec, ctx } = exchange({ port: 53930, ms: 587, uri: '/ok', backend: 'be', server: 's1', status: 200 });
    timers(rec, { idle: 0, request: 0, queue: 0, connect: 0, data: 1, close: 1 });
    lines.length = 0;
    fe.emit(rec, ctx);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.line).toMatch(/^<134>[A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d haproxy\[822\]: 127\.0\.0\.1:53930 \[24\/Nov\/2026:23:45:14\.587\] fe be\/s1 /);
  });
});

describe('requests that never completed (no stream in HAProxy)', () => {
  const { logging } = loggingOf(`
global
    log 127.0.0.1:18102 local0
defaults
    mode http
    log global
    option httplog
frontend fe
    bind 127.0.0.1:18100
    default_backend be
frontend fe2
    bind 127.0.0.1:18103
    option dontlognull
    default_backend be
backend be
    server s1 127.0.0.1:18101
`);

  function badRequest(frontend: string, o: { ms: number; port: number; sent: boolean; close: number }): { rec: StreamLogRecord; ctx: ReturnType<typeof context> } {
    const fe = logging.frontend(frontend);
    const accept = localTime(2026, 11, 24, 23, 46, 4, o.ms);
    const rec = fe.record({ acceptDate: accept });
    if (o.sent) rec.mark('request-start', accept);
    rec.close = o.close;
    const ctx = context({ srcPort: o.port, frontend });
    return { rec, ctx };
  }

  it('logs a connection closed before any request as CR 400 <BADREQ>', () => {
    const { rec, ctx } = badRequest('fe', { ms: 634, port: 33902, sent: false, close: 105 });
    rec.status = 400;
    rec.terminate('client');
    expect(logging.frontend('fe').message(rec, ctx)?.text).toBe(
      '127.0.0.1:33902 [24/Nov/2026:23:46:04.634] fe fe/<NOSRV> -1/-1/-1/-1/105 400 0 - - CR-- 1/1/0/0/0 0/0 "<BADREQ>"');
  });

  it('logs a bad request as PR 400 with 0 bytes although an error page was sent', () => {
    const { rec, ctx } = badRequest('fe', { ms: 170, port: 33924, sent: true, close: 0 });
    rec.status = 400;
    rec.bytesOut = 207;
    rec.terminate('proxy');
    expect(logging.frontend('fe').message(rec, ctx)?.text).toBe(
      '127.0.0.1:33924 [24/Nov/2026:23:46:04.170] fe fe/<NOSRV> -1/-1/-1/-1/0 400 0 - - PR-- 1/1/0/0/0 0/0 "<BADREQ>"');
  });

  it('logs an http-request timeout on an empty connection as cR 408', () => {
    const { rec, ctx } = badRequest('fe', { ms: 665, port: 33934, sent: false, close: 502 });
    rec.status = 408;
    rec.terminate('client-timeout');
    expect(logging.frontend('fe').message(rec, ctx)?.text).toBe(
      '127.0.0.1:33934 [24/Nov/2026:23:46:04.665] fe fe/<NOSRV> -1/-1/-1/-1/502 408 0 - - cR-- 1/1/0/0/0 0/0 "<BADREQ>"');
  });

  it('option dontlognull drops connections that sent nothing, not those that sent a byte', () => {
    const empty = badRequest('fe2', { ms: 0, port: 1, sent: false, close: 100 });
    empty.rec.status = 400;
    empty.rec.terminate('client');
    expect(logging.frontend('fe2').message(empty.rec, empty.ctx)).toBeUndefined();
    const partial = badRequest('fe2', { ms: 927, port: 51170, sent: true, close: 102 });
    partial.rec.status = 400;
    partial.rec.terminate('client');
    expect(logging.frontend('fe2').message(partial.rec, partial.ctx)?.text).toBe(
      '127.0.0.1:51170 [24/Nov/2026:23:46:04.927] fe2 fe2/<NOSRV> -1/-1/-1/-1/102 400 0 - - CR-- 1/1/0/0/0 0/0 "<BADREQ>"');
  });
});

describe('option tcplog and the default format', () => {
  const { logging, lines } = loggingOf(`
global
    log 127.0.0.1:18102 local0
defaults
    mode tcp
    log global
    timeout connect 1s
    timeout client 2s
    timeout server 2s
frontend ftcp
    bind 127.0.0.1:18100
    option tcplog
    default_backend echo
frontend ftcpnull
    bind 127.0.0.1:18103
    option tcplog
    option dontlognull
    default_backend echo
frontend fdefault
    bind 127.0.0.1:18105
    default_backend echo
frontend fhttpdefault
    mode http
    bind 127.0.0.1:18106
    default_backend hecho
frontend fnosrv
    bind 127.0.0.1:18107
    option tcplog
    default_backend dead
backend echo
    server e1 127.0.0.1:18104
backend hecho
    mode http
    server e1 127.0.0.1:18101
backend dead
    server d1 127.0.0.1:18109
`);

  const tcp = (frontend: string, backend: string, server: string, port: number, ms: number): { rec: StreamLogRecord; ctx: ReturnType<typeof context> } => {
    const rec = logging.frontend(frontend).record({ http: false, acceptDate: localTime(2026, 11, 24, 23, 46, 25, ms) });
    return { rec, ctx: context({ mode: 'tcp', srcPort: port, frontend, backend, server }) };
  };

  it('renders a normal session (Tw counts from an unset request time: -1)', () => {
    const { rec, ctx } = tcp('ftcp', 'echo', 'e1', 58076, 60);
    rec.mark('connected', rec.acceptDate);
    rec.close = 3;
    rec.bytesIn = 5;
    rec.bytesOut = 5;
    expect(logging.frontend('ftcp').message(rec, ctx)?.text).toBe('127.0.0.1:58076 [24/Nov/2026:23:46:25.060] ftcp echo/e1 1/0/3 5 -- 1/1/0/0/0 0/0');
  });

  it('dontlognull keeps a session that sent one byte and drops an empty one', () => {
    const one = tcp('ftcpnull', 'echo', 'e1', 55098, 680);
    one.rec.mark('connected', one.rec.acceptDate);
    one.rec.close = 102;
    one.rec.bytesIn = 1;
    one.rec.bytesOut = 1;
    expect(logging.frontend('ftcpnull').message(one.rec, one.ctx)?.text).toBe('127.0.0.1:55098 [24/Nov/2026:23:46:25.680] ftcpnull echo/e1 1/0/102 1 -- 1/1/0/0/0 0/0');
    const empty = tcp('ftcpnull', 'echo', 'e1', 1, 0);
    empty.rec.mark('connected', empty.rec.acceptDate);
    expect(logging.frontend('ftcpnull').message(empty.rec, empty.ctx)).toBeUndefined();
    const emptyLogged = tcp('ftcp', 'echo', 'e1', 58078, 331);
    emptyLogged.rec.mark('connected', emptyLogged.rec.acceptDate);
    emptyLogged.rec.close = 102;
    expect(logging.frontend('ftcp').message(emptyLogged.rec, emptyLogged.ctx)?.text).toBe('127.0.0.1:58078 [24/Nov/2026:23:46:25.331] ftcp echo/e1 1/0/102 0 -- 1/1/0/0/0 0/0');
  });

  it('renders a refused server as SC with 3 retries', () => {
    const { rec, ctx } = tcp('fnosrv', 'dead', 'd1', 37920, 306);
    rec.queue = 0;
    rec.close = 3005;
    rec.retries = 3;
    rec.terminate('server');
    expect(rec.terminationState).toBe('SC');
    expect(logging.frontend('fnosrv').message(rec, ctx)?.text).toBe('127.0.0.1:37920 [24/Nov/2026:23:46:25.306] fnosrv dead/d1 1/-1/3005 0 SC 1/1/0/0/3 0/0');
  });

  it('sends "Connect from" at accept when no format is set, in tcp and http frontends', () => {
    lines.length = 0;
    logging.frontend('fdefault').connected(context({ mode: 'tcp', srcPort: 40454, dstPort: 18105, frontend: 'fdefault' }));
    logging.frontend('fhttpdefault').connected(context({ srcPort: 40996, dstPort: 18106, frontend: 'fhttpdefault' }));
    logging.frontend('ftcp').connected(context({ mode: 'tcp', srcPort: 1, frontend: 'ftcp' }));
    expect(lines.map((l) => l.line.replace(/^<134>.{15} /, ''))).toEqual([
      'haproxy[822]: Connect from 127.0.0.1:40454 to 127.0.0.1:18105 (fdefault/TCP)',
      'haproxy[822]: Connect from 127.0.0.1:40996 to 127.0.0.1:18106 (fhttpdefault/HTTP)',
    ]);
    expect(logging.frontend('fdefault').hasFormat).toBe(false);
  });
});

describe('frontends that log nothing', () => {
  it('gives a disabled logger without log lines and an unknown frontend too', () => {
    const { logging, lines } = loggingOf(`
defaults
    mode http
    option httplog
frontend quiet
    bind :8080
    default_backend be
frontend silenced
    bind :8081
    log 127.0.0.1:514 local0
    no log
    default_backend be
backend be
    server s1 127.0.0.1:8000
`);
    for (const name of ['quiet', 'silenced', 'nope']) {
      const fe = logging.frontend(name);
      expect(fe.enabled).toBe(false);
      const rec = fe.record();
      fe.emit(rec, context({ frontend: name }));
      fe.connected(context({ frontend: name }));
    }
    expect(lines).toEqual([]);
  });
});

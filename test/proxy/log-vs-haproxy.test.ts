// Differential test: the real HAProxy 2.6 serves a few exchanges (200 with captures, 404,
// 503 with no server, a denied request, a client that aborts mid-request, TCP sessions) and
// sends its log lines to a UDP listener; haplo renders the same exchanges from hand-built
// records (what a session records: the client's port, the bytes it sent and received, the
// status it saw) and the two lines are compared field by field, timers and dates aside.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamLogRecord, TerminationCause, TerminationPhase } from '../../packages/proxy/src/log/index.js';
import { hostname } from 'node:os';
import { str } from '@haplo/sim';
import { httpHeadBytes, httpMessageBytes } from '../../packages/proxy/src/log/index.js';
import { hasHaproxy } from '../support/haproxy.js';
import { context, loggingOf } from './log-helpers.js';
import {
  ORIGIN_404_HEADERS, ORIGIN_OK_HEADERS, parseResponse, rawClient, sleep, startHaproxy, startOrigin, startSink, startSyslog,
  type ClientResult, type Haproxy, type Syslog,
} from './log-live.js';

const PORTS = { probe: 18300, http: 18301, clf: 18302, custom: 18303, tcp: 18304, origin: 18305, sink: 18306, dead: 18307, syslog: 18308 };

const CUSTOM = '%ci:%cp %fi:%fp %{+X}ci:%{+X}cp %ft %f %b %s %si:%sp %ST %B %U %ts %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %HM %HU %HP %HPO %HQ %HV %{+Q}r '
  + '%{+Q}s %[capture.req.hdr(0)] %{+Q}[capture.req.uri] %{+Q,+E}[var(txn.odd)] %[var(txn.none)] %{+Q}[var(txn.none)] %[src] %[str(AbC),lower] 100%% %H %ID %hr %hs %hrl %hsl';

const CONFIG = `
global
    log 127.0.0.1:${PORTS.syslog} local0
defaults
    mode http
    log global
    timeout connect 1s
    timeout client 2s
    timeout server 2s
    timeout http-request 1s
frontend probe
    bind 127.0.0.1:${PORTS.probe}
    no log
    default_backend be
frontend fh
    bind 127.0.0.1:${PORTS.http}
    option httplog
    capture request header Host len 20
    capture request header User-Agent len 10
    capture response header X-Srv len 5
    capture cookie SID len 20
    http-request deny if { path_beg /deny }
    use_backend nosrv if { path_beg /nosrv }
    default_backend be
frontend fclf
    bind 127.0.0.1:${PORTS.clf}
    option httplog clf
    capture request header Host len 20
    capture response header X-Srv len 5
    default_backend be
frontend fcustom
    bind 127.0.0.1:${PORTS.custom}
    unique-id-format %{+X}o\\ %ci:%cp_%fi:%fp
    log-format "${CUSTOM}"
    http-request set-var(txn.odd) req.hdr(x-odd) if { req.hdr(x-odd) -m found }
    capture request header Host len 20
    capture request header X-None len 5
    capture response header X-Srv len 5
    use_backend nosrv if { path_beg /nosrv }
    default_backend be
frontend ftcp
    mode tcp
    bind 127.0.0.1:${PORTS.tcp}
    option tcplog
    default_backend sink
backend be
    server s1 127.0.0.1:${PORTS.origin}
backend nosrv
    retries 0
    server d1 127.0.0.1:${PORTS.dead}
backend sink
    mode tcp
    server k1 127.0.0.1:${PORTS.sink}
`;

/** One exchange: what the client did, and what a session would have recorded about it. */
interface Exchange {
  name: string;
  frontend: string;
  port: number;
  request?: string;
  closeAfterMs?: number;
  halfClose?: boolean;
  reset?: boolean;
  /** What the session knows. */
  backend?: string;
  server?: string;
  /** The server responded with these headers (captures). */
  response?: [string, string][];
  terminate?: [TerminationCause, TerminationPhase?];
  headComplete: boolean;
  tcp?: boolean;
  result?: ClientResult;
}

const get = (path: string, extra = '', host = `127.0.0.1:${PORTS.http}`): string =>
  `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: curl/7.x "q" {x}|y\r\n${extra}Connection: close\r\n\r\n`;

const EXCHANGES: Exchange[] = [
  { name: '200 with captures', frontend: 'fh', port: PORTS.http, request: get('/ok?a=1', 'Cookie: SID=zz9; other=1\r\n'), backend: 'be', server: 's1', response: ORIGIN_OK_HEADERS, headComplete: true },
  { name: '404', frontend: 'fh', port: PORTS.http, request: get('/missing'), backend: 'be', server: 's1', response: ORIGIN_404_HEADERS, headComplete: true },
  { name: '503 no server', frontend: 'fh', port: PORTS.http, request: get('/nosrv'), backend: 'nosrv', server: 'd1', terminate: ['server', 'connect'], headComplete: true },
  { name: 'denied', frontend: 'fh', port: PORTS.http, request: get('/deny'), terminate: ['proxy'], headComplete: true },
  { name: 'client abort mid-request', frontend: 'fh', port: PORTS.http, request: 'GET /partial HTTP/1.1\r\nHost: x\r\n', closeAfterMs: 150, terminate: ['client'], headComplete: false },
  { name: 'bad request', frontend: 'fh', port: PORTS.http, request: 'BAD\r\n\r\n', terminate: ['proxy'], headComplete: false },
  { name: 'clf 200', frontend: 'fclf', port: PORTS.clf, request: get('/clf?x=1'), backend: 'be', server: 's1', response: ORIGIN_OK_HEADERS, headComplete: true },
  { name: 'custom 200', frontend: 'fcustom', port: PORTS.custom, request: get('/a/b?q=1&r=%22', 'X-Odd: a"b]c\\d\r\n'), backend: 'be', server: 's1', response: ORIGIN_OK_HEADERS, headComplete: true },
  // %U counts a Connection line by what HAProxy's parser leaves of it (here `X-Foo`; `close` goes).
  { name: 'custom 200, a Connection token kept', frontend: 'fcustom', port: PORTS.custom, request: get('/kept', 'X-Foo: 1\r\nConnection: X-Foo\r\n'), backend: 'be', server: 's1', response: ORIGIN_OK_HEADERS, headComplete: true },
  { name: 'custom absolute uri', frontend: 'fcustom', port: PORTS.custom, request: get('http://example.com/abs/p?k=v', '', 'example.com'), backend: 'be', server: 's1', response: ORIGIN_OK_HEADERS, headComplete: true },
  { name: 'custom 503', frontend: 'fcustom', port: PORTS.custom, request: get('/nosrv'), backend: 'nosrv', server: 'd1', terminate: ['server', 'connect'], headComplete: true },
  { name: 'tcp client closes', frontend: 'ftcp', port: PORTS.tcp, request: 'hello', closeAfterMs: 150, backend: 'sink', server: 'k1', headComplete: false, tcp: true },
  { name: 'tcp client resets during data', frontend: 'ftcp', port: PORTS.tcp, request: 'hello', closeAfterMs: 150, reset: true, backend: 'sink', server: 'k1', terminate: ['client'], headComplete: false, tcp: true },
];

/** Splits a request into its header lines, as a session hands them to the captures. */
function requestParts(raw: string): { method: string; uri: string; version: string; headers: [string, string][] } | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [line, ...rest] = raw.slice(0, end).split('\r\n');
  const m = /^(\S+) (\S+) HTTP\/(\d\.\d)$/.exec(line!);
  if (!m) return undefined;
  return { method: m[1]!, uri: m[2]!, version: m[3]!, headers: rest.map((h) => [h.slice(0, h.indexOf(':')), h.slice(h.indexOf(':') + 1).trim()] as [string, string]) };
}

/** Timer and date fields of each format, by the index of the space-separated field. */
const MASKED: Record<string, (fields: string[]) => string[]> = {
  fh: (f) => f.map((v, i) => (i === 1 || i === 4 ? '<masked>' : v)),
  fcustom: (f) => f,
  ftcp: (f) => f.map((v, i) => (i === 1 || i === 4 ? '<masked>' : v)),
  // CLF: [%trg] is two fields (date, offset); %ms follows %cp, the five timers follow %ft %b %s.
  fclf: (f) => f.map((v, i) => (i === 3 || i === 4 || i === 13 || (i >= 17 && i <= 21) ? '<masked>' : v)),
};

/** The message part of a local-format syslog datagram. */
const messageOf = (datagram: string): string => datagram.replace(/\n$/, '').replace(/^<\d+>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d haproxy\[\d+\]: /, '');

describe.skipIf(!hasHaproxy())('log lines against HAProxy 2.6', () => {
  let haproxy: Haproxy | undefined;
  let syslog: Syslog | undefined;
  const servers: { close(cb?: () => void): unknown }[] = [];

  beforeAll(async () => {
    syslog = await startSyslog(PORTS.syslog);
    servers.push(await startOrigin(PORTS.origin), await startSink(PORTS.sink));
    haproxy = await startHaproxy(CONFIG, PORTS.probe);
    // One exchange at a time, each waiting for its line (streams are logged when they end), so
    // that the connection counts of a line never include the previous exchange.
    for (const [i, x] of EXCHANGES.entries()) {
      x.result = await rawClient(x.port, x.request ?? '', { closeAfterMs: x.closeAfterMs, halfClose: x.halfClose, reset: x.reset });
      for (let n = 0; n < 40 && syslog.messages.length <= i; n++) await sleep(50);
    }
  }, 30_000);

  afterAll(async () => {
    await haproxy?.stop();
    await syslog?.close();
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  });

  it('logged every exchange once', () => {
    expect(syslog!.messages.length, haproxy!.output()).toBe(EXCHANGES.length);
  });

  const { logging } = cache;
  let compared = 0;

  for (const x of EXCHANGES) {
    it(`${x.name}: same fields`, () => {
      const r = x.result!;
      const theirs = syslog!.messages.map(messageOf).find((m) => m.includes(`:${r.port} `) || m.includes(` ${r.port} `));
      expect(theirs, `no line for client port ${r.port}`).toBeDefined();
      const rec = renderRecord(x, r);
      const fe = logging.frontend(x.frontend);
      const parts = x.headComplete ? requestParts(x.request!) : undefined;
      const ctx = context({
        mode: x.tcp ? 'tcp' : 'http',
        srcPort: r.port, dstPort: x.port, frontend: x.frontend, backend: x.backend, server: x.server,
        request: parts && { method: parts.method, uri: parts.uri, version: parts.version, headers: parts.headers },
        response: r.status !== undefined ? { status: r.status } : undefined,
      });
      // What the frontend's set-var rule stored (the pipeline would run it).
      const odd = parts?.headers.find(([n]) => n.toLowerCase() === 'x-odd');
      if (odd && x.frontend === 'fcustom') ctx.vars.txn.set('odd', str(odd[1]));
      if (parts) fe.captureRequest(ctx, rec, parts.headers);
      if (x.response) fe.captureResponse(ctx, rec, x.response);
      if (x.server && x.backend !== 'nosrv' && !x.tcp) rec.serverConnection = { src: '127.0.0.1', srcPort: 1, dst: '127.0.0.1', dstPort: PORTS.origin };
      if (x.backend === 'nosrv') rec.serverConnection = { src: '127.0.0.1', srcPort: 1, dst: '127.0.0.1', dstPort: PORTS.dead };
      const ours = fe.message(rec, ctx)?.text;
      expect(ours).toBeDefined();
      const mask = MASKED[x.frontend]!;
      const a = mask(ours!.split(' '));
      const b = mask(theirs!.split(' '));
      expect(a, `haplo:   ${ours}\nhaproxy: ${theirs}`).toEqual(b);
      compared += b.filter((f) => f !== '<masked>').length;
    });
  }

  it('compared a good number of fields', () => {
    expect(compared).toBeGreaterThan(100);
    console.log(`log-vs-haproxy: ${compared} fields compared over ${EXCHANGES.length} lines (timers and dates aside)`);
  });
});

/** The record a session would have filled for exchange `x` (timers left at their plain values). */
function renderRecord(x: Exchange, r: ClientResult): StreamLogRecord {
  const { logging } = cache;
  const rec = logging.frontend(x.frontend).record({ http: !x.tcp });
  if (x.request) rec.mark('request-start', rec.acceptDate);
  if (x.headComplete) rec.mark('request-head', rec.acceptDate);
  if (x.tcp) {
    rec.mark('connected', rec.acceptDate);
    rec.bytesIn = r.sent;
    rec.bytesOut = r.received;
  } else if (x.headComplete) {
    if (x.server) rec.mark('queue', rec.acceptDate);
    if (x.response) rec.mark('connected', rec.acceptDate).mark('response-head', rec.acceptDate);
    // HTTP byte counts are message sizes as HAProxy holds them (message-bytes.ts).
    const req = requestParts(x.request!)!;
    rec.bytesIn = httpHeadBytes([req.method, req.uri, `HTTP/${req.version}`], req.headers);
    const res = parseResponse(r.raw);
    if (res) rec.bytesOut = httpMessageBytes(res.startLine, res.headers, res.bodyLength, res.chunked);
  } else {
    rec.status = r.status ?? (x.terminate?.[0] === 'client' ? 400 : undefined);
    rec.bytesOut = r.received;
  }
  if (x.terminate) rec.terminate(...x.terminate);
  rec.mark('end');
  return rec;
}

const cache = { logging: loggingOf(CONFIG, { hostname: hostname() }).logging };

describe.skipIf(hasHaproxy())('log lines against HAProxy 2.6 (skipped)', () => {
  it('explains why', () => {
    console.log('log-vs-haproxy: no haproxy binary on PATH, the differential log tests were skipped');
  });
});

// `haplo run` logging end to end: a configuration with `log 127.0.0.1:<udp> local0` and
// frontends using `option httplog`, `option tcplog` and a custom `log-format` serves a few
// exchanges (200 and 404 from the origin, a 403 deny, a 503 with no server, a 408 on slow
// headers, a client that aborts mid-head, a TCP session) and the UDP lines are read field by
// field. The differential part serves the same exchanges with HAProxy 2.6 and compares the
// fields, timers, dates and client ports aside.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasHaproxy } from '../support/haproxy.js';
import { rawClient, sleep, startHaproxy, startOrigin, startSink, startSyslog, type Syslog } from './log-live.js';
import { freeRange, startProxy, type RunningProxy } from './run-harness.js';

interface Ports { syslog: number; http: number; custom: number; tcp: number; origin: number; sink: number; dead: number }

const CUSTOM_FORMAT = '%ci %f %b %s %ST %B %U %ts %{+Q}r %hr %hs';

const config = (p: Ports): string => `
global
    log 127.0.0.1:${p.syslog} local0
defaults
    mode http
    log global
    timeout connect 1s
    timeout client 2s
    timeout server 2s
    timeout http-request 400ms
frontend fh
    bind 127.0.0.1:${p.http}
    option httplog
    capture request header Host len 20
    capture response header X-Srv len 5
    http-request deny if { path_beg /deny }
    use_backend nosrv if { path_beg /nosrv }
    default_backend be
frontend fcustom
    bind 127.0.0.1:${p.custom}
    log-format "${CUSTOM_FORMAT}"
    capture request header Host len 20
    capture response header X-Srv len 5
    default_backend be
frontend ftcp
    mode tcp
    bind 127.0.0.1:${p.tcp}
    option tcplog
    default_backend sink
backend be
    server s1 127.0.0.1:${p.origin}
backend nosrv
    retries 0
    server d1 127.0.0.1:${p.dead}
backend sink
    mode tcp
    server k1 127.0.0.1:${p.sink}
`;

const get = (path: string, host = 'example.test'): string => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;

interface Exchange {
  name: string;
  port: keyof Ports;
  request: string;
  closeAfterMs?: number;
}

const EXCHANGES: Exchange[] = [
  { name: '200', port: 'http', request: get('/ok?a=1') },
  { name: '404', port: 'http', request: get('/missing') },
  { name: '403 deny', port: 'http', request: get('/deny') },
  { name: '503 no server', port: 'http', request: get('/nosrv') },
  { name: '408 slow headers', port: 'http', request: 'GET /slow HTTP/1.1\r\nHost: x\r\n', closeAfterMs: 2000 },
  { name: 'client abort', port: 'http', request: 'GET /partial HTTP/1.1\r\nHost: x\r\n', closeAfterMs: 150 },
  { name: 'custom 200', port: 'custom', request: get('/c/d?q=1') },
  { name: 'tcp', port: 'tcp', request: 'hello', closeAfterMs: 150 },
];

/** The message of a local-format datagram (after `<pri>date tag[pid]: `). */
const messageOf = (d: string): string => d.replace(/\n$/, '').replace(/^<\d+>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d [^:]+\[\d+\]: /, '');

interface Served {
  lines: Map<string, string>;
  priorities: number[];
}

/** Serves every exchange one at a time, waiting for each line, and files the lines by exchange. */
async function serve(ports: Ports, syslog: Syslog): Promise<Served> {
  const lines = new Map<string, string>();
  for (const x of EXCHANGES) {
    const before = syslog.messages.length;
    const r = await rawClient(ports[x.port], x.request, { closeAfterMs: x.closeAfterMs ?? 2000 });
    for (let n = 0; n < 40 && syslog.messages.length <= before; n++) await sleep(50);
    const found = syslog.messages.slice(before).map(messageOf).find((m) => m.includes(`:${r.port} `) || m.startsWith('127.0.0.1 ') || m.includes(` ${r.port} `));
    if (found) lines.set(x.name, found);
  }
  const priorities = syslog.messages.map((m) => Number(/^<(\d+)>/.exec(m)?.[1]));
  return { lines, priorities };
}

/** httplog fields: ci:cp [date] ft b/s timers ST B CC CS tsc conns queues {captures} {captures} "request line" (no captures without a request). */
function httplog(line: string): Record<string, string> {
  const m = /^(\S+):(\d+) \[([^\]]+)\] (\S+) (\S+)\/(\S+) (\S+) (-?\d+) (\d+) (\S+) (\S+) (\S+) (\S+) (\S+)(?: \{([^}]*)\} \{([^}]*)\})? "(.*)"$/.exec(line);
  if (!m) throw new Error(`not an httplog line: ${line}`);
  return {
    client: m[1]!, date: m[3]!, frontend: m[4]!, backend: m[5]!, server: m[6]!, timers: m[7]!, status: m[8]!, bytes: m[9]!,
    cc: m[10]!, cs: m[11]!, ts: m[12]!, conns: m[13]!, queues: m[14]!, reqCaptures: m[15] ?? '', resCaptures: m[16] ?? '', request: m[17]!,
  };
}

/** tcplog fields: ci:cp [date] ft b/s Tw/Tc/Tt B ts conns queues. */
function tcplog(line: string): Record<string, string> {
  const m = /^(\S+):(\d+) \[([^\]]+)\] (\S+) (\S+)\/(\S+) (\S+) (\d+) (\S+) (\S+) (\S+)$/.exec(line);
  if (!m) throw new Error(`not a tcplog line: ${line}`);
  return { client: m[1]!, frontend: m[4]!, backend: m[5]!, server: m[6]!, timers: m[7]!, bytes: m[8]!, ts: m[9]!, conns: m[10]!, queues: m[11]! };
}

async function basePorts(): Promise<Ports> {
  const base = await freeRange(7);
  return { syslog: base, http: base + 1, custom: base + 2, tcp: base + 3, origin: base + 4, sink: base + 5, dead: base + 6 };
}

type Closer = { close(cb?: () => void): unknown };
const closeAll = (servers: Closer[]): Promise<void[]> => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));

describe('haplo run: log lines over UDP', () => {
  let ports: Ports;
  let syslog: Syslog;
  let proxy: RunningProxy;
  const servers: Closer[] = [];
  let served: Served;

  beforeAll(async () => {
    ports = await basePorts();
    syslog = await startSyslog(ports.syslog);
    servers.push(await startOrigin(ports.origin), await startSink(ports.sink));
    proxy = await startProxy(config(ports));
    served = await serve(ports, syslog);
  }, 30_000);

  afterAll(async () => {
    await proxy?.stop();
    await syslog?.close();
    await closeAll(servers);
  });

  const line = (name: string): string => {
    const l = served.lines.get(name);
    expect(l, `no log line for '${name}'; got:\n${syslog.messages.join('')}`).toBeDefined();
    return l!;
  };

  it('sends one local0.info line per exchange', () => {
    expect(syslog.messages.length).toBe(EXCHANGES.length);
    // local0 (16) * 8 + info (6)
    expect(new Set(served.priorities)).toEqual(new Set([134]));
  });

  it('200 from the origin: names, status, bytes, captures and request line', () => {
    const f = httplog(line('200'));
    expect(f).toMatchObject({ frontend: 'fh', backend: 'be', server: 's1', status: '200', ts: '----', cc: '-', cs: '-', request: 'GET /ok?a=1 HTTP/1.1' });
    expect(f.reqCaptures).toBe('example.test');
    expect(f.resCaptures).toBe('o1');
    expect(Number(f.bytes)).toBeGreaterThan(20);
    expect(f.timers).toMatch(/^\d+\/\d+\/\d+\/\d+\/\d+$/);
    expect(f.client).toBe('127.0.0.1');
  });

  it('404 from the origin is logged as a normal end', () => {
    expect(httplog(line('404'))).toMatchObject({ backend: 'be', server: 's1', status: '404', ts: '----', request: 'GET /missing HTTP/1.1' });
  });

  it('403 deny: PR, no server', () => {
    expect(httplog(line('403 deny'))).toMatchObject({ backend: 'fh', server: '<NOSRV>', status: '403', ts: 'PR--', request: 'GET /deny HTTP/1.1' });
  });

  it('503 with the only server refusing: SC', () => {
    expect(httplog(line('503 no server'))).toMatchObject({ backend: 'nosrv', server: 'd1', status: '503', ts: 'SC--' });
  });

  it('408 on headers that never complete: cR and no request line', () => {
    expect(httplog(line('408 slow headers'))).toMatchObject({ backend: 'fh', server: '<NOSRV>', status: '408', ts: 'cR--', request: '<BADREQ>' });
  });

  it('a client aborting mid-head: CR, logged as a 400 with no request line', () => {
    expect(httplog(line('client abort'))).toMatchObject({ status: '400', ts: 'CR--', bytes: '0', request: '<BADREQ>' });
  });

  it('a custom log-format renders each variable', () => {
    const f = line('custom 200').match(/^(\S+) (\S+) (\S+) (\S+) (\d+) (\d+) (\d+) (\S+) "(.*)" \{(.*)\} \{(.*)\}$/);
    expect(f, line('custom 200')).not.toBeNull();
    expect(f!.slice(1, 5)).toEqual(['127.0.0.1', 'fcustom', 'be', 's1']);
    expect(f![5]).toBe('200');
    expect(Number(f![6])).toBeGreaterThan(0);
    expect(Number(f![7])).toBeGreaterThan(0);
    // %ts alone is the two termination letters.
    expect(f!.slice(8)).toEqual(['--', 'GET /c/d?q=1 HTTP/1.1', 'example.test', 'o1']);
  });

  it('tcplog: names, bytes and a normal end', () => {
    const f = tcplog(line('tcp'));
    expect(f).toMatchObject({ frontend: 'ftcp', backend: 'sink', server: 'k1', bytes: '0', ts: '--' });
  });
});

describe.skipIf(!hasHaproxy())('haplo run: log lines against HAProxy 2.6', () => {
  const servers: Closer[] = [];
  const ours = new Map<string, string>();
  const theirs = new Map<string, string>();

  beforeAll(async () => {
    const a = await basePorts();
    const syslogA = await startSyslog(a.syslog);
    servers.push(await startOrigin(a.origin), await startSink(a.sink));
    const proxy = await startProxy(config(a));
    for (const [k, v] of (await serve(a, syslogA)).lines) ours.set(k, v);
    await proxy.stop();
    await syslogA.close();
    const b = await basePorts();
    const syslogB = await startSyslog(b.syslog);
    servers.push(await startOrigin(b.origin), await startSink(b.sink));
    const haproxy = await startHaproxy(config(b), b.http);
    // The readiness probe made a connection HAProxy logs: forget it.
    await sleep(200);
    syslogB.messages.length = 0;
    for (const [k, v] of (await serve(b, syslogB)).lines) theirs.set(k, v);
    await haproxy.stop();
    await syslogB.close();
  }, 60_000);

  afterAll(async () => {
    await closeAll(servers);
  });

  /** Fields compared: everything but the client port, dates, timers and connection counts. */
  const comparable = (name: string, line: string): Record<string, string> => {
    if (name === 'tcp') {
      const { client, timers, conns, ...rest } = tcplog(line);
      void client; void timers; void conns;
      return rest;
    }
    if (name === 'custom 200') return { line };
    const { client, date, timers, conns, ...rest } = httplog(line);
    void client; void date; void timers; void conns;
    return rest;
  };

  for (const x of EXCHANGES) {
    it(`${x.name}: the same fields as HAProxy`, () => {
      const h = theirs.get(x.name);
      const o = ours.get(x.name);
      expect(h, `HAProxy logged nothing for '${x.name}'`).toBeDefined();
      expect(o, `haplo logged nothing for '${x.name}'`).toBeDefined();
      expect(comparable(x.name, o!), `haplo:   ${o}\nhaproxy: ${h}`).toEqual(comparable(x.name, h!));
    });
  }
});

describe.skipIf(hasHaproxy())('haplo run: log lines against HAProxy 2.6 (skipped)', () => {
  it('explains why', () => {
    console.log('run-logging: no haproxy binary on PATH, the differential log test against HAProxy 2.6 was skipped');
  });
});

// Log tools must read haplo's lines: the field layouts of manual §8.2.2 (tcplog) and §8.2.3
// (httplog) written here as regular expressions, and HAProxy's own `halog` (shipped with the
// haproxy package) run on the lines as a syslog daemon files them.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { StreamLogRecord } from '../../packages/proxy/src/log/index.js';
import { context, loggingOf } from './log-helpers.js';

const CONFIG = `
global
    log 127.0.0.1:18102 format rfc3164 local0
    log-send-hostname web1
defaults
    log global
    timeout connect 1s
    timeout client 2s
    timeout server 2s
frontend fe
    mode http
    bind :80
    option httplog
    capture request header Host len 20
    capture request header User-Agent len 15
    capture response header Content-Type len 10
    default_backend be
frontend ft
    mode tcp
    bind :81
    option tcplog
    default_backend bt
backend be
    mode http
    server s1 127.0.0.1:8000
    server s2 127.0.0.1:8001
backend bt
    mode tcp
    server t1 127.0.0.1:9000
`;

// §8.2.3: client_ip:port [request_date] frontend backend/server TR/Tw/Tc/Tr/Ta status bytes
// cookie cookie termination_state actconn/feconn/beconn/srv_conn/retries srv_queue/backend_queue
// {request headers} {response headers} "request"
const HTTPLOG = new RegExp(
  '^(?<ci>[\\d.:a-f]+):(?<cp>\\d+) \\[(?<date>\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\] (?<fe>\\S+) (?<be>\\S+)/(?<srv>\\S+) '
  + '(?<TR>-?\\d+)/(?<Tw>-?\\d+)/(?<Tc>-?\\d+)/(?<Tr>-?\\d+)/(?<Ta>\\+?\\d+) (?<status>-?\\d+) (?<bytes>\\+?\\d+) (?<cc>\\S+) (?<cs>\\S+) '
  + '(?<ts>[-A-Za-z]{4}) (?<ac>\\d+)/(?<fc>\\d+)/(?<bc>\\d+)/(?<sc>\\d+)/(?<rc>\\+?\\d+) (?<sq>\\d+)/(?<bq>\\d+) '
  + '(?:\\{(?<hr>[^{}]*)\\} )?(?:\\{(?<hs>[^{}]*)\\} )?"(?<request>[^"]*)"$',
);

// §8.2.2: client_ip:port [accept_date] frontend backend/server Tw/Tc/Tt bytes termination_state
// actconn/feconn/beconn/srv_conn/retries srv_queue/backend_queue
const TCPLOG = /^(?<ci>[\d.:a-f]+):(?<cp>\d+) \[(?<date>[^\]]+)\] (?<fe>\S+) (?<be>\S+)\/(?<srv>\S+) (?<Tw>-?\d+)\/(?<Tc>-?\d+)\/(?<Tt>\+?\d+) (?<bytes>\+?\d+) (?<ts>[-A-Za-z]{2}) (?<ac>\d+)\/(?<fc>\d+)\/(?<bc>\d+)\/(?<sc>\d+)\/(?<rc>\+?\d+) (?<sq>\d+)\/(?<bq>\d+)$/;

function renderAll(): { http: string[]; tcp: string[]; syslog: string[] } {
  const { logging, lines } = loggingOf(CONFIG);
  const fe = logging.frontend('fe');
  const http = (o: { uri: string; server?: string; status?: number; ua?: string; contentType?: string; bytes: number; retries?: number; term?: Parameters<StreamLogRecord['terminate']>; complete?: boolean }): void => {
    const rec = fe.record();
    const headers: [string, string][] = [['Host', 'www.example.com'], ['User-Agent', o.ua ?? 'Mozilla/5.0 (X11; Linux)']];
    const complete = o.complete ?? true;
    const ctx = context({
      frontend: 'fe', backend: o.server ? 'be' : undefined, server: o.server,
      request: complete ? { method: 'GET', uri: o.uri, headers } : undefined,
      response: o.status !== undefined ? { status: o.status } : undefined,
    });
    rec.mark('request-start');
    if (complete) {
      rec.mark('request-head');
      fe.captureRequest(ctx, rec, headers);
    }
    if (o.server && !o.term) rec.mark('queue').mark('connected').mark('response-head');
    if (o.contentType) fe.captureResponse(ctx, rec, [['Content-Type', o.contentType]]);
    if (o.retries) rec.retries = o.retries;
    if (o.term) rec.terminate(...o.term);
    if (!complete) rec.status = 400;
    rec.bytesOut = o.bytes;
    rec.mark('end');
    fe.emit(rec, ctx);
  };
  http({ uri: '/index.html', server: 's1', status: 200, contentType: 'text/html', bytes: 2750 });
  http({ uri: '/img/logo.png?v=2', server: 's2', status: 200, contentType: 'image/png', bytes: 10240 });
  http({ uri: '/missing', server: 's1', status: 404, contentType: 'text/html', bytes: 151 });
  http({ uri: '/api', server: 's2', status: 503, bytes: 217, retries: 3, term: ['server', 'connect'] });
  http({ uri: '/admin', status: 403, bytes: 192, term: ['proxy'] });
  http({ uri: '/weird', server: 's1', status: 200, ua: 'a "quoted" {ua}|x', bytes: 10 });
  http({ uri: '', bytes: 0, term: ['client'], complete: false });
  const ft = logging.frontend('ft');
  const rec = ft.record({ http: false });
  rec.mark('connected');
  rec.bytesIn = 120;
  rec.bytesOut = 4096;
  rec.mark('end');
  ft.emit(rec, context({ mode: 'tcp', frontend: 'ft', backend: 'bt', server: 't1' }));
  const syslog = lines.map((l) => l.line);
  const messages = syslog.map((l) => l.replace(/^.*? web1 haproxy\[\d+\]: /, ''));
  return { http: messages.slice(0, -1), tcp: messages.slice(-1), syslog };
}

const { http, tcp, syslog } = renderAll();

describe('the documented layouts', () => {
  it('every httplog line matches §8.2.3 field by field', () => {
    expect(http).toHaveLength(7);
    for (const line of http) expect(line, line).toMatch(HTTPLOG);
    const first = HTTPLOG.exec(http[0]!)!.groups!;
    expect(first).toMatchObject({ fe: 'fe', be: 'be', srv: 's1', status: '200', bytes: '2750', cc: '-', cs: '-', ts: '----', hr: 'www.example.com|Mozilla/5.0 (X1', hs: 'text/html', request: 'GET /index.html HTTP/1.1' });
    expect(HTTPLOG.exec(http[3]!)!.groups).toMatchObject({ srv: 's2', status: '503', Tc: '-1', Tr: '-1', ts: 'SC--', rc: '3' });
    expect(HTTPLOG.exec(http[5]!)!.groups!.hr).toBe('www.example.com|a #22quoted#22 #7Bua#7D');
    expect(HTTPLOG.exec(http[6]!)!.groups).toMatchObject({ srv: '<NOSRV>', status: '400', ts: 'CR--', request: '<BADREQ>', hr: undefined });
  });

  it('the tcplog line matches §8.2.2', () => {
    expect(TCPLOG.exec(tcp[0]!)?.groups).toMatchObject({ fe: 'ft', be: 'bt', srv: 't1', bytes: '4096', ts: '--' });
  });
});

const halog = spawnSync('halog', ['-h'], { encoding: 'utf8', timeout: 5000 });
const hasHalog = halog.error === undefined;

describe.skipIf(!hasHalog)('halog reads the lines', () => {
  // A syslog daemon files `<PRI>Mmm dd hh:mm:ss host tag[pid]: msg` without the priority.
  const file = syslog.map((l) => l.replace(/^<\d+>/, '')).join('\n') + '\n';
  const run = (...args: string[]): { out: string; err: string } => {
    const r = spawnSync('halog', args, { input: file, encoding: 'utf8', timeout: 10_000 });
    return { out: r.stdout, err: r.stderr };
  };

  // -H keeps HTTP lines: halog reads a tcplog line's byte count as a status otherwise.
  it('counts statuses without parsing errors', () => {
    const r = run('-H', '-st');
    expect(r.err).toMatch(/8 lines in, \d+ lines out, 0 parsing errors/);
    expect(r.out.trim().split('\n')).toEqual(['200 3', '400 1', '403 1', '404 1', '503 1']);
  });

  it('counts termination codes', () => {
    expect(run('-H', '-tc').out.trim().split('\n')).toEqual(['-- 4', 'CR 1', 'PR 1', 'SC 1']);
  });

  it('reports per server', () => {
    const rows = run('-srv').out.trim().split('\n').slice(1).map((l) => l.split(' ').slice(0, 8).join(' '));
    // srv_name 1xx 2xx 3xx 4xx 5xx other tot_req
    expect(rows).toEqual(expect.arrayContaining(['be/s1 0 2 0 1 0 0 3', 'be/s2 0 1 0 0 1 0 2', 'fe/<NOSRV> 0 0 0 2 0 0 2']));
  });

  it('reports per URL with byte counts', () => {
    const out = run('-u').out;
    expect(out).toMatch(/ 2750 2750 \/index\.html\n/);
    expect(out).toMatch(/ 10240 10240 \/img\/logo\.png\n/);
  });

  it('finds the errors (5xx)', () => {
    expect(run('-H', '-e', '-c').out.trim()).toBe('1');
  });
});

describe.skipIf(hasHalog)('halog reads the lines (skipped)', () => {
  it('explains why', () => {
    console.log('log-parse: no halog binary on PATH (it ships with the haproxy package), the halog checks were skipped');
  });
});

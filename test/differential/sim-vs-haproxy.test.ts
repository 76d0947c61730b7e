// `haplo sim` against HAProxy 2.6 running on loopback (the oracle). For each config: start
// HAProxy with Node origins that echo what they receive (method, uri, header lines), send the
// requests through it, and compare status, which server answered (backend/server), the request
// as forwarded and the response headers with the pipeline's prediction for the same sequence.
// Skipped with a message when `haproxy` is not installed. Loopback only, bounded, all killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimRequest, SimResult } from '../../packages/sim/src/index.js';
import { hasHaproxy } from '../support/haproxy.js';
import { pipelineOf } from '../sim/pipeline-helpers.js';

const present = hasHaproxy();
if (!present) console.warn('sim-vs-haproxy: haproxy is not installed; the differential suite is skipped (.ci/run installs it).');

const BASE = 46000 + Math.floor(Math.random() * 40) * 100;
const ORIGINS = [1, 2, 3, 4, 5, 6].map((i) => BASE + 50 + i);
const O = (i: number) => `127.0.0.1:${ORIGINS[i - 1]}`;
const DEF = `defaults\n    mode http\n    timeout connect 1s\n    timeout client 2s\n    timeout server 2s\n    timeout tarpit 50ms\n`;

interface Req { uri: string; method?: string; headers?: [string, string][] }
interface DiffCase {
  name: string;
  cfg: (port: number) => string;
  requests: Req[];
  /**
   * Mismatches known and owned elsewhere, as `request index: what` prefixes. The test fails when
   * they disappear too, so the list is kept honest.
   */
  known?: Record<number, string>;
}

/** Headers neither side controls (framing, hop-by-hop), left out of comparisons. */
const IGNORED = new Set(['content-length', 'content-type', 'connection', 'date', 'x-origin', 'transfer-encoding', 'keep-alive']);
const keep = (h: [string, string][]) => h.filter(([n]) => !IGNORED.has(n.toLowerCase())).map(([n, v]) => `${n.toLowerCase()}: ${v}`);

const CASES: DiffCase[] = [
  { name: 'header actions (R05)', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    http-request set-header X-Set a\n    http-request set-header X-Set b\n    http-request add-header X-Add 1\n    http-request add-header X-Add 2\n    http-request set-header X-Existing new\n    http-request del-header X-Del\n    http-request del-header X-Pfx- -m beg\n    http-request replace-header X-Rh (.*)-old \\1-new\n    http-request replace-value X-Rv ^old$ new\n    option forwardfor\n    default_backend be\nbackend be\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/', headers: [['X-Existing', 'a'], ['X-Existing', 'b'], ['X-Del', '1'], ['X-Pfx-A', '1'], ['X-Pfx-B', '2'], ['X-Rh', 'a-old, b-old'], ['X-Rv', 'old, keep, old'], ['X-Forwarded-For', '1.2.3.4']] }] },
  { name: 'URI and method rewrites', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    http-request set-path /new%[path] if { path_beg /sp }\n    http-request set-query x=1&%[query] if { path_beg /sq }\n    http-request set-uri /u?z=9 if { path_beg /su }\n    http-request set-method PUT if { path_beg /sm }\n    http-request replace-path /rp/(.*) /\\1 if { path_beg /rp }\n    default_backend be\nbackend be\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/sp/x?q=1' }, { uri: '/sq/x?q=1' }, { uri: '/sq/x' }, { uri: '/su/x?a=1' }, { uri: '/sm/x' }, { uri: '/rp/a/b?c=1' }] },
  { name: 'deny variants', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    http-request deny if { path /deny }\n    http-request deny deny_status 429 if { path /d429 }\n    http-request deny status 401 content-type text/plain string "nope" hdr X-Why test if { path /custom }\n    http-request deny hdr X-A 1 if { path /hdr }\n    http-request tarpit if { path /tarpit }\n    http-request reject if { path /reject }\n    default_backend be\nbackend be\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/deny' }, { uri: '/d429' }, { uri: '/custom' }, { uri: '/hdr' }, { uri: '/tarpit' }, { uri: '/reject' }, { uri: '/ok' }] },
  { name: 'return and redirect', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    http-request return if { path /return }\n    http-request return status 204 if { path /r204 }\n    http-request return status 200 content-type text/plain lf-string "p=%[path]" hdr X-A b if { path /lf }\n    http-request redirect location /new if { path /redir }\n    http-request redirect location /new code 301 if { path /r301 }\n    http-request redirect prefix /pfx if { path_beg /pre/ }\n    http-request redirect prefix /p drop-query append-slash if { path_beg /dq/ }\n    http-request redirect scheme https if { path /scheme }\n    http-request redirect prefix /c set-cookie A=1 if { path /sc }\n    redirect location /kw code 307 if { path /kw }\n    default_backend be\nbackend be\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/return' }, { uri: '/r204' }, { uri: '/lf' }, { uri: '/redir' }, { uri: '/r301' }, { uri: '/pre/x?y=1' }, { uri: '/dq/x?y=1' }, { uri: '/scheme?q=1' }, { uri: '/sc' }, { uri: '/kw' }] },
  { name: 'routing: use_backend, dynamic names, default_backend', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    use_backend be_a if { path_beg /a }\n    use_backend be_%[req.hdr(x-be)] if { req.hdr(x-be) -m found }\n    default_backend be_c\nbackend be_a\n    server a ${O(1)}\nbackend be_b\n    server b ${O(2)}\nbackend be_c\n    server c ${O(3)}\n`,
    requests: [{ uri: '/a/1' }, { uri: '/x', headers: [['x-be', 'b']] }, { uri: '/x', headers: [['x-be', 'nosuch']] }, { uri: '/x' }] },
  { name: 'phase order and http-request before redirect (R03)', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    tcp-request connection set-var(sess.t) str(tcpconn)\n    tcp-request session set-var(sess.t) str(),concat(,sess.t,>tcpsess)\n    tcp-request inspect-delay 1s\n    tcp-request content set-var(txn.t) str(),concat(,sess.t,>fe-tcpcontent)\n    redirect location /redirected if { path /both }\n    http-request set-var(txn.t) str(),concat(,txn.t,>fe-httpreq)\n    http-request deny deny_status 429 if { path /both }\n    default_backend be_a\n    http-response set-header X-Order-FE-resp %[var(txn.t)]\n    http-response set-var(txn.t) str(),concat(,txn.t,>fe-httpresp)\n    http-after-response set-header X-Trace %[var(txn.t)]>after\nbackend be_a\n    tcp-request content set-var(txn.t) str(),concat(,txn.t,>be-tcpcontent)\n    http-request set-var(txn.t) str(),concat(,txn.t,>be_a-httpreq)\n    http-request set-header X-Trace-Req %[var(txn.t)]\n    http-response set-var(txn.t) str(),concat(,txn.t,>be_a-httpresp)\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/a' }, { uri: '/both' }] },
  { name: 'allow ends only its rule set', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    http-request allow if { path /allowed }\n    http-request deny if { path_beg /allowed }\n    http-request set-header X-Fe 1\n    default_backend be\nbackend be\n    http-request set-header X-Be 1\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/allowed' }, { uri: '/allowed/x' }, { uri: '/other' }] },
  { name: 'weighted round-robin sequence', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    default_backend be\nbackend be\n    balance roundrobin\n    server a ${O(1)} weight 3\n    server b ${O(2)} weight 1\n    server c ${O(3)} weight 2\n`,
    requests: Array.from({ length: 12 }, () => ({ uri: '/' })) },
  { name: 'static-rr sequence', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    default_backend be\nbackend be\n    balance static-rr\n    server a ${O(1)} weight 3\n    server b ${O(2)} weight 1\n    server c ${O(3)} weight 2\n`,
    requests: Array.from({ length: 12 }, () => ({ uri: '/' })) },
  { name: 'use-server beats balance; down server skipped', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    default_backend be\nbackend be\n    use-server b if { req.hdr(x-srv) b }\n    use-server c if { req.hdr(x-srv) c }\n    server a ${O(1)}\n    server b ${O(2)}\n    server c ${O(3)} disabled\n`,
    requests: [{ uri: '/', headers: [['x-srv', 'b']] }, { uri: '/', headers: [['x-srv', 'c']] }, { uri: '/' }, { uri: '/', headers: [['x-srv', 'b']] }] },
  { name: 'stickiness on a header with a stick table', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    default_backend be\nbackend be\n    stick-table type string len 32 size 1k expire 1m\n    stick on req.hdr(x-user)\n    server a ${O(1)}\n    server b ${O(2)}\n`,
    requests: [{ uri: '/', headers: [['x-user', 'u1']] }, { uri: '/', headers: [['x-user', 'u2']] }, { uri: '/', headers: [['x-user', 'u1']] }, { uri: '/', headers: [['x-user', 'u2']] }, { uri: '/', headers: [['x-user', 'u1']] }] },
  { name: 'backup servers and no usable server', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    use_backend be_none if { path /none }\n    default_backend be\nbackend be\n    server a ${O(1)} disabled\n    server b ${O(2)} backup\n    server c ${O(3)} backup\nbackend be_none\n    server a ${O(1)} disabled\n`,
    requests: [{ uri: '/' }, { uri: '/' }, { uri: '/none' }] },
  { name: 'response rules: backend then frontend, after-response on HAProxy replies, response deny', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    http-request deny if { path /deny }\n    http-response set-header X-Fe fe\n    http-response add-header X-Order fe\n    http-after-response set-header X-After 1\n    default_backend be\nbackend be\n    http-response add-header X-Order be\n    http-response deny if { path /rdeny }\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/' }, { uri: '/deny' }, { uri: '/rdeny' }] },
  { name: 'cookie insert indirect nocache', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    default_backend be\nbackend be\n    cookie SRV insert indirect nocache\n    server a ${O(1)} cookie ca\n    server b ${O(2)} cookie cb\n`,
    requests: [{ uri: '/' }, { uri: '/', headers: [['Cookie', 'SRV=cb']] }, { uri: '/', headers: [['Cookie', 'SRV=zz']] }, { uri: '/' }],
    // selection/cookie.ts (S3) adds `cache-control: private` for `nocache` on a 200 with no
    // caching headers; HAProxy 2.6 does not consider such a response cacheable.
    known: { 0: 'response headers', 2: 'response headers', 3: 'response headers' } },
  { name: 'variables, log-format and tcp-request content reject', cfg: (p) => `${DEF}frontend fe\n    bind 127.0.0.1:${p}\n    tcp-request content reject if { req.hdr(x-bad) -m found }\n    http-request set-var(txn.p) path\n    http-request set-var(txn.missing) req.hdr(x-absent)\n    http-request set-header X-P %[var(txn.p)]\n    http-request set-header X-M a-%[var(txn.missing)]-b\n    http-request set-var-fmt(txn.f) %[method]:%[path]\n    http-request set-header X-F %[var(txn.f)]\n    option originalto\n    default_backend be\nbackend be\n    server s1 ${O(1)}\n`,
    requests: [{ uri: '/v?x=1' }, { uri: '/v', headers: [['x-bad', '1']] }] },
];

interface Observed { status: number | null; headers: [string, string][]; body: string }

/** One raw HTTP/1.1 request; status null when the connection closes with no response. */
function send(port: number, r: Req): Promise<Observed> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const head = [`${r.method ?? 'GET'} ${r.uri} HTTP/1.1`, 'host: test.local', ...(r.headers ?? []).map(([n, v]) => `${n}: ${v}`), 'connection: close', '', ''].join('\r\n');
    s.on('connect', () => s.write(head));
    s.on('data', (d) => chunks.push(d));
    const done = () => {
      const text = Buffer.concat(chunks).toString('latin1');
      if (!text) return resolve({ status: null, headers: [], body: '' });
      const [h, ...rest] = text.split('\r\n\r\n');
      const lines = h!.split('\r\n');
      const headers = lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as [string, string]);
      resolve({ status: Number(lines[0]!.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    };
    s.on('end', done);
    s.on('error', done);
    s.setTimeout(3000, () => s.destroy());
    s.on('close', done);
  });
}

const origins: Server[] = [];
let haproxy: ChildProcess | undefined;
const dir = mkdtempSync(join(tmpdir(), 'haplo-sim-diff-'));

async function waitPort(port: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); res(true); });
      s.on('error', () => res(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 30));
  }
  return false;
}

function stopHaproxy(): Promise<void> {
  const h = haproxy;
  haproxy = undefined;
  if (!h || h.exitCode !== null) return Promise.resolve();
  return new Promise((res) => {
    h.on('exit', () => res());
    h.kill('SIGKILL');
  });
}

beforeAll(async () => {
  if (!present) return;
  for (const port of ORIGINS) {
    // A tiny echo origin: the body is JSON of what it received; it names itself by port.
    const srv = createServer((sock) => {
      let buf = '';
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buf.slice(0, end).split('\r\n');
        const [method, uri] = lines[0]!.split(' ');
        const headers = lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
        const body = JSON.stringify({ port, method, uri, headers });
        sock.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-origin: ${port}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
        buf = '';
      });
      sock.on('error', () => undefined);
    });
    await new Promise<void>((res) => srv.listen(port, '127.0.0.1', () => res()));
    origins.push(srv);
  }
});

afterAll(async () => {
  await stopHaproxy();
  await Promise.all(origins.map((o) => new Promise((res) => o.close(() => res(undefined)))));
  rmSync(dir, { recursive: true, force: true });
});

interface Comparison { name: string; agreed: number; total: number; known?: number; mismatches: string[] }
const summary: Comparison[] = [];

function predictedServerPort(r: SimResult, p: ReturnType<typeof pipelineOf>): number | undefined {
  if (!r.backend || !r.server) return undefined;
  return p.backends.get(r.backend)?.model.servers.find((s) => s.name === r.server)?.port;
}

describe.skipIf(!present)('haplo sim agrees with HAProxy 2.6 on loopback', () => {
  CASES.forEach((c, index) => {
    it(c.name, async () => {
      const port = BASE + index;
      const cfg = c.cfg(port);
      const file = join(dir, `case${index}.cfg`);
      writeFileSync(file, cfg);
      haproxy = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
      expect(await waitPort(port, 3000)).toBe(true);
      const p = pipelineOf(cfg);
      const rt = p.createRuntime();
      const cmp: Comparison = { name: c.name, agreed: 0, total: 0, mismatches: [] };
      try {
        for (const [i, r] of c.requests.entries()) {
          const observed = await send(port, r);
          const request: SimRequest = { uri: r.uri, method: r.method, headers: [['host', 'test.local'], ...(r.headers ?? [])], dst: `127.0.0.1:${port}` };
          const predicted = p.run(request, rt, { status: 200, headers: [['content-type', 'application/json']] });
          const echo = observed.headers.some(([n]) => n === 'x-origin') ? JSON.parse(observed.body) as { port: number; method: string; uri: string; headers: [string, string][] } : undefined;
          const diffs: string[] = [];
          const same = (what: string, a: unknown, b: unknown) => {
            if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(`${what}: haproxy ${JSON.stringify(a)} vs sim ${JSON.stringify(b)}`);
          };
          same('status', observed.status, predicted.status);
          same('server port', echo?.port, predictedServerPort(predicted, p));
          same('forwarded method/uri', echo ? `${echo.method} ${echo.uri}` : null, predicted.request ? `${predicted.request.method} ${predicted.request.uri}` : null);
          same('forwarded headers', echo ? keep(echo.headers) : null, predicted.request ? keep(predicted.request.headers) : null);
          same('response headers', keep(observed.headers), keep(predicted.response?.headers ?? []));
          if (echo === undefined && observed.status !== null && predicted.body !== null) same('body', observed.body, predicted.body);
          cmp.total++;
          const known = c.known?.[i];
          if (known) {
            if (!diffs.some((d) => d.startsWith(known))) cmp.mismatches.push(`request ${i} was expected to differ on ${known} (known issue) but agrees: update 'known'`);
            else cmp.known = (cmp.known ?? 0) + 1;
            if (diffs.some((d) => !d.startsWith(known))) cmp.mismatches.push(`${r.method ?? 'GET'} ${r.uri}: ${diffs.filter((d) => !d.startsWith(known)).join('; ')}`);
          } else if (diffs.length === 0) cmp.agreed++;
          else cmp.mismatches.push(`${r.method ?? 'GET'} ${r.uri}: ${diffs.join('; ')}`);
        }
      } finally {
        await stopHaproxy();
      }
      summary.push(cmp);
      if (cmp.mismatches.length) console.log(`[sim-vs-haproxy] ${c.name}:\n  ${cmp.mismatches.join('\n  ')}`);
      expect(cmp.mismatches).toEqual([]);
    });
  });
  afterAll(() => {
    const agreed = summary.reduce((n, c) => n + c.agreed, 0);
    const total = summary.reduce((n, c) => n + c.total, 0);
    const known = summary.reduce((n, c) => n + (c.known ?? 0), 0);
    console.log(`[sim-vs-haproxy] ${agreed}/${total} requests agree over ${summary.length} configs (${known} known mismatches, owned elsewhere)`);
  });
});

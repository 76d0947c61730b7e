// Differential test: the server HAProxy 2.6 picks for a sequence of requests, against haplo's
// selection with a fresh Runtime fed the same sequence. Origins answer with their own name.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/ports.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel, defaultEnvironment, parseConfig } from '@haplo/parser';
import { compileSelection, createContext, createRuntime, firstValue } from '../../packages/sim/src/index.js';

const HAPROXY = spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).status === 0;
if (!HAPROXY) console.warn('balance-vs-haproxy: `haproxy` is not installed; differential tests skipped');

interface Req { uri?: string; headers?: [string, string][]; src?: string }
interface Scenario { name: string; backend: string[]; requests: Req[] }

const S = (n: number, ws: number[]) => ws.map((w, i) => `server ${'abcdef'[i]} 127.0.0.1:{${'abcdef'[i]}} weight ${w}`).slice(0, n);
const times = (n: number, r: (i: number) => Req): Req[] => Array.from({ length: n }, (_, i) => r(i));
const plain = (n: number) => times(n, () => ({ uri: '/' }));

const SCENARIOS: Scenario[] = [
  { name: 'roundrobin 3/1/2', backend: ['balance roundrobin', ...S(3, [3, 1, 2])], requests: plain(12) },
  { name: 'roundrobin 5/3/1', backend: ['balance roundrobin', ...S(3, [5, 3, 1])], requests: plain(18) },
  { name: 'roundrobin 1/2/3/4', backend: ['balance roundrobin', ...S(4, [1, 2, 3, 4])], requests: plain(20) },
  { name: 'roundrobin 2/1', backend: ['balance roundrobin', ...S(2, [2, 1])], requests: plain(12) },
  { name: 'roundrobin 7/4/2/1', backend: ['balance roundrobin', ...S(4, [7, 4, 2, 1])], requests: plain(28) },
  { name: 'static-rr 3/1/2', backend: ['balance static-rr', ...S(3, [3, 1, 2])], requests: plain(12) },
  { name: 'static-rr 4/2/2', backend: ['balance static-rr', ...S(3, [4, 2, 2])], requests: plain(16) },
  { name: 'leastconn', backend: ['balance leastconn', ...S(3, [1, 1, 1])], requests: plain(7) },
  { name: 'first by id', backend: ['balance first', 'server a 127.0.0.1:{a} id 3', 'server b 127.0.0.1:{b} id 1', 'server c 127.0.0.1:{c} id 2'], requests: plain(4) },
  { name: 'backup', backend: ['server a 127.0.0.1:{a} disabled', 'server b 127.0.0.1:{b} backup', 'server c 127.0.0.1:{c} backup'], requests: plain(4) },
  { name: 'allbackups', backend: ['option allbackups', 'server a 127.0.0.1:{a} disabled', 'server b 127.0.0.1:{b} backup', 'server c 127.0.0.1:{c} backup'], requests: plain(4) },
  { name: 'source', backend: ['balance source', ...S(3, [1, 1, 1])], requests: times(12, (i) => ({ uri: '/', src: `127.0.0.${(i % 6) + 2}` })) },
  { name: 'source weighted', backend: ['balance source', ...S(3, [2, 1, 3])], requests: times(12, (i) => ({ uri: '/', src: `127.0.0.${i + 2}` })) },
  { name: 'source consistent', backend: ['balance source', 'hash-type consistent', ...S(3, [1, 1, 1])], requests: times(12, (i) => ({ uri: '/', src: `127.0.0.${i + 2}` })) },
  { name: 'uri', backend: ['balance uri', ...S(3, [1, 1, 1])], requests: ['/', '/a', '/b?x=1', '/b?x=2', '/img/logo.png', '/c/d/e', '/zz', '/index.html', '/x?y'].map((uri) => ({ uri })) },
  { name: 'uri whole depth', backend: ['balance uri whole depth 2', ...S(3, [1, 2, 1])], requests: ['/a/b/c', '/a/b/d', '/a/c?x', '/q?x=1', '/q?x=2', '/r/s', '/t'].map((uri) => ({ uri })) },
  { name: 'uri consistent', backend: ['balance uri', 'hash-type consistent', ...S(3, [1, 1, 1])], requests: ['/', '/a', '/b', '/c', '/d', '/e', '/f', '/g', '/h'].map((uri) => ({ uri })) },
  { name: 'uri djb2 avalanche', backend: ['balance uri', 'hash-type map-based djb2 avalanche', ...S(3, [1, 1, 1])], requests: ['/', '/a', '/b', '/c', '/d', '/e', '/f'].map((uri) => ({ uri })) },
  { name: 'url_param', backend: ['balance url_param id', ...S(3, [1, 1, 1])], requests: ['/?id=1', '/?id=2', '/x', '/y?a=1&id=7', '/?id=1', '/z', '/?ida=3', '/?id=abc'].map((uri) => ({ uri })) },
  { name: 'hdr use_domain_only', backend: ['balance hdr(host) use_domain_only', ...S(3, [1, 1, 1])], requests: ['www.example.com', 'img.example.com', 'a.b.test.org', 'localhost', 'www.haproxy.org', 'foo.bar'].map((h) => ({ uri: '/', headers: [['host', h]] as [string, string][] })) },
  { name: 'hdr', backend: ['balance hdr(x-key)', ...S(3, [1, 1, 1])], requests: ['k1', 'k2', 'k3', '', 'k4', 'k5'].map((h) => ({ uri: '/', headers: h ? [['x-key', h]] as [string, string][] : [] })) },
  { name: 'hash expr crc32', backend: ['balance hash req.hdr(x-user)', 'hash-type map-based crc32', ...S(3, [1, 1, 1])], requests: ['alice', 'bob', 'carol', 'dave', 'erin', 'alice'].map((u) => ({ uri: '/', headers: [['x-user', u]] as [string, string][] })) },
  { name: 'hash expr consistent wt6', backend: ['balance hash path', 'hash-type consistent wt6', ...S(3, [1, 1, 1])], requests: ['/1', '/2', '/3', '/4', '/5', '/6'].map((uri) => ({ uri })) },
  { name: 'stick on src', backend: ['balance roundrobin', 'stick-table type ip size 100 expire 1m', 'stick on src', ...S(3, [1, 1, 1])], requests: times(12, (i) => ({ uri: '/', src: `127.0.0.${[2, 3, 2, 4, 5, 3, 2, 6, 4, 2, 7, 3][i]}` })) },
  { name: 'use-server then rr', backend: ['balance roundrobin', 'use-server c if { path /c }', ...S(3, [1, 1, 1])], requests: ['/', '/c', '/', '/c', '/', '/'].map((uri) => ({ uri })) },
  {
    name: 'cookie insert indirect',
    backend: ['balance roundrobin', 'cookie SRV insert indirect nocache', 'server a 127.0.0.1:{a} cookie ca', 'server b 127.0.0.1:{b} cookie cb', 'server c 127.0.0.1:{c} cookie cc'],
    requests: [[], [['cookie', 'SRV=cb']], [['cookie', 'SRV=cb']], [['cookie', 'SRV=zz']], [], [['cookie', 'x=1; SRV=cc']], []].map((h) => ({ uri: '/', headers: h as [string, string][] })),
  },
];


let dir = '';
let proc: ChildProcess | undefined;
const origins: http.Server[] = [];
const ports: Record<string, number> = {};
const fePorts: number[] = [];
let configText = '';

function request(port: number, r: Req): Promise<{ body: string; setCookie?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: r.uri ?? '/', headers: Object.fromEntries(r.headers ?? []), localAddress: r.src, agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ body, setCookie: res.headers['set-cookie']?.join(', ') }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function waitListening(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((res) => {
      const c = net.connect(port, '127.0.0.1', () => { c.destroy(); res(true); });
      c.on('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('haproxy did not start');
}

describe.skipIf(!HAPROXY)('balance: haplo vs haproxy 2.6', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haplo-bal-'));
    for (const name of ['a', 'b', 'c', 'd']) {
      const srv = http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'public' });
        res.end(name);
      });
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
      origins.push(srv);
      ports[name] = (srv.address() as net.AddressInfo).port;
    }
    const lines = ['global', '  maxconn 200', 'defaults', '  mode http', '  timeout connect 2s', '  timeout client 5s', '  timeout server 5s', '  retries 0'];
    for (const [i, sc] of SCENARIOS.entries()) {
      const p = await freePort();
      fePorts.push(p);
      lines.push(`frontend f${i}`, `  bind 127.0.0.1:${p}`, `  default_backend b${i}`, `backend b${i}`);
      for (const l of sc.backend) lines.push('  ' + l.replace(/\{([a-d])\}/g, (_m, n: string) => String(ports[n])));
    }
    configText = lines.join('\n') + '\n';
    writeFileSync(join(dir, 'h.cfg'), configText);
    proc = spawn('haproxy', ['-db', '-f', join(dir, 'h.cfg')], { stdio: ['ignore', 'ignore', 'pipe'] });
    await waitListening(fePorts[fePorts.length - 1]!);
  }, 20_000);

  afterAll(async () => {
    if (proc && proc.pid !== undefined && proc.exitCode === null) {
      proc.kill('SIGKILL');
    }
    await Promise.all(origins.map((o) => new Promise((r) => o.close(r))));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const agreement: string[] = [];
  afterAll(() => console.log(`balance differential agreement:\n${agreement.join('\n')}`));

  it.each(SCENARIOS.map((s, i) => [s.name, i] as const))('%s', async (_name, i) => {
    const sc = SCENARIOS[i]!;
    // haproxy
    const got: string[] = [];
    for (const r of sc.requests) {
      const res = await request(fePorts[i]!, r);
      got.push(res.body + (res.setCookie ? ` [${res.setCookie}]` : ''));
    }
    // haplo, same config, fresh Runtime
    const { file } = parseConfig(configText, 'h.cfg', { env: defaultEnvironment({}) });
    const model = buildModel([file]);
    const rt = createRuntime(model);
    const sel = compileSelection(model.proxies.find((p) => p.name === `b${i}`)!);
    const want: string[] = [];
    for (const r of sc.requests) {
      const ctx = createContext({ request: { uri: r.uri ?? '/', headers: [['host', '127.0.0.1'], ...(r.headers ?? [])] }, src: r.src ?? '127.0.0.1', backend: `b${i}`, frontend: `f${i}` });
      if (r.headers?.some(([n]) => n === 'host')) ctx.request!.headers.entries.splice(0, 1);
      ctx.runtime = rt;
      const s = sel(ctx, rt);
      if (s.server) rt.beginConnection(ctx, `b${i}`, s.server);
      ctx.response = { status: 200, reason: 'OK', version: '1.1', headers: { entries: [{ name: 'cache-control', value: 'public' }] }, body: new Uint8Array() };
      sel.storeStickResponse(ctx, rt, s.server);
      sel.applyCookieResponse(ctx, rt, s);
      rt.endStream(ctx);
      const sc2 = firstValue(ctx.response.headers, 'set-cookie');
      want.push((s.server ?? '503') + (sc2 ? ` [${sc2}]` : ''));
    }
    const same = got.filter((g, k) => g === want[k]).length;
    agreement.push(`  ${sc.name}: ${same}/${got.length}${same === got.length ? '' : `\n    haproxy: ${got.join(' ')}\n    haplo:   ${want.join(' ')}`}`);
    expect(want).toEqual(got);
  });
});

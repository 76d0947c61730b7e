// Differential: health checks over TLS and PROXY, haplo against HAProxy 2.6 on loopback. The
// same config runs in each engine in front of its own origins, which note what every check
// connection opened with (PROXY header, TLS ClientHello with SNI and ALPN, plain bytes); the
// test compares those openings server by server, and the DOWN reasons of the checks that fail
// at the TLS layer (an origin that hangs up on the ClientHello, one that never answers it).
// Skipped with a message when `haproxy` is not installed. Bounded; every process and server stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../../packages/sim/src/index.js';
import { startHealthChecks } from '../../packages/proxy/src/health/index.js';
import { loadTls } from '../../packages/proxy/src/tls/load-tls.js';
import { hasHaproxy } from '../support/haproxy.js';
import { portBlock } from '../support/ports.js';
import { startOpeningOrigin, type Opening, type OpeningOrigin } from './check-origins.js';
import { modelOf } from './tls-fixtures.js';
import { until } from './upstream-helpers.js';

const present = hasHaproxy();
if (!present) console.warn('health-transport-vs-haproxy: haproxy is not installed; the TLS/PROXY health-check differential is skipped.');

/** Server name → the server line's options after its address (`PORT`: its own origin's port). */
const SERVERS: Record<string, string> = {
  sslsni: 'ssl verify none check-sni s.example check-alpn h2,http/1.1',
  sslalpn: 'ssl verify none alpn h2 sni str(x.example)',
  checkssl: 'check-ssl verify none port PORT',
  v2ssl: 'send-proxy-v2 ssl verify none',
};
/** In an httpchk backend, so the check has bytes to send after the PROXY header. */
const HTTP_SERVERS: Record<string, string> = {
  v1: 'send-proxy',
  v1port: 'send-proxy port PORT',
  forced: 'check-send-proxy port PORT',
  forcedv2: 'check-send-proxy send-proxy-v2 port PORT',
  sslport: 'ssl verify none port PORT',
  nocheckssl: 'ssl verify none no-check-ssl send-proxy',
};
const SILENT = 'silent';

function configText(ports: Map<string, number>, listen: number): string {
  const line = (name: string, opts: string) => {
    const port = ports.get(name)!;
    // A check on another port: the server's own address is a closed one.
    const addr = opts.includes('port PORT') ? 1 : port;
    return `  server ${name} 127.0.0.1:${addr} check inter 300ms fall 1 ${opts.replace('PORT', String(port))}`;
  };
  return ['defaults', '  mode http', '  timeout connect 1s', '  timeout client 1s', '  timeout server 1s',
    'backend tls', ...Object.entries(SERVERS).map(([n, o]) => line(n, o)), line(SILENT, 'ssl verify none'),
    'backend http', '  option httpchk GET /h', ...Object.entries(HTTP_SERVERS).map(([n, o]) => line(n, o)),
    'frontend fe', `  bind 127.0.0.1:${listen}`, '  default_backend tls', ''].join('\n');
}

interface Engine {
  reasons: Map<string, string>;
  stop(): void;
}

function noteReason(reasons: Map<string, string>, message: string): void {
  const m = /^Server \w+\/(\w+) is DOWN, reason: (.*?), check duration/.exec(message);
  if (m && !reasons.has(m[1]!)) reasons.set(m[1]!, m[2]!);
}

function runHaproxy(cfg: string): Engine {
  const dir = mkdtempSync(join(tmpdir(), 'haplo-check-tls-'));
  writeFileSync(join(dir, 'h.cfg'), cfg);
  const reasons = new Map<string, string>();
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', join(dir, 'h.cfg')], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin' } });
  let pending = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    pending += d;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const m = /^\[WARNING\]\s*\(\d+\) : (.*)$/.exec(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      if (m) noteReason(reasons, m[1]!);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return { reasons, stop() { clearTimeout(timer); child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); } };
}

function runHaplo(cfg: string): Engine {
  const model = modelOf(cfg);
  const tls = loadTls(model, { cwd: tmpdir() });
  if (tls.failed) throw new Error(tls.diagnostics.map((d) => d.message).join('\n'));
  const pipeline = compilePipeline(model);
  const reasons = new Map<string, string>();
  const checks = startHealthChecks(pipeline, pipeline.createRuntime(), { tls: tls.servers, logger: (_l, message) => noteReason(reasons, message) });
  return { reasons, stop: () => checks.stop() };
}

/** An opening with the check connection's source port hidden, and the origin's port named. */
function comparable(o: Opening | undefined, originPort: number): string {
  if (!o) return 'nothing seen';
  const proxy = o.proxy?.replace(/^(PROXY TCP4 \S+ \S+) \d+ (\d+)$/, (_m, head: string, dst: string) => `${head} SRCPORT ${Number(dst) === originPort ? 'ORIGIN' : dst}`);
  return JSON.stringify({ ...o, ...(proxy ? { proxy } : {}) });
}

async function observe(start: (cfg: string) => Engine): Promise<{ openings: Record<string, string>; reasons: Record<string, string> }> {
  const names = [...Object.keys(SERVERS), ...Object.keys(HTTP_SERVERS), SILENT];
  const base = portBlock(names.length + 1);
  const origins = new Map<string, OpeningOrigin>();
  for (const [i, n] of names.entries()) origins.set(n, await startOpeningOrigin(base + i, n === SILENT ? { silent: true } : {}));
  const engine = start(configText(new Map(names.map((n, i) => [n, base + i])), base + names.length));
  try {
    const missing = () => [...origins].filter(([, o]) => o.openings.length === 0).map(([n]) => n).join(', ');
    await until(() => missing() === '' && engine.reasons.has(SILENT) && engine.reasons.has('sslsni'), 10_000, 'a check of every server').catch((e: Error) => {
      throw new Error(`${e.message} (nothing seen by ${missing() || 'none'}; reasons ${JSON.stringify([...engine.reasons])})`);
    });
    const openings: Record<string, string> = {};
    for (const [n, o] of origins) openings[n] = comparable(o.openings[0], o.port);
    return { openings, reasons: Object.fromEntries(['sslsni', 'sslalpn', 'v2ssl', SILENT].map((n) => [n, engine.reasons.get(n) ?? 'none'])) };
  } finally {
    engine.stop();
    await Promise.all([...origins.values()].map((o) => o.close()));
  }
}

describe.skipIf(!present)('differential: health checks over TLS and PROXY vs HAProxy 2.6', () => {
  it('opens every check connection the same way and fails the TLS ones for the same reasons', async () => {
    const haproxy = await observe(runHaproxy);
    const haplo = await observe(runHaplo);
    // What HAProxy 2.6 does, spelled out (so a change on either side shows here).
    expect(haproxy.openings.sslsni).toBe(JSON.stringify({ tls: true, sni: 's.example', alpn: ['h2', 'http/1.1'] }));
    expect(haproxy.openings.sslalpn).toBe(JSON.stringify({ tls: true, alpn: ['h2'] }));
    expect(haproxy.openings.checkssl).toBe(JSON.stringify({ tls: true }));
    expect(haproxy.openings.v2ssl).toBe(JSON.stringify({ tls: true, proxy: 'v2 20000000' }));
    expect(haproxy.openings.forcedv2).toMatch(/^\{"tls":false,"proxy":"v2 20000000","plain":"GET \/h HTTP\/1\.0/);
    expect(haproxy.openings.v1).toMatch(/^\{"tls":false,"proxy":"PROXY TCP4 127\.0\.0\.1 127\.0\.0\.1 SRCPORT ORIGIN","plain":"GET \/h HTTP\/1\.0/);
    expect(haproxy.openings.v1port).toMatch(/^\{"tls":false,"plain":"GET \/h HTTP\/1\.0/);
    expect(haproxy.openings.sslport).toMatch(/^\{"tls":false,"plain":"GET \/h HTTP\/1\.0/);
    expect(haproxy.openings.nocheckssl).toMatch(/^\{"tls":false,"proxy":"PROXY TCP4 127\.0\.0\.1 127\.0\.0\.1 SRCPORT ORIGIN","plain":"GET \/h HTTP\/1\.0/);
    expect(haproxy.reasons).toEqual({ sslsni: 'Layer6 invalid response, info: "SSL handshake failure"', sslalpn: 'Layer6 invalid response, info: "SSL handshake failure"', v2ssl: 'Layer6 invalid response, info: "SSL handshake failure"', silent: 'Layer6 timeout' });
    expect(haplo).toEqual(haproxy);
  });
});

describe.runIf(!present)('health-transport-vs-haproxy without haproxy', () => {
  it('is skipped because the haproxy binary is absent', () => {
    expect(hasHaproxy()).toBe(false);
  });
});

// Health checks over TLS and PROXY (check-ssl, no-check-ssl, check-sni, check-alpn,
// check-send-proxy, and the server's own ssl / send-proxy* on checks that go where the traffic
// goes): which checks use what, read from the config, and live on loopback against a TLS origin
// and an origin that notes what each connection opened with. HAProxy 2.6 does the same
// (health-transport-vs-haproxy.test.ts).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compilePipeline } from '../../packages/sim/src/index.js';
import { startHealthChecks, type HealthChecks, type NoticeLevel } from '../../packages/proxy/src/health/index.js';
import { checkTransportOf } from '../../packages/proxy/src/health/check-transport.js';
import { loadTls } from '../../packages/proxy/src/tls/load-tls.js';
import { startOpeningOrigin, startTlsOrigin } from './check-origins.js';
import { hasOpenssl, makePki, modelOf, type Pki } from './tls-fixtures.js';
import { until } from './upstream-helpers.js';

const tlsAvailable = hasOpenssl();

function serverLine(line: string) {
  const model = modelOf(['defaults', '  mode http', '  timeout connect 200ms', 'backend be', `  ${line}`, ''].join('\n'));
  const server = model.proxies.find((p) => p.name === 'be')!.servers[0]!;
  return server;
}

/** What the check of `line` uses, with a stand-in for its loaded TLS settings. */
function transportOf(line: string) {
  const tls = { verify: 'none', alpn: [], connectOptions: () => ({}) } as const;
  const t = checkTransportOf(serverLine(line), tls);
  return t && { tls: t.tls !== undefined, proxy: t.proxy?.version, sni: t.sni, alpn: t.alpn };
}

describe('which checks use TLS and PROXY (read once from the server line)', () => {
  it('a check where the traffic goes uses the server\'s ssl and send-proxy', () => {
    expect(transportOf('server s 127.0.0.1:1 check ssl verify none')).toEqual({ tls: true, proxy: undefined, sni: undefined, alpn: undefined });
    expect(transportOf('server s 127.0.0.1:1 check send-proxy')).toEqual({ tls: false, proxy: 1, sni: undefined, alpn: undefined });
    expect(transportOf('server s 127.0.0.1:1 check send-proxy-v2 ssl verify none')).toEqual({ tls: true, proxy: 2, sni: undefined, alpn: undefined });
  });
  it('a check on another port or address is plain unless check-ssl / check-send-proxy', () => {
    expect(transportOf('server s 127.0.0.1:1 check ssl verify none port 2')).toBeUndefined();
    expect(transportOf('server s 127.0.0.1:1 check send-proxy addr 127.0.0.2')).toBeUndefined();
    expect(transportOf('server s 127.0.0.1:1 check check-ssl verify none port 2')).toEqual({ tls: true, proxy: undefined, sni: undefined, alpn: undefined });
    expect(transportOf('server s 127.0.0.1:1 check check-send-proxy port 2')).toEqual({ tls: false, proxy: 1, sni: undefined, alpn: undefined });
    expect(transportOf('server s 127.0.0.1:1 check check-send-proxy send-proxy-v2 port 2')).toEqual({ tls: false, proxy: 2, sni: undefined, alpn: undefined });
  });
  it('no-check-ssl keeps the checks of an ssl server plain', () => {
    expect(transportOf('server s 127.0.0.1:1 check ssl verify none no-check-ssl')).toBeUndefined();
  });
  it('reads check-sni and check-alpn', () => {
    expect(transportOf('server s 127.0.0.1:1 check check-ssl verify none check-sni a.example check-alpn h2,http/1.1')).toEqual({ tls: true, proxy: undefined, sni: 'a.example', alpn: ['h2', 'http/1.1'] });
  });
  it('never checks in clear a server whose TLS settings were not loaded', () => {
    expect(checkTransportOf(serverLine('server s 127.0.0.1:1 check ssl verify none'), undefined)).toEqual({ tlsMissing: true });
  });
});

describe.skipIf(!tlsAvailable)('health checks over TLS and PROXY on loopback', () => {
  let pki: Pki;
  let key = '';
  let checks: HealthChecks | undefined;
  const closers: (() => Promise<void>)[] = [];
  let notices: { level: NoticeLevel; message: string }[] = [];
  const logger = (level: NoticeLevel, message: string) => void notices.push({ level, message });
  beforeAll(() => {
    pki = makePki();
    key = pki.read(pki.leaf('s', 's.example', ['s.example']));
  });
  afterAll(() => pki?.cleanup());
  afterEach(async () => {
    checks?.stop();
    checks = undefined;
    await Promise.all(closers.splice(0).map((c) => c()));
    notices = [];
  });

  function run(backend: string[]) {
    const text = ['defaults', '  mode http', '  timeout connect 300ms', 'backend be', ...backend.map((l) => `  ${l}`), ''].join('\n');
    const model = modelOf(text);
    const tls = loadTls(model, { cwd: pki.dir });
    expect(tls.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const pipeline = compilePipeline(model);
    const runtime = pipeline.createRuntime();
    checks = startHealthChecks(pipeline, runtime, { logger, startDelay: () => 0, tls: tls.servers });
    return runtime;
  }

  it('a TCP check of an ssl server completes the handshake with check-sni and check-alpn: Layer6 check passed', async () => {
    const origin = await startTlsOrigin(key, key);
    closers.push(origin.close);
    run([`server s 127.0.0.1:${origin.port} check inter 50ms ssl ca-file ${pki.ca} check-sni s.example check-alpn http/1.1`]);
    await until(() => (checks!.state('be', 's')?.checks ?? 0) >= 1, 5000, 'a check');
    expect(checks!.state('be', 's')!.last).toMatchObject({ status: 'L6OK' });
    // TLS 1.3: the client may be done before the server sees its Finished.
    await until(() => origin.seen.length >= 1, 5000, 'the origin to see the handshake');
    expect(origin.seen[0]).toEqual({ sni: 's.example', alpn: 'http/1.1' });
  });

  it('an HTTP check goes over TLS (check-ssl, server alpn offered, no SNI without check-sni)', async () => {
    const origin = await startTlsOrigin(key, key);
    closers.push(origin.close);
    run(['option httpchk GET /health', `server s 127.0.0.1:${origin.port} check inter 50ms check-ssl alpn h2 ca-file ${pki.ca} verifyhost s.example`]);
    await until(() => (checks!.state('be', 's')?.checks ?? 0) >= 1, 5000, 'a check');
    expect(checks!.state('be', 's')!.last).toMatchObject({ status: 'L7OK', code: 200 });
    expect(origin.seen[0]).toEqual({ sni: false, alpn: 'h2', requestLine: 'GET /health HTTP/1.0' });
  });

  it('a certificate the CA does not sign, or an origin that does not speak TLS: Layer6 invalid response', async () => {
    const origin = await startTlsOrigin(key, key);
    const garbage = await startOpeningOrigin(0, { reply: 'HTTP/1.1 400 Bad\r\n\r\n' });
    closers.push(origin.close, garbage.close);
    const other = pki.otherCa();
    const runtime = run([`server a 127.0.0.1:${origin.port} check inter 50ms fall 1 ssl ca-file ${other.ca}`, `server b 127.0.0.1:${garbage.port} check inter 50ms fall 1 ssl verify none`]);
    await until(() => runtime.serverState('be', 'a')!.status === 'DOWN' && runtime.serverState('be', 'b')!.status === 'DOWN', 5000, 'both DOWN');
    for (const s of ['a', 'b']) {
      expect(notices.find((n) => n.message.startsWith(`Server be/${s} is DOWN`))!.message).toMatch(/reason: Layer6 invalid response, info: "SSL handshake failure", check duration: \d+ms/);
    }
    expect(garbage.openings[0]).toEqual({ tls: true });
  });

  it('a handshake that never ends: Layer6 timeout', async () => {
    const silent = await startOpeningOrigin(0, { silent: true });
    closers.push(silent.close);
    const runtime = run([`server s 127.0.0.1:${silent.port} check inter 150ms fall 1 ssl verify none`]);
    await until(() => runtime.serverState('be', 's')!.status === 'DOWN', 5000, 'DOWN');
    expect(notices[0]!.message).toMatch(/^Server be\/s is DOWN, reason: Layer6 timeout, check duration: \d+ms\./);
  });

  it('send-proxy on the checks: v1 with the check connection\'s addresses, v2 LOCAL, none on another port unless check-send-proxy', async () => {
    const [v1, v2, other, forced] = await Promise.all([startOpeningOrigin(), startOpeningOrigin(), startOpeningOrigin(), startOpeningOrigin()]);
    closers.push(v1.close, v2.close, other.close, forced.close);
    run([
      'option httpchk GET /h',
      `server v1 127.0.0.1:${v1.port} check inter 50ms send-proxy`,
      `server v2 127.0.0.1:${v2.port} check inter 50ms send-proxy-v2`,
      `server other 127.0.0.1:1 check inter 50ms send-proxy port ${other.port}`,
      `server forced 127.0.0.1:1 check inter 50ms check-send-proxy port ${forced.port}`,
    ]);
    await until(() => [v1, v2, other, forced].every((o) => o.openings.length >= 1), 5000, 'a check on each');
    expect(v1.openings[0]!.proxy).toMatch(new RegExp(`^PROXY TCP4 127\\.0\\.0\\.1 127\\.0\\.0\\.1 \\d+ ${v1.port}$`));
    expect(v1.openings[0]!.plain).toMatch(/^GET \/h HTTP\/1\.0\r\n/);
    expect(v2.openings[0]!.proxy).toBe('v2 20000000');
    expect(other.openings[0]!.proxy).toBeUndefined();
    expect(forced.openings[0]!.proxy).toMatch(new RegExp(`^PROXY TCP4 127\\.0\\.0\\.1 127\\.0\\.0\\.1 \\d+ ${forced.port}$`));
  });
});

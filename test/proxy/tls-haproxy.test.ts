// `bind … ssl` against HAProxy 2.6 on the same configuration and certificates: for each client
// (SNI or none, ALPN lists, protocol limits, client certificates) both must present the same
// certificate (by CN), agree to or refuse the handshake alike, and report the same facts
// (HAProxy's ssl_fc_sni, ssl_fc_protocol, ssl_fc_alpn, ssl_fc_cipher, ssl_c_used, ssl_c_s_dn
// against haplo's TlsInfo).
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsInfo } from '@haplo/sim';
import { hasHaproxy } from '../support/haproxy.js';
import { acceptTls, loadTls, type BindTls } from '../../packages/proxy/src/tls/index.js';
import { handshake, hasOpenssl, makePki, modelOf, portBlock, startHaproxyOn, type Handshake, type Pki, type RunningHaproxy } from './tls-fixtures.js';

const present = hasHaproxy() && hasOpenssl();
const BASE = portBlock(10);
const FACTS = '%[ssl_fc_sni]|%[ssl_fc_protocol]|%[ssl_fc_alpn]|%[ssl_fc_cipher]|%[ssl_c_used]|%[ssl_c_s_dn]';
const BINDS = [
  `bind 127.0.0.1:${BASE} ssl crt default.pem crt a.pem crt-list list.txt alpn h2,http/1.1`,
  `bind 127.0.0.1:${BASE + 1} ssl crt default.pem crt a.pem strict-sni`,
  `bind 127.0.0.1:${BASE + 2} ssl crt default.pem ssl-min-ver TLSv1.3`,
  `bind 127.0.0.1:${BASE + 3} ssl crt default.pem verify required ca-file ca.pem`,
  `bind 127.0.0.1:${BASE + 4} ssl crt default.pem alpn http/1.1,h2 ssl-max-ver TLSv1.2`,
];

/** The facts line of a handshake: HAProxy's answer body, or haplo's TlsInfo written the same way. */
function factsOf(h: Handshake, fromHaplo: boolean): string {
  if (!h.ok || h.data === '') return 'refused';
  if (!fromHaplo) return `${h.cn} ${h.data.split('\r\n\r\n')[1] ?? ''}`;
  const i = JSON.parse(h.data) as TlsInfo;
  return `${h.cn} ${i.sni ?? ''}|${i.protocol ?? ''}|${i.alpn ?? ''}|${i.cipher ?? ''}|${i.clientCert ? 1 : 0}|${i.clientSubject ?? ''}`;
}

describe.skipIf(!present)('bind ssl: differential against HAProxy 2.6', () => {
  let pki: Pki;
  let haproxy: RunningHaproxy;
  const ours: number[] = [];
  const servers: Server[] = [];

  beforeAll(async () => {
    pki = makePki();
    pki.leaf('default', 'default.test', ['default.test']);
    pki.leaf('a', 'a.test', ['a.test', '*.wild.test']);
    pki.leaf('b', 'b.test', ['b.test']);
    pki.leaf('client', 'client', []);
    pki.leaf('self', 'self', [], { selfSigned: true });
    pki.write('list.txt', 'b.pem other.test\na.pem *.wild.test !bad.wild.test\n');
    const cfg = `global\n    crt-base ${pki.dir}\n    ca-base ${pki.dir}\ndefaults\n    mode http\n    timeout client 3s\n    timeout connect 1s\n    timeout server 1s\nfrontend fe\n${BINDS.map((b) => `    ${b}\n`).join('')}    http-request return status 200 content-type text/plain lf-string "${FACTS}"\n`;
    haproxy = await startHaproxyOn(cfg, pki.dir, BINDS.map((_, i) => BASE + i));
    const loaded = loadTls(modelOf(cfg), { cwd: pki.dir });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const bind of loaded.binds.values()) ours.push(await serve(bind, servers));
  });
  afterAll(async () => {
    await haproxy?.close();
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    pki?.cleanup();
  });

  const client = (name: string) => pki.read(`${pki.dir}/${name}.pem`);
  const cases: { name: string; expect: string; bind: number; options: () => import('node:tls').ConnectionOptions }[] = [
    { name: 'no SNI', expect: 'default.test', bind: 0, options: () => ({}) },
    { name: 'SNI a.test', expect: 'a.test', bind: 0, options: () => ({ servername: 'a.test' }) },
    { name: 'SNI x.wild.test (wildcard)', expect: 'a.test', bind: 0, options: () => ({ servername: 'x.wild.test' }) },
    { name: 'SNI Y.Wild.Test (case)', expect: 'a.test', bind: 0, options: () => ({ servername: 'Y.Wild.Test' }) },
    { name: 'SNI a.b.wild.test (two labels)', expect: 'default.test', bind: 0, options: () => ({ servername: 'a.b.wild.test' }) },
    { name: 'SNI other.test (crt-list filter)', expect: 'b.test', bind: 0, options: () => ({ servername: 'other.test' }) },
    { name: 'SNI b.test (filtered out)', expect: 'default.test', bind: 0, options: () => ({ servername: 'b.test' }) },
    // The negative filter only stops its own crt-list line: `crt a.pem` on the bind line still matches.
    { name: 'SNI bad.wild.test (negative filter on another line)', expect: 'a.test', bind: 0, options: () => ({ servername: 'bad.wild.test' }) },
    { name: 'SNI unknown.test', expect: 'default.test', bind: 0, options: () => ({ servername: 'unknown.test' }) },
    { name: 'strict-sni, known name', expect: 'a.test', bind: 1, options: () => ({ servername: 'a.test' }) },
    { name: 'strict-sni, unknown name', expect: 'refused', bind: 1, options: () => ({ servername: 'unknown.test' }) },
    { name: 'strict-sni, no SNI', expect: 'refused', bind: 1, options: () => ({}) },
    { name: 'ssl-min-ver TLSv1.3, TLSv1.2 client', expect: 'refused', bind: 2, options: () => ({ maxVersion: 'TLSv1.2' }) },
    { name: 'ssl-min-ver TLSv1.3, any client', expect: 'default.test', bind: 2, options: () => ({}) },
    { name: 'verify required, no certificate', expect: 'refused', bind: 3, options: () => ({}) },
    { name: 'verify required, good certificate', expect: 'default.test', bind: 3, options: () => ({ cert: client('client'), key: client('client') }) },
    { name: 'verify required, self-signed certificate', expect: 'refused', bind: 3, options: () => ({ cert: client('self'), key: client('self') }) },
    { name: 'ssl-max-ver TLSv1.2, ALPN in server order', expect: 'default.test', bind: 4, options: () => ({ ALPNProtocols: ['h2', 'http/1.1'], ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }) },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const request = Buffer.from('GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
      const theirs = await handshakeAndAsk(BASE + c.bind, c.options(), request);
      const mine = await handshake(ours[c.bind]!, c.options());
      expect(factsOf(theirs, false).split(' ')[0]).toBe(c.expect);
      expect(factsOf(mine, true)).toBe(factsOf(theirs, false));
    });
  }
  it('ALPN h2,http/1.1 in mode http: HAProxy negotiates h2, haplo (HTTP/1.1 only) http/1.1', async () => {
    const theirs = await handshake(BASE, { ALPNProtocols: ['h2', 'http/1.1'] });
    const mine = await handshake(ours[0]!, { ALPNProtocols: ['h2', 'http/1.1'] });
    expect([theirs.alpn, mine.alpn]).toEqual(['h2', 'http/1.1']);
  });
});

describe.skipIf(present)('bind ssl: differential against HAProxy 2.6', () => {
  it('is skipped: needs the haproxy (2.6) and openssl binaries on PATH', () => {
    console.warn('tls-haproxy: skipped, haproxy 2.6 or openssl is not installed');
  });
});

/** A handshake that then sends an HTTP request (HAProxy answers with its facts line). */
async function handshakeAndAsk(port: number, options: import('node:tls').ConnectionOptions, request: Buffer): Promise<Handshake> {
  const { connect } = await import('node:tls');
  return new Promise((resolve) => {
    const c = connect({ port, host: '127.0.0.1', rejectUnauthorized: false, ...options });
    const out: Handshake = { ok: false, data: '' };
    const timer = setTimeout(() => c.destroy(), 4000);
    c.on('secureConnect', () => {
      out.ok = true;
      out.cn = c.getPeerX509Certificate()?.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3);
      out.alpn = c.alpnProtocol;
      out.protocol = c.getProtocol();
      c.write(request);
    });
    c.on('data', (d) => (out.data += d.toString()));
    c.on('error', (e) => (out.error ??= e.message));
    c.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

async function serve(bind: BindTls, servers: Server[]): Promise<number> {
  const server = createServer({ pauseOnConnect: true }, async (socket) => {
    socket.on('error', () => {});
    const r = await acceptTls(socket, bind, { timeoutMs: 3000 });
    if (r.kind === 'secure') r.socket.end(JSON.stringify(r.info));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

// TLS routing on SNI through `haplo run` and HAProxy 2.6 on the same configuration and
// certificates (`bind … ssl crt DIR`, use_backend on ssl_fc_sni, X-SNI and X-Forwarded-For set
// for the origin): for every client SNI in the list both must present the same certificate and
// reach the same backend with the same headers. Then `server … ssl` (and `send-proxy` before
// it): the right CA answers, the wrong CA and a server that never finishes the handshake give
// the same status (503: the handshake is part of the connect, under `timeout connect`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasHaproxy } from '../support/haproxy.js';
import { startHaploRun, type RunningHaplo } from '../support/haplo-run.js';
import { createServer, type Server, type Socket } from 'node:net';
import { oneRequest, type HttpOrigin } from './run-harness.js';
import { echoOrigin, startTlsOrigin, tlsRequest, type TlsAnswer, type TlsOrigin } from './run-tls-clients.js';
import { hasOpenssl, makePki, portBlock, startHaproxyOn, type Pki, type RunningHaproxy } from './tls-fixtures.js';

const present = hasHaproxy() && hasOpenssl();
const BASE = portBlock(4);
const PORT = { haproxy: BASE, haplo: BASE + 1, upstreamHaproxy: BASE + 2, upstreamHaplo: BASE + 3 };

/** Client SNIs (undefined: none sent). */
const SNIS: (string | undefined)[] = [undefined, 'a.test', 'A.Test', 'b.test', 'deep.b.test', 'c.test', 'nobody.test', 'b.test.evil'];

function config(port: number, dir: string, origins: Record<string, number>): string {
  return `
global
    crt-base ${dir}
defaults
    mode http
    timeout connect 1s
    timeout client 3s
    timeout server 3s
frontend fe
    bind 127.0.0.1:${port} ssl crt certs alpn http/1.1
    option forwardfor
    http-request set-header X-SNI %[ssl_fc_sni]
    use_backend be_a if { ssl_fc_sni -i a.test }
    use_backend be_b if { ssl_fc_sni -m end .b.test } || { ssl_fc_sni b.test }
    use_backend be_c if { ssl_fc_sni -m reg ^c\\. }
    default_backend be_default
${Object.entries(origins).map(([name, p]) => `backend be_${name}\n    server s 127.0.0.1:${p}\n`).join('')}`;
}

/** What one client saw: certificate CN and the origin's `name|xff|x-sni` answer. */
function seen(a: TlsAnswer): string {
  return `${a.cn ?? 'no handshake'} ${a.response?.status ?? '-'} ${a.response?.body.toString() ?? ''}`;
}

describe.skipIf(!present)('haplo run vs HAProxy 2.6: TLS routing on SNI', () => {
  let pki: Pki;
  let haproxy: RunningHaproxy;
  let haplo: RunningHaplo;
  const origins: HttpOrigin[] = [];

  beforeAll(async () => {
    pki = makePki();
    mkdirSync(join(pki.dir, 'certs'));
    for (const [name, cn, dns] of [['a', 'a.test', ['a.test']], ['b', 'b.test', ['b.test', '*.b.test']], ['c', 'c.test', ['c.test']]] as const) {
      writeFileSync(join(pki.dir, 'certs', `${name}.pem`), pki.read(pki.leaf(name, cn, [...dns])));
    }
    const ports: Record<string, number> = {};
    for (const name of ['a', 'b', 'c', 'default']) {
      const o = await echoOrigin(name);
      origins.push(o);
      ports[name] = o.port;
    }
    haproxy = await startHaproxyOn(config(PORT.haproxy, pki.dir, ports), pki.dir, [PORT.haproxy]);
    haplo = await startHaploRun(config(PORT.haplo, pki.dir, ports), [PORT.haplo]);
  });
  afterAll(async () => {
    await haproxy?.close();
    await haplo?.stop();
    await Promise.all(origins.map((o) => o.close()));
    pki?.cleanup();
  });

  for (const sni of SNIS) {
    it(`SNI ${sni ?? '(none)'}: same certificate, backend and headers`, async () => {
      const options = sni === undefined ? {} : { servername: sni };
      const theirs = await tlsRequest(PORT.haproxy, options);
      const mine = await tlsRequest(PORT.haplo, options);
      expect(theirs.response?.status).toBe(200);
      expect(seen(mine)).toBe(seen(theirs));
    });
  }
});

function upstreamConfig(port: number, dir: string, tlsPort: number, proxiedTlsPort: number, stallPort: number, wrongCa: string): string {
  return `
global
    ca-base ${dir}
defaults
    mode http
    timeout connect 300ms
    timeout client 3s
    timeout server 3s
    retries 1
frontend fe
    bind 127.0.0.1:${port}
    use_backend wrong_ca if { path /wrong-ca }
    use_backend stall if { path /stall }
    use_backend proxied if { path /proxied }
    use_backend sni if { path /sni }
    default_backend good
backend good
    server s 127.0.0.1:${tlsPort} ssl verify required ca-file ca.pem
backend sni
    server s 127.0.0.1:${tlsPort} ssl verify required ca-file ca.pem sni str(origin.test)
backend wrong_ca
    server s 127.0.0.1:${tlsPort} ssl verify required ca-file ${wrongCa}
backend stall
    server s 127.0.0.1:${stallPort} ssl verify none
backend proxied
    server s 127.0.0.1:${proxiedTlsPort} send-proxy-v2 ssl verify required ca-file ca.pem
`;
}

describe.skipIf(!present)('haplo run vs HAProxy 2.6: server ssl', () => {
  let pki: Pki;
  let haproxy: RunningHaproxy;
  let haplo: RunningHaplo;
  let tlsOrigin: TlsOrigin;
  let proxied: TlsOrigin;
  let stall: Server;
  const stalled = new Set<Socket>();

  beforeAll(async () => {
    pki = makePki();
    const pem = pki.read(pki.leaf('origin', 'origin.test', ['origin.test']));
    tlsOrigin = await startTlsOrigin(pem);
    proxied = await startTlsOrigin(pem, { proxy: true });
    // Accepts the TCP connection, never answers the ClientHello.
    stall = createServer((s) => {
      stalled.add(s);
      s.on('error', () => {});
    });
    await new Promise<void>((r) => stall.listen(0, '127.0.0.1', r));
    const stallPort = (stall.address() as { port: number }).port;
    const wrongCa = pki.otherCa().ca;
    const cfg = (port: number) => upstreamConfig(port, pki.dir, tlsOrigin.port, proxied.port, stallPort, wrongCa);
    haproxy = await startHaproxyOn(cfg(PORT.upstreamHaproxy), pki.dir, [PORT.upstreamHaproxy]);
    haplo = await startHaploRun(cfg(PORT.upstreamHaplo), [PORT.upstreamHaplo]);
  });
  afterAll(async () => {
    await haproxy?.close();
    await haplo?.stop();
    for (const s of stalled) s.destroy();
    await new Promise<void>((r) => (stall ? stall.close(() => r()) : r()));
    await Promise.all([tlsOrigin?.close(), proxied?.close()]);
    pki?.cleanup();
  });

  const ask = async (port: number, path: string): Promise<string> => {
    const { response, client } = await oneRequest(port, `GET ${path} HTTP/1.1\r\nhost: x\r\n\r\n`, 8000);
    client.close();
    return `${response.status} ${response.status === 200 ? response.body.toString() : ''}`;
  };

  for (const [path, expected] of [['/', '200 tls-origin|-'], ['/sni', '200 tls-origin|origin.test'], ['/wrong-ca', '503 '], ['/stall', '503 '], ['/proxied', '200 tls-origin|-']] as const) {
    it(`${path}: ${expected.trim()} from both`, async () => {
      const theirs = await ask(PORT.upstreamHaproxy, path);
      const mine = await ask(PORT.upstreamHaplo, path);
      expect(theirs).toBe(expected);
      expect(mine).toBe(theirs);
    });
  }
  it('send-proxy-v2 before the handshake: both send the client address in the header', () => {
    const got = proxied.headers.map((h) => (h.kind === 'proxy' ? h.addresses.src : h.kind));
    expect(got).toEqual(['127.0.0.1', '127.0.0.1']);
  });
});

describe.skipIf(present)('haplo run vs HAProxy 2.6: TLS routing on SNI', () => {
  it('is skipped: needs the haproxy (2.6) and openssl binaries on PATH', () => {
    console.warn('run-tls-haproxy: skipped, haproxy 2.6 or openssl is not installed');
  });
});

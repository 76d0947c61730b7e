// `haplo run` with TLS, end to end with real clients (curl, openssl s_client, Node tls):
// `bind … ssl crt DIR alpn http/1.1` picks the certificate by SNI, `ssl_fc_sni` reaches the
// rules (a header the origin sees, use_backend in mode http and tcp); a failed handshake closes
// only its own connection; `server … ssl` verifies the server with its CA file (the wrong CA:
// 503), sends the `sni`, and pooled TLS connections are reused; and a certificate that cannot
// be loaded stops the start with a diagnostic on the bind line.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHaploRun, type RunningHaplo } from '../support/haplo-run.js';
import { header, oneRequest, parseResponses, RawClient, type HttpOrigin, type ParsedResponse } from './run-harness.js';
import { curlHttps, echoOrigin, opensslRequest, rawExchange, startTlsOrigin, tlsRequest, type TlsOrigin } from './run-tls-clients.js';
import { hasOpenssl, makePki, portBlock, type Pki } from './tls-fixtures.js';

const HAPLO = fileURLToPath(new URL('../../bin/haplo.js', import.meta.url));
const BASE = portBlock(10);
const PORT = { http: BASE, tcp: BASE + 1, upstream: BASE + 2 };

/** One plain HTTP request to the `upstream` frontend on its own connection. */
async function plain(path: string): Promise<ParsedResponse> {
  const { response, client } = await oneRequest(PORT.upstream, `GET ${path} HTTP/1.1\r\nhost: x\r\n\r\n`);
  client.close();
  return response;
}

describe.skipIf(!hasOpenssl())('haplo run: TLS end to end', () => {
  let pki: Pki;
  let a: HttpOrigin;
  let b: HttpOrigin;
  let fallback: HttpOrigin;
  let good: TlsOrigin;
  let haplo: RunningHaplo;
  let wrongCa: string;

  beforeAll(async () => {
    pki = makePki();
    // A crt directory: files load in name order, the first (a.pem) is the default certificate.
    mkdirSync(join(pki.dir, 'certs'));
    for (const [name, cn, dns] of [['a', 'a.test', ['a.test']], ['b', 'b.test', ['b.test', '*.b.test']]] as const) {
      writeFileSync(join(pki.dir, 'certs', `${name}.pem`), pki.read(pki.leaf(name, cn, [...dns])));
    }
    wrongCa = pki.otherCa().ca;
    [a, b, fallback] = await Promise.all([echoOrigin('a'), echoOrigin('b'), echoOrigin('fallback')]);
    good = await startTlsOrigin(pki.read(pki.leaf('origin', 'origin.test', ['origin.test'])));
    haplo = await startHaploRun(`
global
    crt-base ${pki.dir}
    ca-base ${pki.dir}
defaults
    timeout connect 1s
    timeout client 3s
    timeout server 3s
    retries 1
frontend web
    mode http
    bind 127.0.0.1:${PORT.http} ssl crt certs alpn http/1.1
    option forwardfor
    http-request set-header X-SNI %[ssl_fc_sni]
    use_backend be_a if { ssl_fc_sni -i a.test }
    use_backend be_b if { ssl_fc_sni -m end .b.test } || { ssl_fc_sni b.test }
    default_backend be_fallback
frontend raw
    mode tcp
    bind 127.0.0.1:${PORT.tcp} ssl crt certs
    use_backend tcp_b if { ssl_fc_sni b.test }
    default_backend tcp_a
frontend upstream
    mode http
    bind 127.0.0.1:${PORT.upstream}
    use_backend tls_sni if { path /sni }
    use_backend tls_wrong_ca if { path /wrong-ca }
    default_backend tls_good
backend be_a
    mode http
    server a 127.0.0.1:${a.port}
backend be_b
    mode http
    server b 127.0.0.1:${b.port}
backend be_fallback
    mode http
    server f 127.0.0.1:${fallback.port}
backend tcp_a
    mode tcp
    server a 127.0.0.1:${a.port}
backend tcp_b
    mode tcp
    server b 127.0.0.1:${b.port}
backend tls_good
    mode http
    server o 127.0.0.1:${good.port} ssl verify required ca-file ca.pem
backend tls_sni
    mode http
    server o 127.0.0.1:${good.port} ssl verify required ca-file ca.pem sni str(origin.test)
backend tls_wrong_ca
    mode http
    server o 127.0.0.1:${good.port} ssl verify required ca-file ${wrongCa}
`, [PORT.http, PORT.tcp, PORT.upstream]);
  });
  afterAll(async () => {
    await haplo?.stop();
    await Promise.all([a?.close(), b?.close(), fallback?.close(), good?.close()]);
    pki?.cleanup();
  });

  it('curl: the certificate is chosen by SNI and the origin sees X-SNI', async () => {
    const r = await curlHttps('b.test', PORT.http, pki.ca);
    expect(r.stderr).toBe('');
    expect(r.out).toMatch(/^HTTP\/1\.1 200/);
    expect(r.out.endsWith('b|127.0.0.1|b.test')).toBe(true);
    const wild = await curlHttps('x.b.test', PORT.http, pki.ca);
    expect(wild.out.endsWith('b|127.0.0.1|x.b.test')).toBe(true);
  });

  it('openssl s_client -servername: certificate, ALPN and backend follow the name', async () => {
    const out = await opensslRequest(PORT.http, 'a.test', pki.ca);
    expect(out).toMatch(/subject=.*CN\s*=\s*a\.test/);
    expect(out).toContain('ALPN protocol: http/1.1');
    expect(out).toContain('Verify return code: 0 (ok)');
    expect(out).toContain('a|127.0.0.1|a.test');
  });

  it('Node tls: no SNI gets the default certificate (first file of the directory) and the default backend', async () => {
    const r = await tlsRequest(PORT.http, {});
    expect(r.cn).toBe('a.test');
    expect(r.response?.body.toString()).toBe('fallback|127.0.0.1|');
    const unknown = await tlsRequest(PORT.http, { servername: 'nobody.test' });
    expect(unknown.cn).toBe('a.test');
    expect(unknown.response?.body.toString()).toBe('fallback|127.0.0.1|nobody.test');
  });

  it('mode tcp: use_backend on ssl_fc_sni, the origin reads the decrypted bytes', async () => {
    const toB = await tlsRequest(PORT.tcp, { servername: 'b.test' });
    expect(toB.response?.body.toString()).toBe('b|-|-');
    const toA = await tlsRequest(PORT.tcp, { servername: 'other.test' });
    expect(toA.response?.body.toString()).toBe('a|-|-');
  });

  it('a failed handshake closes only its own connection', async () => {
    const garbage = await rawExchange(PORT.http, 'GET / HTTP/1.1\r\nhost: x\r\n\r\n');
    expect(garbage.data.toString('latin1')).not.toMatch(/^HTTP/);
    const refused = await tlsRequest(PORT.http, { servername: 'a.test', maxVersion: 'TLSv1.1', minVersion: 'TLSv1' });
    expect(refused.response).toBeUndefined();
    const fine = await tlsRequest(PORT.http, { servername: 'a.test' });
    expect(fine.response?.status).toBe(200);
  });

  it('server ssl verify required with the right CA: 200; SNI sent from `sni`; pooled TLS connections reused', async () => {
    const before = good.handshakes.length;
    // Three requests on one client connection: the first opens a TLS connection, which goes
    // back to the pool after each exchange and carries the next requests (http-reuse safe).
    const c = new RawClient(PORT.upstream);
    await c.ready();
    for (let n = 1; n <= 3; n++) {
      c.send('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
      await c.untilResponses(n);
    }
    c.close();
    expect(parseResponses(c.received).map((r) => `${r.status} ${r.body}`)).toEqual(Array(3).fill('200 tls-origin|-'));
    expect(good.handshakes.length - before).toBe(1);
    const sni = await plain('/sni');
    expect(sni.body.toString()).toBe('tls-origin|origin.test');
    expect(good.handshakes.at(-1)).toBe('origin.test');
  });

  it('server ssl verify required with the wrong CA: 503', async () => {
    const response = await plain('/wrong-ca');
    expect(response.status).toBe(503);
    expect(header(response, 'content-type')).toBe('text/html');
  });
});

describe.skipIf(!hasOpenssl())('haplo run: TLS settings that stop the start', () => {
  it('a crt file that holds no certificate: file:line:col: error[RUN6001] on the bind line, exit 1', async () => {
    const pki = makePki();
    try {
      pki.write('junk.pem', 'not a certificate\n');
      const cfg = pki.write('bad.cfg', `defaults\n    mode http\n    timeout client 1s\nfrontend fe\n    bind 127.0.0.1:${BASE + 9} ssl crt ${pki.dir}/junk.pem\n    default_backend be\nbackend be\n    server s 127.0.0.1:1\n`);
      const r = await new Promise<{ code: number; stderr: string }>((resolve) =>
        execFile(process.execPath, [HAPLO, 'run', '-c', '-f', cfg], { encoding: 'utf8' }, (err, _out, stderr) => resolve({ code: err ? Number(err.code) : 0, stderr })));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^${cfg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:5:\\d+: error\\[RUN6001\\]: `, 'm'));
    } finally {
      pki.cleanup();
    }
  });
});

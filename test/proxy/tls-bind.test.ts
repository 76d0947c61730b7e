// `bind … ssl`: certificates loaded once from crt files, directories and crt-lists; SNI picks
// the certificate (exact names, wildcards, crt-list filters, the first one as default,
// strict-sni); ALPN (h2 left out in mode http); protocol range; client certificates; the
// handshake's facts for the ssl_* fetches; PROXY header then TLS on one socket; and the
// diagnostics that stop the start, pointing at the bind line.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFetchDef, type TlsInfo } from '@haplo/sim';
import { acceptTls, loadTls, type BindTls, type LoadedTls } from '../../packages/proxy/src/tls/index.js';
import { acceptProxyHeader } from '../../packages/proxy/src/proxy-protocol/index.js';
import { renderDiagnostic } from '../../packages/proxy/src/config/load-config.js';
import { handshake, hasOpenssl, makePki, modelOf, type Pki } from './tls-fixtures.js';

const servers: Server[] = [];

/** A listener that runs haplo's server handshake and writes the resulting TlsInfo as JSON. */
async function serve(bind: BindTls, options: { proxy?: boolean } = {}): Promise<number> {
  const server = createServer({ pauseOnConnect: true }, async (socket) => {
    socket.on('error', () => {});
    let origin = '';
    if (options.proxy) {
      const h = await acceptProxyHeader(socket, { timeoutMs: 2000 });
      if (h.kind === 'closed') return;
      if (h.kind === 'proxy') origin = `${h.addresses.src}:${h.addresses.srcPort}`;
    }
    const r = await acceptTls(socket, bind, { timeoutMs: 2000 });
    if (r.kind === 'closed') return;
    r.socket.end(JSON.stringify({ ...r.info, origin }));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

function load(pki: Pki, body: string, global = ''): LoadedTls {
  const text = `global\n    crt-base ${pki.dir}\n    ca-base ${pki.dir}\n${global}defaults\n    timeout client 1s\n${body}`;
  return loadTls(modelOf(text), { cwd: pki.dir });
}

function onlyBind(t: LoadedTls): BindTls {
  expect(t.diagnostics.filter((d) => d.severity === 'error').map(renderDiagnostic)).toEqual([]);
  const [bind] = [...t.binds.values()];
  return bind!;
}

const info = (data: string): TlsInfo & { origin: string } => JSON.parse(data) as TlsInfo & { origin: string };

describe.skipIf(!hasOpenssl())('bind ssl', () => {
  let pki: Pki;
  beforeAll(() => {
    pki = makePki();
    pki.leaf('default', 'default.test', ['default.test']);
    pki.leaf('a', 'a.test', ['a.test', '*.wild.test']);
    pki.leaf('b', 'b.test', ['b.test']);
    pki.leaf('sep', 'sep.test', ['sep.test'], { keySeparate: true });
    pki.leaf('client', 'client', []);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    pki?.cleanup();
  });

  describe('SNI selects the certificate', () => {
    let port = 0;
    beforeAll(async () => {
      port = await serve(onlyBind(load(pki, 'frontend fe\n    mode http\n    bind 127.0.0.1:19999 ssl crt default.pem crt a.pem crt b.pem crt sep.pem\n')));
    });
    const cases: [string | undefined, string][] = [
      [undefined, 'default.test'],
      ['a.test', 'a.test'],
      ['b.test', 'b.test'],
      ['B.Test', 'b.test'],
      ['x.wild.test', 'a.test'],
      ['y.x.wild.test', 'default.test'],
      ['wild.test', 'default.test'],
      ['unknown.test', 'default.test'],
      ['sep.test', 'sep.test'],
    ];
    for (const [sni, cn] of cases) {
      it(`${sni ?? 'no SNI'} → ${cn}`, async () => {
        const h = await handshake(port, sni ? { servername: sni } : {});
        expect(h.ok).toBe(true);
        expect(h.cn).toBe(cn);
        const i = info(h.data);
        expect(i.sni).toBe(sni);
        expect(i.protocol).toBe('TLSv1.3');
        expect(i.cipher).toMatch(/^TLS_/);
        expect(i.clientCert).toBe(false);
      });
    }
  });

  it('strict-sni refuses unknown names and handshakes without SNI', async () => {
    const port = await serve(onlyBind(load(pki, 'frontend fe\n    bind 127.0.0.1:19999 ssl crt default.pem crt a.pem strict-sni\n')));
    expect((await handshake(port, { servername: 'a.test' })).cn).toBe('a.test');
    expect((await handshake(port, { servername: 'unknown.test' })).ok).toBe(false);
    expect((await handshake(port, {})).ok).toBe(false);
  });

  it('a directory loads its certificates in alphabetical order (dot files and .key/.ocsp… skipped), the first being the default', async () => {
    const { mkdirSync, copyFileSync, writeFileSync } = await import('node:fs');
    const dir = `${pki.dir}/certs`;
    mkdirSync(dir);
    copyFileSync(`${pki.dir}/b.pem`, `${dir}/20-b.pem`);
    copyFileSync(`${pki.dir}/a.pem`, `${dir}/10-a.pem`);
    copyFileSync(`${pki.dir}/sep.pem`, `${dir}/30-sep.pem`);
    copyFileSync(`${pki.dir}/sep.pem.key`, `${dir}/30-sep.pem.key`);
    writeFileSync(`${dir}/.hidden.pem`, 'not a certificate');
    writeFileSync(`${dir}/10-a.pem.ocsp`, 'not a certificate');
    const bind = onlyBind(load(pki, 'frontend fe\n    bind 127.0.0.1:19999 ssl crt certs\n'));
    expect(bind.certificates.map((c) => c.names[0])).toEqual(['a.test', 'b.test', 'sep.test']);
    const port = await serve(bind);
    expect((await handshake(port, {})).cn).toBe('a.test');
    expect((await handshake(port, { servername: 'sep.test' })).cn).toBe('sep.test');
  });

  it('crt-list lines: SNI filters replace the names, negative filters exclude names from wildcards', async () => {
    pki.write('list.txt', '# comment\ndefault.pem\nb.pem other.test\n\na.pem [alpn h2] *.wild.test !bad.wild.test\n');
    const t = load(pki, 'frontend fe\n    bind 127.0.0.1:19999 ssl crt-list list.txt\n');
    expect(t.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/list\.txt:5: 'alpn' in a crt-list line is ignored by haplo run$/)]);
    const bind = onlyBind(t);
    expect(bind.certificates.map((c) => c.names[0])).toEqual(['default.test', 'b.test', 'a.test']);
    const port = await serve(bind);
    expect((await handshake(port, { servername: 'other.test' })).cn).toBe('b.test');
    expect((await handshake(port, { servername: 'b.test' })).cn).toBe('default.test');
    const wild = await handshake(port, { servername: 'x.wild.test' });
    expect(wild.cn).toBe('a.test');
    expect((await handshake(port, { servername: 'bad.wild.test' })).cn).toBe('default.test');
    expect((await handshake(port, { servername: 'a.test' })).cn).toBe('default.test');
  });

  it('crt-list options that change who may connect stop the start', () => {
    pki.write('strict.txt', 'default.pem [ssl-min-ver TLSv1.3 verify required]\n');
    const t = load(pki, 'frontend fe\n    bind 127.0.0.1:19999 ssl crt-list strict.txt\n');
    expect(t.failed).toBe(true);
    expect(t.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/strict\.txt:1: 'ssl-min-ver' in a crt-list line is not supported by haplo run; put it on the bind line/),
      expect.stringMatching(/strict\.txt:1: 'verify' in a crt-list line is not supported/),
    ]);
  });

  describe('ALPN', () => {
    it('mode http leaves h2 out (with a warning) and negotiates http/1.1', async () => {
      const t = load(pki, 'frontend fe\n    mode http\n    bind 127.0.0.1:19999 ssl crt default.pem alpn h2,http/1.1\n');
      expect(t.diagnostics.map((d) => `${d.severity} ${d.message}`).join('\n')).toMatch(/warning haplo run serves HTTP\/1\.1 only: 'h2' is left out/);
      const port = await serve(onlyBind(t));
      const h = await handshake(port, { ALPNProtocols: ['h2', 'http/1.1'] });
      expect(h.alpn).toBe('http/1.1');
      expect(info(h.data).alpn).toBe('http/1.1');
      expect((await handshake(port, {})).alpn).toBe(false);
    });
    it('mode tcp offers the list as written, in the server’s order', async () => {
      const port = await serve(onlyBind(load(pki, 'frontend fe\n    mode tcp\n    bind 127.0.0.1:19999 ssl crt default.pem alpn h2,http/1.1\n')));
      expect((await handshake(port, { ALPNProtocols: ['http/1.1', 'h2'] })).alpn).toBe('h2');
    });
  });

  it('ssl-min-ver refuses older clients; ssl-max-ver caps the version', async () => {
    const min = await serve(onlyBind(load(pki, 'frontend fe\n    bind 127.0.0.1:19999 ssl crt default.pem ssl-min-ver TLSv1.3\n')));
    expect((await handshake(min, { maxVersion: 'TLSv1.2' })).ok).toBe(false);
    expect((await handshake(min, {})).protocol).toBe('TLSv1.3');
    const max = await serve(onlyBind(load(pki, 'frontend fe\n    bind 127.0.0.1:19999 ssl crt default.pem ssl-max-ver TLSv1.2\n')));
    expect((await handshake(max, {})).protocol).toBe('TLSv1.2');
  });

  it('ssl-default-bind-options apply to bind lines', async () => {
    const t = load(pki, 'frontend fe\n    bind 127.0.0.1:19999 ssl crt default.pem\n', '    ssl-default-bind-options ssl-min-ver TLSv1.3\n');
    const port = await serve(onlyBind(t));
    expect((await handshake(port, { maxVersion: 'TLSv1.2' })).ok).toBe(false);
  });

  describe('client certificates', () => {
    it('verify required: no certificate or one from another CA is refused; a good one is described', async () => {
      const port = await serve(onlyBind(load(pki, 'frontend fe\n    bind 127.0.0.1:19999 ssl crt default.pem verify required ca-file ca.pem\n')));
      expect((await handshake(port, {})).ok).toBe(false);
      const good = pki.read(`${pki.dir}/client.pem`);
      const ok = await handshake(port, { cert: good, key: good });
      expect(ok.ok).toBe(true);
      expect(info(ok.data)).toMatchObject({ clientCert: true, verifyResult: 0, clientSubject: '/O=Haplo/CN=client', clientIssuer: '/CN=Haplo Test CA' });
      // Under TLS 1.3 the client may see its side of the handshake end first: refused means no answer.
      const selfSigned = pki.read(pki.leaf('self', 'self', [], { selfSigned: true }));
      expect((await handshake(port, { cert: selfSigned, key: selfSigned })).data).toBe('');
    });
    it('verify optional: no certificate is fine, a bad one still ends the connection', async () => {
      const port = await serve(onlyBind(load(pki, 'frontend fe\n    bind 127.0.0.1:19999 ssl crt default.pem verify optional ca-file ca.pem\n')));
      const none = await handshake(port, {});
      expect(none.ok).toBe(true);
      expect(info(none.data).clientCert).toBe(false);
      const selfSigned = pki.read(pki.leaf('self2', 'self2', [], { selfSigned: true }));
      const bad = await handshake(port, { cert: selfSigned, key: selfSigned });
      expect(bad.data).toBe('');
    });
  });

  it('a PROXY header then the TLS handshake on the same connection', async () => {
    const port = await serve(onlyBind(load(pki, 'frontend fe\n    bind 127.0.0.1:19999 accept-proxy ssl crt default.pem crt a.pem\n')), { proxy: true });
    const h = await handshake(port, { servername: 'a.test' }, Buffer.from('PROXY TCP4 203.0.113.9 192.0.2.1 4444 443\r\n'));
    expect(h.cn).toBe('a.test');
    expect(info(h.data)).toMatchObject({ sni: 'a.test', origin: '203.0.113.9:4444' });
  });

  it('the handshake times out like timeout client', async () => {
    const t = onlyBind(load(pki, 'frontend fe\n    bind 127.0.0.1:19999 ssl crt default.pem\n'));
    let outcome: Promise<unknown> | undefined;
    const server = createServer({ pauseOnConnect: true }, (s) => {
      s.on('error', () => {});
      outcome = acceptTls(s, t, { timeoutMs: 150 });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { connect } = await import('node:net');
    const c = connect((server.address() as { port: number }).port, '127.0.0.1');
    c.on('error', () => {});
    const closed = new Promise<void>((r) => c.on('close', () => r()));
    await new Promise((r) => setTimeout(r, 50));
    expect(await outcome).toEqual({ kind: 'closed', reason: 'Timeout during SSL handshake' });
    await closed;
  });

  describe('diagnostics stop the start and point at the bind line', () => {
    const errorsOf = (t: LoadedTls): string[] => t.diagnostics.filter((d) => d.severity === 'error').map(renderDiagnostic);
    it('a missing file, a certificate without its key, a key that does not match', () => {
      const a = pki.read(`${pki.dir}/a.crt`);
      const bKey = pki.read(`${pki.dir}/b.key`);
      pki.write('mismatch.pem', a + bKey);
      pki.write('nokey.pem', a);
      const t = load(pki, 'frontend fe\n    bind 127.0.0.1:19999 ssl crt missing.pem crt nokey.pem crt mismatch.pem\n');
      expect(t.failed).toBe(true);
      const e = errorsOf(t);
      expect(e[0]).toMatch(/^tls\.cfg:7:34: error\[RUN6001\]: certificate '.*missing\.pem' does not exist/);
      expect(e.some((m) => /^tls\.cfg:7:\d+: error\[RUN6001\]: cannot load certificate: no private key in '.*nokey\.pem' nor in '.*nokey\.pem\.key'; put the key in the same PEM/.test(m))).toBe(true);
      expect(e.some((m) => /does not match the first certificate of '.*mismatch\.pem'/.test(m))).toBe(true);
      expect(t.binds.size).toBe(0);
    });
    it('ssl without crt, verify without ca-file, SSLv3, a cipher string OpenSSL rejects', () => {
      const t = load(pki, [
        'frontend fe',
        '    bind 127.0.0.1:19999 ssl',
        '    bind 127.0.0.1:19999 ssl crt default.pem verify required',
        '    bind 127.0.0.1:19999 ssl crt default.pem ssl-min-ver SSLv3 ssl-max-ver SSLv3',
        '    bind 127.0.0.1:19999 ssl crt default.pem ciphers NOT-A-CIPHER ciphersuites NOPE',
        '',
      ].join('\n'));
      const e = errorsOf(t).join('\n');
      expect(e).toMatch(/tls\.cfg:7:\d+: error\[RUN6001\]: 'ssl' needs a certificate/);
      expect(e).toMatch(/tls\.cfg:8:\d+: error\[RUN6002\]: verify is enabled but no CA file is given/);
      expect(e).toMatch(/tls\.cfg:9:\d+: error\[RUN6003\]: SSLv3 is not available in Node\.js/);
      expect(e).toMatch(/tls\.cfg:10:\d+: error\[RUN6003\]: cannot use certificate/);
    });
  });
});

describe('ssl fetches read the new TlsInfo fields', () => {
  const tls: TlsInfo = { sni: 's', cipher: 'TLS_AES_128_GCM_SHA256', clientCert: true, verifyResult: 0, resumed: false, clientSubject: '/O=Haplo/OU=a/OU=b/CN=client', clientIssuer: '/CN=CA' };
  const run = (name: string, args: string[] = []): unknown => {
    const ctx = { conn: { tls }, phase: 'http-request', final: true } as never;
    const out = getFetchDef(name)!.compile(args, {} as never).one(ctx) as { value?: unknown } | undefined;
    return out?.value;
  };
  it('ssl_fc_cipher, ssl_fc_has_crt, ssl_c_verify, ssl_fc_is_resumed', () => {
    expect(run('ssl_fc_cipher')).toBe('TLS_AES_128_GCM_SHA256');
    expect(run('ssl_fc_has_crt')).toBe(true);
    expect(run('ssl_c_verify')).toBe(0);
    expect(run('ssl_fc_is_resumed')).toBe(false);
  });
  it('ssl_c_s_dn and ssl_c_i_dn, whole or by entry', () => {
    expect(run('ssl_c_s_dn')).toBe('/O=Haplo/OU=a/OU=b/CN=client');
    expect(run('ssl_c_s_dn', ['CN'])).toBe('client');
    expect(run('ssl_c_s_dn', ['OU', '2'])).toBe('b');
    expect(run('ssl_c_s_dn', ['OU', '-1'])).toBe('b');
    expect(run('ssl_c_i_dn', ['CN'])).toBe('CA');
  });
});

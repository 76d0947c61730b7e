// TLS passthrough routed on the SNI of the real ClientHello (req.ssl_sni), with HAProxy's classic
// `inspect-delay` + `accept if { req.ssl_hello_type 1 }` recipe; the ClientHello reader of the
// simulator checked on bytes a real TLS client sent.
import { connect as tlsConnect } from 'node:tls';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helloType, scanClientHello } from '../../packages/sim/src/fetches/client-hello.js';
import { exchange, hasOpenssl, opensslClient, selfSigned, startTcpProxy, startTlsOrigin, startOrigin, echo, type Cert, type Origin, type TcpProxy } from './tcp-helpers.js';

/** The first bytes a Node TLS client sends (its ClientHello), captured by a plain TCP server. */
async function capturedHello(servername: string, alpn?: string[]): Promise<Buffer> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const got = new Promise<Buffer>((resolve) => {
    server.on('connection', (s) => {
      let buf = Buffer.alloc(0);
      s.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 5 && buf.length >= 5 + buf.readUInt16BE(3)) {
          resolve(buf);
          s.destroy();
        }
      });
    });
  });
  const c = tlsConnect({ port, host: '127.0.0.1', servername, ALPNProtocols: alpn, rejectUnauthorized: false });
  c.on('error', () => {});
  const hello = await got;
  c.destroy();
  server.close();
  return hello;
}

describe('ClientHello read from real bytes', () => {
  it('finds the SNI and the first ALPN protocol, and says short until the record is complete', async () => {
    const hello = await capturedHello('a.example', ['h2', 'http/1.1']);
    const r = scanClientHello(hello);
    expect(r).toMatchObject({ kind: 'hello', type: 1, info: { sni: 'a.example', alpn: 'h2', helloVersion: 0x30003 } });
    expect(helloType(hello)).toEqual({ kind: 'hello', type: 1 });
    for (const n of [0, 1, 5, 40, hello.length - 1]) expect(scanClientHello(hello.subarray(0, n)).kind).toBe('short');
    expect(helloType(hello.subarray(0, 6))).toEqual({ kind: 'hello', type: 1 });
  });

  it('says none for bytes that are not a TLS handshake', () => {
    expect(scanClientHello(Buffer.from('GET / HTTP/1.1\r\n\r\n')).kind).toBe('none');
    expect(scanClientHello(Buffer.from([0x16, 0x02, 0x00, 0x00, 0x10])).kind).toBe('none');
    expect(scanClientHello(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x02, 0x01, 0x00])).kind).toBe('none');
  });

  it('never throws on truncated or corrupted hellos', async () => {
    const hello = await capturedHello('b.example');
    for (let i = 0; i < 400; i++) {
      const b = Buffer.from(hello);
      const at = 5 + ((i * 7919) % (b.length - 5));
      b[at] = (b[at]! + 1 + i) & 0xff;
      expect(() => scanClientHello(b)).not.toThrow();
    }
  });
});

const sniConfig = (a: number, b: number, plain: number): string =>
  [
    'defaults', '  mode tcp', '  timeout connect 2s', '  timeout client 10s', '  timeout server 10s',
    'frontend fe', '  bind 127.0.0.1:17102',
    '  tcp-request inspect-delay 5s',
    '  tcp-request content accept if { req.ssl_hello_type 1 }',
    '  use_backend b1 if { req.ssl_sni -i a.example }',
    '  use_backend b2 if { req.ssl_sni -i b.example }',
    '  default_backend b3',
    'backend b1', `  server s1 127.0.0.1:${a}`,
    'backend b2', `  server s1 127.0.0.1:${b}`,
    'backend b3', `  server s1 127.0.0.1:${plain}`, '',
  ].join('\n');

/** Connects with TLS through `port` and returns the origin's greeting line. */
function tlsGreeting(port: number, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = tlsConnect({ port, host: '127.0.0.1', servername, rejectUnauthorized: false });
    let got = '';
    c.setEncoding('utf8');
    c.on('data', (d: string) => {
      got += d;
      if (got.includes('\n')) {
        c.destroy();
        resolve(got.trim());
      }
    });
    c.on('error', reject);
    setTimeout(() => (c.destroy(), reject(new Error('no greeting'))), 5000);
  });
}

describe.skipIf(!hasOpenssl())('TLS passthrough routed on req.ssl_sni', () => {
  let certs: Cert[] = [];
  const origins: Origin[] = [];
  let proxy: TcpProxy;

  beforeAll(async () => {
    certs = [selfSigned('a.example'), selfSigned('b.example')];
    origins.push(await startTlsOrigin('A', certs[0]!), await startTlsOrigin('B', certs[1]!), await startOrigin(echo('PLAIN:')));
    proxy = await startTcpProxy(sniConfig(origins[0]!.port, origins[1]!.port, origins[2]!.port));
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(origins.map((o) => o.close()));
  });

  it('Node tls.connect: each SNI reaches its own backend, the handshake goes through untouched', async () => {
    expect(await tlsGreeting(proxy.port, 'a.example')).toBe('I am A');
    expect(await tlsGreeting(proxy.port, 'B.EXAMPLE')).toBe('I am B');
    expect(await tlsGreeting(proxy.port, 'a.example')).toBe('I am A');
  });

  it('openssl s_client -servername routes the same way', async () => {
    expect((await opensslClient(proxy.port, 'a.example')).trim()).toBe('I am A');
    expect((await opensslClient(proxy.port, 'b.example')).trim()).toBe('I am B');
  });

  it('a non-TLS client is not held for the delay and goes to the default backend', async () => {
    const r = await exchange({ port: proxy.port, send: ['hello'], expect: 11, wait: 3000 });
    expect(r.data.toString()).toBe('PLAIN:hello');
    expect(r.ms).toBeLessThan(2000);
  });
});

describe.skipIf(hasOpenssl())('TLS passthrough routed on req.ssl_sni (skipped)', () => {
  it('needs openssl on PATH to make the origins\' certificates', () => {
    console.warn('skipped: openssl is not installed, the SNI routing tests need it to make self-signed certificates');
  });
});

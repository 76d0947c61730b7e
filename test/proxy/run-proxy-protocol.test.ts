// `haplo run` with the PROXY protocol, end to end: `bind … accept-proxy` takes the client's
// address from a v1 or v2 header (the origin sees it through `option forwardfor`, LOCAL and
// UNKNOWN keep the socket's), a malformed header closes only its own connection, PROXY then
// TLS on one bind; `server … send-proxy` / `send-proxy-v2` write the header first (the raw
// origin reads the client's addresses), also in front of a TLS handshake (`ssl`).
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyV2Header, readProxyHeader } from '../../packages/proxy/src/proxy-protocol/index.js';
import { startHaploRun, type RunningHaplo } from '../support/haplo-run.js';
import { header, parseResponses, RawClient, startRawOrigin, type HttpOrigin } from './run-harness.js';
import { echoOrigin, rawExchange, REQUEST, startTlsOrigin, tlsRequest, type TlsOrigin } from './run-tls-clients.js';
import { hasOpenssl, makePki, portBlock, type Pki } from './tls-fixtures.js';

const BASE = portBlock(10);
const PORT = { accept: BASE, acceptTls: BASE + 1, send: BASE + 2, slow: BASE + 3 };

/** The origin's answer to one request behind `prefix`, or null when the proxy closed without one. */
async function bodyBehind(port: number, prefix: Buffer | string): Promise<string | null> {
  const r = await rawExchange(port, Buffer.concat([Buffer.from(prefix), Buffer.from(REQUEST)]));
  return parseResponses(r.data)[0]?.body.toString() ?? null;
}

describe.skipIf(!hasOpenssl())('haplo run: PROXY protocol end to end', () => {
  let pki: Pki;
  let echo: HttpOrigin;
  let tlsBehindProxy: TlsOrigin;
  /** What the raw origin read on each connection before answering. */
  const received: Buffer[] = [];
  let raw: { port: number; close(): Promise<void> };
  let haplo: RunningHaplo;

  beforeAll(async () => {
    pki = makePki();
    pki.leaf('site', 'site.test', ['site.test']);
    echo = await echoOrigin('echo');
    tlsBehindProxy = await startTlsOrigin(pki.read(pki.leaf('origin', 'origin.test', ['origin.test'])), { proxy: true });
    raw = await startRawOrigin((s: Socket) => {
      let got = Buffer.alloc(0);
      s.on('data', (d: Buffer) => {
        got = Buffer.concat([got, d]);
        if (!got.includes('\r\n\r\n')) return;
        received.push(got);
        s.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok');
      });
    });
    haplo = await startHaploRun(`
global
    crt-base ${pki.dir}
    ca-base ${pki.dir}
defaults
    mode http
    timeout connect 1s
    timeout client 3s
    timeout server 3s
    option forwardfor
frontend accept
    bind 127.0.0.1:${PORT.accept} accept-proxy
    use_backend send_v1 if { path /v1 }
    use_backend send_v2 if { path /v2 }
    use_backend send_tls if { path /tls }
    default_backend echo
frontend accept_tls
    bind 127.0.0.1:${PORT.acceptTls} accept-proxy ssl crt site.pem
    http-request set-header X-SNI %[ssl_fc_sni]
    default_backend echo
frontend slow
    bind 127.0.0.1:${PORT.slow} accept-proxy ssl crt site.pem
    timeout client 300ms
    default_backend echo
frontend send
    bind 127.0.0.1:${PORT.send}
    use_backend send_v2 if { path /v2 }
    use_backend send_tls if { path /tls }
    default_backend send_v1
backend echo
    server e 127.0.0.1:${echo.port}
backend send_v1
    server r 127.0.0.1:${raw.port} send-proxy
backend send_v2
    server r 127.0.0.1:${raw.port} send-proxy-v2
backend send_tls
    server t 127.0.0.1:${tlsBehindProxy.port} send-proxy ssl verify required ca-file ca.pem
`, [PORT.accept, PORT.acceptTls, PORT.send, PORT.slow]);
  });
  afterAll(async () => {
    await haplo?.stop();
    await Promise.all([echo?.close(), raw?.close(), tlsBehindProxy?.close()]);
    pki?.cleanup();
  });

  it('accept-proxy v1: the origin sees the header source in X-Forwarded-For', async () => {
    expect(await bodyBehind(PORT.accept, 'PROXY TCP4 203.0.113.7 198.51.100.1 4444 80\r\n')).toBe('echo|203.0.113.7|-');
    expect(await bodyBehind(PORT.accept, 'PROXY TCP6 2001:db8::7 2001:db8::1 4444 80\r\n')).toBe('echo|2001:db8::7|-');
  });

  it('accept-proxy v2: the same from the binary header', async () => {
    const v2 = proxyV2Header({ src: { address: '192.0.2.44', port: 5555 }, dst: { address: '192.0.2.1', port: 80 } });
    expect(await bodyBehind(PORT.accept, v2)).toBe('echo|192.0.2.44|-');
  });

  it('UNKNOWN and LOCAL keep the connection\'s own address', async () => {
    expect(await bodyBehind(PORT.accept, 'PROXY UNKNOWN\r\n')).toBe('echo|127.0.0.1|-');
    expect(await bodyBehind(PORT.accept, proxyV2Header({ local: true }))).toBe('echo|127.0.0.1|-');
  });

  it('a malformed header closes only that connection', async () => {
    const kept = new RawClient(PORT.accept);
    await kept.ready();
    kept.send('PROXY TCP4 203.0.113.8 198.51.100.1 4444 80\r\nGET / HTTP/1.1\r\nhost: x\r\n\r\n');
    await kept.untilResponses(1);
    const bad = await rawExchange(PORT.accept, 'PROXY TCP4 ::1 198.51.100.1 1 2\r\nGET / HTTP/1.1\r\nhost: x\r\n\r\n');
    expect(bad.data.length).toBe(0);
    const noHeader = await rawExchange(PORT.accept, REQUEST);
    expect(noHeader.data.length).toBe(0);
    kept.send('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
    await kept.untilResponses(2);
    expect(parseResponses(kept.received).map((r) => r.body.toString())).toEqual(['echo|203.0.113.8|-', 'echo|203.0.113.8|-']);
    kept.close();
  });

  it('accept-proxy then ssl on one bind: PROXY source and SNI both reach the origin', async () => {
    const r = await tlsRequest(PORT.acceptTls, { servername: 'site.test' }, Buffer.from('PROXY TCP4 203.0.113.9 192.0.2.1 4444 443\r\n'));
    expect(r.cn).toBe('site.test');
    expect(r.response?.body.toString()).toBe('echo|203.0.113.9|site.test');
  });

  it('timeout client bounds the PROXY header and the TLS handshake together', async () => {
    // Header sent, handshake never started: the proxy closes the connection, without a word.
    const stalled = await rawExchange(PORT.slow, 'PROXY TCP4 203.0.113.9 192.0.2.1 4444 443\r\n', 4000);
    expect(stalled).toMatchObject({ byPeer: true, data: Buffer.alloc(0) });
    const partial = await rawExchange(PORT.slow, 'PROXY TCP4 203.0.113.9', 4000);
    expect(partial).toMatchObject({ byPeer: true, data: Buffer.alloc(0) });
  });

  it('send-proxy: the origin reads a v1 line with the client\'s addresses, then the request', async () => {
    const c = new RawClient(PORT.send);
    await c.ready();
    const clientPort = c.socket.localPort!;
    c.send('GET /v1 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    await c.untilResponses(1);
    const got = received.at(-1)!.toString('latin1');
    expect(got.startsWith(`PROXY TCP4 127.0.0.1 127.0.0.1 ${clientPort} ${PORT.send}\r\nGET /v1 HTTP/1.1\r\n`)).toBe(true);
  });

  it('accept-proxy then send-proxy: the received addresses are passed on', async () => {
    const r = await rawExchange(PORT.accept, 'PROXY TCP4 203.0.113.7 198.51.100.1 4444 80\r\nGET /v1 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    expect(parseResponses(r.data)[0]?.status).toBe(200);
    expect(received.at(-1)!.toString('latin1').startsWith('PROXY TCP4 203.0.113.7 198.51.100.1 4444 80\r\nGET /v1 HTTP/1.1\r\n')).toBe(true);
  });

  it('send-proxy-v2: a binary header with the client\'s addresses', async () => {
    const r = await rawExchange(PORT.accept, 'PROXY TCP4 203.0.113.7 198.51.100.1 4444 80\r\nGET /v2 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    expect(parseResponses(r.data)[0]?.status).toBe(200);
    const header = readProxyHeader(received.at(-1)!);
    expect(header).toMatchObject({ kind: 'proxy', version: 2, src: '203.0.113.7', srcPort: 4444, dst: '198.51.100.1', dstPort: 80 });
    if (header.kind !== 'proxy') return;
    expect(received.at(-1)!.subarray(header.length).toString('latin1').startsWith('GET /v2 HTTP/1.1\r\n')).toBe(true);
  });

  it('send-proxy then ssl: the header goes first in clear, then the verified TLS handshake', async () => {
    const c = new RawClient(PORT.send);
    await c.ready();
    const clientPort = c.socket.localPort!;
    c.send('GET /tls HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    await c.untilResponses(1);
    expect(parseResponses(c.received)[0]?.body.toString()).toBe('tls-origin|-');
    expect(tlsBehindProxy.headers.at(-1)).toMatchObject({ kind: 'proxy', addresses: { src: '127.0.0.1', srcPort: clientPort, dstPort: PORT.send } });
  });

  it('a connection carrying one client\'s PROXY header never serves another client', async () => {
    const ask = async (c: RawClient, n: number): Promise<void> => {
      c.send('GET /tls HTTP/1.1\r\nhost: x\r\n\r\n');
      await c.untilResponses(n);
    };
    const one = new RawClient(PORT.send);
    const two = new RawClient(PORT.send);
    await Promise.all([one.ready(), two.ready()]);
    // one's connection goes idle, then two's on top of it; one's next request must not take two's.
    await ask(one, 1);
    await ask(two, 1);
    await ask(one, 2);
    await ask(two, 2);
    for (const c of [one, two]) {
      const own = String(c.socket.localPort);
      expect(parseResponses(c.received).map((r) => header(r, 'x-proxy-src-port'))).toEqual([own, own]);
      c.close();
    }
  });
});

// The PROXY protocol against HAProxy 2.6 itself.
// 1. Reading: the same headers sent to HAProxy (`bind … accept-proxy`, answering `%[src]`…) and
//    to haplo's reader must give the same source, or be refused by both; the lines HAProxy
//    reads garbage from are listed and must stay the only disagreements.
// 2. Writing: HAProxy's `send-proxy` / `send-proxy-v2` (with proxy-v2-options, and a TLS
//    client for the ALPN/SSL/authority TLVs) to a recording origin; haplo's writers, given the
//    same facts, must produce the same bytes.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasHaproxy } from '../support/haproxy.js';
import { proxyHeaderFor, proxySendPlan, readProxyHeader } from '../../packages/proxy/src/proxy-protocol/index.js';
import { MALFORMED, STRICTER, VALID } from './proxy-protocol-cases.js';
import { hasOpenssl, makePki, modelOf, portBlock, startHaproxyOn, type Pki, type RunningHaproxy } from './tls-fixtures.js';

const present = hasHaproxy() && hasOpenssl();
const BASE = portBlock(20);
const PORT = { reader: BASE, v1: BASE + 1, v2: BASE + 2, v2opts: BASE + 3, tls: BASE + 4, origin: BASE + 5, v1plain: BASE + 6 };

/** Sends `header` + an HTTP request to HAProxy's accept-proxy frontend; its answer body, or null when it closed without one. */
function askHaproxy(header: Buffer): Promise<string | null> {
  return new Promise((resolve) => {
    const c = connect(PORT.reader, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => c.destroy(), 3000);
    c.on('data', (d) => (got += d.toString()));
    c.on('error', () => {});
    c.on('close', () => {
      clearTimeout(timer);
      const body = got.split('\r\n\r\n')[1];
      resolve(got.startsWith('HTTP/1.1 200') && body !== undefined ? body.trim() : null);
    });
    c.on('connect', () => c.write(Buffer.concat([header, Buffer.from('GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n')])));
  });
}

/** A TCP origin that keeps the bytes of each connection. */
function recordingOrigin(port: number): Promise<{ server: Server; next(): Promise<Buffer>; drain(): void }> {
  const waiting: ((b: Buffer) => void)[] = [];
  const done: Buffer[] = [];
  const server = createServer((s: Socket) => {
    let got = Buffer.alloc(0);
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (timer) clearTimeout(timer);
      s.destroy();
      const w = waiting.shift();
      if (w) w(got);
      else done.push(got);
    };
    s.on('data', (d) => {
      got = Buffer.concat([got, d]);
      if (timer) clearTimeout(timer);
      timer = setTimeout(finish, 150);
    });
    s.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({
    server,
    next: () => (done.length ? Promise.resolve(done.shift()!) : new Promise((r) => waiting.push(r))),
    drain: () => void done.splice(0),
  })));
}

describe.skipIf(!present)('PROXY protocol: differential against HAProxy 2.6', () => {
  let pki: Pki;
  let haproxy: RunningHaproxy;
  let origin: Awaited<ReturnType<typeof recordingOrigin>>;
  const serverLines = {
    v1: 'server o 127.0.0.1:ORIGIN send-proxy',
    v2: 'server o 127.0.0.1:ORIGIN send-proxy-v2',
    v2opts: 'server o 127.0.0.1:ORIGIN send-proxy-v2 proxy-v2-options crc32c,unique-id',
    tls: 'server o 127.0.0.1:ORIGIN send-proxy-v2 proxy-v2-options ssl,ssl-cipher,authority,crc32c',
  };

  beforeAll(async () => {
    pki = makePki();
    pki.leaf('site', 'site.test', ['site.test']);
    origin = await recordingOrigin(PORT.origin);
    const backend = (name: string, line: string): string => `backend ${name}\n    ${line.replace('ORIGIN', String(PORT.origin))}\n`;
    const cfg = `defaults
    timeout connect 2s
    timeout client 3s
    timeout server 3s
frontend reader
    mode http
    bind 127.0.0.1:${PORT.reader} accept-proxy
    http-request return status 200 content-type text/plain lf-string "%[src]|%[src_port]|%[dst]|%[dst_port]"
frontend fe_v1
    mode tcp
    bind 127.0.0.1:${PORT.v1} accept-proxy
    bind 127.0.0.1:${PORT.v1plain}
    default_backend be_v1
frontend fe_v2
    mode tcp
    bind 127.0.0.1:${PORT.v2} accept-proxy
    default_backend be_v2
frontend fe_v2opts
    mode tcp
    unique-id-format abc-%[src]
    bind 127.0.0.1:${PORT.v2opts} accept-proxy
    default_backend be_v2opts
frontend fe_tls
    mode tcp
    bind 127.0.0.1:${PORT.tls} ssl crt site.pem alpn http/1.1
    default_backend be_tls
${backend('be_v1', serverLines.v1)}${backend('be_v2', serverLines.v2)}${backend('be_v2opts', serverLines.v2opts)}${backend('be_tls', serverLines.tls)}`;
    haproxy = await startHaproxyOn(cfg, pki.dir, [PORT.reader, PORT.v1, PORT.v2, PORT.v2opts, PORT.tls]);
    // The readiness probes reached the origin through the tcp frontends: drop what they sent.
    await new Promise((r) => setTimeout(r, 400));
    origin.drain();
  });
  afterAll(async () => {
    await haproxy?.close();
    await new Promise<void>((r) => (origin ? origin.server.close(() => r()) : r()));
    pki?.cleanup();
  });

  describe('reading: HAProxy and haplo agree on src', () => {
    for (const c of VALID) {
      it(c.name, async () => {
        const theirs = await askHaproxy(c.bytes);
        const ours = readProxyHeader(c.bytes);
        expect(theirs).not.toBeNull();
        const [src, srcPort] = theirs!.split('|');
        if (ours.kind === 'proxy') expect(`${src}|${srcPort}`).toBe(`${ours.src}|${ours.srcPort}`);
        else {
          expect(ours.kind).toBe('local');
          expect(src).toBe('127.0.0.1');
        }
      });
    }
    for (const c of MALFORMED) {
      it(`both refuse: ${c.name}`, async () => {
        expect(await askHaproxy(c.bytes)).toBeNull();
        expect(readProxyHeader(c.bytes).kind).toBe('error');
      });
    }
    for (const c of STRICTER) {
      it(`known difference (haplo stricter): ${c.name}`, async () => {
        expect((await askHaproxy(c.bytes))?.split('|')[0]).toBe(c.haproxySrc);
        expect(readProxyHeader(c.bytes).kind).toBe('error');
      });
    }
  });

  describe('writing: the same bytes as send-proxy / send-proxy-v2', () => {
    const plans = (): Record<keyof typeof serverLines, NonNullable<ReturnType<typeof proxySendPlan>>> => {
      const m = modelOf(`backend b\n${Object.values(serverLines).map((l, i) => `    ${l.replace('server o', `server s${i}`).replace('ORIGIN', '1')}`).join('\n')}\n`);
      const [v1, v2, v2opts, tls] = m.proxies[0]!.servers.map((s) => proxySendPlan(s)!);
      return { v1: v1!, v2: v2!, v2opts: v2opts!, tls: tls! };
    };
    const inputs = [
      { name: 'TCP4', header: 'PROXY TCP4 192.0.2.1 198.51.100.7 51234 443\r\n', src: { address: '192.0.2.1', port: 51234 }, dst: { address: '198.51.100.7', port: 443 } },
      { name: 'TCP6', header: 'PROXY TCP6 2001:db8::1 2001:db8:0:1::2 1 65535\r\n', src: { address: '2001:db8::1', port: 1 }, dst: { address: '2001:db8:0:1::2', port: 65535 } },
      { name: 'TCP6 v4-mapped', header: 'PROXY TCP6 ::ffff:10.0.0.1 ::ffff:10.0.0.2 7 8\r\n', src: { address: '::ffff:10.0.0.1', port: 7 }, dst: { address: '::ffff:10.0.0.2', port: 8 } },
    ];
    for (const kind of ['v1', 'v2', 'v2opts'] as const) {
      for (const input of inputs) {
        it(`${serverLines[kind].replace(' 127.0.0.1:ORIGIN', '')} — client ${input.name}`, async () => {
          const c = connect(PORT[kind], '127.0.0.1');
          c.on('error', () => {});
          await new Promise<void>((r) => c.on('connect', () => r()));
          c.write(input.header + 'ping');
          const recorded = await origin.next();
          c.destroy();
          const ours = proxyHeaderFor(plans()[kind], { src: input.src, dst: input.dst, uniqueId: `abc-${input.src.address}` });
          expect(recorded.subarray(0, ours.length).toString('hex')).toBe(ours.toString('hex'));
          expect(recorded.subarray(ours.length).toString()).toBe('ping');
        });
      }
    }
    it('send-proxy from a plain connection (the socket addresses)', async () => {
      const c = connect(PORT.v1plain, '127.0.0.1');
      c.on('error', () => {});
      await new Promise<void>((r) => c.on('connect', () => r()));
      c.write('ping');
      const recorded = await origin.next();
      const ours = proxyHeaderFor(plans().v1, { src: { address: '127.0.0.1', port: c.localPort! }, dst: { address: '127.0.0.1', port: PORT.v1plain } });
      c.destroy();
      expect(recorded.toString()).toBe(`${ours.toString()}ping`);
    });
    it('send-proxy-v2 with ssl, ssl-cipher, authority and crc32c after a TLS handshake with SNI and ALPN', async () => {
      const c = tlsConnect({ port: PORT.tls, host: '127.0.0.1', servername: 'site.test', ALPNProtocols: ['http/1.1'], rejectUnauthorized: false });
      c.on('error', () => {});
      await new Promise<void>((r) => c.on('secureConnect', () => r()));
      c.write('ping');
      const recorded = await origin.next();
      const ours = proxyHeaderFor(plans().tls, {
        src: { address: '127.0.0.1', port: c.localPort! },
        dst: { address: '127.0.0.1', port: PORT.tls },
        tls: { sni: 'site.test', alpn: 'http/1.1', protocol: c.getProtocol()!, cipher: c.getCipher().name, clientCert: false },
      });
      c.destroy();
      expect(recorded.subarray(0, ours.length).toString('hex')).toBe(ours.toString('hex'));
      expect(recorded.subarray(ours.length).toString()).toBe('ping');
    });
  });
});

describe.skipIf(present)('PROXY protocol: differential against HAProxy 2.6', () => {
  it('is skipped: needs the haproxy (2.6) and openssl binaries on PATH', () => {
    console.warn('proxy-protocol-haproxy: skipped, haproxy 2.6 or openssl is not installed');
  });
});

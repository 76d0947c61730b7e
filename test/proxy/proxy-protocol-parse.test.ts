// The PROXY header reader and writers on their own: v1/v2 tables of valid headers, every
// truncation of them (always "incomplete", never a wrong answer), malformed variants (the
// verdicts HAProxy 2.6 gives, checked against the binary in proxy-protocol-haproxy.test.ts),
// and writer → reader round trips. Then the socket-level reader on loopback: split headers,
// the bytes after the header, the timeout, and the reset on a bad header.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptProxyHeader, crc32c, proxyHeaderFor, proxySendPlan, proxyV1Header, proxyV2Header, readProxyHeader, type AcceptedProxyHeader,
} from '../../packages/proxy/src/proxy-protocol/index.js';
import { modelOf } from './tls-fixtures.js';
import { IP4, MALFORMED, STRICTER, v2, VALID } from './proxy-protocol-cases.js';

describe('readProxyHeader: valid headers', () => {
  for (const c of VALID) {
    it(c.name, () => {
      const after = Buffer.from('GET / HTTP/1.1\r\n\r\n');
      const r = readProxyHeader(Buffer.concat([c.bytes, after]));
      expect(r.kind).toBe(c.expect.kind);
      if (r.kind === 'proxy' || r.kind === 'local') expect(r.length).toBe(c.bytes.length);
      if (r.kind === 'proxy') expect(r).toMatchObject(c.expect);
    });
    it(`${c.name}: every truncation is incomplete`, () => {
      for (let n = 0; n < c.bytes.length; n++) expect(readProxyHeader(c.bytes.subarray(0, n)).kind, `first ${n} bytes`).toBe('incomplete');
    });
  }
});

describe('readProxyHeader: malformed headers are errors', () => {
  for (const c of [...MALFORMED, ...STRICTER.map((s) => ({ ...s, error: 'badHeader' }))]) {
    it(c.name, () => {
      const r = readProxyHeader(c.bytes);
      expect(r.kind).toBe('error');
      if (r.kind === 'error') expect(r.error).toBe(c.error);
    });
  }
  it('garbage is refused from its first byte', () => {
    expect(readProxyHeader(Buffer.from('G')).kind).toBe('error');
    expect(readProxyHeader(Buffer.from('PRX')).kind).toBe('error');
    expect(readProxyHeader(Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x01])).kind).toBe('error');
  });
  it('an impossible character stops a v1 line before its end', () => {
    const r = readProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4 hello'));
    expect(r.kind).toBe('error');
  });
  it('error messages carry HAProxy’s log text', () => {
    const r = readProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n'));
    expect(r.kind === 'error' && r.message).toMatch(/^Received an invalid PROXY protocol header: /);
  });
});

describe('CRC32C', () => {
  it('gives the check value of "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });
});

describe('writers', () => {
  it('v1 TCP4', () => {
    expect(proxyV1Header({ address: '192.0.2.1', port: 51234 }, { address: '198.51.100.7', port: 443 }).toString()).toBe('PROXY TCP4 192.0.2.1 198.51.100.7 51234 443\r\n');
  });
  it('v1 TCP6, addresses written as inet_ntop does', () => {
    expect(proxyV1Header({ address: '2001:0DB8:0:0:0:0:0:1', port: 1 }, { address: '::1', port: 2 }).toString()).toBe('PROXY TCP6 2001:db8::1 ::1 1 2\r\n');
  });
  it('v1 mixed families become TCP6 with the IPv4 side mapped', () => {
    expect(proxyV1Header({ address: '1.2.3.4', port: 1 }, { address: '::1', port: 2 }).toString()).toBe('PROXY TCP6 ::ffff:1.2.3.4 ::1 1 2\r\n');
  });
  it('v1 UNKNOWN for a UNIX socket or a missing side', () => {
    expect(proxyV1Header({ address: '/run/x.sock', port: 0 }, { address: '1.2.3.4', port: 2 }).toString()).toBe('PROXY UNKNOWN\r\n');
    expect(proxyV1Header(undefined, undefined).toString()).toBe('PROXY UNKNOWN\r\n');
  });
  it('v2 TCP4 bytes', () => {
    const h = proxyV2Header({ src: { address: '10.1.2.3', port: 12345 }, dst: { address: '10.9.8.7', port: 443 } });
    expect(h.toString('hex')).toBe(v2(0x21, 0x11, IP4).toString('hex'));
  });
  it('v2 LOCAL', () => {
    expect(proxyV2Header({ local: true, src: { address: '1.2.3.4', port: 1 }, dst: { address: '1.2.3.4', port: 1 } }).toString('hex')).toBe(v2(0x20, 0x00, Buffer.alloc(0)).toString('hex'));
  });
  it('v2 with every TLV reads back, CRC32C included', () => {
    const h = proxyV2Header({
      src: { address: '2001:db8::1', port: 1000 }, dst: { address: '2001:db8::2', port: 443 }, crc32c: true, alpn: 'http/1.1', authority: 'example.org', uniqueId: 'abc',
      ssl: { tls: true, version: 'TLSv1.3', certInSession: true, certInConnection: true, verify: 0, cn: 'client', cipher: 'TLS_AES_128_GCM_SHA256' },
    });
    const r = readProxyHeader(h);
    expect(r).toMatchObject({ kind: 'proxy', src: '2001:db8::1', srcPort: 1000, dst: '2001:db8::2', dstPort: 443, authority: 'example.org', uniqueId: 'abc', length: h.length });
    if (r.kind === 'proxy') expect(r.tlvs.map((t) => t.type)).toEqual([0x03, 0x01, 0x02, 0x05, 0x20]);
  });
  it('server lines choose the header', () => {
    const m = modelOf(`backend b
    server a 127.0.0.1:1 send-proxy
    server b 127.0.0.1:1 send-proxy-v2 proxy-v2-options crc32c,authority
    server c 127.0.0.1:1 send-proxy-v2-ssl-cn
    server d 127.0.0.1:1
`);
    const [a, b, c, d] = m.proxies[0]!.servers.map((s) => proxySendPlan(s));
    expect(a?.version).toBe(1);
    expect(b).toMatchObject({ version: 2, crc32c: true, authority: true, ssl: false });
    expect(c).toMatchObject({ version: 2, ssl: true, sslCn: true });
    expect(d).toBeUndefined();
    const bytes = proxyHeaderFor(b!, { src: { address: '1.2.3.4', port: 5 }, dst: { address: '5.6.7.8', port: 6 }, tls: { sni: 'site.test', alpn: 'http/1.1' } });
    expect(readProxyHeader(bytes)).toMatchObject({ kind: 'proxy', authority: 'site.test', src: '1.2.3.4' });
  });
});

describe('acceptProxyHeader on a socket', () => {
  let server: Server;
  let port = 0;
  const accepted: ((s: Socket) => void)[] = [];
  beforeAll(async () => {
    server = createServer({ pauseOnConnect: true, allowHalfOpen: true }, (s) => accepted.shift()?.(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  /** Connects, sends `parts` with pauses, and gives what the server side read and what the client saw. */
  async function run(parts: Buffer[], timeoutMs = 1000): Promise<{ outcome: AcceptedProxyHeader; rest: string; client: string }> {
    let serverSide!: Promise<{ outcome: AcceptedProxyHeader; rest: string }>;
    const ready = new Promise<void>((r) => accepted.push((s) => {
      serverSide = (async () => {
        const outcome = await acceptProxyHeader(s, { timeoutMs });
        if (outcome.kind === 'closed') return { outcome, rest: '' };
        const rest = await new Promise<string>((res) => {
          let got = '';
          s.on('data', (d) => (got += d.toString()));
          s.on('end', () => res(got));
          s.resume();
        });
        s.end();
        return { outcome, rest };
      })();
      r();
    }));
    const c = connect(port, '127.0.0.1');
    c.on('error', () => {});
    let client = '';
    const closed = new Promise<void>((r) => c.on('close', () => r()));
    c.on('data', () => {});
    c.on('error', (e: NodeJS.ErrnoException) => (client = e.code ?? 'error'));
    c.on('end', () => (client ||= 'FIN'));
    await new Promise<void>((r) => c.on('connect', () => r()));
    await ready;
    for (const p of parts) {
      c.write(p);
      await new Promise((r) => setTimeout(r, 20));
    }
    c.end();
    const out = await serverSide;
    await closed;
    return { ...out, client };
  }

  it('reads a header split over several segments and hands on the bytes after it', async () => {
    const r = await run([Buffer.from('PROXY TCP4 1.2.'), Buffer.from('3.4 5.6.7.8 10 20\r'), Buffer.from('\nhello'), Buffer.from(' world')]);
    expect(r.outcome).toMatchObject({ kind: 'proxy', addresses: { src: '1.2.3.4', srcPort: 10, dst: '5.6.7.8', dstPort: 20 } });
    expect(r.rest).toBe('hello world');
  });
  it('keeps the local addresses for LOCAL', async () => {
    const r = await run([Buffer.concat([v2(0x20, 0, Buffer.alloc(0)), Buffer.from('data')])]);
    expect(r.outcome.kind).toBe('local');
    expect(r.rest).toBe('data');
  });
  it('resets the connection on a bad header', async () => {
    const r = await run([Buffer.from('HELLO THERE\r\n')]);
    expect(r.outcome).toMatchObject({ kind: 'closed' });
    if (r.outcome.kind === 'closed') expect(r.outcome.reason).toMatch(/does not look like a PROXY protocol header/);
    expect(r.client).toBe('ECONNRESET');
  });
  it('closes when the client gives up before the header ends', async () => {
    const r = await run([Buffer.from('PROXY TCP4 1.2')]);
    expect(r.outcome).toEqual({ kind: 'closed', reason: 'Connection closed while waiting for PROXY protocol header' });
  });
  it('closes after the timeout when the header never completes', async () => {
    let serverSide!: Promise<AcceptedProxyHeader>;
    const ready = new Promise<void>((r) => accepted.push((s) => {
      serverSide = acceptProxyHeader(s, { timeoutMs: 150 });
      r();
    }));
    const c = connect(port, '127.0.0.1');
    c.on('error', () => {});
    const ended = new Promise<void>((r) => c.on('close', () => r()));
    c.on('data', () => {});
    await ready;
    c.write('PROXY TCP4 ');
    expect(await serverSide).toEqual({ kind: 'closed', reason: 'Timeout while waiting for PROXY protocol header' });
    await ended;
  });
});

// The same clients through HAProxy 2.6 and through haplo's mode tcp session, on the same config:
// each must reach the same backend (the origin that accepts the connection) and get the same
// bytes back, or be closed by both. Two configs: TLS passthrough routed on req.ssl_sni, and
// payload ACLs (RDP cookie, req.len) with a tcp-request connection rule on the source.
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasHaproxy } from '../support/haproxy.js';
import { echo, exchange, freePort, hasOpenssl, opensslClient, selfSigned, startHaproxy, startOrigin, startTcpProxy, startTlsOrigin, type Origin } from './tcp-helpers.js';

interface Outcome {
  /** Names of the origins that accepted a connection during the scenario. */
  reached: string[];
  /** What the client received (greeting or echo), or '' when closed without data. */
  got: string;
}

type Scenario = (port: number) => Promise<string>;

/** Runs `scenario` against `port`, noting which origins accepted connections meanwhile. */
async function observe(origins: Record<string, Origin>, port: number, scenario: Scenario): Promise<Outcome> {
  const before = Object.fromEntries(Object.entries(origins).map(([n, o]) => [n, o.accepted]));
  const got = await scenario(port);
  await new Promise((r) => setTimeout(r, 30));
  const reached = Object.keys(origins).filter((n) => origins[n]!.accepted > before[n]!);
  return { reached, got };
}

function tlsLine(servername: string): Scenario {
  return (port) =>
    new Promise((resolve) => {
      const c = tlsConnect({ port, host: '127.0.0.1', servername, rejectUnauthorized: false });
      let got = '';
      const done = (): void => {
        clearTimeout(timer);
        c.destroy();
        resolve(got.trim());
      };
      const timer = setTimeout(done, 4000);
      c.setEncoding('utf8');
      c.on('data', (d: string) => {
        got += d;
        if (got.includes('\n')) done();
      });
      c.on('error', done);
      c.on('close', done);
    });
}

const plain = (send: (string | Buffer)[], o: { wait?: number; localAddress?: string; expect?: number } = {}): Scenario => async (port) =>
  (await exchange({ port, send, wait: o.wait ?? 3500, localAddress: o.localAddress, expect: o.expect })).data.toString('latin1');

function rdpRequest(user: string): Buffer {
  const cookie = Buffer.from(`Cookie: mstshash=${user}\r\n`);
  const x224 = Buffer.concat([Buffer.from([cookie.length + 6, 0xe0, 0, 0, 0, 0, 0]), cookie]);
  return Buffer.concat([Buffer.from([3, 0, 0, x224.length + 4]), x224]);
}

const head = (port: number): string[] => [
  'defaults', '  mode tcp', '  timeout connect 2s', '  timeout client 10s', '  timeout server 10s',
  'frontend fe', `  bind 127.0.0.1:${port}`,
];

describe.skipIf(!hasHaproxy() || !hasOpenssl())('mode tcp against HAProxy 2.6', () => {
  const origins: Record<string, Origin> = {};

  beforeAll(async () => {
    const [a, b] = [selfSigned('a.example'), selfSigned('b.example')];
    origins.tlsA = await startTlsOrigin('A', a);
    origins.tlsB = await startTlsOrigin('B', b);
    origins.plain = await startOrigin(echo('PLAIN:'));
    origins.rdp = await startOrigin(echo('RDP:'));
    origins.small = await startOrigin(echo('SMALL:'));
    origins.big = await startOrigin(echo('BIG:'));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(Object.values(origins).map((o) => o.close()));
  });

  async function compare(config: (port: number) => string, scenarios: Record<string, Scenario>): Promise<void> {
    const hapPort = await freePort();
    const hap = await startHaproxy(config(hapPort), hapPort);
    const haplo = await startTcpProxy(config(hapPort));
    try {
      for (const [name, scenario] of Object.entries(scenarios)) {
        const want = await observe(origins, hapPort, scenario);
        const got = await observe(origins, haplo.port, scenario);
        expect({ scenario: name, ...got }).toEqual({ scenario: name, ...want });
      }
    } finally {
      await haplo.close();
      await hap.close();
    }
  }

  it('routes TLS passthrough on req.ssl_sni like HAProxy', async () => {
    const config = (port: number): string => [
      ...head(port),
      '  tcp-request inspect-delay 1s',
      '  tcp-request content accept if { req.ssl_hello_type 1 }',
      '  use_backend b1 if { req.ssl_sni -i a.example }',
      '  use_backend b2 if { req.ssl_sni -i b.example }',
      '  default_backend b3',
      'backend b1', `  server s1 127.0.0.1:${origins.tlsA!.port}`,
      'backend b2', `  server s1 127.0.0.1:${origins.tlsB!.port}`,
      'backend b3', `  server s1 127.0.0.1:${origins.plain!.port}`, '',
    ].join('\n');
    await compare(config, {
      'tls a.example': tlsLine('a.example'),
      'tls B.Example (case)': tlsLine('B.Example'),
      'tls other.example': tlsLine('other.example'),
      'openssl s_client a.example': async (port) => (await opensslClient(port, 'a.example')).trim(),
      'plain bytes': plain(['hello'], { expect: 11 }),
      'silent client': plain([], { wait: 1800, expect: 6 }),
    });
  }, 60_000);

  it('applies payload ACLs (RDP cookie, req.len) and connection rules like HAProxy', async () => {
    const config = (port: number): string => [
      ...head(port),
      '  tcp-request connection reject if { src 127.0.0.2 }',
      '  tcp-request inspect-delay 1s',
      '  tcp-request content reject if { req.rdp_cookie(mstshash) -m str evil }',
      '  tcp-request content accept if { req.rdp_cookie_cnt gt 0 }',
      '  tcp-request content reject if { req.len gt 1000 }',
      '  use_backend b_rdp if { req.rdp_cookie_cnt gt 0 }',
      '  use_backend b_small if { req.len lt 8 }',
      '  default_backend b_big',
      'backend b_rdp', `  server s1 127.0.0.1:${origins.rdp!.port}`,
      'backend b_small', `  server s1 127.0.0.1:${origins.small!.port}`,
      'backend b_big', `  server s1 127.0.0.1:${origins.big!.port}`, '',
    ].join('\n');
    const alice = rdpRequest('alice');
    await compare(config, {
      'rdp evil': plain([rdpRequest('evil')], { wait: 2500 }),
      'rdp alice': plain([alice], { expect: 4 + alice.length }),
      'two bytes (waits for the delay)': plain(['hi'], { expect: 8 }),
      'medium line': plain(['hello world 12345'], { expect: 21 }),
      'too long': plain([Buffer.alloc(2000, 0x41)], { wait: 2500 }),
      'rejected source': plain(['hi'], { localAddress: '127.0.0.2', wait: 1500 }),
    });
  }, 60_000);
});

describe.skipIf(hasHaproxy() && hasOpenssl())('mode tcp against HAProxy 2.6 (skipped)', () => {
  it('needs haproxy and openssl on PATH', () => {
    console.warn(`skipped: the differential tcp tests need ${hasHaproxy() ? '' : 'haproxy 2.6 '}${hasOpenssl() ? '' : 'openssl '}on PATH`);
  });
});

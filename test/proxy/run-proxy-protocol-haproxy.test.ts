// The client address a PROXY header gives, through `haplo run` and HAProxy 2.6 on the same
// configuration (`bind … accept-proxy`, `option forwardfor`): for every header in the list
// the origin must see the same X-Forwarded-For, and a header both refuse must get no answer
// from either.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyV2Header } from '../../packages/proxy/src/proxy-protocol/index.js';
import { hasHaproxy } from '../support/haproxy.js';
import { startHaploRun, type RunningHaplo } from '../support/haplo-run.js';
import { parseResponses, type HttpOrigin } from './run-harness.js';
import { echoOrigin, rawExchange, REQUEST } from './run-tls-clients.js';
import { portBlock, startHaproxyOn, type RunningHaproxy } from './tls-fixtures.js';

const BASE = portBlock(4);
const PORT = { haproxy: BASE, haplo: BASE + 1 };

const HEADERS: { name: string; bytes: Buffer }[] = [
  { name: 'v1 TCP4', bytes: Buffer.from('PROXY TCP4 203.0.113.7 198.51.100.1 4444 80\r\n') },
  { name: 'v1 TCP6', bytes: Buffer.from('PROXY TCP6 2001:db8::7 2001:db8::1 4444 80\r\n') },
  { name: 'v1 TCP6, IPv4-mapped', bytes: Buffer.from('PROXY TCP6 ::ffff:203.0.113.7 ::ffff:198.51.100.1 4444 80\r\n') },
  { name: 'v1 UNKNOWN', bytes: Buffer.from('PROXY UNKNOWN\r\n') },
  { name: 'v2 TCP4', bytes: proxyV2Header({ src: { address: '192.0.2.44', port: 5555 }, dst: { address: '192.0.2.1', port: 80 } }) },
  { name: 'v2 TCP6', bytes: proxyV2Header({ src: { address: '2001:db8::44', port: 5555 }, dst: { address: '2001:db8::1', port: 80 } }) },
  { name: 'v2 with TLVs (authority, crc32c)', bytes: proxyV2Header({ src: { address: '192.0.2.45', port: 5555 }, dst: { address: '192.0.2.1', port: 80 }, authority: 'site.test', crc32c: true }) },
  { name: 'v2 LOCAL', bytes: proxyV2Header({ local: true }) },
  { name: 'v1 TCP4 with IPv6 addresses (refused)', bytes: Buffer.from('PROXY TCP4 ::1 198.51.100.1 1 2\r\n') },
  { name: 'v1 lower-case protocol (refused)', bytes: Buffer.from('PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n') },
  { name: 'no header at all', bytes: Buffer.alloc(0) },
];

function config(port: number, origin: number): string {
  return `
defaults
    mode http
    timeout connect 1s
    timeout client 3s
    timeout server 3s
    option forwardfor
frontend fe
    bind 127.0.0.1:${port} accept-proxy
    default_backend be
backend be
    server s 127.0.0.1:${origin}
`;
}

/** The origin's answer (`echo|xff|-`) behind `header`, or `closed` when no response came. */
async function through(port: number, header: Buffer): Promise<string> {
  const r = await rawExchange(port, Buffer.concat([header, Buffer.from(REQUEST)]));
  const response = parseResponses(r.data)[0];
  return response ? `${response.status} ${response.body.toString()}` : 'closed';
}

describe.skipIf(!hasHaproxy())('haplo run vs HAProxy 2.6: the source a PROXY header gives', () => {
  let origin: HttpOrigin;
  let haproxy: RunningHaproxy;
  let haplo: RunningHaplo;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haplo-pp-'));
    origin = await echoOrigin('echo');
    haproxy = await startHaproxyOn(config(PORT.haproxy, origin.port), dir, [PORT.haproxy]);
    haplo = await startHaploRun(config(PORT.haplo, origin.port), [PORT.haplo]);
  });
  afterAll(async () => {
    await haproxy?.close();
    await haplo?.stop();
    await origin?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const h of HEADERS) {
    it(`${h.name}: same X-Forwarded-For at the origin`, async () => {
      const theirs = await through(PORT.haproxy, h.bytes);
      const mine = await through(PORT.haplo, h.bytes);
      if (/refused|no header/.test(h.name)) expect(theirs).toBe('closed');
      expect(mine).toBe(theirs);
    });
  }
});

describe.skipIf(hasHaproxy())('haplo run vs HAProxy 2.6: the source a PROXY header gives', () => {
  it('is skipped: needs the haproxy (2.6) binary on PATH', () => {
    console.warn('run-proxy-protocol-haproxy: skipped, haproxy 2.6 is not installed');
  });
});

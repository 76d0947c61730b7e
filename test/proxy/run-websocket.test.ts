// WebSocket through `haplo run`: the upgrade request goes to the server, its 101 comes back, and
// then the two connections are one tunnel (bytes both ways, untouched) under `timeout tunnel`.
// A 101 without the right Sec-WebSocket-Accept is refused with 502, as HAProxy 2.6 does.
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, parseResponses, RawClient, startProxy, startRawOrigin, type RunningProxy } from './run-harness.js';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const accept = (key: string): string => createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');

let origin: { port: number; close(): Promise<void> };
let proxy: RunningProxy;
let port: number;

/** Answers the upgrade (with a wrong accept key on /bad-accept), then echoes every byte. */
function wsOrigin(s: Socket): void {
  let head = '';
  const onHead = (d: Buffer): void => {
    head += d.toString('latin1');
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    s.off('data', onHead);
    const key = /sec-websocket-key: *(\S+)/i.exec(head)?.[1] ?? '';
    const good = !head.startsWith('GET /bad-accept');
    s.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${good ? accept(key) : 'nope'}\r\n\r\n`);
    const rest = Buffer.from(head.slice(end + 4), 'latin1');
    if (rest.length) s.write(rest);
    s.on('data', (x: Buffer) => s.write(x));
    s.on('end', () => s.end());
  };
  s.on('data', onHead);
}

const upgrade = (path: string): string =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`;

beforeAll(async () => {
  origin = await startRawOrigin(wsOrigin);
  port = await freePort();
  proxy = await startProxy(`
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 5s
  timeout tunnel 600ms

frontend fe
  bind 127.0.0.1:${port}
  default_backend be

backend be
  server ws 127.0.0.1:${origin.port}
`);
});

afterAll(async () => {
  await proxy?.stop();
  await origin?.close();
});

describe('WebSocket upgrade', () => {
  it('relays the 101 and echoes bytes both ways through the tunnel', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send(upgrade('/chat'));
    await c.until((x) => x.text.includes('\r\n\r\n'), 5000, 'the 101');
    const [r] = parseResponses(c.received);
    expect(r!.status).toBe(101);
    expect(r!.headers).toContainEqual(['sec-websocket-accept', accept(KEY)]);
    expect(r!.headers.find(([n]) => n === 'connection')?.[1].toLowerCase()).toBe('upgrade');
    const headLength = c.received.indexOf('\r\n\r\n') + 4;
    const frame = Buffer.from([0x81, 0x85, 1, 2, 3, 4, 0x69, 0x67, 0x6f, 0x68, 0x6e]);
    c.send(frame);
    await c.until((x) => x.received.length >= headLength + frame.length, 5000, 'the echo');
    expect(c.received.subarray(headLength)).toEqual(frame);
    c.close();
  });

  it('closes an idle tunnel after timeout tunnel', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send(upgrade('/idle'));
    await c.until((x) => x.text.includes('\r\n\r\n'), 5000, 'the 101');
    const t0 = Date.now();
    await c.untilClosed(4000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(500);
  });

  it('refuses a 101 whose Sec-WebSocket-Accept does not answer the key with 502', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send(upgrade('/bad-accept'));
    await c.untilResponses(1);
    expect(parseResponses(c.received)[0]!.status).toBe(502);
    c.close();
  });

  it('refuses an upgrade request without a valid Sec-WebSocket-Key with 400', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send('GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: short\r\n\r\n');
    await c.untilResponses(1);
    expect(parseResponses(c.received)[0]!.status).toBe(400);
    c.close();
  });
});

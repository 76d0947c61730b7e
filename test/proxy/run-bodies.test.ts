// Bodies through `haplo run`: Content-Length and chunked, both ways, streamed (never held whole):
// a large response starts reaching the client while the origin is still writing it, a large
// upload reaches the origin intact, and `Expect: 100-continue` goes to the server, whose
// `100 Continue` comes back to the client (HAProxy 2.6 does not answer it itself).
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort, header, parseResponses, RawClient, startHttpOrigin, startRawOrigin, startProxy, sleep,
  type HttpOrigin, type RunningProxy,
} from './run-harness.js';

const MB = 1024 * 1024;
/** Larger than every socket buffer on the way together, so only backpressure can hold it back. */
const STREAMED = 48 * MB;

let origin: HttpOrigin;
let streamer: { port: number; close(): Promise<void> };
let proxy: RunningProxy;
let port: number;
let bufferedPort: number;
/** The raw streamer's state: how much it wrote, and a gate the test opens. */
const stream = { written: 0, open: () => {} };

beforeAll(async () => {
  origin = await startHttpOrigin('bodies', (req, res, body) => {
    if (req.url === '/chunked-out') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first,');
      setTimeout(() => res.end('second'), 20);
      return;
    }
    const digest = createHash('sha256').update(body).digest('hex');
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': digest.length, 'x-length': String(body.length), 'x-te': String(req.headers['transfer-encoding'] ?? '') });
    res.end(digest);
  });
  // Writes 1 MB, then waits for the test to open the gate, then writes the rest as fast as the
  // proxy takes it.
  streamer = await startRawOrigin((s) => {
    s.once('data', () => {
      const total = STREAMED;
      s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${total}\r\n\r\n`);
      const piece = Buffer.alloc(64 * 1024, 0x61);
      const pump = (limit: number, then: () => void): void => {
        while (stream.written < limit) {
          stream.written += piece.length;
          if (!s.write(piece)) {
            s.once('drain', () => pump(limit, then));
            return;
          }
        }
        then();
      };
      pump(MB, () => {
        stream.open = () => pump(total, () => {});
      });
    });
  });
  port = await freePort();
  bufferedPort = await freePort();
  proxy = await startProxy(`
defaults
  mode http
  timeout connect 1s
  timeout client 10s
  timeout server 10s

frontend fe
  bind 127.0.0.1:${port}
  use_backend be_stream if { path /stream }
  default_backend be

frontend fe_buffered
  bind 127.0.0.1:${bufferedPort}
  option http-buffer-request
  http-request deny deny_status 422 if { req.body -m sub secret }
  default_backend be

backend be
  server s 127.0.0.1:${origin.port}

backend be_stream
  server s 127.0.0.1:${streamer.port}
`);
});

afterAll(async () => {
  await proxy?.stop();
  await origin?.close();
  await streamer?.close();
});

describe('bodies through haplo run', () => {
  it('forwards a Content-Length request body', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send('POST /cl HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world');
    await c.untilResponses(1);
    const [r] = parseResponses(c.received);
    expect(header(r!, 'x-length')).toBe('11');
    expect(r!.body.toString()).toBe(createHash('sha256').update('hello world').digest('hex'));
    c.close();
  });

  it('streams a chunked request body to the server, chunk by chunk', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send('POST /chunked-in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n');
    await sleep(30);
    c.send('6\r\n world\r\n0\r\n\r\n');
    await c.untilResponses(1);
    const [r] = parseResponses(c.received);
    expect(header(r!, 'x-length')).toBe('11');
    expect(header(r!, 'x-te')).toBe('chunked');
    expect(r!.body.toString()).toBe(createHash('sha256').update('hello world').digest('hex'));
    c.close();
  });

  it('streams a chunked response to the client', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send('GET /chunked-out HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.until((x) => x.text.endsWith('0\r\n\r\n'), 5000, 'the last chunk');
    const text = c.text;
    expect(text).toMatch(/transfer-encoding: chunked/i);
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    const data = body.split('\r\n').filter((_, i) => i % 2 === 1).join('');
    expect(data).toBe('first,second');
    // The connection stays usable after a chunked response.
    c.send('POST /after HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz');
    await c.until((x) => x.text.includes('x-length: 1'), 5000, 'the next response');
    c.close();
  });

  it('streams a 48 MB response with backpressure: first bytes early, the origin held back by a slow client', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = 0;
    let firstBytes!: () => void;
    let all!: () => void;
    const gotFirst = new Promise<void>((r) => (firstBytes = r));
    const gotAll = new Promise<void>((r) => (all = r));
    socket.on('data', (d: Buffer) => {
      received += d.length;
      if (received > 512 * 1024) firstBytes();
      if (received >= STREAMED) all();
    });
    socket.write('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
    await gotFirst;
    // The origin is held at 1 MB until now: what arrived cannot come from a buffered whole body.
    expect(stream.written).toBeLessThanOrEqual(MB + 64 * 1024);
    // A client that stops reading: the proxy stops reading the origin, which must stop writing
    // once the socket buffers on the way are full (far below the 48 MB it has to send).
    socket.pause();
    stream.open();
    await sleep(500);
    expect(stream.written).toBeLessThan(STREAMED - 8 * MB);
    socket.resume();
    await gotAll;
    expect(stream.written).toBe(STREAMED);
    socket.destroy();
  });

  it('streams a 12 MB upload to the server intact', async () => {
    const body = Buffer.alloc(12 * MB);
    for (let i = 0; i < body.length; i += 4096) body[i] = i & 0xff;
    const c = new RawClient(port);
    await c.ready();
    c.send(`PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`);
    c.send(body);
    await c.untilResponses(1, 15000);
    const [r] = parseResponses(c.received);
    expect(header(r!, 'x-length')).toBe(String(body.length));
    expect(r!.body.toString()).toBe(createHash('sha256').update(body).digest('hex'));
    c.close();
  });

  it('passes Expect: 100-continue to the server and relays its 100 Continue', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send('POST /expect HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
    await c.until((x) => x.text.startsWith('HTTP/1.1 100 Continue\r\n'), 5000, '100 Continue');
    c.send('hello');
    await c.untilResponses(2);
    const [interim, final] = parseResponses(c.received);
    expect(interim!.status).toBe(100);
    expect(final!.status).toBe(200);
    expect(header(final!, 'x-length')).toBe('5');
    expect(origin.seen.at(-1)!.headers.expect).toBe('100-continue');
    c.close();
  });

  it('lets the rules read the body with option http-buffer-request', async () => {
    const c = new RawClient(bufferedPort);
    await c.ready();
    c.send('POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 15\r\n\r\nname=');
    await sleep(30);
    c.send('top-secret');
    await c.untilResponses(1);
    expect(parseResponses(c.received)[0]!.status).toBe(422);
    c.send('POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nname=open');
    await c.untilResponses(2);
    const ok = parseResponses(c.received)[1]!;
    expect(ok.status).toBe(200);
    expect(header(ok, 'x-length')).toBe('9');
    c.close();
  });
});

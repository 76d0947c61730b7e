// Timeouts of `haplo run`, as HAProxy 2.6 applies them (checked against the binary): a client
// slow to send its head gets 408 and a close after `timeout http-request` (from the accept, or
// from the first byte of a later keep-alive request); an idle keep-alive connection is closed
// silently after `timeout http-keep-alive`; a server slow to answer gives 504 after
// `timeout server` (the client connection stays); an upload that stalls is also answered 504,
// then closed (the client timeout does not run while the server is waited for).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, header, parseResponses, RawClient, startHttpOrigin, startProxy, startRawOrigin, sleep, type HttpOrigin, type RunningProxy } from './run-harness.js';

let origin: HttpOrigin;
let flood: { port: number; close(): Promise<void> };
/** When the flooding origin saw the proxy close its connection. */
const flooded = { closedAt: 0, written: 0 };
let proxy: RunningProxy;
let port: number;

beforeAll(async () => {
  origin = await startHttpOrigin('slow', (req, res) => {
    const delay = req.url === '/slow' ? 1500 : 0;
    setTimeout(() => {
      if (res.destroyed) return;
      res.writeHead(200, { 'content-length': 2 });
      res.end('ok');
    }, delay);
  });
  // Sends far more than any socket buffer holds, as fast as it is taken.
  flood = await startRawOrigin((sock) => {
    sock.once('data', () => {
      const piece = Buffer.alloc(256 * 1024, 0x62);
      sock.write('HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n');
      const pump = (): void => {
        while (sock.writable) {
          flooded.written += piece.length;
          if (!sock.write(piece)) return void sock.once('drain', pump);
        }
      };
      pump();
    });
    sock.on('close', () => (flooded.closedAt = Date.now()));
  });
  port = await freePort();
  proxy = await startProxy(`
defaults
  mode http
  timeout connect 500ms
  timeout client 600ms
  timeout http-request 300ms
  timeout http-keep-alive 400ms
  timeout server 500ms

frontend fe
  bind 127.0.0.1:${port}
  use_backend be_flood if { path /flood }
  default_backend be

backend be_flood
  timeout server 5s
  server f 127.0.0.1:${flood.port}

backend be
  server s 127.0.0.1:${origin.port}
`);
});

afterAll(async () => {
  await proxy?.stop();
  await origin?.close();
  await flood?.close();
});

describe('timeouts', () => {
  it('answers 408 and closes when the head does not arrive within timeout http-request', async () => {
    const c = new RawClient(port);
    await c.ready();
    const t0 = Date.now();
    c.send('GET / HTTP/1.1\r\nHost: x\r\n');
    await c.untilClosed(3000);
    const elapsed = Date.now() - t0;
    const [r] = parseResponses(c.received);
    expect(r!.status).toBe(408);
    expect(header(r!, 'connection')).toBe('close');
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2000);
  });

  it('answers 408 on a connection that sends nothing at all', async () => {
    const c = new RawClient(port);
    await c.ready();
    await c.untilClosed(3000);
    expect(parseResponses(c.received)[0]!.status).toBe(408);
  });

  it('closes an idle keep-alive connection silently after timeout http-keep-alive', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.untilResponses(1);
    const t0 = Date.now();
    await c.untilClosed(3000);
    const elapsed = Date.now() - t0;
    expect(parseResponses(c.received)).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(2000);
  });

  it('times the next request’s head from its first byte (http-request), not from the keep-alive wait', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.untilResponses(1);
    await sleep(250);
    c.send('GET / HTTP/1.1\r\n');
    const t0 = Date.now();
    await c.untilClosed(3000);
    const r = parseResponses(c.received);
    expect(r.map((x) => x.status)).toEqual([200, 408]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it('answers 504 when the server does not answer within timeout server, and keeps the client', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.untilResponses(1, 3000);
    const [r] = parseResponses(c.received);
    expect(r!.status).toBe(504);
    expect(r!.body.toString()).toContain("The server didn't respond in time.");
    c.send('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.untilResponses(2, 3000);
    expect(parseResponses(c.received)[1]!.status).toBe(200);
    c.close();
  });

  it('answers 504 and closes when the upload stalls: timeout server runs, not timeout client', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-a-part');
    const t0 = Date.now();
    await c.untilClosed(3000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    const [r] = parseResponses(c.received);
    expect(r!.status).toBe(504);
    expect(header(r!, 'connection')).toBe('close');
  });

  it('drops a client that stops reading a response after timeout client', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.socket.pause();
    c.send('GET /flood HTTP/1.1\r\nHost: x\r\n\r\n');
    const t0 = Date.now();
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (flooded.closedAt) {
          clearInterval(timer);
          resolve();
        } else if (Date.now() - t0 > 4000) {
          clearInterval(timer);
          reject(new Error('the proxy never gave up on the blocked client'));
        }
      }, 20);
    });
    // The origin's connection goes when the client is dropped: after timeout client (600 ms) of
    // a blocked write, well before timeout server (5 s) would matter.
    expect(flooded.closedAt - t0).toBeGreaterThanOrEqual(500);
    expect(flooded.closedAt - t0).toBeLessThan(3000);
    expect(flooded.written).toBeLessThan(1024 * 1024 * 1024);
    c.close();
  });
});

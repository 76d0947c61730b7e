// The HTTP session and the upstream layer together: a server at its maxconn makes requests queue
// (served in turn as slots free, 503 after `timeout queue`), a kept server connection the server
// closed meanwhile is retried on a fresh one, a server's garbage is a 502, and a response a rule
// replaces (http-response deny) never reaches the client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort, oneRequest, parseResponses, RawClient, sleep, startProxy, startRawOrigin, type RunningProxy,
} from './run-harness.js';

let slow: { port: number; close(): Promise<void> };
let closer: { port: number; close(): Promise<void> };
let garbage: { port: number; close(): Promise<void> };
let proxy: RunningProxy;
let port: number;
let closerConnections = 0;

/** Answers each request after `ms`, keeping the connection open. */
function delayed(ms: number) {
  return (s: import('node:net').Socket): void => {
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      let end: number;
      while ((end = buf.indexOf('\r\n\r\n')) >= 0) {
        const path = buf.slice(buf.indexOf(' ') + 1, buf.indexOf(' ', buf.indexOf(' ') + 1));
        buf = buf.slice(end + 4);
        setTimeout(() => s.writable && s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${path.length}\r\n\r\n${path}`), ms);
      }
    });
  };
}

beforeAll(async () => {
  slow = await startRawOrigin(delayed(300));
  // Answers with keep-alive, then closes the connection shortly after (a server's idle timeout).
  closer = await startRawOrigin((s) => {
    closerConnections++;
    s.on('data', () => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      setTimeout(() => s.end(), 50);
    });
  });
  garbage = await startRawOrigin((s) => s.on('data', () => s.end('this is not http\r\n\r\n')));
  port = await freePort();
  proxy = await startProxy(`
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 5s

frontend fe
  bind 127.0.0.1:${port}
  use_backend be_queue if { path_beg /q }
  use_backend be_short_queue if { path_beg /short }
  use_backend be_closer if { path_beg /closer }
  use_backend be_garbage if { path_beg /garbage }
  use_backend be_filtered if { path_beg /filtered }
  default_backend be_queue

backend be_queue
  server s 127.0.0.1:${slow.port} maxconn 1

backend be_short_queue
  timeout queue 100ms
  server s 127.0.0.1:${slow.port} maxconn 1

backend be_closer
  server s 127.0.0.1:${closer.port}

backend be_garbage
  server s 127.0.0.1:${garbage.port}

backend be_filtered
  http-response deny if { status 200 }
  server s 127.0.0.1:${slow.port}
`);
});

afterAll(async () => {
  await proxy?.stop();
  await slow?.close();
  await closer?.close();
  await garbage?.close();
});

describe('HTTP sessions and the upstream layer', () => {
  it('queues requests over the server maxconn and serves them in turn', async () => {
    const clients = [new RawClient(port), new RawClient(port), new RawClient(port)];
    await Promise.all(clients.map((c) => c.ready()));
    const t0 = Date.now();
    clients.forEach((c, i) => c.send(`GET /q${i} HTTP/1.1\r\nHost: x\r\n\r\n`));
    await Promise.all(clients.map((c) => c.untilResponses(1, 5000)));
    // One at a time at 300 ms each.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(800);
    clients.forEach((c, i) => {
      const [r] = parseResponses(c.received);
      expect(r!.status).toBe(200);
      expect(r!.body.toString()).toBe(`/q${i}`);
      c.close();
    });
  });

  it('answers 503 to a request still queued after timeout queue', async () => {
    const first = new RawClient(port);
    const second = new RawClient(port);
    await Promise.all([first.ready(), second.ready()]);
    first.send('GET /short-1 HTTP/1.1\r\nHost: x\r\n\r\n');
    await sleep(20);
    second.send('GET /short-2 HTTP/1.1\r\nHost: x\r\n\r\n');
    await Promise.all([first.untilResponses(1), second.untilResponses(1)]);
    expect(parseResponses(first.received)[0]!.status).toBe(200);
    expect(parseResponses(second.received)[0]!.status).toBe(503);
    first.close();
    second.close();
  });

  it('retries on a fresh connection when the kept one was closed by the server meanwhile', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send('GET /closer/1 HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.untilResponses(1);
    await sleep(150);
    c.send('GET /closer/2 HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.untilResponses(2);
    expect(parseResponses(c.received).map((r) => r.status)).toEqual([200, 200]);
    expect(closerConnections).toBeGreaterThanOrEqual(2);
    c.close();
  });

  it('answers 502 to a response that is not HTTP', async () => {
    const { response, client } = await oneRequest(port, 'GET /garbage HTTP/1.1\r\nHost: x\r\n\r\n');
    client.close();
    expect(response.status).toBe(502);
  });

  it('sends the 502 of http-response deny instead of the server’s response', async () => {
    const { response, client } = await oneRequest(port, 'GET /filtered HTTP/1.1\r\nHost: x\r\n\r\n');
    client.close();
    expect(response.status).toBe(502);
    expect(response.body.toString()).not.toContain('/filtered');
  });
});

// `haplo run` in mode http, end to end on loopback: the rules of the config decide (deny,
// redirect, set-header, use_backend, round robin), the proxy keeps connections alive, serves
// pipelined requests in order, and answers with HAProxy's own pages where HAProxy does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort, header, oneRequest, parseResponses, RawClient, startHttpOrigin, startProxy,
  type HttpOrigin, type RunningProxy,
} from './run-harness.js';

let a: HttpOrigin;
let b: HttpOrigin;
let proxy: RunningProxy;
let port: number;
let deadPort: number;

beforeAll(async () => {
  a = await startHttpOrigin('a');
  b = await startHttpOrigin('b');
  port = await freePort();
  deadPort = await freePort();
  proxy = await startProxy(`
defaults
  mode http
  timeout connect 500ms
  timeout client 5s
  timeout server 5s

frontend fe
  bind 127.0.0.1:${port}
  http-request deny if { path /deny }
  http-request redirect location /new code 301 if { path /old }
  http-request set-header X-Seen-By haplo
  use_backend be_b if { path_beg /b/ }
  use_backend be_dead if { path_beg /dead }
  default_backend be_a

backend be_a
  server a 127.0.0.1:${a.port}

backend be_b
  http-response set-header X-Backend b
  server b 127.0.0.1:${b.port}

backend be_dead
  retries 0
  server gone 127.0.0.1:${deadPort}
`);
});

afterAll(async () => {
  await proxy?.stop();
  await a?.close();
  await b?.close();
});

describe('haplo run, mode http', () => {
  it('forwards a request to the default backend with the set-header applied', async () => {
    const before = a.seen.length;
    const { response, client } = await oneRequest(port, 'GET /hello?x=1 HTTP/1.1\r\nHost: example.test\r\nUser-Agent: t\r\n\r\n');
    client.close();
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('hello from a');
    expect(header(response, 'x-origin')).toBe('a');
    const seen = a.seen[before]!;
    expect(seen.url).toBe('/hello?x=1');
    expect(seen.headers['x-seen-by']).toBe('haplo');
    expect(seen.headers.host).toBe('example.test');
    // HAProxy writes header names lower-cased towards the server.
    expect(seen.rawHeaders).toContain('user-agent');
  });

  it('routes with use_backend and applies the backend http-response rules', async () => {
    const { response, client } = await oneRequest(port, 'GET /b/page HTTP/1.1\r\nHost: x\r\n\r\n');
    client.close();
    expect(response.body.toString()).toBe('hello from b');
    expect(header(response, 'x-backend')).toBe('b');
  });

  it('answers a denied request with HAProxy’s 403 page and keeps the connection', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send('GET /deny HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.untilResponses(1);
    const [r] = parseResponses(c.received);
    expect(r!.status).toBe(403);
    expect(r!.body.toString()).toContain('Request forbidden by administrative rules.');
    expect(header(r!, 'cache-control')).toBe('no-cache');
    c.send('GET /after-deny HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.untilResponses(2);
    expect(parseResponses(c.received)[1]!.status).toBe(200);
    c.close();
  });

  it('redirects with the code and location the rule says', async () => {
    const { response, client } = await oneRequest(port, 'GET /old HTTP/1.1\r\nHost: x\r\n\r\n');
    client.close();
    expect(response.status).toBe(301);
    expect(header(response, 'location')).toBe('/new');
  });

  it('keeps the client connection alive and reuses one server connection for it', async () => {
    const connectionsBefore = a.connections;
    const c = new RawClient(port);
    await c.ready();
    for (let i = 1; i <= 3; i++) {
      c.send(`GET /ka/${i} HTTP/1.1\r\nHost: x\r\n\r\n`);
      await c.untilResponses(i);
    }
    const responses = parseResponses(c.received);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(c.closed).toBe(false);
    // The first request gets a connection of its own (http-reuse safe); when an older idle one
    // of the server is already pooled beyond what the server has needed at once, HAProxy's
    // rules close that new one on release and the next requests take the pooled one. Either
    // way no more than one new connection is made, and the later requests share one.
    const ports = a.seen.filter((s) => s.url.startsWith('/ka/')).map((s) => s.remotePort);
    expect(ports).toHaveLength(3);
    expect(ports[2]).toBe(ports[1]);
    expect(a.connections - connectionsBefore).toBeLessThanOrEqual(1);
    c.close();
  });

  it('serves pipelined requests one at a time, responses in order', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send('GET /p/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /b/p2 HTTP/1.1\r\nHost: x\r\n\r\nGET /deny HTTP/1.1\r\nHost: x\r\n\r\nGET /p/4 HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.untilResponses(4);
    const r = parseResponses(c.received);
    expect(r.map((x) => x.status)).toEqual([200, 200, 403, 200]);
    expect(r[0]!.body.toString()).toBe('hello from a');
    expect(r[1]!.body.toString()).toBe('hello from b');
    c.close();
  });

  it('closes after the response when the client asks (Connection: close) and says so', async () => {
    const { response, client } = await oneRequest(port, 'GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(header(response, 'connection')).toBe('close');
    await client.untilClosed();
    // The hop-by-hop header is not passed to the server.
    expect(a.seen.at(-1)!.headers.connection).not.toBe('close');
  });

  it('closes an HTTP/1.0 exchange without keep-alive', async () => {
    const { response, client } = await oneRequest(port, 'GET /ten HTTP/1.0\r\nHost: x\r\n\r\n');
    expect(response.status).toBe(200);
    expect(header(response, 'connection')).toBe('close');
    await client.untilClosed();
  });

  it('keeps an HTTP/1.0 client that asks for keep-alive, and says so', async () => {
    const c = new RawClient(port);
    await c.ready();
    c.send('GET /ten-ka HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await c.untilResponses(1);
    expect(header(parseResponses(c.received)[0]!, 'connection')).toBe('keep-alive');
    c.send('GET /ten-ka2 HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await c.untilResponses(2);
    c.close();
  });

  it('answers 503 when the server cannot be reached', async () => {
    const { response, client } = await oneRequest(port, 'GET /dead HTTP/1.1\r\nHost: x\r\n\r\n');
    client.close();
    expect(response.status).toBe(503);
    expect(response.body.toString()).toContain('No server is available to handle this request.');
  });

  it('answers a malformed request with 400 and closes, without disturbing another connection', async () => {
    const other = new RawClient(port);
    await other.ready();
    other.send('GET /first HTTP/1.1\r\nHost: x\r\n\r\n');
    await other.untilResponses(1);

    const bad = new RawClient(port);
    await bad.ready();
    bad.send('GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    await bad.untilClosed();
    const [r] = parseResponses(bad.received);
    expect(r!.status).toBe(400);
    expect(header(r!, 'connection')).toBe('close');

    other.send('GET /second HTTP/1.1\r\nHost: x\r\n\r\n');
    await other.untilResponses(2);
    expect(parseResponses(other.received).map((x) => x.status)).toEqual([200, 200]);
    other.close();
  });

  it('survives arbitrary bytes on many connections', async () => {
    const garbage = [
      Buffer.from([0, 1, 2, 255, 254, 13, 10, 13, 10]),
      Buffer.from('\r\n\r\nGET\tx\r\n\r\n'),
      Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'),
      Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n'),
      Buffer.from('GET /' + 'a'.repeat(40000) + ' HTTP/1.1\r\n\r\n'),
      Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
    ];
    const clients = garbage.map((g) => {
      const c = new RawClient(port);
      c.socket.on('connect', () => c.send(g));
      return c;
    });
    await Promise.all(clients.map((c, i) => c.until((x) => x.closed || x.ended || x.received.length > 0, 5000, `an answer or a close to garbage #${i}`)));
    for (const c of clients) c.close();
    const { response, client } = await oneRequest(port, 'GET /still-alive HTTP/1.1\r\nHost: x\r\n\r\n');
    client.close();
    expect(response.status).toBe(200);
  });
});

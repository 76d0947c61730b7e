// serializeRequestHead / serializeResponseHead: framing and connection headers, hop-by-hop
// handling, refusals of what cannot be written; then, on the wire, the heads HAProxy 2.6 writes
// (to a recording origin, and back to a raw client) compared byte for byte with what the codec
// writes for the same messages. The wire part is skipped with a message when `haproxy` is absent.
// Loopback only, ports 30500–30999, haproxy killed afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChunkedDecoder,
  parseRequestHead,
  parseResponseHead,
  serializeRequestHead,
  serializeResponseHead,
  type BodyFraming,
  type HeadLimits,
  type RequestHead,
  type ResponseHead,
} from '../../packages/proxy/src/http/index.js';
import { hasHaproxy } from '../support/haproxy.js';
import { portBlock } from '../support/ports.js';

const LIMITS: HeadLimits = { maxHeadBytes: 15360, maxHeaders: 101 };
const R = (s: string) => s.replace(/\n/g, '\r\n');
const req = (h: [string, string][], framing: BodyFraming = { kind: 'none' }, o = {}) => serializeRequestHead('GET', '/', h, framing, o).toString('latin1');
const res = (h: [string, string][], framing: BodyFraming, keepAlive = true, o = {}, status = 200) =>
  serializeResponseHead(status, 'OK', h, framing, keepAlive, o).toString('latin1');

describe('serializeRequestHead', () => {
  it('writes the request line, lower-cased names in order, values as given', () => {
    expect(serializeRequestHead('POST', '/a?b=c', [['Host', 'x'], ['X-Mixed-Case', 'KeepCase']], { kind: 'none' }).toString()).toBe(
      'POST /a?b=c HTTP/1.1\r\nhost: x\r\nx-mixed-case: KeepCase\r\n\r\n',
    );
    expect(req([['Host', 'x']], { kind: 'none' }, { lowerCaseNames: false })).toBe('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(req([['X', '']])).toBe('GET / HTTP/1.1\r\nx: \r\n\r\n');
  });

  it('length framing: the first Content-Length stays in place with the canonical value, the rest and TE go', () => {
    expect(req([['Content-Length', '005'], ['A', '1'], ['content-length', '5'], ['Transfer-Encoding', 'chunked']], { kind: 'length', length: 5 })).toBe(
      'GET / HTTP/1.1\r\ncontent-length: 5\r\na: 1\r\n\r\n',
    );
    expect(req([['A', '1']], { kind: 'length', length: 0 })).toBe('GET / HTTP/1.1\r\na: 1\r\ncontent-length: 0\r\n\r\n');
  });

  it('chunked framing: Transfer-Encoding stays in place, Content-Length goes, never both', () => {
    expect(req([['Content-Length', '10'], ['Transfer-Encoding', 'Chunked'], ['A', '1']], { kind: 'chunked' })).toBe(
      'GET / HTTP/1.1\r\ntransfer-encoding: Chunked\r\na: 1\r\n\r\n',
    );
    expect(req([['Transfer-Encoding', 'gzip, chunked']], { kind: 'chunked' })).toBe('GET / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n');
    expect(req([['A', '1']], { kind: 'chunked' })).toBe('GET / HTTP/1.1\r\na: 1\r\ntransfer-encoding: chunked\r\n\r\n');
  });

  it('no body: both framing headers go', () => {
    expect(req([['Content-Length', '3'], ['Transfer-Encoding', 'chunked']])).toBe('GET / HTTP/1.1\r\n\r\n');
  });

  it('Connection: close/keep-alive tokens removed, the rest verbatim until a removal, then joined with ","', () => {
    expect(req([['Connection', 'keep-alive']])).toBe('GET / HTTP/1.1\r\n\r\n');
    expect(req([['Connection', 'keep-alive, X-Foo']])).toBe('GET / HTTP/1.1\r\nconnection: X-Foo\r\n\r\n');
    expect(req([['Connection', 'X , Y, close']])).toBe('GET / HTTP/1.1\r\nconnection: X , Y\r\n\r\n');
    expect(req([['Connection', 'close, X , Y']])).toBe('GET / HTTP/1.1\r\nconnection: X,Y\r\n\r\n');
    expect(req([['Connection', 'x , y'], ['Connection', 'z']])).toBe('GET / HTTP/1.1\r\nconnection: x , y\r\nconnection: z\r\n\r\n');
  });

  it("appends the proxy's intent: close on 1.1 when not kept alive, keep-alive on 1.0 when kept", () => {
    expect(req([['Host', 'a']], { kind: 'none' }, { keepAlive: false })).toBe('GET / HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n');
    expect(req([], { kind: 'none' }, { version: '1.0' })).toBe('GET / HTTP/1.0\r\nconnection: keep-alive\r\n\r\n');
    expect(req([['Connection', 'close']], { kind: 'none' }, { version: '1.0', keepAlive: false })).toBe('GET / HTTP/1.0\r\n\r\n');
  });

  it('upgrade: kept with its token, h2c dropped, an Upgrade without the token dropped (current HAProxy)', () => {
    const ws: [string, string][] = [['Connection', 'Upgrade'], ['Upgrade', 'websocket']];
    expect(req(ws, { kind: 'none' }, { keepAlive: false })).toBe('GET / HTTP/1.1\r\nconnection: Upgrade\r\nupgrade: websocket\r\n\r\n');
    expect(req([['Upgrade', 'websocket']])).toBe('GET / HTTP/1.1\r\n\r\n');
    expect(req([['Connection', 'Upgrade']])).toBe('GET / HTTP/1.1\r\n\r\n');
    expect(req([['Connection', 'Upgrade, HTTP2-Settings'], ['Upgrade', 'h2c']])).toBe('GET / HTTP/1.1\r\nconnection: HTTP2-Settings\r\n\r\n');
    expect(req([['Connection', 'upgrade'], ['Upgrade', 'h2c, foo']])).toBe('GET / HTTP/1.1\r\nconnection: upgrade\r\nupgrade: foo\r\n\r\n');
  });

  it("rfc mode strips every hop-by-hop header and writes the proxy's own Connection", () => {
    const h: [string, string][] = [
      ['Host', 'a'],
      ['Connection', 'keep-alive, X-Foo, Upgrade'],
      ['X-Foo', '1'],
      ['Keep-Alive', 'timeout=5'],
      ['Proxy-Connection', 'keep-alive'],
      ['TE', 'trailers'],
      ['Upgrade', 'websocket'],
      ['X-Keep', '1'],
    ];
    expect(req(h, { kind: 'none' }, { hopByHop: 'rfc' })).toBe('GET / HTTP/1.1\r\nhost: a\r\nupgrade: websocket\r\nx-keep: 1\r\nconnection: upgrade\r\n\r\n');
    expect(req(h.filter(([n]) => n !== 'Upgrade'), { kind: 'none' }, { hopByHop: 'rfc', keepAlive: false })).toBe('GET / HTTP/1.1\r\nhost: a\r\nx-keep: 1\r\nconnection: close\r\n\r\n');
    // HAProxy mode forwards them (2.6 does).
    expect(req(h.filter(([n]) => n !== 'Upgrade'))).toBe(
      'GET / HTTP/1.1\r\nhost: a\r\nconnection: X-Foo\r\nx-foo: 1\r\nkeep-alive: timeout=5\r\nproxy-connection: keep-alive\r\nte: trailers\r\nx-keep: 1\r\n\r\n',
    );
  });

  it('refuses what would not read back as intended', () => {
    expect(() => req([['X', 'a\r\nInjected: 1']])).toThrow(/contains a line break/);
    expect(() => req([['X', 'a\u0000']])).toThrow(/control character/);
    expect(() => req([['X', '\u20ac']])).toThrow(/outside Latin-1/);
    expect(() => req([['Bad Name', 'a']])).toThrow(/not a token/);
    expect(() => req([['', 'a']])).toThrow(/empty header name/);
    expect(() => serializeRequestHead('GE T', '/', [], { kind: 'none' })).toThrow(/method/);
    expect(() => serializeRequestHead('GET', '/a b', [], { kind: 'none' })).toThrow(/request target/);
    expect(() => serializeRequestHead('GET', '', [], { kind: 'none' })).toThrow(/empty request target/);
    expect(() => serializeRequestHead('POST', '/', [], { kind: 'close' })).toThrow(/cannot be delimited by closing/);
  });
});

describe('serializeResponseHead', () => {
  it('writes the status line with the reason, even an empty one, and the version given', () => {
    expect(serializeResponseHead(200, '', [], { kind: 'length', length: 0 }, true).toString()).toBe('HTTP/1.1 200 \r\ncontent-length: 0\r\n\r\n');
    expect(serializeResponseHead(404, 'Not Found', [], { kind: 'length', length: 0 }, true, { version: '1.0' }).toString()).toBe(
      'HTTP/1.0 404 Not Found\r\ncontent-length: 0\r\nconnection: keep-alive\r\n\r\n',
    );
  });

  it('close framing: no length headers, connection: close', () => {
    expect(res([['Content-Length', '2'], ['X', '1']], { kind: 'close' }, true)).toBe('HTTP/1.1 200 OK\r\nx: 1\r\nconnection: close\r\n\r\n');
  });

  it('no body: HEAD and 304 keep the length headers, 204 and 1xx lose them', () => {
    expect(res([['Content-Length', '2']], { kind: 'none' }, true, { requestMethod: 'HEAD' })).toBe('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n');
    expect(res([['Transfer-Encoding', 'chunked']], { kind: 'none' }, true, { requestMethod: 'HEAD' })).toBe('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
    expect(res([['Content-Length', '2']], { kind: 'none' }, true, {}, 304)).toBe('HTTP/1.1 304 OK\r\ncontent-length: 2\r\n\r\n');
    expect(res([['Content-Length', '2']], { kind: 'none' }, true, {}, 204)).toBe('HTTP/1.1 204 OK\r\n\r\n');
  });

  it('a 101 keeps its Connection: upgrade and gets no close', () => {
    const h: [string, string][] = [['Connection', 'Upgrade'], ['Upgrade', 'websocket'], ['Sec-WebSocket-Accept', 'x']];
    expect(res(h, { kind: 'none' }, false, {}, 101)).toBe('HTTP/1.1 101 OK\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-accept: x\r\n\r\n');
  });

  it('a response keeps an advertised Upgrade without the token (426, 200 with h2 offers stripped)', () => {
    expect(res([['Upgrade', 'TLS/1.2']], { kind: 'length', length: 0 }, true, {}, 426)).toBe('HTTP/1.1 426 OK\r\nupgrade: TLS/1.2\r\ncontent-length: 0\r\n\r\n');
    expect(res([['Upgrade', 'h2,h2c']], { kind: 'length', length: 0 })).toBe('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
  });

  it('refuses a bad status or reason', () => {
    expect(() => serializeResponseHead(42, 'x', [], { kind: 'none' }, true)).toThrow(/invalid status code 42/);
    expect(() => serializeResponseHead(200, 'a\r\nb', [], { kind: 'none' }, true)).toThrow(/reason phrase/);
  });
});

describe('serialize: round trips through the parser', () => {
  const plainHeader = fc.tuple(
    fc.constantFrom('X-A', 'accept', 'User-Agent', 'X-Forwarded-For', 'Cookie', 'X_Under', 'ETag'),
    fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e\t]{0,20}[\x21-\x7e])?$/),
  );
  const framing = fc.oneof(
    fc.constant<BodyFraming>({ kind: 'none' }),
    fc.constant<BodyFraming>({ kind: 'chunked' }),
    fc.nat({ max: 1e9 }).map((length): BodyFraming => ({ kind: 'length', length })),
  );
  const framingHeaders = fc.subarray<[string, string]>([
    ['Content-Length', '12'],
    ['Transfer-Encoding', 'chunked'],
    ['Connection', 'keep-alive'],
    ['Connection', 'close, X-A'],
  ]);

  it('a written request reads back with the same method, target, framing and headers', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'PUT', 'PURGE'),
        fc.constantFrom('/', '/a/b?c=d&e', '/%20x'),
        fc.constantFrom<'1.0' | '1.1'>('1.0', '1.1'),
        fc.boolean(),
        fc.array(plainHeader, { maxLength: 8 }),
        framingHeaders,
        framing,
        (method, uri, version, keepAlive, plain, extra, fr) => {
          if (version === '1.0' && fr.kind !== 'none' && method === 'GET') return; // 413 territory
          const headers: [string, string][] = [['Host', 'h'], ...plain, ...extra];
          const wire = serializeRequestHead(method, uri, headers, fr, { version, keepAlive });
          const r = parseRequestHead(wire, LIMITS);
          expect(r.kind, wire.toString('latin1')).toBe('ok');
          if (r.kind !== 'ok') return;
          // Chunked in HTTP/1.0 is read but never kept alive (RFC 9112 §6.1).
          const wantKeepAlive = keepAlive && !(fr.kind === 'chunked' && version === '1.0');
          expect(r.head).toMatchObject({ method, target: uri, version, framing: fr, keepAlive: wantKeepAlive, headLength: wire.length });
          const ordinary = (h: [string, string][]) => h.filter(([n]) => !/^(content-length|transfer-encoding|connection)$/i.test(n)).map(([n, v]) => [n.toLowerCase(), v]);
          expect(ordinary(r.head.headers)).toEqual(ordinary(headers));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a written response reads back with the same status, framing and keep-alive', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(200, 201, 404, 500),
        fc.constantFrom('OK', '', 'Not Found'),
        fc.constantFrom<'1.0' | '1.1'>('1.0', '1.1'),
        fc.boolean(),
        fc.array(plainHeader, { maxLength: 8 }),
        framingHeaders,
        fc.oneof(framing.filter((f) => f.kind !== 'none'), fc.constant<BodyFraming>({ kind: 'close' })),
        (status, reason, version, keepAlive, plain, extra, fr) => {
          const wire = serializeResponseHead(status, reason, [...plain, ...extra], fr, keepAlive, { version });
          const r = parseResponseHead(wire, LIMITS, 'GET');
          expect(r.kind, wire.toString('latin1')).toBe('ok');
          if (r.kind !== 'ok') return;
          const wantKeepAlive = fr.kind === 'close' ? false : keepAlive && !(fr.kind === 'chunked' && version === '1.0');
          expect(r.head).toMatchObject({ status, reason, version, framing: fr, keepAlive: wantKeepAlive });
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ------------------------------------------------------------------ on the wire, against HAProxy 2.6

const present = hasHaproxy();

interface Scenario {
  name: string;
  request: string;
  response: string;
  /** The origin closes after its response (close-delimited body). */
  closeAfter?: boolean;
  /**
   * Lines HAProxy 2.6 writes that haplo deliberately writes differently (as current HAProxy
   * does), per side: HAProxy's line → haplo's line, or null when haplo leaves it out. The
   * comparison maps HAProxy's bytes first.
   */
  differs26?: { request?: Record<string, string | null>; response?: Record<string, string | null>; why: string };
}

// prettier-ignore
const SCENARIOS: Scenario[] = [
  { name: 'HTTP/1.1 GET, 200 with Content-Length', request: R('GET /a?b HTTP/1.1\nHost: example.com\nUser-Agent: Probe/1\nAccept: */*\n\n'), response: R('HTTP/1.1 200 OK\nContent-Length: 2\nX-Origin: 1\n\nok') },
  { name: 'client asks to close', request: R('GET / HTTP/1.1\nHost: a\nConnection: close\n\n'), response: R('HTTP/1.1 200 OK\nContent-Length: 2\n\nok') },
  { name: 'HTTP/1.0 client, default close', request: R('GET / HTTP/1.0\n\n'), response: R('HTTP/1.1 200 OK\nContent-Length: 2\n\nok') },
  { name: 'HTTP/1.0 client with keep-alive, HTTP/1.0 server', request: R('GET / HTTP/1.0\nConnection: keep-alive\n\n'), response: R('HTTP/1.0 200 OK\nContent-Length: 2\nConnection: keep-alive\n\nok') },
  { name: 'HTTP/1.1 client, HTTP/1.0 server', request: R('GET / HTTP/1.1\nHost: a\n\n'), response: R('HTTP/1.0 200 OK\nContent-Length: 2\n\nok') },
  { name: 'close-delimited response', request: R('GET / HTTP/1.1\nHost: a\n\n'), response: R('HTTP/1.1 200 OK\nX-A: 1\n\nbody until close'), closeAfter: true },
  { name: 'hop-by-hop headers both ways', request: R('GET / HTTP/1.1\nHost: a\nConnection: keep-alive, X-Foo\nX-Foo: 1\nKeep-Alive: 5\nProxy-Connection: x\nTE: trailers\n\n'), response: R('HTTP/1.1 200 Fine Thanks\nTransfer-Encoding: chunked\nConnection: keep-alive, X-Z\nX-Z: 1\nKeep-Alive: timeout=5\n\n') + '2\r\nok\r\n0\r\n\r\n' },
  { name: 'Connection tokens kept verbatim until a removal', request: R('GET / HTTP/1.1\nHost: a\nConnection: X , Y, close\nConnection: z\n\n'), response: R('HTTP/1.1 200 OK\nConnection: close\nContent-Length: 2\n\nok') },
  { name: 'POST with Content-Length 005', request: R('POST /f HTTP/1.1\nHost: a\nContent-Type: text/plain\nContent-Length: 005\n\nhello'), response: R('HTTP/1.1 201 Created\nContent-Length: 0\n\n'),
    differs26: { request: { 'content-length: 005': 'content-length: 5' }, why: 'HAProxy 2.6 forwards the Content-Length text as received; current HAProxy drops leading zeros, and haplo writes the number' } },
  { name: 'chunked POST with extensions and a trailer', request: R('POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n') + '1a;x=y\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: T\r\n\r\n', response: R('HTTP/1.1 200 OK\nContent-Length: 0\n\n') },
  { name: 'Content-Length and chunked together', request: R('POST / HTTP/1.1\nHost: a\nContent-Length: 50\nTransfer-Encoding: chunked\n\n') + '3\r\nabc\r\n0\r\n\r\n', response: R('HTTP/1.1 200 OK\nContent-Length: 2\n\nok') },
  { name: 'HEAD keeps the Content-Length of the representation', request: R('HEAD / HTTP/1.1\nHost: a\n\n'), response: R('HTTP/1.1 200 OK\nContent-Length: 1234\n\n') },
  { name: '204 loses its Content-Length', request: R('GET / HTTP/1.1\nHost: a\n\n'), response: R('HTTP/1.1 204 No Content\nContent-Length: 2\nX-A: 1\n\n') },
  { name: '304 keeps its Content-Length', request: R('GET / HTTP/1.1\nHost: a\n\n'), response: R('HTTP/1.1 304 Not Modified\nContent-Length: 2\nETag: "v1"\n\n') },
  { name: 'response with chunked and Content-Length', request: R('GET / HTTP/1.1\nHost: a\n\n'), response: R('HTTP/1.1 200 OK\nContent-Length: 2\nTransfer-Encoding: chunked\n\n') + '2\r\nok\r\n0\r\n\r\n' },
  { name: 'response with a status and no reason', request: R('GET / HTTP/1.1\nHost: a\n\n'), response: R('HTTP/1.1 200\nContent-Length: 0\n\n') },
  { name: 'WebSocket upgrade request', request: R('GET /ws HTTP/1.1\nHost: a\nConnection: keep-alive, Upgrade\nUpgrade: websocket\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13\n\n'), response: R('HTTP/1.1 200 OK\nContent-Length: 0\n\n') },
  { name: 'Upgrade: h2c without Connection: upgrade', request: R('GET / HTTP/1.1\nHost: a\nUpgrade: h2c\n\n'), response: R('HTTP/1.1 200 OK\nContent-Length: 0\n\n'),
    differs26: { request: { 'upgrade: h2c': null }, why: 'HAProxy 2.6 forwards an Upgrade without Connection: upgrade; current HAProxy drops it, and so does haplo' } },
  { name: 'duplicate identical Content-Length', request: R('POST / HTTP/1.1\nHost: a\nContent-Length: 2\nContent-Length: 2\n\nab'), response: R('HTTP/1.1 200 OK\nContent-Length: 2, 2\n\nok') },
];

interface Wire {
  /** Bytes the origin received for the request, and bytes the client received. */
  atOrigin: Buffer;
  atClient: Buffer;
}

let proc: ChildProcess | undefined;
let origin: net.Server | undefined;
let dir: string | undefined;
let fePort = 0;
let current: { scenario: Scenario; received: Buffer[]; onRequest?: () => void } | undefined;

/** Whole messages are complete: the head, then the body by its framing. */
function requestComplete(buf: Buffer): boolean {
  const r = parseRequestHead(buf, LIMITS);
  if (r.kind !== 'ok') return false;
  return bodyComplete(buf.subarray(r.head.headLength), r.head.framing);
}

function bodyComplete(rest: Buffer, framing: BodyFraming): boolean {
  if (framing.kind === 'length') return rest.length >= framing.length;
  if (framing.kind === 'chunked') {
    const c = new ChunkedDecoder().push(rest);
    return c.kind === 'ok' && c.done;
  }
  return framing.kind === 'none';
}

function startOrigin(port: number): Promise<net.Server> {
  const server = net.createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const c = current;
      if (!c || !requestComplete(buf)) return;
      c.received.push(buf);
      buf = Buffer.alloc(0);
      sock.write(Buffer.from(c.scenario.response, 'latin1'));
      if (c.scenario.closeAfter) sock.end();
    });
    sock.on('error', () => sock.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function waitListening(port: number, deadline: number): Promise<boolean> {
  return new Promise((resolve) => {
    const attempt = () => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => {
        c.destroy();
        if (Date.now() > deadline) resolve(false);
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

async function startHaproxy(): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const base = portBlock(2);
    try {
      origin = await startOrigin(base + 1);
    } catch {
      continue;
    }
    dir = mkdtempSync(join(tmpdir(), 'haplo-serialize-'));
    const cfg = `defaults\n    mode http\n    timeout connect 2s\n    timeout client 5s\n    timeout server 5s\nfrontend fe\n    bind 127.0.0.1:${base}\n    default_backend be\nbackend be\n    server s 127.0.0.1:${base + 1}\n`;
    writeFileSync(join(dir, 'h.cfg'), cfg);
    proc = spawn('haproxy', ['-db', '-f', join(dir, 'h.cfg')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let exited = false;
    proc.once('exit', () => (exited = true));
    const child = proc;
    process.once('exit', () => child.kill('SIGKILL')); // even if afterAll never runs
    if ((await waitListening(base, Date.now() + 5000)) && !exited) {
      fePort = base;
      return;
    }
    proc.kill('SIGKILL');
    origin.close();
  }
  throw new Error('could not start haproxy on a free port in 30500-30999');
}

/** The client's side: send the request, read one whole response (or until HAProxy closes). */
function exchange(s: Scenario): Promise<Wire> {
  current = { scenario: s, received: [] };
  const method = s.request.slice(0, s.request.indexOf(' '));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const c = net.connect(fePort, '127.0.0.1');
    const timer = setTimeout(() => done(), 4000);
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      c.destroy();
      const atOrigin = Buffer.concat(current!.received);
      current = undefined;
      if (atOrigin.length === 0) reject(new Error(`${s.name}: the origin received nothing`));
      else resolve({ atOrigin, atClient: Buffer.concat(chunks) });
    };
    c.on('connect', () => c.write(Buffer.from(s.request, 'latin1')));
    c.on('data', (d) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      const r = parseResponseHead(all, LIMITS, method);
      if (r.kind === 'ok' && r.head.framing.kind !== 'close' && bodyComplete(all.subarray(r.head.headLength), r.head.framing)) done();
    });
    c.on('end', done);
    c.on('error', done);
  });
}

function mustParseRequest(raw: Buffer): RequestHead {
  const r = parseRequestHead(raw, LIMITS);
  if (r.kind !== 'ok') throw new Error(`could not parse ${JSON.stringify(raw.toString('latin1'))}: ${JSON.stringify(r)}`);
  return r.head;
}

function mustParseResponse(raw: Buffer, method: string): ResponseHead {
  const r = parseResponseHead(raw, LIMITS, method);
  if (r.kind !== 'ok') throw new Error(`could not parse ${JSON.stringify(raw.toString('latin1'))}: ${JSON.stringify(r)}`);
  return r.head;
}

/** HAProxy's head bytes with the lines haplo deliberately writes differently mapped to haplo's. */
function headOf(raw: Buffer, headLength: number, map: Record<string, string | null> = {}): string {
  return raw
    .toString('latin1', 0, headLength)
    .split('\r\n')
    .flatMap((l) => (l in map ? (map[l] === null ? [] : [map[l]!]) : [l]))
    .join('\r\n');
}

if (!present) console.warn('http-serialize: haproxy is not installed; the on-the-wire comparison with HAProxy 2.6 is skipped.');

describe.skipIf(!present)('serialize: the same heads as HAProxy 2.6 on the wire', () => {
  const wires = new Map<string, Wire>();

  beforeAll(async () => {
    await startHaproxy();
    for (const s of SCENARIOS) wires.set(s.name, await exchange(s));
  }, 120_000);

  afterAll(() => {
    proc?.kill('SIGKILL');
    origin?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const s of SCENARIOS) {
    it(s.name, () => {
      const wire = wires.get(s.name)!;
      const clientReq = mustParseRequest(Buffer.from(s.request, 'latin1'));

      // Request side: what HAProxy wrote to the origin vs what haplo writes for the parsed request
      // (server connections are kept alive: http-keep-alive).
      const forwarded = mustParseRequest(wire.atOrigin);
      const mine = serializeRequestHead(clientReq.method, clientReq.target, clientReq.headers, clientReq.framing, { version: clientReq.version, keepAlive: true });
      expect(mine.toString('latin1')).toBe(headOf(wire.atOrigin, forwarded.headLength, s.differs26?.request));

      // A chunked body is re-chunked with upper-case hex and lower-cased trailer names.
      if (clientReq.framing.kind === 'chunked') {
        const body = wire.atOrigin.subarray(forwarded.headLength);
        const decoded = new ChunkedDecoder().push(body);
        const original = new ChunkedDecoder().push(Buffer.from(s.request, 'latin1').subarray(clientReq.headLength));
        expect(decoded.kind === 'ok' && original.kind === 'ok').toBe(true);
        if (decoded.kind === 'ok' && original.kind === 'ok') {
          expect(Buffer.concat(decoded.data).toString()).toBe(Buffer.concat(original.data).toString());
          expect(decoded.trailers).toEqual(original.trailers!.map(([n, v]) => [n.toLowerCase(), v]));
          expect(body.toString('latin1')).toMatch(/^[0-9A-F]+\r\n/);
        }
      }

      // Response side: the client connection stays open when the client wants it and the body
      // is not close-delimited.
      const serverRes = mustParseResponse(Buffer.from(s.response, 'latin1'), clientReq.method);
      const toClient = mustParseResponse(wire.atClient, clientReq.method);
      const keepAlive = clientReq.keepAlive && serverRes.framing.kind !== 'close';
      const mineRes = serializeResponseHead(serverRes.status, serverRes.reason, serverRes.headers, serverRes.framing, keepAlive, {
        version: serverRes.version,
        requestMethod: clientReq.method,
      });
      expect(mineRes.toString('latin1')).toBe(headOf(wire.atClient, toClient.headLength, s.differs26?.response));
    });
  }

  it('the documented 2.6 lines are really there (the list stays honest)', () => {
    for (const s of SCENARIOS.filter((x) => x.differs26)) {
      const wire = wires.get(s.name)!;
      const atOrigin = wire.atOrigin.toString('latin1').split('\r\n');
      const atClient = wire.atClient.toString('latin1').split('\r\n');
      for (const l of Object.keys(s.differs26!.request ?? {})) expect(atOrigin, s.differs26!.why).toContain(l);
      for (const l of Object.keys(s.differs26!.response ?? {})) expect(atClient, s.differs26!.why).toContain(l);
    }
  });
});

describe.skipIf(present)('serialize: the same heads as HAProxy 2.6 on the wire', () => {
  it('is skipped because haproxy is not installed', () => {
    console.warn('http-serialize: `haproxy` is not on PATH, so the heads were not compared with what HAProxy 2.6 writes.');
  });
});

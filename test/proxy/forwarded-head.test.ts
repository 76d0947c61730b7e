// The head writer `haplo run` uses (and `haplo sim` prints through): names lower-cased, framing
// headers made to match the framing relayed, Connection lines cleaned and the proxy's own line
// appended; then heads written for random messages read back through the proxy's own parsers.
// On the wire against HAProxy 2.6: test/differential/forwarded-head-vs-haproxy.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRequestHead, parseResponseHead, type BodyFraming, type HeadLimits } from '../../packages/proxy/src/http/index.js';
import { ClientSide, interimHeadText, replyHeadText, requestHeadText, responseHeadText } from '../../packages/sim/src/index.js';
import type { HttpRequest, HttpResponse } from '../../packages/sim/src/stream/context.js';
import { headerList } from '../../packages/sim/src/stream/headers.js';

type Pairs = [string, string][];
const LIMITS: HeadLimits = { maxHeadBytes: 15360, maxHeaders: 101 };
const request = (headers: Pairs, version = '1.1', method = 'GET', uri = '/'): HttpRequest =>
  ({ method, uri, version, headers: headerList(headers), body: new Uint8Array(0), bodyComplete: true });
const response = (headers: Pairs, status = 200, version = '1.1', reason = 'OK'): HttpResponse =>
  ({ status, reason, version, headers: headerList(headers), body: new Uint8Array(0) });
const NONE: BodyFraming = { kind: 'none' };
const req = (h: Pairs, framing: BodyFraming = NONE, closes = false, version = '1.1') => requestHeadText(request(h, version), framing, closes);
const res = (h: Pairs, framing: BodyFraming, side: ClientSide = ClientSide.Keep, status = 200, clientVersion = '1.1') =>
  responseHeadText(response(h, status), framing, clientVersion, side);

describe('requestHeadText', () => {
  it('writes the request line with the version, lower-cased names in order, values as given', () => {
    expect(requestHeadText(request([['Host', 'x'], ['X-Mixed-Case', 'KeepCase'], ['X', '']], '1.1', 'POST', '/a?b=c'), NONE, false))
      .toBe('POST /a?b=c HTTP/1.1\r\nhost: x\r\nx-mixed-case: KeepCase\r\nx: \r\n\r\n');
    expect(req([], NONE, false, '1.0')).toBe('GET / HTTP/1.0\r\nconnection: keep-alive\r\n\r\n');
  });

  it('length framing: one Content-Length where the first was, kept as written when it says the length', () => {
    expect(req([['Content-Length', '005'], ['A', '1'], ['content-length', '5']], { kind: 'length', length: 5 })).toBe('GET / HTTP/1.1\r\ncontent-length: 005\r\na: 1\r\n\r\n');
    expect(req([['Content-Length', '7']], { kind: 'length', length: 5 })).toBe('GET / HTTP/1.1\r\ncontent-length: 5\r\n\r\n');
    // A rule removed it: the framing's length is said at the end.
    expect(req([['A', '1']], { kind: 'length', length: 0 })).toBe('GET / HTTP/1.1\r\na: 1\r\ncontent-length: 0\r\n\r\n');
  });

  it('chunked framing: Transfer-Encoding as it is, no Content-Length', () => {
    expect(req([['Content-Length', '10'], ['Transfer-Encoding', 'chunked'], ['A', '1']], { kind: 'chunked' })).toBe('GET / HTTP/1.1\r\ntransfer-encoding: chunked\r\na: 1\r\n\r\n');
  });

  it('no body: a Content-Length a rule added goes (the server would wait for it)', () => {
    expect(req([['Content-Length', '3']])).toBe('GET / HTTP/1.1\r\n\r\n');
  });

  it('Connection lines lose close and keep-alive, other tokens and the headers they name stay', () => {
    expect(req([['Connection', 'keep-alive']])).toBe('GET / HTTP/1.1\r\n\r\n');
    expect(req([['Connection', 'keep-alive, X-Foo'], ['X-Foo', '1'], ['Keep-Alive', '5'], ['TE', 'trailers']]))
      .toBe('GET / HTTP/1.1\r\nconnection: X-Foo\r\nx-foo: 1\r\nkeep-alive: 5\r\nte: trailers\r\n\r\n');
    expect(req([['Connection', 'x , y'], ['Connection', 'close, z']])).toBe('GET / HTTP/1.1\r\nconnection: x , y\r\nconnection: z\r\n\r\n');
  });

  it("appends the proxy's line: close when the server side closes, nothing after an upgrade token", () => {
    expect(req([['Host', 'a']], NONE, true)).toBe('GET / HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n');
    expect(req([['Connection', 'close']], NONE, true, '1.0')).toBe('GET / HTTP/1.0\r\n\r\n');
    expect(req([['Connection', 'Upgrade'], ['Upgrade', 'websocket']], NONE, true)).toBe('GET / HTTP/1.1\r\nconnection: Upgrade\r\nupgrade: websocket\r\n\r\n');
  });
});

describe('responseHeadText', () => {
  it('writes the status line with the reason, even an empty one, and the server version', () => {
    expect(responseHeadText(response([], 200, '1.1', ''), { kind: 'length', length: 0 }, '1.1', ClientSide.Keep)).toBe('HTTP/1.1 200 \r\ncontent-length: 0\r\n\r\n');
    expect(responseHeadText(response([], 404, '1.0', 'Not Found'), { kind: 'length', length: 0 }, '1.1', ClientSide.Keep))
      .toBe('HTTP/1.0 404 Not Found\r\ncontent-length: 0\r\nconnection: keep-alive\r\n\r\n');
  });

  it('tells an HTTP/1.0 client it is kept, an HTTP/1.1 client it is closed', () => {
    expect(res([['Content-Length', '2']], { kind: 'length', length: 2 }, ClientSide.Keep, 200, '1.0')).toBe('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\n');
    expect(res([['Content-Length', '2'], ['Connection', 'keep-alive, X-Bar']], { kind: 'length', length: 2 }, ClientSide.Close))
      .toBe('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: X-Bar\r\nconnection: close\r\n\r\n');
  });

  it('close framing: nothing added; no body: HEAD and 304 keep the first Content-Length', () => {
    expect(res([['X', '1']], { kind: 'close' }, ClientSide.Close)).toBe('HTTP/1.1 200 OK\r\nx: 1\r\nconnection: close\r\n\r\n');
    // A length on a body that runs until the server closes would contradict the bytes that follow:
    // the writer never writes one (the pipeline drops such a response before any head is written,
    // as HAProxy 2.6 does: test/differential/content-length-rules-vs-haproxy.test.ts).
    expect(res([['Content-Length', '2']], { kind: 'close' }, ClientSide.Close)).toBe('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n');
    expect(res([['Content-Length', '2'], ['Content-Length', '2']], NONE, ClientSide.Keep, 304)).toBe('HTTP/1.1 304 OK\r\ncontent-length: 2\r\n\r\n');
  });

  it('a tunnel (101, or 2xx to CONNECT) keeps the server\'s connection: upgrade and gets nothing appended', () => {
    expect(res([['Connection', 'Upgrade'], ['Upgrade', 'websocket']], NONE, ClientSide.Tunnel, 101, '1.0')).toBe('HTTP/1.1 101 OK\r\nconnection: Upgrade\r\nupgrade: websocket\r\n\r\n');
  });
});

describe("HAProxy's own replies and interim responses", () => {
  it('a reply is written as the pipeline left it, names lower-cased, Connection lines cleaned, the proxy\'s line appended', () => {
    expect(replyHeadText(403, 'Forbidden', [['Content-Length', '0']], true, '1.1')).toBe('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    expect(replyHeadText(400, 'Bad request', [['connection', 'close']], true, '1.1')).toBe('HTTP/1.1 400 Bad request\r\nconnection: close\r\n\r\n');
    // What 2.6 sent for `hdr Connection "keep-alive, X-A"` on a return, and `hdr Connection keep-alive` on a deny to an HTTP/1.0 client.
    expect(replyHeadText(200, 'OK', [['Connection', 'keep-alive, X-A'], ['Content-Length', '2']], false, '1.1')).toBe('HTTP/1.1 200 OK\r\nconnection: X-A\r\ncontent-length: 2\r\n\r\n');
    expect(replyHeadText(403, 'Forbidden', [['Connection', 'keep-alive'], ['Content-Length', '0']], true, '1.0')).toBe('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    expect(replyHeadText(200, 'OK', [], false, '1.1')).toBe('HTTP/1.1 200 OK\r\n\r\n');
    expect(replyHeadText(403, 'Forbidden', [], false, '1.0')).toBe('HTTP/1.1 403 Forbidden\r\nconnection: keep-alive\r\n\r\n');
  });

  it('a 1xx goes out with lower-cased names', () => {
    expect(interimHeadText({ status: 103, reason: 'Early Hints', headers: [['Link', '</a>']] })).toBe('HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n');
  });
});

describe('written heads read back through the proxy parsers', () => {
  const plainHeader = fc.tuple(
    fc.constantFrom('X-A', 'accept', 'User-Agent', 'X-Forwarded-For', 'Cookie', 'X_Under', 'ETag'),
    fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e\t]{0,20}[\x21-\x7e])?$/),
  );
  const framing = fc.oneof(
    fc.constant<BodyFraming>({ kind: 'none' }),
    fc.constant<BodyFraming>({ kind: 'chunked' }),
    fc.nat({ max: 1e9 }).map((length): BodyFraming => ({ kind: 'length', length })),
  );
  const framingHeaders = fc.subarray<[string, string]>([['Content-Length', '12'], ['Transfer-Encoding', 'chunked'], ['Connection', 'keep-alive'], ['Connection', 'close, X-A']]);
  const ordinary = (h: readonly (readonly [string, string])[]) => h.filter(([n]) => !/^(content-length|transfer-encoding|connection)$/i.test(n)).map(([n, v]) => [n.toLowerCase(), v]);

  it('a request keeps its method, target, version, length framing, keep-alive and other headers', () => {
    fc.assert(
      fc.property(fc.constantFrom('GET', 'POST', 'PUT'), fc.constantFrom('/', '/a/b?c=d&e', '/%20x'), fc.constantFrom('1.0', '1.1'), fc.boolean(), fc.array(plainHeader, { maxLength: 8 }), framingHeaders, framing,
        (method, uri, version, closes, plain, extra, fr) => {
          // The writer keeps Transfer-Encoding as the parser left it: chunked framing comes with it.
          const headers: Pairs = [['Host', 'h'], ...plain, ...extra.filter(([n]) => n !== 'Transfer-Encoding'), ...(fr.kind === 'chunked' ? [['Transfer-Encoding', 'chunked'] as [string, string]] : [])];
          if (version === '1.0' && fr.kind !== 'none') return; // chunked/bodies in 1.0: parser territory
          const text = requestHeadText(request(headers, version, method, uri), fr, closes);
          const r = parseRequestHead(Buffer.from(text, 'latin1'), LIMITS);
          expect(r.kind, text).toBe('ok');
          if (r.kind !== 'ok') return;
          expect(r.head).toMatchObject({ method, target: uri, version, framing: fr, keepAlive: !closes, headLength: text.length });
          expect(ordinary(r.head.headers)).toEqual(ordinary(headers));
        }),
      { numRuns: 300 },
    );
  });

  it('a response keeps its status, reason, length framing and keep-alive', () => {
    fc.assert(
      fc.property(fc.constantFrom(200, 201, 404, 500), fc.constantFrom('OK', '', 'Not Found'), fc.boolean(), fc.array(plainHeader, { maxLength: 6 }),
        fc.nat({ max: 1e6 }), (status, reason, closes, plain, length) => {
          const text = responseHeadText(response([['Content-Length', String(length)], ...plain], status, '1.1', reason), { kind: 'length', length }, '1.1', closes ? ClientSide.Close : ClientSide.Keep);
          const r = parseResponseHead(Buffer.from(text, 'latin1'), LIMITS, 'GET');
          expect(r.kind, text).toBe('ok');
          if (r.kind !== 'ok') return;
          expect(r.head).toMatchObject({ status, reason, framing: { kind: 'length', length }, keepAlive: !closes });
          expect(ordinary(r.head.headers)).toEqual(ordinary(plain));
        }),
      { numRuns: 300 },
    );
  });
});

// parseRequestHead: what it reads from good heads, how it refuses bad ones, the limits, and that
// feeding the bytes in pieces (every prefix, with or without a HeadProgress) changes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRequestHead, type HeadLimits, type HeadProgress, type HeadResult, type RequestHead } from '../../packages/proxy/src/http/index.js';

const LIMITS: HeadLimits = { maxHeadBytes: 15360, maxHeaders: 101 };
const parse = (s: string, limits = LIMITS) => parseRequestHead(Buffer.from(s, 'latin1'), limits);
const R = (s: string) => s.replace(/\n/g, '\r\n');

function head(s: string, limits = LIMITS): RequestHead {
  const r = parse(s, limits);
  if (r.kind !== 'ok') throw new Error(`expected a head, got ${JSON.stringify(r)}`);
  return r.head;
}

function refusal(s: string, limits = LIMITS): { status: number; reason: string; offset: number } {
  const r = parse(s, limits);
  if (r.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r;
}

describe('parseRequestHead: good heads', () => {
  it('reads method, target, version, headers in order with names as received', () => {
    const raw = R('GET /a/b?c=d HTTP/1.1\nHost: example.com\nUser-Agent: t/1\nX-Empty:\nX-Spaces:   v  \n\n');
    const h = head(raw);
    expect(h).toEqual({
      method: 'GET',
      target: '/a/b?c=d',
      version: '1.1',
      headers: [
        ['Host', 'example.com'],
        ['User-Agent', 't/1'],
        ['X-Empty', ''],
        ['X-Spaces', 'v'],
      ],
      framing: { kind: 'none' },
      keepAlive: true,
      expectContinue: false,
      headLength: raw.length,
    });
  });

  it('stops at the end of the head: the body and the next request stay in the buffer', () => {
    const first = R('POST /x HTTP/1.1\nHost: a\nContent-Length: 3\n\n');
    const h = head(first + 'abcGET / HTTP/1.1\r\n');
    expect(h.headLength).toBe(first.length);
    expect(h.framing).toEqual({ kind: 'length', length: 3 });
  });

  it('keeps obs-text bytes in values, one char per byte', () => {
    expect(head(R('GET / HTTP/1.1\nHost: a\nX-L: caf\u00e9\n\n')).headers[1]).toEqual(['X-L', 'caf\u00e9']);
  });

  it('reads framing: none, length (0 included), chunked', () => {
    expect(head(R('GET / HTTP/1.1\nHost: a\n\n')).framing).toEqual({ kind: 'none' });
    expect(head(R('POST / HTTP/1.1\nHost: a\nContent-Length: 0\n\n')).framing).toEqual({ kind: 'length', length: 0 });
    expect(head(R('POST / HTTP/1.1\nHost: a\nContent-Length: 12345\n\n')).framing).toEqual({ kind: 'length', length: 12345 });
    expect(head(R('POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n')).framing).toEqual({ kind: 'chunked' });
    expect(head(R('POST / HTTP/1.1\nHost: a\nContent-Length: 007\n\n')).framing).toEqual({ kind: 'length', length: 7 });
    expect(head(R('POST / HTTP/1.1\nHost: a\nContent-Length: 4\nContent-Length: 4, 4\n\n')).framing).toEqual({ kind: 'length', length: 4 });
    expect(head(R('POST / HTTP/1.1\nHost: a\nContent-Length: 9007199254740991\n\n')).framing).toEqual({ kind: 'length', length: 9007199254740991 });
  });

  it('prefers chunked over Content-Length and then closes (RFC 9112 §6.1)', () => {
    const h = head(R('POST / HTTP/1.1\nHost: a\nContent-Length: 10\nTransfer-Encoding: chunked\n\n'));
    expect(h.framing).toEqual({ kind: 'chunked' });
    expect(h.keepAlive).toBe(false);
    // The headers stay as received; the head writer drops Content-Length (forwarded-head.test.ts).
    expect(h.headers.map(([n]) => n)).toEqual(['Host', 'Content-Length', 'Transfer-Encoding']);
  });

  it('reads chunked in HTTP/1.0 and closes afterwards', () => {
    const h = head(R('POST / HTTP/1.0\nTransfer-Encoding: chunked\nConnection: keep-alive\n\n'));
    expect(h.framing).toEqual({ kind: 'chunked' });
    expect(h.keepAlive).toBe(false);
  });

  it('ignores any body framing on CONNECT', () => {
    const h = head(R('CONNECT a.example:443 HTTP/1.1\nHost: a.example:443\nContent-Length: 5\n\n'));
    expect(h.framing).toEqual({ kind: 'none' });
  });

  it('keep-alive: on by default in 1.1, off with close; off by default in 1.0, on with keep-alive', () => {
    expect(head(R('GET / HTTP/1.1\nHost: a\n\n')).keepAlive).toBe(true);
    expect(head(R('GET / HTTP/1.1\nHost: a\nConnection: close\n\n')).keepAlive).toBe(false);
    expect(head(R('GET / HTTP/1.1\nHost: a\nConnection: foo, CLOSE\n\n')).keepAlive).toBe(false);
    expect(head(R('GET / HTTP/1.0\n\n')).keepAlive).toBe(false);
    expect(head(R('GET / HTTP/1.0\nConnection: Keep-Alive\n\n')).keepAlive).toBe(true);
    expect(head(R('GET / HTTP/1.0\nConnection: keep-alive, close\n\n')).keepAlive).toBe(false);
    expect(head(R('GET / HTTP/1.1\nHost: a\nConnection: a\nConnection: close\n\n')).keepAlive).toBe(false);
  });

  it('expectContinue only for HTTP/1.1 requests with a body', () => {
    expect(head(R('POST / HTTP/1.1\nHost: a\nExpect: 100-Continue\nContent-Length: 3\n\n')).expectContinue).toBe(true);
    expect(head(R('POST / HTTP/1.1\nHost: a\nExpect: 100-continue\nTransfer-Encoding: chunked\n\n')).expectContinue).toBe(true);
    expect(head(R('POST / HTTP/1.1\nHost: a\nExpect: 100-continue\nContent-Length: 0\n\n')).expectContinue).toBe(false);
    expect(head(R('GET / HTTP/1.1\nHost: a\nExpect: 100-continue\n\n')).expectContinue).toBe(false);
    expect(head(R('POST / HTTP/1.0\nExpect: 100-continue\nContent-Length: 3\n\n')).expectContinue).toBe(false);
  });

  it('upgrade: lower-cased, only with a Connection upgrade token, h2c left out', () => {
    const ws = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n';
    expect(head(R(`GET / HTTP/1.1\nHost: a\nConnection: keep-alive, Upgrade\nUpgrade: WebSocket\n${ws}\n`)).upgrade).toBe('websocket');
    expect(head(R(`GET / HTTP/1.1\nHost: a\nUpgrade: websocket\n${ws}\n`)).upgrade).toBeUndefined();
    expect(head(R('GET / HTTP/1.1\nHost: a\nConnection: upgrade\nUpgrade: h2c\n\n')).upgrade).toBeUndefined();
    expect(head(R('GET / HTTP/1.1\nHost: a\nConnection: upgrade\nUpgrade: h2c, Foo/2\n\n')).upgrade).toBe('foo/2');
    expect(head(R('GET / HTTP/1.1\nHost: a\nConnection: upgrade\n\n')).upgrade).toBeUndefined();
  });

  it('accepts the tolerated variants: bare LF, leading empty lines, extra spaces, HTTP/1.x', () => {
    expect(head('GET / HTTP/1.1\nHost: a\n\n').headLength).toBe(24);
    expect(head('\r\n\n' + R('GET / HTTP/1.1\nHost: a\n\n')).headLength).toBe(3 + 27);
    expect(head(R('GET \t /x  HTTP/1.1\nHost: a\n\n')).target).toBe('/x');
    expect(head(R('GET / HTTP/1.9\nHost: a\n\n')).version).toBe('1.1');
    expect(head(R('GET / HTTP/1.0\n\n')).version).toBe('1.0');
  });

  it('accepts absolute-form targets matching Host, default ports included', () => {
    expect(head(R('GET http://A.example/x HTTP/1.1\nHost: a.example\n\n')).target).toBe('http://A.example/x');
    expect(head(R('GET http://a:80/x HTTP/1.1\nHost: a\n\n')).target).toBe('http://a:80/x');
    expect(head(R('GET https://a/x HTTP/1.1\nHost: a:443\n\n')).target).toBe('https://a/x');
    expect(head(R('GET http://[::1]:8080/ HTTP/1.1\nHost: [::1]:8080\n\n')).target).toBe('http://[::1]:8080/');
    expect(head(R('GET http://a?q HTTP/1.1\nHost: a\n\n')).target).toBe('http://a?q');
    expect(head(R('GET http://a/x HTTP/1.0\n\n')).target).toBe('http://a/x');
  });

  it('accepts CONNECT host:port and OPTIONS *', () => {
    expect(head(R('CONNECT a:8443 HTTP/1.1\nHost: a:8443\n\n')).method).toBe('CONNECT');
    expect(head(R('CONNECT a:443 HTTP/1.1\nHost: a\n\n')).method).toBe('CONNECT');
    expect(head(R('OPTIONS * HTTP/1.1\nHost: a\n\n')).target).toBe('*');
  });
});

describe('parseRequestHead: refusals', () => {
  const cases: [string, string, number, RegExp][] = [
    ['non-token method', R('G@T / HTTP/1.1\nHost: a\n\n'), 400, /method contains '@'/],
    ['line starting with a space', R(' GET / HTTP/1.1\nHost: a\n\n'), 400, /must start with a method token/],
    ['control character in target', R('GET /\u0001 HTTP/1.1\nHost: a\n\n'), 400, /control character 0x01/],
    ['fragment', R('GET /#x HTTP/1.1\nHost: a\n\n'), 400, /fragment/],
    ['HTTP/0.9', 'GET /\r\n\r\n', 400, /HTTP\/0\.9/],
    ['no target', 'GET \r\n\r\n', 400, /without a target/],
    ['HTTP/2.0', R('GET / HTTP/2.0\nHost: a\n\n'), 505, /HTTP\/2\.0 is not supported/],
    ['HTTP/0.9 spelled out', R('GET / HTTP/0.9\nHost: a\n\n'), 505, /HTTP\/0\.9 is not supported/],
    ['HTTP/1.10', R('GET / HTTP/1.10\nHost: a\n\n'), 400, /after the HTTP version/],
    ['HTTPS/1.1', R('GET / HTTPS/1.1\nHost: a\n\n'), 400, /malformed HTTP version/],
    ['bare CR after version', 'GET / HTTP/1.1\rX\n\n', 400, /bare CR/],
    ['space before colon', R('GET / HTTP/1.1\nHost : a\n\n'), 400, /whitespace between the header name and the colon/],
    ['obs-fold', R('GET / HTTP/1.1\nHost: a\nX: 1\n\t2\n\n'), 400, /obsolete line folding/],
    ['space before first header', R('GET / HTTP/1.1\n Host: a\n\n'), 400, /first header/],
    ['NUL in value', R('GET / HTTP/1.1\nHost: a\nX: a\u0000\n\n'), 400, /NUL byte/],
    ['bare CR in value', R('GET / HTTP/1.1\nHost: a\nX: a\rb\n\n'), 400, /bare CR/],
    ['empty name', R('GET / HTTP/1.1\nHost: a\n: b\n\n'), 400, /empty header name/],
    ['no colon', R('GET / HTTP/1.1\nHost: a\nX\n\n'), 400, /without a colon/],
    ['CL differs', R('POST / HTTP/1.1\nHost: a\nContent-Length: 1\nContent-Length: 2\n\n'), 400, /conflicting Content-Length values \(1 and 2\)/],
    ['CL list differs', R('POST / HTTP/1.1\nHost: a\nContent-Length: 1,2\n\n'), 400, /conflicting/],
    ['CL trailing comma', R('POST / HTTP/1.1\nHost: a\nContent-Length: 1,\n\n'), 400, /empty member/],
    ['CL sign', R('POST / HTTP/1.1\nHost: a\nContent-Length: +1\n\n'), 400, /not a decimal number/],
    ['CL too large', R('POST / HTTP/1.1\nHost: a\nContent-Length: 9007199254740992\n\n'), 400, /larger than 9007199254740991/],
    ['TE not ending with chunked', R('POST / HTTP/1.1\nHost: a\nTransfer-Encoding: gzip\n\n'), 400, /does not end with chunked/],
    ['TE chunked then gzip', R('POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked, gzip\n\n'), 400, /follows chunked/],
    ['TE chunked twice', R('POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked,chunked\n\n'), 400, /more than once/],
    ['TE empty member', R('POST / HTTP/1.1\nHost: a\nTransfer-Encoding: ,chunked\n\n'), 400, /empty member/],
    ['TE other coding', R('POST / HTTP/1.1\nHost: a\nTransfer-Encoding: deflate, chunked\n\n'), 422, /other than chunked/],
    ['no Host in 1.1', R('GET / HTTP/1.1\nX: 1\n\n'), 400, /without a Host/],
    ['two Hosts', R('GET / HTTP/1.1\nHost: a\nhost: a\n\n'), 400, /more than one Host/],
    ['Host with a slash', R('GET / HTTP/1.1\nHost: a/b\n\n'), 400, /Host contains '\/'/],
    ['Host with unbalanced bracket', R('GET / HTTP/1.1\nHost: [::1\n\n'), 400, /Host contains '\['/],
    ['authority differs', R('GET http://b/ HTTP/1.1\nHost: a\n\n'), 400, /differs from the authority/],
    ['non-default port differs', R('GET http://a:8080/ HTTP/1.1\nHost: a\n\n'), 400, /differs/],
    ['empty authority', R('GET http:///x HTTP/1.1\nHost: a\n\n'), 400, /empty authority/],
    ['authority-form without CONNECT', R('GET a:80 HTTP/1.1\nHost: a\n\n'), 400, /neither origin-form/],
    ['CONNECT origin-form', R('CONNECT / HTTP/1.1\nHost: a\n\n'), 400, /authority-form/],
    ['CONNECT without port', R('CONNECT a HTTP/1.1\nHost: a\n\n'), 400, /numeric port/],
    ['CONNECT Host mismatch', R('CONNECT a:8443 HTTP/1.1\nHost: b:8443\n\n'), 400, /Host does not match/],
    ['asterisk with GET', R('GET * HTTP/1.1\nHost: a\n\n'), 400, /only allowed with OPTIONS/],
    ['1.0 DELETE with body', R('DELETE / HTTP/1.0\nContent-Length: 1\n\nx'), 413, /HTTP\/1\.0 DELETE request with a body/],
    ['websocket without key', R('GET / HTTP/1.1\nHost: a\nConnection: upgrade\nUpgrade: websocket\nSec-WebSocket-Key: short\n\n'), 400, /Sec-WebSocket-Key/],
  ];
  for (const [name, raw, status, reason] of cases) {
    it(`${name} → ${status}`, () => {
      const e = refusal(raw);
      expect(e.status).toBe(status);
      expect(e.reason).toMatch(reason);
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(raw.length);
    });
  }

  it('points the offset at the fault', () => {
    const raw = R('GET / HTTP/1.1\nHost: a\nX-A: 1\u00002\n\n');
    expect(refusal(raw).offset).toBe(raw.indexOf('\u0000'));
    const sp = R('GET / HTTP/1.1\nHost: a\nX-A : 1\n\n');
    expect(refusal(sp).offset).toBe(sp.indexOf(' :'));
  });

  it('refuses a 1.0 GET/HEAD with a body but accepts a 1.0 POST or an empty body', () => {
    expect(refusal(R('HEAD / HTTP/1.0\nTransfer-Encoding: chunked\n\n')).status).toBe(413);
    expect(head(R('GET / HTTP/1.0\nContent-Length: 0\n\n')).framing).toEqual({ kind: 'length', length: 0 });
    expect(head(R('POST / HTTP/1.0\nContent-Length: 1\n\n')).framing).toEqual({ kind: 'length', length: 1 });
  });
});

describe('parseRequestHead: limits', () => {
  const withLines = (n: number) => `GET / HTTP/1.1\r\n${Array.from({ length: n }, (_, i) => (i === 0 ? 'Host: a' : `X-${i}: v`)).join('\r\n')}\r\n\r\n`;

  it('takes maxHeaders - 1 header lines (tune.http.maxhdr counts the end of headers)', () => {
    expect(parse(withLines(100)).kind).toBe('ok');
    const e = refusal(withLines(101));
    expect(e.status).toBe(400);
    expect(e.reason).toMatch(/more than 100 header lines/);
    expect(parse(withLines(4), { maxHeadBytes: 1000, maxHeaders: 5 }).kind).toBe('ok');
    expect(refusal(withLines(5), { maxHeadBytes: 1000, maxHeaders: 5 }).status).toBe(400);
  });

  it('refuses too many header lines before the head is complete', () => {
    const partial = withLines(101).slice(0, -2);
    expect(refusal(partial).reason).toMatch(/more than 100 header lines/);
  });

  it('takes a head of exactly maxHeadBytes and refuses one byte more, complete or not', () => {
    const base = R('GET / HTTP/1.1\nHost: a\nX: \n\n');
    const exact = base.replace('X: ', 'X: ' + 'v'.repeat(200 - base.length));
    expect(exact.length).toBe(200);
    expect(parse(exact, { maxHeadBytes: 200, maxHeaders: 101 }).kind).toBe('ok');
    const over = exact.replace('X: ', 'X: v');
    const e = refusal(over, { maxHeadBytes: 200, maxHeaders: 101 });
    expect(e).toMatchObject({ status: 400, reason: 'request head is larger than 200 bytes' });
    // Incomplete but already too large.
    expect(refusal(R('GET / HTTP/1.1\nHost: a\nX: ') + 'v'.repeat(300), { maxHeadBytes: 200, maxHeaders: 101 }).reason).toMatch(/larger than 200/);
    // Leading empty lines count.
    expect(refusal('\r\n'.repeat(101), { maxHeadBytes: 200, maxHeaders: 101 }).reason).toMatch(/larger than 200/);
  });

  it('a complete head within the limit is fine even when the buffer holds a large body after it', () => {
    const h = R('POST / HTTP/1.1\nHost: a\nContent-Length: 100000\n\n');
    expect(parse(h + 'x'.repeat(100000), { maxHeadBytes: 200, maxHeaders: 101 }).kind).toBe('ok');
  });
});

// ------------------------------------------------------------------ incremental feeding

/** Every prefix of `raw`, fed as a growing buffer, with and without a HeadProgress. */
function prefixes(raw: string): { plain: HeadResult<RequestHead>[]; memo: HeadResult<RequestHead>[] } {
  const buf = Buffer.from(raw, 'latin1');
  const progress: HeadProgress = { offset: 0, fields: 0 };
  const plain: HeadResult<RequestHead>[] = [];
  const memo: HeadResult<RequestHead>[] = [];
  for (let k = 0; k <= buf.length; k++) {
    // A copy, so nothing can depend on bytes past the prefix.
    const piece = Buffer.from(buf.subarray(0, k));
    plain.push(parseRequestHead(piece, LIMITS));
    memo.push(parseRequestHead(piece, LIMITS, progress));
  }
  return { plain, memo };
}

const GOOD = [
  R('GET /index.html HTTP/1.1\nHost: www.example.com\nUser-Agent: curl/8\nAccept: */*\n\n'),
  R('POST /form HTTP/1.1\nHost: a\nContent-Length: 5\nConnection: close\n\nhello'),
  R('POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n0\r\n\r\n'),
  '\r\n' + R('GET http://a:80/ HTTP/1.0\nConnection: keep-alive\n\n'),
  'GET / HTTP/1.1\nHost: a\nX: y\n\n',
  R('GET / HTTP/1.1\nHost: a\n\n') + R('GET /next HTTP/1.1\nHost: a\n\n'),
];

const BAD = [
  R('GET / HTTP/1.1\nHost: a\nX: 1\n 2\n\n'),
  R('GET / HTTP/1.1\nHost: a\nX-A: 1\u00002\n\n'),
  R('POST / HTTP/1.1\nHost: a\nContent-Length: 1\nContent-Length: 2\n\n'),
  R('GET / HTTP/2.0\nHost: a\n\n'),
  R('GET / HTTP/1.1\nX: y\n\n'),
  R('GET /a b HTTP/1.1\nHost: a\n\n'),
  'GET / HTTP/1.1\r\nHost: a\r\r\n\r\n',
];

describe('parseRequestHead: incremental feeding', () => {
  for (const raw of GOOD) {
    it(`every prefix of a good head: incomplete, then the same head (${JSON.stringify(raw.slice(0, 30))}…)`, () => {
      const full = parse(raw);
      expect(full.kind).toBe('ok');
      const headLength = (full as { head: RequestHead }).head.headLength;
      const { plain, memo } = prefixes(raw);
      for (let k = 0; k <= raw.length; k++) {
        const want = k < headLength ? { kind: 'incomplete' } : full;
        expect(plain[k], `prefix ${k}`).toEqual(want);
        expect(memo[k], `prefix ${k} with progress`).toEqual(want);
      }
    });
  }

  for (const raw of BAD) {
    it(`every prefix of a bad head: incomplete, then the full head's error for good (${JSON.stringify(raw.slice(0, 40))}…)`, () => {
      const full = parse(raw);
      expect(full.kind).toBe('error');
      const { plain, memo } = prefixes(raw);
      for (const results of [plain, memo]) {
        const first = results.findIndex((r) => r.kind !== 'incomplete');
        expect(first).toBeGreaterThan(0);
        for (let k = first; k <= raw.length; k++) expect(results[k], `prefix ${k}`).toEqual(full);
      }
    });
  }

  it('refuses syntax errors as soon as the bad byte arrives, before the head is complete', () => {
    const raw = R('GET / HTTP/1.1\nHost: a\nBad Name: 1\nX: y\n\n');
    const { plain, memo } = prefixes(raw);
    const at = raw.indexOf(' Name') + 1;
    expect(plain[at - 1]!.kind).toBe('incomplete');
    expect(plain[at]).toMatchObject({ kind: 'error', status: 400, offset: raw.indexOf(' Name') });
    expect(memo[at]).toEqual(plain[at]);
  });

  it('HeadProgress advances line by line while the head is incomplete', () => {
    const progress: HeadProgress = { offset: 0, fields: 0 };
    const raw = R('GET / HTTP/1.1\nHost: a\nX: 1\nY: 2');
    expect(parseRequestHead(Buffer.from(raw, 'latin1'), LIMITS, progress).kind).toBe('incomplete');
    expect(progress).toEqual({ offset: raw.indexOf('Y:'), fields: 2 });
  });
});

// ------------------------------------------------------------------ properties

/** Request heads assembled from good and bad pieces, so both verdicts come up often. */
const requestLine = fc.constantFrom(
  'GET / HTTP/1.1\r\n',
  'POST /a?b=c HTTP/1.1\r\n',
  'GET http://a/x HTTP/1.1\r\n',
  'OPTIONS * HTTP/1.1\r\n',
  'GET / HTTP/1.0\r\n',
  'GET / HTTP/2.0\r\n',
  'G T / HTTP/1.1\r\n',
  'GET /a b HTTP/1.1\r\n',
  '\r\nGET / HTTP/1.1\n',
);
const headerLine = fc.constantFrom(
  'Host: a\r\n',
  'Host: b\r\n',
  'X-A: 1\r\n',
  'x-b:\t two words \r\n',
  'Content-Length: 3\r\n',
  'Content-Length: 4\r\n',
  'Transfer-Encoding: chunked\r\n',
  'Transfer-Encoding: gzip\r\n',
  'Connection: close\r\n',
  'Connection: keep-alive, Upgrade\r\n',
  'Upgrade: websocket\r\n',
  'Expect: 100-continue\r\n',
  'Bad Name: 1\r\n',
  'X-Nul: \u0000\r\n',
  ' folded\r\n',
  'X-Lf: bare\n',
  'X-Cr: a\rb\r\n',
);
const requestHead = fc
  .tuple(requestLine, fc.array(headerLine, { maxLength: 6 }), fc.constantFrom('\r\n', '\n', ''), fc.constantFrom('', 'abc', 'GET / HTTP/1.1\r\n\r\n'))
  .map(([l, hs, end, rest]) => l + hs.join('') + end + rest);

describe('parseRequestHead: properties', () => {
  it('never throws, and an accepted head lies within the buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = parseRequestHead(Buffer.from(bytes), LIMITS);
        expect(['incomplete', 'ok', 'error']).toContain(r.kind);
        if (r.kind === 'ok') expect(r.head.headLength).toBeLessThanOrEqual(bytes.length);
        if (r.kind === 'error') expect([400, 413, 422, 505]).toContain(r.status);
      }),
      { numRuns: 400 },
    );
  });

  it('every prefix of an assembled head is incomplete, then gives the verdict of the whole', () => {
    fc.assert(
      fc.property(requestHead, (raw) => {
        const full = parse(raw);
        const { plain, memo } = prefixes(raw);
        for (const results of [plain, memo]) {
          const first = results.findIndex((r) => r.kind !== 'incomplete');
          if (full.kind === 'incomplete') {
            expect(first).toBe(-1);
            continue;
          }
          if (full.kind === 'ok') expect(first).toBe(full.head.headLength);
          for (let k = first; k <= raw.length; k++) expect(results[k]).toEqual(full);
        }
      }),
      { numRuns: 300 },
    );
  });
});

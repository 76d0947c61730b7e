// parseResponseHead: status line and headers from servers, framing per RFC 9112 §6.3, 502 for
// anything malformed, limits, and incremental feeding.
import { describe, expect, it } from 'vitest';
import { parseResponseHead, type HeadLimits, type HeadProgress, type ResponseHead } from '../../packages/proxy/src/http/index.js';

const LIMITS: HeadLimits = { maxHeadBytes: 15360, maxHeaders: 101 };
const R = (s: string) => s.replace(/\n/g, '\r\n');
const parse = (s: string, method = 'GET', limits = LIMITS) => parseResponseHead(Buffer.from(s, 'latin1'), limits, method);

function head(s: string, method = 'GET'): ResponseHead {
  const r = parse(s, method);
  if (r.kind !== 'ok') throw new Error(`expected a head, got ${JSON.stringify(r)}`);
  return r.head;
}

describe('parseResponseHead: good heads', () => {
  it('reads status, reason, version, headers', () => {
    const raw = R('HTTP/1.1 200 Fine, thanks \nContent-Type: text/plain\nContent-Length: 2\n\nok');
    expect(head(raw)).toEqual({
      status: 200,
      reason: 'Fine, thanks ',
      version: '1.1',
      headers: [
        ['Content-Type', 'text/plain'],
        ['Content-Length', '2'],
      ],
      framing: { kind: 'length', length: 2 },
      keepAlive: true,
      headLength: raw.length - 2,
    });
  });

  it('accepts a status line without reason, with or without its space, and bare LF', () => {
    expect(head(R('HTTP/1.1 204\n\n')).reason).toBe('');
    expect(head(R('HTTP/1.1 204 \n\n')).reason).toBe('');
    expect(head('HTTP/1.0 200 OK\nContent-Length: 0\n\n')).toMatchObject({ version: '1.0', status: 200 });
    expect(head(R('HTTP/1.7 200 OK\nContent-Length: 0\n\n')).version).toBe('1.1');
  });

  it('frames per RFC 9112 §6.3', () => {
    expect(head(R('HTTP/1.1 200 OK\nContent-Length: 5\n\n')).framing).toEqual({ kind: 'length', length: 5 });
    expect(head(R('HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n')).framing).toEqual({ kind: 'chunked' });
    expect(head(R('HTTP/1.1 200 OK\n\n'))).toMatchObject({ framing: { kind: 'close' }, keepAlive: false });
    // HEAD, 1xx, 204, 304: no body whatever the headers say.
    expect(head(R('HTTP/1.1 200 OK\nContent-Length: 5\n\n'), 'HEAD').framing).toEqual({ kind: 'none' });
    expect(head(R('HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n'), 'HEAD').framing).toEqual({ kind: 'none' });
    expect(head(R('HTTP/1.1 100 Continue\n\n')).framing).toEqual({ kind: 'none' });
    expect(head(R('HTTP/1.1 204 No Content\nContent-Length: 5\n\n')).framing).toEqual({ kind: 'none' });
    expect(head(R('HTTP/1.1 304 Not Modified\nContent-Length: 5\n\n')).framing).toEqual({ kind: 'none' });
    // 2xx to CONNECT: a tunnel follows, not a body.
    expect(head(R('HTTP/1.1 200 Connection established\n\n'), 'CONNECT').framing).toEqual({ kind: 'none' });
    expect(head(R('HTTP/1.1 407 Auth\nContent-Length: 3\n\n'), 'CONNECT').framing).toEqual({ kind: 'length', length: 3 });
  });

  it('chunked wins over Content-Length and the server connection is not reused', () => {
    const h = head(R('HTTP/1.1 200 OK\nContent-Length: 2\nTransfer-Encoding: chunked\n\n'));
    expect(h).toMatchObject({ framing: { kind: 'chunked' }, keepAlive: false });
    expect(head(R('HTTP/1.0 200 OK\nTransfer-Encoding: chunked\nConnection: keep-alive\n\n'))).toMatchObject({ framing: { kind: 'chunked' }, keepAlive: false });
  });

  it('keep-alive per version and Connection', () => {
    expect(head(R('HTTP/1.1 200 OK\nContent-Length: 0\n\n')).keepAlive).toBe(true);
    expect(head(R('HTTP/1.1 200 OK\nContent-Length: 0\nConnection: close\n\n')).keepAlive).toBe(false);
    expect(head(R('HTTP/1.0 200 OK\nContent-Length: 0\n\n')).keepAlive).toBe(false);
    expect(head(R('HTTP/1.0 200 OK\nContent-Length: 0\nConnection: keep-alive\n\n')).keepAlive).toBe(true);
  });

  it('merges identical Content-Length values', () => {
    expect(head(R('HTTP/1.1 200 OK\nContent-Length: 2, 2\nContent-Length: 2\n\n')).framing).toEqual({ kind: 'length', length: 2 });
  });

  it('reports the upgrade of a 101', () => {
    const h = head(R('HTTP/1.1 101 Switching Protocols\nConnection: Upgrade\nUpgrade: WebSocket\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n\n'));
    expect(h).toMatchObject({ status: 101, upgrade: 'websocket', framing: { kind: 'none' } });
  });

  it('interim responses leave the final one in the buffer', () => {
    const interim = R('HTTP/1.1 100 Continue\n\n');
    const final = R('HTTP/1.1 200 OK\nContent-Length: 0\n\n');
    const buf = Buffer.from(interim + final, 'latin1');
    const first = parseResponseHead(buf, LIMITS, 'POST');
    expect(first).toMatchObject({ kind: 'ok', head: { status: 100, headLength: interim.length } });
    const second = parseResponseHead(buf.subarray(interim.length), LIMITS, 'POST');
    expect(second).toMatchObject({ kind: 'ok', head: { status: 200 } });
  });
});

describe('parseResponseHead: malformed responses become 502', () => {
  const cases: [string, string, RegExp][] = [
    ['two-digit status', R('HTTP/1.1 20 OK\n\n'), /three digits/],
    ['four-digit status', R('HTTP/1.1 2000 OK\n\n'), /more than three digits/],
    ['status 600', R('HTTP/1.1 600 Odd\n\n'), /outside 100\.\.599/],
    ['status 099', R('HTTP/1.1 099 Odd\n\n'), /outside 100\.\.599/],
    ['HTTP/2.0', R('HTTP/2.0 200 OK\n\n'), /HTTP\/2\.0 response/],
    ['garbage', R('garbage\n\n'), /malformed HTTP version/],
    ['no space after version', R('HTTP/1.1200 OK\n\n'), /followed by a space/],
    ['CTL in reason', R('HTTP/1.1 200 O\u0001K\n\n'), /control character 0x01 in the reason/],
    ['obs-fold', R('HTTP/1.1 200 OK\nX: 1\n 2\n\n'), /obsolete line folding/],
    ['space before colon', R('HTTP/1.1 200 OK\nX : 1\n\n'), /whitespace between/],
    ['NUL in value', R('HTTP/1.1 200 OK\nX: \u0000\n\n'), /NUL/],
    ['CL differs', R('HTTP/1.1 200 OK\nContent-Length: 2\nContent-Length: 3\n\n'), /conflicting/],
    ['CL negative', R('HTTP/1.1 200 OK\nContent-Length: -2\n\n'), /not a decimal/],
    ['TE gzip only', R('HTTP/1.1 200 OK\nTransfer-Encoding: gzip\n\n'), /other than chunked/],
    ['TE gzip, chunked', R('HTTP/1.1 200 OK\nTransfer-Encoding: gzip, chunked\n\n'), /other than chunked/],
    ['TE chunked twice', R('HTTP/1.1 200 OK\nTransfer-Encoding: chunked\nTransfer-Encoding: chunked\n\n'), /more than once/],
    ['websocket 101 without accept', R('HTTP/1.1 101 Switching\nConnection: upgrade\nUpgrade: websocket\n\n'), /Sec-WebSocket-Accept/],
    ['too many headers', `HTTP/1.1 200 OK\r\n${'X: 1\r\n'.repeat(101)}\r\n`, /more than 100 header lines/],
  ];
  for (const [name, raw, reason] of cases) {
    it(name, () => {
      const r = parse(raw);
      expect(r.kind).toBe('error');
      if (r.kind === 'error') {
        expect(r.status).toBe(502);
        expect(r.reason).toMatch(reason);
      }
    });
  }

  it('a head over maxHeadBytes is 502, complete or not', () => {
    const limits = { maxHeadBytes: 100, maxHeaders: 101 };
    expect(parse(R(`HTTP/1.1 200 OK\nX: ${'v'.repeat(100)}\n\n`), 'GET', limits)).toMatchObject({ kind: 'error', status: 502, reason: 'response head is larger than 100 bytes' });
    expect(parse(`HTTP/1.1 200 OK\r\nX: ${'v'.repeat(100)}`, 'GET', limits)).toMatchObject({ kind: 'error', status: 502 });
  });
});

describe('parseResponseHead: incremental feeding', () => {
  const good = [
    R('HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: 4\nX-A: b\n\nbody'),
    'HTTP/1.0 304 Not Modified\nETag: "x"\n\n',
    R('HTTP/1.1 200 OK\nTransfer-Encoding: chunked\nConnection: close\n\n'),
  ];
  for (const raw of good) {
    it(`every prefix is incomplete until the head is in, then the same head (${JSON.stringify(raw.slice(0, 24))}…)`, () => {
      const full = parse(raw);
      expect(full.kind).toBe('ok');
      const headLength = (full as { head: ResponseHead }).head.headLength;
      const progress: HeadProgress = { offset: 0, fields: 0 };
      for (let k = 0; k <= raw.length; k++) {
        const piece = Buffer.from(raw.slice(0, k), 'latin1');
        const want = k < headLength ? { kind: 'incomplete' } : full;
        expect(parseResponseHead(piece, LIMITS, 'GET'), `prefix ${k}`).toEqual(want);
        expect(parseResponseHead(piece, LIMITS, 'GET', progress), `prefix ${k} with progress`).toEqual(want);
      }
    });
  }

  it('refuses a broken status line before the head is complete', () => {
    expect(parse('HTTP/1.1 2x')).toMatchObject({ kind: 'error', status: 502 });
    expect(parse('HTTP/1.1 200 OK\r\nBad Name')).toMatchObject({ kind: 'error', status: 502 });
    expect(parse('HTTP/1.1 200 OK\r\nGood: name')).toEqual({ kind: 'incomplete' });
  });
});

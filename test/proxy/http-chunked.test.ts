// ChunkedDecoder and the chunk encoder: decoding, any split of the input giving the same result,
// the syntax rules, limits, and encode → decode round trips.
import { describe, expect, it } from 'vitest';
import { ChunkedDecoder, chunkSizeLine, encodeChunk, encodeLastChunk, type ChunkedLimits } from '../../packages/proxy/src/http/index.js';

interface Decoded {
  body: string;
  done: boolean;
  rest: string;
  trailers: [string, string][];
  error?: { reason: string; offset: number };
}

/** Feeds `pieces` in order and gathers everything. */
function decode(pieces: Buffer[], limits?: ChunkedLimits): Decoded {
  const d = new ChunkedDecoder(limits);
  const body: Buffer[] = [];
  let out: Decoded = { body: '', done: false, rest: '', trailers: [] };
  for (const p of pieces) {
    const r = d.push(p);
    if (r.kind === 'error') return { ...out, body: Buffer.concat(body).toString('latin1'), error: { reason: r.reason, offset: r.offset } };
    body.push(...r.data);
    if (r.done) {
      out = { ...out, done: true, rest: out.rest + r.rest!.toString('latin1'), trailers: out.trailers.length ? out.trailers : r.trailers! };
    }
  }
  return { ...out, body: Buffer.concat(body).toString('latin1') };
}

const whole = (s: string, limits?: ChunkedLimits) => decode([Buffer.from(s, 'latin1')], limits);

/** Every way of cutting `s` in two, and byte by byte. */
function splits(s: string): Buffer[][] {
  const b = Buffer.from(s, 'latin1');
  const out: Buffer[][] = [];
  for (let k = 0; k <= b.length; k++) out.push([Buffer.from(b.subarray(0, k)), Buffer.from(b.subarray(k))]);
  out.push(Array.from(b, (x) => Buffer.from([x])));
  return out;
}

describe('ChunkedDecoder: decoding', () => {
  it('decodes chunks, the last chunk and what follows', () => {
    expect(whole('5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nGET /next')).toEqual({ body: 'hello world', done: true, rest: 'GET /next', trailers: [] });
  });

  it('reads hex sizes in either case, with leading zeros', () => {
    expect(whole(`1A\r\n${'x'.repeat(26)}\r\n0a\r\n${'y'.repeat(10)}\r\n00000\r\n\r\n`).body).toBe('x'.repeat(26) + 'y'.repeat(10));
  });

  it('accepts extensions: names, token and quoted values, BWS before ";"', () => {
    const r = whole('3;a\r\nabc\r\n3 ; b=c ;d="x;\\"y\\" z"\r\n123\r\n0;last=1\r\n\r\n');
    expect(r).toMatchObject({ body: 'abc123', done: true });
  });

  it('returns the trailers, names as received', () => {
    expect(whole('1\r\na\r\n0\r\nX-Checksum: abc\r\nServer-Timing: db;dur=53\r\n\r\n').trailers).toEqual([
      ['X-Checksum', 'abc'],
      ['Server-Timing', 'db;dur=53'],
    ]);
  });

  it('hands out subarrays of the pushed piece, without copying', () => {
    const piece = Buffer.from('5\r\nhello\r\n0\r\n\r\n', 'latin1');
    const r = new ChunkedDecoder().push(piece);
    expect(r.kind).toBe('ok');
    if (r.kind === 'ok') {
      expect(r.data).toHaveLength(1);
      expect(r.data[0]!.buffer).toBe(piece.buffer);
      expect(r.data[0]!.byteOffset).toBe(piece.byteOffset + 3);
      expect(r.rest!.length).toBe(0);
    }
  });

  it('after the end, whole pieces are rest', () => {
    const d = new ChunkedDecoder();
    expect(d.push(Buffer.from('0\r\n\r\n'))).toMatchObject({ kind: 'ok', done: true });
    expect(d.done).toBe(true);
    expect(d.push(Buffer.from('next'))).toMatchObject({ kind: 'ok', done: true, data: [] });
  });

  it('counts the body bytes', () => {
    const d = new ChunkedDecoder();
    d.push(Buffer.from('3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n'));
    expect(d.bodyLength).toBe(5);
  });

  const samples = [
    '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nGET / HTTP/1.1\r\n',
    '3;ext="q\\"x";y=z\r\nabc\r\n0\r\nX-T: 1\r\nY: 2\r\n\r\nREST',
    '1\r\na\r\n0\r\n\nafter',
    'A\r\n0123456789\r\n0\r\n\r\n',
  ];
  for (const s of samples) {
    it(`gives the same result however the input is cut (${JSON.stringify(s.slice(0, 20))}…)`, () => {
      const want = whole(s);
      expect(want.done).toBe(true);
      for (const pieces of splits(s)) expect(decode(pieces)).toEqual(want);
    });
  }
});

describe('ChunkedDecoder: refusals', () => {
  const cases: [string, string, RegExp, number][] = [
    ['0x prefix', '0x10\r\n', /unexpected 'x'/, 1],
    ['sign', '-1\r\n', /must start with a hex digit/, 0],
    ['plus sign', '+1\r\n', /must start with a hex digit/, 0],
    ['empty size', '\r\n', /must start with a hex digit/, 0],
    ['leading space', ' 1\r\na\r\n', /must start with a hex digit/, 0],
    ['trailing space then CRLF', '1 \r\na\r\n0\r\n\r\n', /must lead to a ';'/, 2],
    ['bare LF after size', '1\na\r\n', /unexpected 0x0a/, 1],
    ['CR without LF after size', '1\rX', /must end with CRLF/, 2],
    ['bare LF ending an extension', '1;a\na\r\n', /unexpected 0x0a in a chunk extension name/, 3],
    ['17 hex digits', 'FFFFFFFFFFFFFFFF1\r\n', /2\^52 or more/, 13],
    ['data longer than the size', '1\r\nabc\r\n', /not followed by CRLF \(found 'b'/, 4],
    ['bare LF after data', '1\r\na\n0\r\n\r\n', /not followed by CRLF \(found 0x0a/, 4],
    ['extension name missing', '1;=x\r\n', /extension name must be a token/, 2],
    ['extension value missing', '1;a=\r\n', /token or a quoted string/, 4],
    ['unterminated quote', '1;a="x\r\n', /0x0d inside a quoted/, 6],
    ['space inside a token value', '1;a=b c\r\n', /must lead to a ';'/, 6],
    ['trailer with a space in its name', '0\r\nX T: 1\r\n\r\n', /whitespace between the trailer name/, 4],
    ['trailer obs-fold', '0\r\nX: 1\r\n 2\r\n\r\n', /obsolete line folding/, 9],
    ['NUL in a trailer value', '0\r\nX: \u0000\r\n\r\n', /NUL byte in a trailer value/, 6],
  ];
  for (const [name, s, reason, offset] of cases) {
    it(name, () => {
      const r = whole(s);
      expect(r.error, JSON.stringify(r)).toBeDefined();
      expect(r.error!.reason).toMatch(reason);
      expect(r.error!.offset).toBe(offset);
      // Same error and offset however the bytes arrive.
      for (const pieces of splits(s)) expect(decode(pieces).error).toEqual(r.error);
    });
  }

  it('keeps returning the error', () => {
    const d = new ChunkedDecoder();
    const e = d.push(Buffer.from('zz'));
    expect(e.kind).toBe('error');
    expect(d.push(Buffer.from('1\r\na\r\n'))).toBe(e);
  });

  it('bounds the chunk-size line, the trailer section and the trailer count', () => {
    expect(whole(`1;${'a'.repeat(100)}\r\nx\r\n0\r\n\r\n`, { maxLineBytes: 50 }).error!.reason).toMatch(/longer than 50 bytes/);
    expect(whole(`1;${'a'.repeat(40)}\r\nx\r\n0\r\n\r\n`, { maxLineBytes: 50 }).done).toBe(true);
    expect(whole(`0\r\nX: ${'v'.repeat(100)}\r\n\r\n`, { maxTrailerBytes: 50 }).error!.reason).toMatch(/trailer section larger than 50 bytes/);
    // Incomplete but already over the limit.
    expect(whole(`0\r\nX: ${'v'.repeat(100)}`, { maxTrailerBytes: 50 }).error!.reason).toMatch(/larger than 50/);
    expect(whole('0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n', { maxTrailers: 2 }).error!.reason).toMatch(/more than 2 trailer lines/);
  });
});

describe('chunk encoder', () => {
  it('writes upper-case hex sizes, as HAProxy', () => {
    expect(chunkSizeLine(26).toString()).toBe('1A\r\n');
    expect(chunkSizeLine(1).toString()).toBe('1\r\n');
    expect(chunkSizeLine(0x10000).toString()).toBe('10000\r\n');
    expect(() => chunkSizeLine(0)).toThrow(RangeError);
    expect(() => chunkSizeLine(1.5)).toThrow(RangeError);
  });

  it('encodes a chunk as three pieces, the data not copied, and nothing for empty data', () => {
    const data = Buffer.from('hello');
    const pieces = encodeChunk(data);
    expect(Buffer.concat(pieces).toString()).toBe('5\r\nhello\r\n');
    expect(pieces[1]).toBe(data);
    expect(encodeChunk(Buffer.alloc(0))).toEqual([]);
  });

  it('ends with the last chunk, trailers lower-cased', () => {
    expect(encodeLastChunk().toString()).toBe('0\r\n\r\n');
    expect(encodeLastChunk([['X-Sum', 'ab'], ['Etag', '"1"']]).toString()).toBe('0\r\nx-sum: ab\r\netag: "1"\r\n\r\n');
    expect(() => encodeLastChunk([['X', 'a\r\nInjected: 1']])).toThrow(/line break/);
    expect(() => encodeLastChunk([['X Y', 'a']])).toThrow(/token/);
  });

  it('round-trips through the decoder', () => {
    const parts = ['a', 'bc', 'x'.repeat(1000), '\r\n0\r\n\r\n', ''];
    const wire = Buffer.concat([...parts.flatMap((p) => encodeChunk(Buffer.from(p))), encodeLastChunk([['T', '1']])]);
    expect(whole(wire.toString('latin1'))).toEqual({ body: parts.join(''), done: true, rest: '', trailers: [['t', '1']] });
  });
});

// The chunked transfer coding (RFC 9112 §7.1): a streaming decoder fed with whatever pieces the
// socket delivers, and the encoder used when the proxy (re-)chunks a body.
//
// Decoder rules (current HAProxy and the RFC grammar, stricter than HAProxy 2.6):
// * chunk-size is 1*HEXDIG: no sign, no `0x`, no leading whitespace; leading zeros are fine; a
//   value of 2^52 or more is refused (as HAProxy, so no float rounding anywhere downstream).
// * After the size only `;` extensions (`BWS ";" BWS name [BWS "=" BWS (token / quoted-string)]`)
//   or CRLF. Whitespace after the size must lead to `;` (HAProxy 2.6 and current accept `1 \r\n`).
// * chunk-size lines and the CRLF after chunk data must be exactly CRLF (HAProxy 2.6 accepted a
//   bare LF there; current HAProxy does not).
// * Trailer fields follow the header line rules (fields.ts), bounded in count and bytes.
// The decoded data is handed out as subarrays of the pushed pieces (no copy). The proxy writes
// bodies with its own framing, so nothing of the chunk syntax received is ever forwarded.
import { CR, DQUOTE, BACKSLASH, HTAB, LF, SEMICOLON, HEX, SP, TOKEN, describeByte, isWs } from './chars.js';
import { FAULT, INCOMPLETE, fault, parseFieldBlock } from './fields.js';
import { validateField } from './serialize-checks.js';

/** Chunk sizes from 2^52 up are refused, as in HAProxy. */
export const MAX_CHUNK_SIZE = 2 ** 52 - 1;

export interface ChunkedLimits {
  /** Longest chunk-size line, extensions included (default 4096). */
  maxLineBytes?: number;
  /** Largest trailer section, its final empty line included (default 15360). */
  maxTrailerBytes?: number;
  /** Most trailer fields (default 100, like header lines). */
  maxTrailers?: number;
}

/** What one `push` produced. */
export type ChunkedResult =
  | {
      kind: 'ok';
      /** Body bytes decoded from this piece, in order (subarrays of it). */
      data: Buffer[];
      /** The terminating chunk and trailer section have been read. */
      done: boolean;
      /** Once done: the bytes of this piece after the body (the next pipelined message); possibly empty. */
      rest?: Buffer;
      /** Once done: the trailer fields, names as received. */
      trailers?: [string, string][];
    }
  | { kind: 'error'; reason: string; /** Offset in the whole chunked stream. */ offset: number };

// Decoder states.
const SIZE_FIRST = 0; // first hex digit of a chunk-size
const SIZE = 1; // more hex digits
const WS_TO_SEMI = 2; // BWS that must be followed by ';'
const EXT_NAME_FIRST = 3; // BWS, then the first byte of an extension name
const EXT_NAME = 4;
const EXT_AFTER_NAME = 5; // BWS, then '=' or ';'
const EXT_VALUE_FIRST = 6; // BWS, then a token or a quoted-string
const EXT_VALUE_TOKEN = 7;
const EXT_QUOTED = 8;
const EXT_QUOTED_ESCAPE = 9;
const EXT_AFTER_QUOTED = 10;
const SIZE_LF = 11; // the LF of the chunk-size line
const DATA = 12;
const DATA_CR = 13;
const DATA_LF = 14;
const TRAILERS = 15;
const DONE = 16;
const FAILED = 17;

/** qdtext and the bytes a quoted-pair may escape (RFC 9110 §5.6.4). */
function isQdText(c: number): boolean {
  return c === HTAB || c === SP || c === 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80;
}
function isEscapable(c: number): boolean {
  return c === HTAB || (c >= 0x20 && c <= 0x7e) || c >= 0x80;
}

/**
 * Decodes one chunked body. Push the bytes that follow the head as they arrive; each push
 * returns the body data found in that piece and, at the end, the trailers and the bytes after
 * the body. After an error every push returns that error again.
 */
export class ChunkedDecoder {
  private state = SIZE_FIRST;
  private size = 0;
  private remaining = 0;
  private lineBytes = 0;
  /** Bytes consumed before the current piece (error offsets are stream offsets). */
  private consumed = 0;
  private trailerBytes: Buffer | undefined;
  private error: { kind: 'error'; reason: string; offset: number } | undefined;
  /** Body bytes decoded so far. */
  bodyLength = 0;
  private readonly maxLineBytes: number;
  private readonly maxTrailerBytes: number;
  private readonly maxTrailers: number;

  constructor(limits: ChunkedLimits = {}) {
    this.maxLineBytes = limits.maxLineBytes ?? 4096;
    this.maxTrailerBytes = limits.maxTrailerBytes ?? 15360;
    this.maxTrailers = limits.maxTrailers ?? 100;
  }

  /** The body and its trailers have been read. */
  get done(): boolean {
    return this.state === DONE;
  }

  push(piece: Buffer): ChunkedResult {
    if (this.error) return this.error;
    if (this.state === DONE) return { kind: 'ok', data: [], done: true, rest: piece, trailers: [] };
    const data: Buffer[] = [];
    const len = piece.length;
    let i = 0;
    let state = this.state;
    while (i < len) {
      if (state === DATA) {
        const take = Math.min(this.remaining, len - i);
        data.push(piece.subarray(i, i + take));
        i += take;
        this.remaining -= take;
        this.bodyLength += take;
        if (this.remaining === 0) state = DATA_CR;
        continue;
      }
      if (state === TRAILERS) {
        this.state = state;
        return this.readTrailers(piece, i, data);
      }
      const c = piece[i]!;
      if (state <= SIZE_LF && ++this.lineBytes > this.maxLineBytes) {
        return this.fail(i, `chunk-size line longer than ${this.maxLineBytes} bytes`);
      }
      switch (state) {
        case SIZE_FIRST:
        case SIZE: {
          const d = HEX[c]!;
          if (d >= 0) {
            this.size = this.size * 16 + d;
            if (this.size > MAX_CHUNK_SIZE) return this.fail(i, 'chunk size is 2^52 or more');
            state = SIZE;
          } else if (state === SIZE_FIRST) {
            return this.fail(i, `chunk size must start with a hex digit, found ${describeByte(c)}`);
          } else if (c === CR) state = SIZE_LF;
          else if (c === SEMICOLON) state = EXT_NAME_FIRST;
          else if (isWs(c)) state = WS_TO_SEMI;
          else return this.fail(i, `unexpected ${describeByte(c)} after the chunk size`);
          break;
        }
        case WS_TO_SEMI:
          if (c === SEMICOLON) state = EXT_NAME_FIRST;
          else if (!isWs(c)) return this.fail(i, `whitespace in a chunk-size line must lead to a ';' extension, found ${describeByte(c)}`);
          break;
        case EXT_NAME_FIRST:
          if (TOKEN[c] === 1) state = EXT_NAME;
          else if (!isWs(c)) return this.fail(i, `chunk extension name must be a token, found ${describeByte(c)}`);
          break;
        case EXT_NAME:
          if (TOKEN[c] === 1) break;
          if (c === CR) state = SIZE_LF;
          else if (c === SEMICOLON) state = EXT_NAME_FIRST;
          else if (c === 0x3d) state = EXT_VALUE_FIRST;
          else if (isWs(c)) state = EXT_AFTER_NAME;
          else return this.fail(i, `unexpected ${describeByte(c)} in a chunk extension name`);
          break;
        case EXT_AFTER_NAME:
          if (c === 0x3d) state = EXT_VALUE_FIRST;
          else if (c === SEMICOLON) state = EXT_NAME_FIRST;
          else if (!isWs(c)) return this.fail(i, `unexpected ${describeByte(c)} after a chunk extension name`);
          break;
        case EXT_VALUE_FIRST:
          if (c === DQUOTE) state = EXT_QUOTED;
          else if (TOKEN[c] === 1) state = EXT_VALUE_TOKEN;
          else if (!isWs(c)) return this.fail(i, `chunk extension value must be a token or a quoted string, found ${describeByte(c)}`);
          break;
        case EXT_VALUE_TOKEN:
          if (TOKEN[c] === 1) break;
          if (c === CR) state = SIZE_LF;
          else if (c === SEMICOLON) state = EXT_NAME_FIRST;
          else if (isWs(c)) state = WS_TO_SEMI;
          else return this.fail(i, `unexpected ${describeByte(c)} in a chunk extension value`);
          break;
        case EXT_QUOTED:
          if (c === DQUOTE) state = EXT_AFTER_QUOTED;
          else if (c === BACKSLASH) state = EXT_QUOTED_ESCAPE;
          else if (!isQdText(c)) return this.fail(i, `${describeByte(c)} inside a quoted chunk extension value`);
          break;
        case EXT_QUOTED_ESCAPE:
          if (!isEscapable(c)) return this.fail(i, `${describeByte(c)} cannot be escaped in a quoted chunk extension value`);
          state = EXT_QUOTED;
          break;
        case EXT_AFTER_QUOTED:
          if (c === CR) state = SIZE_LF;
          else if (c === SEMICOLON) state = EXT_NAME_FIRST;
          else if (isWs(c)) state = WS_TO_SEMI;
          else return this.fail(i, `unexpected ${describeByte(c)} after a quoted chunk extension value`);
          break;
        case SIZE_LF:
          if (c !== LF) return this.fail(i, 'a chunk-size line must end with CRLF');
          this.lineBytes = 0;
          if (this.size === 0) {
            state = TRAILERS;
          } else {
            this.remaining = this.size;
            this.size = 0;
            state = DATA;
          }
          break;
        case DATA_CR:
          if (c !== CR) return this.fail(i, `chunk data is not followed by CRLF (found ${describeByte(c)})`);
          state = DATA_LF;
          break;
        case DATA_LF:
          if (c !== LF) return this.fail(i, `chunk data is not followed by CRLF (found CR then ${describeByte(c)})`);
          state = SIZE_FIRST;
          break;
      }
      i++;
    }
    this.state = state;
    this.consumed += len;
    return { kind: 'ok', data, done: false };
  }

  /** In the trailer section from `piece[i]` on. */
  private readTrailers(piece: Buffer, i: number, data: Buffer[]): ChunkedResult {
    // The common case: no trailers, the empty line is all there is.
    if (this.trailerBytes === undefined && i + 1 < piece.length && piece[i] === CR && piece[i + 1] === LF) {
      return this.finish(piece, i + 2, data, []);
    }
    const before = this.trailerBytes?.length ?? 0;
    const bytes = before === 0 ? piece.subarray(i) : Buffer.concat([this.trailerBytes!, piece.subarray(i)]);
    const trailers: [string, string][] = [];
    const end = parseFieldBlock(bytes, 0, bytes.length, this.maxTrailers, trailers, 'trailer');
    if (end === FAULT) return this.fail(i + fault.offset - before, fault.reason);
    if (end === INCOMPLETE) {
      if (bytes.length > this.maxTrailerBytes) return this.fail(i, `trailer section larger than ${this.maxTrailerBytes} bytes`);
      // Keep a copy: the piece's memory may be reused by the caller.
      this.trailerBytes = Buffer.from(bytes);
      this.consumed += piece.length;
      return { kind: 'ok', data, done: false };
    }
    if (end > this.maxTrailerBytes) return this.fail(i, `trailer section larger than ${this.maxTrailerBytes} bytes`);
    this.trailerBytes = undefined;
    return this.finish(piece, i + end - before, data, trailers);
  }

  private finish(piece: Buffer, restAt: number, data: Buffer[], trailers: [string, string][]): ChunkedResult {
    this.state = DONE;
    this.consumed += restAt;
    return { kind: 'ok', data, done: true, rest: piece.subarray(restAt), trailers };
  }

  private fail(i: number, reason: string): ChunkedResult {
    this.state = FAILED;
    this.error = { kind: 'error', reason, offset: this.consumed + i };
    return this.error;
  }
}

const CRLF_BYTES = Buffer.from('\r\n', 'latin1');
const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');

/** `\r\n`, shared: never write into it. */
export const CRLF: Buffer = CRLF_BYTES;

/** The size line of a chunk of `size` bytes: upper-case hex then CRLF, as HAProxy writes it. */
export function chunkSizeLine(size: number): Buffer {
  if (!Number.isInteger(size) || size <= 0 || size > MAX_CHUNK_SIZE) throw new RangeError(`invalid chunk size ${size}`);
  return Buffer.from(size.toString(16).toUpperCase() + '\r\n', 'latin1');
}

/**
 * One chunk carrying `data`, as pieces to write in order (the data itself is not copied). An empty
 * `data` gives no pieces: a zero-size chunk would end the body.
 */
export function encodeChunk(data: Buffer): Buffer[] {
  if (data.length === 0) return [];
  return [chunkSizeLine(data.length), data, CRLF_BYTES];
}

/**
 * The last chunk and the trailer section. Trailer names are written lower-cased, as HAProxy does;
 * a trailer that could not be read back as one field line throws a TypeError.
 */
export function encodeLastChunk(trailers: readonly (readonly [string, string])[] = []): Buffer {
  if (trailers.length === 0) return LAST_CHUNK;
  let s = '0\r\n';
  for (const [name, value] of trailers) {
    const problem = validateField(name, value);
    if (problem) throw new TypeError(`cannot write trailer: ${problem}`);
    s += `${name.toLowerCase()}: ${value}\r\n`;
  }
  return Buffer.from(s + '\r\n', 'latin1');
}

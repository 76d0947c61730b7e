// HAProxy's byte counts in HTTP mode (%B, %U) are sizes of its internal message form (HTX),
// not of the bytes on the wire: checked against 2.6 on origin, error-page and deny responses.
// A head counts a 20-byte start-line descriptor plus the line's three parts, every header's
// name and value (no ": ", no CRLF), and one byte ending the headers; the body counts its
// payload bytes (no chunk framing) and a chunked body one more byte at its end. Connection
// lines count as HAProxy's HTTP/1 parser leaves them: without their `close` and `keep-alive`
// tokens, and not at all when nothing else was in them.
import { cleanConnectionValue } from '@haplo/sim';
import type { HeaderPairs } from './header-captures.js';

const START_LINE_DESCRIPTOR = 20;
const END_OF_HEADERS = 1;
/** The closing block of a chunked (or trailers-carrying) message. */
export const CHUNKED_END_BYTES = 1;

const utf8Length = (s: string): number => Buffer.byteLength(s, 'latin1');

/**
 * Bytes of a message head as HAProxy counts them. `startLine` is [method, uri, version] for a
 * request, [version, status, reason] for a response (`HTTP/1.1`, `200`, `OK`).
 */
export function httpHeadBytes(startLine: readonly [string, string, string], headers: HeaderPairs): number {
  let n = START_LINE_DESCRIPTOR + utf8Length(startLine[0]) + utf8Length(startLine[1]) + utf8Length(startLine[2]);
  for (const [name, value] of headers) {
    if (name.length === 10 && name.toLowerCase() === 'connection') {
      const kept = cleanConnectionValue(value);
      if (kept !== '') n += 10 + utf8Length(kept);
    } else n += utf8Length(name) + utf8Length(value);
  }
  return n + END_OF_HEADERS;
}

/** Bytes of a whole message: head, payload, and the chunked end when the body was chunked. */
export function httpMessageBytes(startLine: readonly [string, string, string], headers: HeaderPairs, bodyLength: number, chunked = false): number {
  return httpHeadBytes(startLine, headers) + bodyLength + (chunked ? CHUNKED_END_BYTES : 0);
}

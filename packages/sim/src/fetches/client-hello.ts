// A TLS ClientHello read from the raw request buffer of a TCP stream, for req.ssl_sni,
// req.ssl_alpn, req.ssl_ver and req.ssl_hello_type when the proxy inspects real bytes (the
// simulator can still describe the hello instead, as `conn.clientHello`). Like HAProxy, the
// whole first handshake record must be in the buffer before the extensions are read; until then
// the answer is "too short" (MISS while the inspect-delay runs), and bytes that are not a TLS
// handshake give no sample at all. Layout: RFC 8446 §4.1.2 (record §5.1, SNI RFC 6066 §3, ALPN RFC 7301).
import type { TlsInfo } from '../stream/context.js';

/** What the start of a buffer holds. */
export type HelloScan =
  /** Not enough bytes yet to tell. */
  | { kind: 'short' }
  /** Not a TLS handshake record (or a malformed one). */
  | { kind: 'none' }
  /** A handshake record: its message type (1 = ClientHello) and, for a complete ClientHello, what it says. */
  | { kind: 'hello'; type: number; info?: TlsInfo };

const SHORT: HelloScan = { kind: 'short' };
const NONE: HelloScan = { kind: 'none' };
const HANDSHAKE = 0x16;
const CLIENT_HELLO = 1;
const EXT_SERVER_NAME = 0;
const EXT_ALPN = 16;
/** Record header (5) + handshake header (4) + version (2) + random (32) + four length bytes at least. */
const MIN_HELLO = 4 + 2 + 32 + 1 + 2 + 1;

const cache = new WeakMap<Uint8Array, HelloScan>();
const latin1 = new TextDecoder('latin1');

/** The handshake record type only (6 bytes are enough), as req.ssl_hello_type reads it. */
export function helloType(buf: Uint8Array): HelloScan {
  if (buf.length === 0) return SHORT;
  if (buf[0] !== HANDSHAKE) return NONE;
  if (buf.length < 3) return SHORT;
  if (buf[1]! < 3) return NONE;
  if (buf.length < 6) return SHORT;
  return { kind: 'hello', type: buf[5]! };
}

/** The first record of `buf` read as a ClientHello (cached per buffer view). */
export function scanClientHello(buf: Uint8Array): HelloScan {
  let r = cache.get(buf);
  if (!r) cache.set(buf, (r = scan(buf)));
  return r;
}

function scan(buf: Uint8Array): HelloScan {
  const head = helloType(buf);
  if (head.kind !== 'hello') return head;
  if (buf.length < 5) return SHORT;
  const recordLength = (buf[3]! << 8) | buf[4]!;
  if (recordLength < MIN_HELLO) return NONE;
  if (buf.length < 5 + recordLength) return SHORT;
  if (head.type !== CLIENT_HELLO) return head;
  const end = 5 + recordLength;
  let p = 5;
  const msgLength = (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!;
  p += 4;
  // A ClientHello split over several records is not read further (HAProxy neither).
  if (p + msgLength > end) return NONE;
  const info: TlsInfo = { helloVersion: (buf[p]! << 16) | buf[p + 1]! };
  p += 2 + 32;
  p += 1 + buf[p]!; // session id
  if (p + 2 > end) return NONE;
  p += 2 + ((buf[p]! << 8) | buf[p + 1]!); // cipher suites
  if (p + 1 > end) return NONE;
  p += 1 + buf[p]!; // compression methods
  if (p + 2 > end) return { kind: 'hello', type: head.type, info }; // no extensions
  const extEnd = Math.min(end, p + 2 + ((buf[p]! << 8) | buf[p + 1]!));
  p += 2;
  while (p + 4 <= extEnd) {
    const type = (buf[p]! << 8) | buf[p + 1]!;
    const len = (buf[p + 2]! << 8) | buf[p + 3]!;
    p += 4;
    if (p + len > extEnd) break;
    if (type === EXT_SERVER_NAME) info.sni = serverName(buf, p, p + len) ?? info.sni;
    else if (type === EXT_ALPN) info.alpn = firstProtocol(buf, p, p + len) ?? info.alpn;
    p += len;
  }
  return { kind: 'hello', type: head.type, info };
}

/** The host_name entry of a server_name list. */
function serverName(buf: Uint8Array, p: number, end: number): string | undefined {
  if (p + 2 > end) return undefined;
  const listEnd = Math.min(end, p + 2 + ((buf[p]! << 8) | buf[p + 1]!));
  p += 2;
  while (p + 3 <= listEnd) {
    const nameType = buf[p]!;
    const len = (buf[p + 1]! << 8) | buf[p + 2]!;
    p += 3;
    if (p + len > listEnd) return undefined;
    if (nameType === 0) return latin1.decode(buf.subarray(p, p + len));
    p += len;
  }
  return undefined;
}

/** The first protocol of an ALPN list. */
function firstProtocol(buf: Uint8Array, p: number, end: number): string | undefined {
  if (p + 3 > end) return undefined;
  const len = buf[p + 2]!;
  if (len === 0 || p + 3 + len > end) return undefined;
  return latin1.decode(buf.subarray(p + 3, p + 3 + len));
}

// What the framing and connection headers of a head say, read from the value bytes while the
// head is parsed (no extra strings). Shared by requests and responses.
import { COMMA, bytesEqualLower, describeByte, isWs } from './chars.js';
import { fail } from './fields.js';

/** Largest Content-Length or chunk size kept exactly in a JS number. */
export const MAX_BODY_LENGTH = Number.MAX_SAFE_INTEGER;

export class HeadFacts {
  /** A Content-Length was seen; all of them (and all list members) equal `contentLength`. */
  hasContentLength = false;
  contentLength = 0;
  /** A Transfer-Encoding was seen; where its first value starts. */
  hasTransferEncoding = false;
  transferEncodingAt = 0;
  /** `chunked` is the last coding seen so far. */
  chunkedLast = false;
  /** `chunked` was seen. */
  chunked = false;
  /** A coding other than `chunked` was seen. */
  otherCoding = false;
  connClose = false;
  connKeepAlive = false;
  connUpgrade = false;
  hostCount = 0;
  hostStart = 0;
  hostEnd = 0;
  expect100 = false;
  /** Lower-cased protocols from Upgrade, `h2`/`h2c` left out, `, `-joined; '' when none. */
  upgrade = '';
  websocket = false;
  /** Sec-WebSocket-Key with a 24-character value (a base64 16-byte nonce). */
  websocketKey = false;
  websocketAccept = false;

  reset(): void {
    this.hasContentLength = false;
    this.contentLength = 0;
    this.hasTransferEncoding = false;
    this.transferEncodingAt = 0;
    this.chunkedLast = false;
    this.chunked = false;
    this.otherCoding = false;
    this.connClose = false;
    this.connKeepAlive = false;
    this.connUpgrade = false;
    this.hostCount = 0;
    this.hostStart = 0;
    this.hostEnd = 0;
    this.expect100 = false;
    this.upgrade = '';
    this.websocket = false;
    this.websocketKey = false;
    this.websocketAccept = false;
  }
}

/**
 * Notes one field line. `ns..ne` is the name, `vs..ve` the trimmed value. Returns 0, or FAULT
 * with `fault` filled (status 400; response parsers turn it into 502).
 */
export function noteField(buf: Buffer, ns: number, ne: number, vs: number, ve: number, f: HeadFacts, request: boolean): number {
  switch (ne - ns) {
    case 4:
      if (request && bytesEqualLower(buf, ns, ne, 'host')) return noteHost(buf, vs, ve, f);
      return 0;
    case 6:
      if (bytesEqualLower(buf, ns, ne, 'expect')) eachElement(buf, vs, ve, (s, e) => { if (bytesEqualLower(buf, s, e, '100-continue')) f.expect100 = true; });
      return 0;
    case 7:
      if (bytesEqualLower(buf, ns, ne, 'upgrade')) noteUpgrade(buf, vs, ve, f);
      return 0;
    case 10:
      if (bytesEqualLower(buf, ns, ne, 'connection')) noteConnection(buf, vs, ve, f);
      return 0;
    case 14:
      if (bytesEqualLower(buf, ns, ne, 'content-length')) return noteContentLength(buf, vs, ve, f);
      return 0;
    case 17:
      if (bytesEqualLower(buf, ns, ne, 'transfer-encoding')) return noteTransferEncoding(buf, vs, ve, f, request);
      if (request && bytesEqualLower(buf, ns, ne, 'sec-websocket-key') && ve - vs === 24) f.websocketKey = true;
      return 0;
    case 20:
      if (!request && bytesEqualLower(buf, ns, ne, 'sec-websocket-accept')) f.websocketAccept = true;
      return 0;
    default:
      return 0;
  }
}

/** Connection options: close, keep-alive, upgrade (any case, in any list position). */
function noteConnection(buf: Buffer, vs: number, ve: number, f: HeadFacts): void {
  let p = vs;
  while (p < ve) {
    let c = buf[p]!;
    if (c === COMMA || isWs(c)) {
      p++;
      continue;
    }
    const s = p;
    while (p < ve && buf[p] !== COMMA) p++;
    let e = p;
    while (e > s && ((c = buf[e - 1]!) === 0x20 || c === 0x09)) e--;
    switch (e - s) {
      case 5:
        if (bytesEqualLower(buf, s, e, 'close')) f.connClose = true;
        break;
      case 7:
        if (bytesEqualLower(buf, s, e, 'upgrade')) f.connUpgrade = true;
        break;
      case 10:
        if (bytesEqualLower(buf, s, e, 'keep-alive')) f.connKeepAlive = true;
        break;
    }
  }
}

/** Calls `fn` with each comma-separated element of `vs..ve`, trimmed, empty ones skipped. */
function eachElement(buf: Buffer, vs: number, ve: number, fn: (s: number, e: number) => void): void {
  let p = vs;
  while (p < ve) {
    while (p < ve && (isWs(buf[p]!) || buf[p] === COMMA)) p++;
    const s = p;
    while (p < ve && buf[p] !== COMMA) p++;
    let e = p;
    while (e > s && isWs(buf[e - 1]!)) e--;
    if (e > s) fn(s, e);
  }
}

/**
 * Content-Length: a decimal number, or a list of identical ones (`5, 5`, which RFC 9110 §8.6 lets
 * a recipient read as 5), equal to any earlier Content-Length. No sign, no hex, no empty member,
 * nothing beyond 2^53-1 (HAProxy takes 64-bit lengths; a JS number cannot count past 2^53 exactly).
 */
function noteContentLength(buf: Buffer, vs: number, ve: number, f: HeadFacts): number {
  if (vs === ve) return fail(vs, 'empty Content-Length');
  let p = vs;
  for (;;) {
    const ds = p;
    let v = 0;
    while (p < ve) {
      const d = buf[p]! - 0x30;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
      if (v > MAX_BODY_LENGTH) return fail(ds, `Content-Length is larger than ${MAX_BODY_LENGTH}`);
      p++;
    }
    if (p === ds) return fail(p, `Content-Length is not a decimal number (found ${describeByte(buf[p]!)})`);
    if (f.hasContentLength && v !== f.contentLength) return fail(ds, `conflicting Content-Length values (${f.contentLength} and ${v})`);
    f.hasContentLength = true;
    f.contentLength = v;
    while (p < ve && isWs(buf[p]!)) p++;
    if (p === ve) return 0;
    if (buf[p] !== COMMA) return fail(p, `Content-Length is not a decimal number (found ${describeByte(buf[p]!)})`);
    p++;
    while (p < ve && isWs(buf[p]!)) p++;
    if (p === ve) return fail(p, 'empty member in the Content-Length list');
  }
}

/**
 * Transfer-Encoding (RFC 9112 §6.1, current HAProxy): a list of codings, none empty, `chunked` at
 * most once and, in a request, last. Whether the list ends with chunked and whether other codings
 * appear is judged once the head is complete (codings may span several header lines).
 */
function noteTransferEncoding(buf: Buffer, vs: number, ve: number, f: HeadFacts, request: boolean): number {
  if (vs === ve) return fail(vs, 'empty Transfer-Encoding');
  if (!f.hasTransferEncoding) f.transferEncodingAt = vs;
  f.hasTransferEncoding = true;
  let p = vs;
  for (;;) {
    while (p < ve && isWs(buf[p]!)) p++;
    const s = p;
    while (p < ve && buf[p] !== COMMA) p++;
    let e = p;
    while (e > s && isWs(buf[e - 1]!)) e--;
    if (e === s) return fail(s, 'empty member in the Transfer-Encoding list');
    if (bytesEqualLower(buf, s, e, 'chunked')) {
      if (f.chunked) return fail(s, 'chunked is applied more than once in Transfer-Encoding');
      f.chunked = true;
      f.chunkedLast = true;
    } else {
      if (f.chunked && request) return fail(s, 'a transfer coding follows chunked in a request Transfer-Encoding');
      f.otherCoding = true;
      f.chunkedLast = false;
    }
    if (p === ve) return 0;
    p++; // the comma
    if (p === ve) return fail(p, 'empty member at the end of the Transfer-Encoding list');
  }
}

function noteHost(buf: Buffer, vs: number, ve: number, f: HeadFacts): number {
  f.hostCount++;
  if (f.hostCount > 1) return fail(vs, 'more than one Host header (RFC 9112 §3.2)');
  const bad = authorityFault(buf, vs, ve);
  if (bad >= 0) return fail(bad, `Host contains ${describeByte(buf[bad]!)}, which is not allowed in an authority`);
  f.hostStart = vs;
  f.hostEnd = ve;
  return 0;
}

function noteUpgrade(buf: Buffer, vs: number, ve: number, f: HeadFacts): void {
  eachElement(buf, vs, ve, (s, e) => {
    // HTTP/2 over cleartext is not offered through an HTTP/1 proxy (current HAProxy drops these).
    if (bytesEqualLower(buf, s, e, 'h2c') || bytesEqualLower(buf, s, e, 'h2')) return;
    if (bytesEqualLower(buf, s, e, 'websocket')) f.websocket = true;
    const proto = buf.toString('latin1', s, e).toLowerCase();
    f.upgrade = f.upgrade === '' ? proto : `${f.upgrade}, ${proto}`;
  });
}

/**
 * The offset of the first byte that may not appear in an authority (Host value or the authority
 * of a request target), or -1. Like current HAProxy: no CTL, space, non-ASCII, `,` (ambiguous in
 * Host), `#`, `/`, `?`, `@` (userinfo), `\`; `[` only first and `]` only last or before `:`
 * (IP-literal), balanced.
 */
export function authorityFault(buf: Uint8Array, s: number, e: number): number {
  let open = -1;
  for (let p = s; p < e; p++) {
    const c = buf[p]!;
    if (c > 0x20 && c < 0x7f && c !== 0x2c && c !== 0x23 && c !== 0x2f && c !== 0x3f && c !== 0x40 && c !== 0x5b && c !== 0x5c && c !== 0x5d) continue;
    if (c === 0x5b && p === s) {
      open = p;
      continue;
    }
    if (c === 0x5d && open >= 0 && (p === e - 1 || buf[p + 1] === 0x3a)) {
      open = -2;
      continue;
    }
    return p;
  }
  return open >= 0 ? open : -1;
}


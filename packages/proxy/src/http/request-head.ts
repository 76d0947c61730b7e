// Reading an HTTP/1.x request head from the start of a buffer, strictly (RFC 9112/9110 and
// current HAProxy; where HAProxy 2.6 is laxer, the stricter rule wins).
//
// Decisions (each checked against HAProxy 2.6.12 on the wire; see test/proxy/http-malformed-battery.test.ts):
// * Request line: method token, target of VCHAR without `#` (no CTL, space, non-ASCII), version
//   exactly `HTTP/<digit>.<digit>`. Several SP/HTAB between the parts are accepted (RFC 9112 §3
//   allows it, HAProxy does it, and the proxy writes a fresh request line). `HTTP/1.x` with x ≥ 1
//   is HTTP/1.1 (RFC 9110 §2.5, as HAProxy); another major version is 505 (HAProxy reads
//   `HTTP/2.0` as 1.1); anything else, `HTTP/0.9` without a version included, is 400.
// * Line ends: CRLF, or a bare LF (RFC 9112 §2.2 MAY, HAProxy accepts); a bare CR is 400.
// * Header lines: see fields.ts (token names, no whitespace before the colon, no CTL in values,
//   obs-fold refused — HAProxy unfolds it, RFC 9112 §5.2 allows refusing).
// * More than `maxHeaders - 1` header lines, or a head over `maxHeadBytes`: 400 (as 2.6).
// * Content-Length: digits only; a list or repetition of one value is that value; differing → 400.
// * Transfer-Encoding: must end with chunked (else 400), chunked once; another coding with it →
//   422 (current HAProxy; RFC 9112 §6.1 suggests 501). With Content-Length too, chunked wins,
//   Content-Length is ignored (the head writer drops it) and the connection closes after the
//   exchange (RFC 9112 §6.1); an HTTP/1.0 request with Transfer-Encoding is also read chunked
//   and closes.
// * Host: required in HTTP/1.1 and only once (RFC 9112 §3.2; HAProxy 2.6 accepts none and merges
//   identical duplicates), value must be a plain authority (no `,`, `@`, `/`…, current HAProxy).
//   An absolute-form target must name the same authority as Host, give or take the scheme's
//   default port (as HAProxy). CONNECT takes an authority-form `host:port` target only; `*` is
//   for OPTIONS only (current HAProxy).
// * HTTP/1.0 GET, HEAD or DELETE with a body: 413 (HAProxy). A WebSocket upgrade without a
//   24-character Sec-WebSocket-Key: 400 (HAProxy).
import { CR, LF, TARGET, TOKEN, describeByte, isWs } from './chars.js';
import { FAULT, INCOMPLETE, fail, fault, findBlankLine, latin1 } from './fields.js';
import { authorityFault } from './head-facts.js';
import { checkPartialHead, facts, scanHeaderLines, scanLineEnd, scanVersion, skipLeadingEmptyLines } from './head-scan.js';
import type { BodyFraming, HeadLimits, HeadProgress, HeadResult, RequestHead } from './types.js';

/** Where the parts of the last request line lie. */
const rl = { methodEnd: 0, targetStart: 0, targetEnd: 0, minor: 0 };

const INCOMPLETE_RESULT: HeadResult<never> = Object.freeze({ kind: 'incomplete' });
const NO_BODY: BodyFraming = Object.freeze({ kind: 'none' });
const CHUNKED: BodyFraming = Object.freeze({ kind: 'chunked' });

function faulted(): HeadResult<never> {
  return { kind: 'error', status: fault.status, reason: fault.reason, offset: fault.offset };
}

function refuse(offset: number, reason: string, status = 400): HeadResult<never> {
  return { kind: 'error', status, reason, offset };
}

function tooLarge(max: number): HeadResult<never> {
  return refuse(max, `request head is larger than ${max} bytes`);
}

/**
 * Reads the request head at the start of `buf`. `incomplete` until the empty line ending it is
 * in the buffer, unless the bytes so far are already invalid or over the limits. `headLength`
 * counts everything up to and including that empty line (leading empty lines too); the body or
 * the next pipelined request starts there. `progress` (optional) spares re-checking complete
 * lines while the head trickles in; see HeadProgress.
 */
export function parseRequestHead(buf: Buffer, limits: HeadLimits, progress?: HeadProgress): HeadResult<RequestHead> {
  const max = limits.maxHeadBytes;
  const maxFields = Math.max(0, limits.maxHeaders - 1);
  const start = skipLeadingEmptyLines(buf);
  if (start === FAULT) return faulted();
  if (start === INCOMPLETE) return buf.length > max ? tooLarge(max) : INCOMPLETE_RESULT;
  // A memo that cannot belong to this buffer (a line end must precede its offset) is ignored.
  const resumeAt = progress !== undefined && progress.offset > start && progress.offset <= buf.length && buf[progress.offset - 1] === LF ? progress.offset : 0;
  const end = findBlankLine(buf, resumeAt > 0 ? resumeAt - 1 : start, max + 1);

  if (end < 0 || end > max) {
    // Not complete (or complete but too large): check what is there, so garbage is refused early.
    const p = checkPartialHead(buf, start, resumeAt, Math.min(buf.length, max), maxFields, scanRequestLine, true, progress);
    if (p === FAULT) return faulted();
    return buf.length > max ? tooLarge(max) : INCOMPLETE_RESULT;
  }

  facts.reset();
  const text = latin1(buf, 0, end);
  let p = scanRequestLine(buf, start, end);
  if (p === FAULT) return faulted();
  if (p < 0) return refuse(start, 'request line is not terminated before the end of the head');
  const headers: [string, string][] = [];
  p = scanHeaderLines(buf, p, end, maxFields, 0, headers, text, true, undefined);
  if (p === FAULT) return faulted();
  if (p !== end) return refuse(start, 'the header lines do not end where the empty line is');
  return finish(buf, text, start, end, headers);
}

/** Method, target and version, up to and including the line end. */
function scanRequestLine(buf: Buffer, p: number, end: number): number {
  const ms = p;
  while (p < end && TOKEN[buf[p]!] === 1) p++;
  if (p === end) return INCOMPLETE;
  let c = buf[p]!;
  if (p === ms) return fail(p, `the request line must start with a method token, found ${describeByte(c)}`);
  if (!isWs(c)) {
    if (c === CR || c === LF) return fail(p, 'request line without a target or HTTP version (HTTP/0.9 is refused)');
    return fail(p, `the method contains ${describeByte(c)}, which is not a token character`);
  }
  rl.methodEnd = p;
  while (p < end && isWs(buf[p]!)) p++;
  if (p === end) return INCOMPLETE;
  rl.targetStart = p;
  while (p < end && TARGET[buf[p]!] === 1) p++;
  if (p === end) return INCOMPLETE;
  c = buf[p]!;
  if (!isWs(c)) {
    if (c === CR || c === LF) {
      return fail(p, p === rl.targetStart ? 'request line without a target' : 'request line without an HTTP version (HTTP/0.9 is refused)');
    }
    if (c === 0x23) return fail(p, 'the request target contains a fragment (#)');
    if (c >= 0x80) return fail(p, `the request target contains the non-ASCII byte ${describeByte(c)}`);
    return fail(p, `the request target contains the control character ${describeByte(c)}`);
  }
  rl.targetEnd = p;
  while (p < end && isWs(buf[p]!)) p++;
  const vs = p;
  p = scanVersion(buf, p, end, 'request line');
  if (p < 0) return p;
  p = scanLineEnd(buf, p, end, 'the HTTP version');
  if (p < 0) return p;
  const major = buf[vs + 5]! - 0x30;
  const minor = buf[vs + 7]! - 0x30;
  if (major !== 1) return fail(vs, `HTTP/${major}.${minor} is not supported on an HTTP/1 connection`, 505);
  rl.minor = minor;
  return p;
}

function finish(buf: Buffer, text: string, start: number, end: number, headers: [string, string][]): HeadResult<RequestHead> {
  const f = facts;
  const method = text.substring(start, rl.methodEnd);
  const version = rl.minor === 0 ? '1.0' : '1.1';
  const connect = method === 'CONNECT';

  const targetFault = checkTarget(buf, method, connect);
  if (targetFault !== 0) return faulted();

  if (f.hasTransferEncoding && !f.chunkedLast) {
    return refuse(f.transferEncodingAt, 'Transfer-Encoding does not end with chunked, so the request body length is unknown (RFC 9112 §6.3)');
  }
  if (version === '1.1' && f.hostCount === 0) return refuse(start, 'HTTP/1.1 request without a Host header (RFC 9112 §3.2)');

  let framing: BodyFraming = NO_BODY;
  let keepAlive = version === '1.1' ? !f.connClose : f.connKeepAlive && !f.connClose;
  if (!connect) {
    if (f.hasTransferEncoding) {
      framing = CHUNKED;
      // Both framings, or chunked from an HTTP/1.0 client: read chunked, then close (RFC 9112 §6.1).
      if (f.hasContentLength || version === '1.0') keepAlive = false;
    } else if (f.hasContentLength) {
      framing = { kind: 'length', length: f.contentLength };
    }
  }
  const hasBody = framing.kind === 'chunked' || (framing.kind === 'length' && framing.length > 0);

  if (version === '1.0' && hasBody && (method === 'GET' || method === 'HEAD' || method === 'DELETE')) {
    return refuse(start, `HTTP/1.0 ${method} request with a body (HAProxy answers 413)`, 413);
  }
  if (f.otherCoding) {
    return refuse(f.transferEncodingAt, 'Transfer-Encoding names a coding other than chunked, which is not supported (current HAProxy: 422)', 422);
  }
  if (f.connUpgrade && f.websocket && !f.websocketKey) {
    return refuse(start, 'WebSocket upgrade without a valid Sec-WebSocket-Key (24 characters)');
  }

  const head: RequestHead = {
    method,
    target: text.substring(rl.targetStart, rl.targetEnd),
    version,
    headers,
    framing,
    keepAlive,
    expectContinue: version === '1.1' && f.expect100 && hasBody,
    headLength: end,
  };
  if (f.connUpgrade && f.upgrade !== '') head.upgrade = f.upgrade;
  return { kind: 'ok', head };
}

const lower = (c: number) => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);

function rangesEqualIgnoreCase(buf: Buffer, a: number, b: number, c: number, d: number): boolean {
  if (b - a !== d - c) return false;
  for (let i = 0; i < b - a; i++) if (lower(buf[a + i]!) !== lower(buf[c + i]!)) return false;
  return true;
}

function rangeEquals(buf: Buffer, a: number, b: number, s: string): boolean {
  if (b - a !== s.length) return false;
  for (let i = 0; i < s.length; i++) if (buf[a + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** The offset of the `:` before a port in `s..e` (after any IP-literal), or -1. */
function portColon(buf: Buffer, s: number, e: number): number {
  for (let p = e - 1; p >= s; p--) {
    const c = buf[p];
    if (c === 0x3a) return p;
    if (c === 0x5d) return -1;
  }
  return -1;
}

/** Checks the target's form against the method and Host. Returns 0, or FAULT with `fault` set. */
function checkTarget(buf: Buffer, method: string, connect: boolean): number {
  const ts = rl.targetStart;
  const te = rl.targetEnd;
  const f = facts;
  const c0 = buf[ts];
  const schemeEnd = schemeLength(buf, ts, te);

  if (connect) {
    if (schemeEnd >= 0 || c0 === 0x2f || c0 === 0x2a) return fail(ts, 'CONNECT needs an authority-form target (host:port)');
    const bad = authorityFault(buf, ts, te);
    if (bad >= 0) return fail(bad, `the CONNECT target contains ${describeByte(buf[bad]!)}, which is not allowed in an authority`);
    const colon = portColon(buf, ts, te);
    if (colon <= ts || colon === te - 1 || !allDigits(buf, colon + 1, te)) return fail(ts, 'the CONNECT target must be host:port with a numeric port');
    if (f.hostCount === 1) {
      const hs = f.hostStart;
      const he = f.hostEnd;
      const hColon = portColon(buf, hs, he);
      const matches =
        hColon >= 0
          ? rangesEqualIgnoreCase(buf, hs, hColon, ts, colon) && rangesEqualIgnoreCase(buf, hColon + 1, he, colon + 1, te)
          : (rangeEquals(buf, colon + 1, te, '80') || rangeEquals(buf, colon + 1, te, '443')) && rangesEqualIgnoreCase(buf, hs, he, ts, colon);
      if (!matches) return fail(hs, 'Host does not match the CONNECT target');
    }
    return 0;
  }
  if (c0 === 0x2f) return 0; // origin-form
  if (c0 === 0x2a) {
    if (te - ts === 1 && method === 'OPTIONS') return 0;
    return fail(ts, 'the asterisk-form target (*) is only allowed with OPTIONS');
  }
  if (schemeEnd < 0) return fail(ts, 'the request target is neither origin-form (/path) nor absolute-form (scheme://authority/path)');
  // absolute-form: scheme "://" authority [ path-abempty ] [ "?" query ]
  const as = ts + schemeEnd + 3;
  let ae = as;
  while (ae < te && buf[ae] !== 0x2f && buf[ae] !== 0x3f) ae++;
  if (ae === as) return fail(as, 'the absolute-form target has an empty authority');
  const bad = authorityFault(buf, as, ae);
  if (bad >= 0) return fail(bad, `the target's authority contains ${describeByte(buf[bad]!)}, which is not allowed (no userinfo, RFC 9110 §4.2.4)`);
  if (f.hostCount === 1 && !rangesEqualIgnoreCase(buf, as, ae, f.hostStart, f.hostEnd)) {
    if (!sameWithDefaultPort(buf, ts, ts + schemeEnd, as, ae, f.hostStart, f.hostEnd)) {
      return fail(f.hostStart, 'Host differs from the authority of the absolute-form target');
    }
  }
  return 0;
}

function allDigits(buf: Buffer, s: number, e: number): boolean {
  for (let p = s; p < e; p++) if (buf[p]! < 0x30 || buf[p]! > 0x39) return false;
  return true;
}

/** Length of `scheme` when `s..e` starts with `scheme://`, else -1. */
function schemeLength(buf: Buffer, s: number, e: number): number {
  let p = s;
  const c0 = buf[p]! | 0x20;
  if (c0 < 0x61 || c0 > 0x7a) return -1;
  p++;
  while (p < e) {
    const c = buf[p]!;
    const lc = c | 0x20;
    if ((lc >= 0x61 && lc <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) p++;
    else break;
  }
  if (p + 2 < e && buf[p] === 0x3a && buf[p + 1] === 0x2f && buf[p + 2] === 0x2f) return p - s;
  return -1;
}

/**
 * `http://a:80/` against `Host: a` and the like: the same host once the scheme's default port is
 * dropped from either side (as HAProxy's h1 parser).
 */
function sameWithDefaultPort(buf: Buffer, ss: number, se: number, as: number, ae: number, hs: number, he: number): boolean {
  const defaultPort = rangesEqualIgnoreCaseString(buf, ss, se, 'http') ? '80' : rangesEqualIgnoreCaseString(buf, ss, se, 'https') ? '443' : '';
  if (defaultPort === '') return false;
  const ac = portColon(buf, as, ae);
  const hc = portColon(buf, hs, he);
  if (ac < 0 && hc < 0) return false;
  if (ac >= 0 && !rangeEquals(buf, ac + 1, ae, defaultPort)) return false;
  if (hc >= 0 && !rangeEquals(buf, hc + 1, he, defaultPort)) return false;
  return rangesEqualIgnoreCase(buf, as, ac >= 0 ? ac : ae, hs, hc >= 0 ? hc : he);
}

function rangesEqualIgnoreCaseString(buf: Buffer, s: number, e: number, lowerWord: string): boolean {
  if (e - s !== lowerWord.length) return false;
  for (let i = 0; i < lowerWord.length; i++) if (lower(buf[s + i]!) !== lowerWord.charCodeAt(i)) return false;
  return true;
}

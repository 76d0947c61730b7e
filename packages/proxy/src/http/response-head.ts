// Reading an HTTP/1.x response head from a server. Same line and header rules as requests
// (fields.ts); anything malformed is an `error` with status 502, which the proxy sends to the
// client instead (HAProxy: "The server returned an invalid or incomplete response").
//
// Decisions:
// * Status line `HTTP/<digit>.<digit> SP 3DIGIT [SP reason]`: the status must be three digits
//   within 100..599 (RFC 9110 §15; HAProxy 2.6 forwarded `20` and `2000`), the reason
//   HTAB/SP/VCHAR/obs-text only. A missing reason (even without its SP) is accepted. A major
//   version other than 1 is refused (HAProxy 2.6 reads `HTTP/2.0` as 1.1).
// * Framing (RFC 9112 §6.3): none for responses to HEAD, for 1xx, 204 and 304, and for 2xx to
//   CONNECT; else chunked when Transfer-Encoding is exactly chunked, else Content-Length, else the
//   body runs until the server closes. Transfer-Encoding naming anything but chunked is refused
//   (current HAProxy). Transfer-Encoding with Content-Length, or in an HTTP/1.0 response: chunked
//   wins and the server connection is not reused.
// * A 101 accepting a WebSocket upgrade must carry Sec-WebSocket-Accept (HAProxy).
import { CR, FIELD_VALUE, LF, describeByte, isWs } from './chars.js';
import { FAULT, INCOMPLETE, fail, fault, findBlankLine, latin1 } from './fields.js';
import { checkPartialHead, facts, scanHeaderLines, scanLineEnd, scanVersion, skipLeadingEmptyLines } from './head-scan.js';
import type { BodyFraming, HeadLimits, HeadProgress, HeadResult, ResponseHead } from './types.js';

const sl = { status: 0, reasonStart: 0, reasonEnd: 0, minor: 0 };

const INCOMPLETE_RESULT: HeadResult<never> = Object.freeze({ kind: 'incomplete' });
const NO_BODY: BodyFraming = Object.freeze({ kind: 'none' });
const CHUNKED: BodyFraming = Object.freeze({ kind: 'chunked' });
const UNTIL_CLOSE: BodyFraming = Object.freeze({ kind: 'close' });

function refuse(offset: number, reason: string): HeadResult<never> {
  return { kind: 'error', status: 502, reason, offset };
}

function faulted(): HeadResult<never> {
  return refuse(fault.offset, fault.reason);
}

/**
 * Reads the response head at the start of `buf`, sent in answer to a `requestMethod` request
 * (HEAD and CONNECT change the framing). See parseRequestHead for `incomplete`, `headLength`
 * and `progress`. A 1xx head (other than 101) is followed by the final response on the same
 * connection: parse again after `headLength`.
 */
export function parseResponseHead(buf: Buffer, limits: HeadLimits, requestMethod: string, progress?: HeadProgress): HeadResult<ResponseHead> {
  const max = limits.maxHeadBytes;
  const maxFields = Math.max(0, limits.maxHeaders - 1);
  const tooLarge = () => refuse(max, `response head is larger than ${max} bytes`);
  const start = skipLeadingEmptyLines(buf);
  if (start === FAULT) return faulted();
  if (start === INCOMPLETE) return buf.length > max ? tooLarge() : INCOMPLETE_RESULT;
  // A memo that cannot belong to this buffer (a line end must precede its offset) is ignored.
  const resumeAt = progress !== undefined && progress.offset > start && progress.offset <= buf.length && buf[progress.offset - 1] === LF ? progress.offset : 0;
  const end = findBlankLine(buf, resumeAt > 0 ? resumeAt - 1 : start, max + 1);

  if (end < 0 || end > max) {
    const p = checkPartialHead(buf, start, resumeAt, Math.min(buf.length, max), maxFields, scanStatusLine, false, progress);
    if (p === FAULT) return faulted();
    return buf.length > max ? tooLarge() : INCOMPLETE_RESULT;
  }

  facts.reset();
  const text = latin1(buf, 0, end);
  let p = scanStatusLine(buf, start, end);
  if (p === FAULT) return faulted();
  if (p < 0) return refuse(start, 'status line is not terminated before the end of the head');
  const headers: [string, string][] = [];
  p = scanHeaderLines(buf, p, end, maxFields, 0, headers, text, false, undefined);
  if (p === FAULT) return faulted();
  if (p !== end) return refuse(start, 'the header lines do not end where the empty line is');
  return finish(buf, text, end, headers, requestMethod);
}

function scanStatusLine(buf: Buffer, p: number, end: number): number {
  const vs = p;
  p = scanVersion(buf, p, end, 'status line');
  if (p < 0) return p;
  if (p === end) return INCOMPLETE;
  if (!isWs(buf[p]!)) return fail(p, 'the HTTP version must be followed by a space in the status line');
  while (p < end && isWs(buf[p]!)) p++;
  const cs = p;
  let status = 0;
  while (p < end) {
    const d = buf[p]! - 0x30;
    if (d < 0 || d > 9) break;
    status = status * 10 + d;
    p++;
    if (p - cs > 3) return fail(cs, 'the status code has more than three digits');
  }
  if (p === end) return INCOMPLETE;
  if (p - cs !== 3) return fail(cs, 'the status code must be three digits');
  let c = buf[p]!;
  let rs = p;
  let re = p;
  if (isWs(c)) {
    while (p < end && isWs(buf[p]!)) p++;
    rs = p;
    while (p < end && FIELD_VALUE[buf[p]!] === 1) p++;
    if (p === end) return INCOMPLETE;
    re = p;
    c = buf[p]!;
    if (c !== CR && c !== LF) return fail(p, `control character ${describeByte(c)} in the reason phrase`);
  } else if (c !== CR && c !== LF) {
    return fail(p, 'the status code must be followed by a space or the end of the line');
  }
  p = scanLineEnd(buf, p, end, 'the reason phrase');
  if (p < 0) return p;
  const major = buf[vs + 5]! - 0x30;
  const minor = buf[vs + 7]! - 0x30;
  if (major !== 1) return fail(vs, `HTTP/${major}.${minor} response on an HTTP/1 connection`);
  if (status < 100 || status > 599) return fail(cs, `status code ${String(status).padStart(3, '0')} is outside 100..599 (RFC 9110 §15)`);
  sl.status = status;
  sl.reasonStart = rs;
  sl.reasonEnd = re;
  sl.minor = minor;
  return p;
}

function finish(buf: Buffer, text: string, end: number, headers: [string, string][], requestMethod: string): HeadResult<ResponseHead> {
  const f = facts;
  const status = sl.status;
  const version = sl.minor === 0 ? '1.0' : '1.1';
  if (f.hasTransferEncoding && (!f.chunkedLast || f.otherCoding)) {
    return refuse(f.transferEncodingAt, 'Transfer-Encoding names a coding other than chunked, or does not end with chunked (current HAProxy: 502)');
  }
  if (status === 101 && f.connUpgrade && f.websocket && !f.websocketAccept) {
    return refuse(0, 'WebSocket 101 response without Sec-WebSocket-Accept');
  }
  let keepAlive = version === '1.1' ? !f.connClose : f.connKeepAlive && !f.connClose;
  // Both framings, or chunked in HTTP/1.0: never reuse this server connection (RFC 9112 §6.1).
  if (f.hasTransferEncoding && (f.hasContentLength || version === '1.0')) keepAlive = false;

  let framing: BodyFraming;
  if (requestMethod === 'HEAD' || status < 200 || status === 204 || status === 304 || (requestMethod === 'CONNECT' && status < 300)) {
    framing = NO_BODY;
  } else if (f.hasTransferEncoding) {
    framing = CHUNKED;
  } else if (f.hasContentLength) {
    framing = { kind: 'length', length: f.contentLength };
  } else {
    framing = UNTIL_CLOSE;
    keepAlive = false;
  }
  const head: ResponseHead = {
    status,
    reason: text.substring(sl.reasonStart, sl.reasonEnd),
    version,
    headers,
    framing,
    keepAlive,
    headLength: end,
  };
  if (status === 101 && f.connUpgrade && f.upgrade !== '') head.upgrade = f.upgrade;
  return { kind: 'ok', head };
}

// One field line (`name: value` + line end) and a whole field block (the headers of a head, or
// the trailer section of a chunked body), read straight from the bytes.
//
// Line rules, shared by requests, responses and trailers (RFC 9112 §2.2, §5, current HAProxy):
// * CRLF ends a line; a bare LF is accepted as a line end too (RFC 9112 §2.2 allows it and HAProxy
//   accepts it). This is safe because the proxy never forwards the head bytes: it writes a new
//   head with CRLF everywhere, so the next hop cannot read the lines differently.
// * A CR not followed by LF is refused (RFC 9112 §2.2 "bare CR").
// * The name is a non-empty token directly followed by `:`; whitespace before the colon is
//   refused (RFC 9112 §5.1), as is any other non-token byte.
// * The value may hold SP, HTAB, VCHAR and obs-text; NUL, other CTLs and DEL are refused
//   (RFC 9110 §5.5; HAProxy 2.6 lets NUL and CTLs through, current HAProxy refuses NUL).
// * A line starting with SP/HTAB (obs-fold, RFC 9112 §5.2) is refused.
import { CR, COLON, HTAB, LF, SP, TOKEN, describeByte, isWs } from './chars.js';

/** Returned instead of a position when the bytes end before the line or block does. */
export const INCOMPLETE = -1;
/** Returned instead of a position when the bytes are invalid; `fault` says why and where. */
export const FAULT = -2;

/** Why the last scan returned FAULT. Single-threaded, so one shared record is enough. */
export const fault = { reason: '', offset: 0, status: 400 };

/** Records a fault and returns FAULT. */
export function fail(offset: number, reason: string, status = 400): number {
  fault.offset = offset;
  fault.reason = reason;
  fault.status = status;
  return FAULT;
}

/** Where the parts of the line read by the last successful `scanFieldLine` lie. */
export const field = { nameEnd: 0, valueStart: 0, valueEnd: 0 };

/**
 * Reads one field line starting at `p` (its first byte is neither CR, LF nor whitespace; the
 * caller handles those). Returns the offset just after the line end, INCOMPLETE or FAULT. The
 * value is trimmed of leading and trailing SP/HTAB.
 */
export function scanFieldLine(buf: Uint8Array, p: number, end: number, what: string): number {
  const start = p;
  let c = 0;
  for (; p < end; p++) {
    c = buf[p]!;
    if (TOKEN[c] !== 1) break;
  }
  if (p === end) return INCOMPLETE;
  if (c !== COLON) return nameFault(p, c, what);
  if (p === start) return fail(p, `empty ${what} name`);
  field.nameEnd = p;
  p++;
  while (p < end && ((c = buf[p]!) === SP || c === HTAB)) p++;
  const valueStart = p;
  // SP, HTAB, VCHAR and obs-text pass; any other CTL (CR and LF included) and DEL stop the loop.
  for (; p < end; p++) {
    c = buf[p]!;
    if (c < 0x20 ? c !== HTAB : c === 0x7f) break;
  }
  if (p === end) return INCOMPLETE;
  let next: number;
  if (c === LF) {
    next = p + 1;
  } else if (c === CR) {
    if (p + 1 === end) return INCOMPLETE;
    if (buf[p + 1] !== LF) return fail(p, `bare CR in a ${what} value`);
    next = p + 2;
  } else {
    return fail(p, c === 0 ? `NUL byte in a ${what} value` : `control character ${describeByte(c)} in a ${what} value`);
  }
  let valueEnd = p;
  while (valueEnd > valueStart && ((c = buf[valueEnd - 1]!) === SP || c === HTAB)) valueEnd--;
  field.valueStart = valueStart;
  field.valueEnd = valueEnd;
  return next;
}

function nameFault(p: number, c: number, what: string): number {
  if (isWs(c)) return fail(p, `whitespace between the ${what} name and the colon`);
  if (c === CR || c === LF) return fail(p, `${what} line without a colon`);
  return fail(p, `${what} name contains ${describeByte(c)}, which is not a token character`);
}

/**
 * At a line start: the offset after an empty line (CRLF or LF) when there is one, 0 when the line
 * is not empty, INCOMPLETE or FAULT (bare CR). Only called with `p < end`.
 */
export function emptyLineEnd(buf: Uint8Array, p: number, end: number): number {
  const c = buf[p]!;
  if (c === LF) return p + 1;
  if (c !== CR) return 0;
  if (p + 1 === end) return INCOMPLETE;
  if (buf[p + 1] !== LF) return fail(p, 'bare CR at the start of a line');
  return p + 2;
}

/**
 * The offset just after the first empty line that follows an LF at or after `from` (so `from` is
 * the start of a non-empty line, or the LF ending the line before); -1 when there is none with
 * its LF before `limit`. Hops from LF to LF with
 * the native search, so it costs little more than a memchr.
 */
export function findBlankLine(buf: Buffer, from: number, limit: number): number {
  const end = Math.min(buf.length, limit);
  // Never search megabytes of garbage for a head that is too large anyway.
  const hay = buf.length > end + 2 ? buf.subarray(0, end + 2) : buf;
  let i = hay.indexOf(LF, from);
  while (i !== -1 && i < end) {
    const a = buf[i + 1];
    if (a === LF) return i + 2;
    if (a === CR && buf[i + 2] === LF) return i + 3;
    i = hay.indexOf(LF, i + 1);
  }
  return -1;
}

type Latin1Slicer = Buffer & { latin1Slice?: (s: number, e: number) => string };
const hasLatin1Slice = typeof (Buffer.prototype as Latin1Slicer).latin1Slice === 'function';
/**
 * Bytes as a string, one char per byte (obs-text survives a round trip). Node's own
 * `latin1Slice` skips the argument handling of `toString('latin1', …)`, which costs more than
 * the conversion for short strings.
 */
export function latin1(buf: Buffer, start: number, end: number): string {
  return hasLatin1Slice ? (buf as Latin1Slicer).latin1Slice!(start, end) : buf.toString('latin1', start, end);
}

/**
 * Reads a field block (field lines up to and including the empty line) into `out`. Returns the
 * offset after the empty line, INCOMPLETE or FAULT. Used for trailer sections, which carry no
 * framing semantics of their own.
 */
export function parseFieldBlock(buf: Buffer, p: number, end: number, maxFields: number, out: [string, string][], what: string): number {
  for (;;) {
    if (p === end) return INCOMPLETE;
    const blank = emptyLineEnd(buf, p, end);
    if (blank !== 0) return blank;
    if (isWs(buf[p]!)) return fail(p, out.length === 0 ? `whitespace at the start of the first ${what} line` : `obsolete line folding in a ${what} (line starts with whitespace)`);
    if (out.length >= maxFields) return fail(p, `more than ${maxFields} ${what} lines`);
    const start = p;
    p = scanFieldLine(buf, p, end, what);
    if (p < 0) return p;
    out.push([latin1(buf, start, field.nameEnd), latin1(buf, field.valueStart, field.valueEnd)]);
  }
}

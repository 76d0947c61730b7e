// The parts of reading a head that requests and responses share: skipping empty lines before the
// start line, locating the end of the head, and the header lines themselves.
import { CR, LF, isWs } from './chars.js';
import { FAULT, INCOMPLETE, emptyLineEnd, fail, fault, field, scanFieldLine } from './fields.js';
import { HeadFacts, noteField } from './head-facts.js';
import type { HeadProgress } from './types.js';

/** What the header lines of the head being parsed say (shared: parsing is synchronous). */
export const facts = new HeadFacts();

/**
 * Skips empty lines (CRLF or LF) before a start line: RFC 9112 §2.2 asks a server to ignore at
 * least one, HAProxy ignores any number. Returns the start line's offset, INCOMPLETE when the
 * buffer holds nothing else, or FAULT for a bare CR.
 */
export function skipLeadingEmptyLines(buf: Buffer): number {
  const len = buf.length;
  let p = 0;
  while (p < len) {
    const c = buf[p];
    if (c === LF) p++;
    else if (c === CR) {
      if (p + 1 === len) return INCOMPLETE;
      if (buf[p + 1] !== LF) return fail(p, 'bare CR before the start line');
      p += 2;
    } else return p;
  }
  return INCOMPLETE;
}

/**
 * Reads header lines from `p` up to and including the empty line. With `headers` (the complete
 * head is in `buf[..end)` and `text` holds the same bytes as a latin1 string), fills it and
 * `facts`; without (checking an incomplete head), only checks the bytes and records progress.
 * Names and values are substrings of `text`: one native conversion per head instead of two
 * per header. Returns the offset after the empty line, INCOMPLETE or FAULT.
 */
export function scanHeaderLines(
  buf: Buffer,
  p: number,
  end: number,
  maxFields: number,
  fieldsBefore: number,
  headers: [string, string][] | null,
  text: string,
  request: boolean,
  progress: HeadProgress | undefined,
): number {
  let n = fieldsBefore;
  // The first fault of a header's meaning (conflicting Content-Length…) waits until every line
  // has been checked for syntax, so that a syntax fault is reported first whether the head is
  // complete or not: every prefix of the bytes gives the same verdict.
  let meaning: { reason: string; offset: number; status: number } | undefined;
  for (;;) {
    if (p === end) return INCOMPLETE;
    const blank = emptyLineEnd(buf, p, end);
    if (blank !== 0) {
      if (blank > 0 && meaning !== undefined) return fail(meaning.offset, meaning.reason, meaning.status);
      return blank;
    }
    if (isWs(buf[p]!)) {
      return fail(p, n === 0 ? 'whitespace between the start line and the first header (RFC 9112 §2.2)' : 'obsolete line folding: a header line starts with whitespace (RFC 9112 §5.2)');
    }
    if (n >= maxFields) return fail(p, `more than ${maxFields} header lines (tune.http.maxhdr ${maxFields + 1} counts the end of the headers too)`);
    const ls = p;
    p = scanFieldLine(buf, p, end, 'header');
    if (p < 0) return p;
    n++;
    if (headers !== null) {
      if (meaning === undefined && noteField(buf, ls, field.nameEnd, field.valueStart, field.valueEnd, facts, request) === FAULT) {
        meaning = { reason: fault.reason, offset: fault.offset, status: fault.status };
      }
      headers.push([text.substring(ls, field.nameEnd), text.substring(field.valueStart, field.valueEnd)]);
    } else if (progress) {
      progress.offset = p;
      progress.fields = n;
    }
  }
}

/** Accepts `HTTP/<digit>.<digit>` at `p`: returns the offset after it, INCOMPLETE or FAULT. */
export function scanVersion(buf: Buffer, p: number, end: number, what: string): number {
  for (let i = 0; i < 8; i++, p++) {
    if (p === end) return INCOMPLETE;
    const c = buf[p]!;
    const ok = i < 5 ? c === 'HTTP/'.charCodeAt(i) : i === 6 ? c === 0x2e : c >= 0x30 && c <= 0x39;
    if (!ok) return fail(p, `malformed HTTP version in the ${what} (expected HTTP/<digit>.<digit>, case-sensitive)`);
  }
  return p;
}

/** At the end of a start line: the offset after CRLF/LF, INCOMPLETE, or FAULT naming `after`. */
export function scanLineEnd(buf: Buffer, p: number, end: number, after: string): number {
  if (p === end) return INCOMPLETE;
  const c = buf[p];
  if (c === LF) return p + 1;
  if (c === CR) {
    if (p + 1 === end) return INCOMPLETE;
    if (buf[p + 1] !== LF) return fail(p, `bare CR after ${after}`);
    return p + 2;
  }
  return fail(p, `unexpected bytes after ${after}`);
}

/**
 * Checks the lines of a head that is not complete yet (or is complete but over `limit`), so that
 * garbage is refused as soon as it arrives instead of when the blank line does. `startLine`
 * scans the request or status line; `resumeAt` (from HeadProgress) skips lines already checked.
 * Returns FAULT on a bad byte, else where checking stopped.
 */
export function checkPartialHead(
  buf: Buffer,
  start: number,
  resumeAt: number,
  limit: number,
  maxFields: number,
  startLine: (buf: Buffer, p: number, end: number) => number,
  isRequest: boolean,
  progress: HeadProgress | undefined,
): number {
  if (resumeAt > 0) return scanHeaderLines(buf, resumeAt, limit, maxFields, progress!.fields, null, '', isRequest, progress);
  const p = startLine(buf, start, limit);
  if (p < 0) return p;
  if (progress) {
    progress.offset = p;
    progress.fields = 0;
  }
  return scanHeaderLines(buf, p, limit, maxFields, 0, null, '', isRequest, progress);
}

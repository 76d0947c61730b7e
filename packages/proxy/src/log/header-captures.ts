// `capture request header`, `capture response header` and `capture cookie` (manual §8.7–8.8),
// applied to a message head as received: the last occurrence of each header, cut to its
// length, in the stream context's capture slots (which also feed capture.req.hdr() and
// capture.res.hdr()); the first matching cookie as `name=value` for %CC and %CS.
import type { StreamContext } from '@haplo/sim';
import type { CaptureSlot } from './frontend-log-settings.js';
import type { StreamLogRecord } from './stream-log-record.js';

/** A message head's header lines, names as written. */
export type HeaderPairs = Iterable<readonly [string, string]>;

function lastValues(headers: HeaderPairs, slots: readonly CaptureSlot[]): (string | undefined)[] {
  const out = new Array<string | undefined>(slots.length);
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    for (let i = 0; i < slots.length; i++) if (slots[i]!.lower === lower) out[i] = value.trim();
  }
  return out;
}

/** Fills the declared header slots of `into`; slots owned by capture rules are left alone. */
export function captureHeaders(headers: HeaderPairs, slots: readonly CaptureSlot[], into: (string | undefined)[]): void {
  if (slots.length === 0) return;
  const found = lastValues(headers, slots);
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    if (slot.header === undefined) continue;
    const v = found[i];
    into[i] = v === undefined ? undefined : v.slice(0, slot.length);
  }
}

/** The first `name=value` of `text` (split on `;`) whose name starts with `prefix`, cut to `length`. */
function firstCookie(text: string, prefix: string, length: number, firstOnly: boolean): string | undefined {
  const parts = text.split(';');
  for (const raw of firstOnly ? parts.slice(0, 1) : parts) {
    const c = raw.trim();
    if (c === '' || !c.startsWith(prefix)) continue;
    const eq = c.indexOf('=');
    if (eq < 0) continue;
    return c.slice(0, length);
  }
  return undefined;
}

export interface CookieCapture {
  name: string;
  length: number;
}

export function captureRequestCookie(headers: HeaderPairs, cap: CookieCapture, rec: StreamLogRecord): void {
  if (rec.capturedRequestCookie !== undefined) return;
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'cookie') continue;
    const v = firstCookie(value, cap.name, cap.length, false);
    if (v !== undefined) {
      rec.capturedRequestCookie = v;
      return;
    }
  }
}

export function captureResponseCookie(headers: HeaderPairs, cap: CookieCapture, rec: StreamLogRecord): void {
  if (rec.capturedResponseCookie !== undefined) return;
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'set-cookie') continue;
    // A Set-Cookie carries one cookie; what follows `;` are its attributes.
    const v = firstCookie(value, cap.name, cap.length, true);
    if (v !== undefined) {
      rec.capturedResponseCookie = v;
      return;
    }
  }
}

/** The request-side captures of a stream. */
export function captureRequestHead(ctx: StreamContext, headers: HeaderPairs, slots: readonly CaptureSlot[], cookie: CookieCapture | undefined, rec: StreamLogRecord): void {
  captureHeaders(headers, slots, ctx.captures.requestHeaders);
  if (cookie) captureRequestCookie(headers, cookie, rec);
}

/** The response-side captures of a stream. */
export function captureResponseHead(ctx: StreamContext, headers: HeaderPairs, slots: readonly CaptureSlot[], cookie: CookieCapture | undefined, rec: StreamLogRecord): void {
  captureHeaders(headers, slots, ctx.captures.responseHeaders);
  if (cookie) captureResponseCookie(headers, cookie, rec);
}

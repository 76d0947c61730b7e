// Layer-6 request payload fetches: the RDP cookie of a Remote Desktop connection request
// (payload.c fetch_rdp_cookie_name). They read the raw request buffer, which only TCP streams
// have; on an HTTP stream (HTX) they find nothing, as in HAProxy 2.6.
import { MISS, sint, str, type Outcome } from '../sample/sample.js';
import { rawRequestBuffer, type StreamContext } from '../stream/context.js';
import { alias, type FetchDef } from './registry.js';

/** The outcome of scanning a buffer for an RDP cookie: its value, none, or too short to tell (more data may come). */
export type RdpCookieScan = { found: true; value: Uint8Array } | { found: false; short: boolean };

const NONE: RdpCookieScan = { found: false, short: false };
const SHORT: RdpCookieScan = { found: false, short: true };
const CR = 0x0d;
const LF = 0x0a;

const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);

/** Case-insensitive comparison of `buf[at…]` with `word` (which is entirely within the buffer). */
function sameCase(buf: Uint8Array, at: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) if (lower(buf[at + i]!) !== lower(word[i]!)) return false;
  return true;
}

const COOKIE = new TextEncoder().encode('Cookie:');

/**
 * HAProxy's RDP cookie decoder: skips the 11 bytes of TPKT and X.224 headers (unchecked), expects
 * `Cookie:` (any case), spaces, then `<name>=` (any case; any name when `name` is empty), and takes
 * the value up to the first CR, which must be followed by LF.
 */
export function scanRdpCookie(buf: Uint8Array, name: Uint8Array): RdpCookieScan {
  let left = buf.length;
  if (left <= 11) return SHORT;
  let p = 11;
  left -= 11;
  if (left <= 7) return SHORT;
  if (!sameCase(buf, p, COOKIE)) return NONE;
  p += 7;
  left -= 7;
  while (left > 0 && buf[p] === 0x20) {
    p++;
    left--;
  }
  if (name.length) {
    if (left <= name.length) return SHORT;
    if (buf[p + name.length] !== 0x3d || !sameCase(buf, p, name)) return NONE;
    p += name.length + 1;
    left -= name.length + 1;
  } else {
    while (left > 0 && buf[p] !== 0x3d) {
      if (buf[p] === CR || buf[p] === LF) return NONE;
      p++;
      left--;
    }
    if (left < 1) return SHORT;
    p++;
    left--;
  }
  const start = p;
  while (left > 0 && buf[p] !== CR) {
    p++;
    left--;
  }
  if (left < 2) return SHORT;
  if (buf[p + 1] !== LF) return NONE;
  return { found: true, value: buf.subarray(start, p) };
}

/** The RDP cookie `name` (any cookie when empty) in the stream's request buffer; undefined on an HTTP stream. */
export function rdpCookie(ctx: StreamContext, name: Uint8Array): RdpCookieScan | undefined {
  const buf = rawRequestBuffer(ctx);
  return buf === undefined ? undefined : scanRdpCookie(buf, name);
}

const decoder = new TextDecoder();
const nameArg = (args: readonly string[]): Uint8Array => new TextEncoder().encode(args[0] ?? '');

const rdpCookieFetch: FetchDef = {
  name: 'req.rdp_cookie',
  output: 'str',
  compile(args) {
    const name = nameArg(args);
    return {
      one(ctx): Outcome {
        const r = rdpCookie(ctx, name);
        if (!r) return undefined;
        if (r.found) return str(decoder.decode(r.value));
        return r.short && !ctx.final ? MISS : undefined;
      },
    };
  },
};

const rdpCookieCntFetch: FetchDef = {
  name: 'req.rdp_cookie_cnt',
  output: 'sint',
  compile(args) {
    const name = nameArg(args);
    return {
      one(ctx): Outcome {
        const r = rdpCookie(ctx, name);
        // HTX stream: smp_fetch_rdp_cookie fails without "may change", so the count is 0
        if (!r) return sint(0);
        if (r.found) return sint(1);
        // too short: no sample at all (SMP_F_MAY_CHANGE), which waits unless the wait is over
        if (r.short) return ctx.final ? undefined : MISS;
        return sint(0);
      },
    };
  },
};

export const payloadFetches: readonly FetchDef[] = [
  ...alias(rdpCookieFetch, 'rdp_cookie'),
  ...alias(rdpCookieCntFetch, 'rdp_cookie_cnt'),
];

/** strtoul(…, 10) on 64-bit Linux: the value (wrapped to 64 bits, saturated on overflow) and where parsing stopped. */
function strtoul10(b: Uint8Array, at: number): { value: bigint; end: number } {
  let p = at;
  while (p < b.length && (b[p] === 0x20 || (b[p]! >= 0x09 && b[p]! <= 0x0d))) p++;
  let neg = false;
  if (b[p] === 0x2b || b[p] === 0x2d) {
    neg = b[p] === 0x2d;
    p++;
  }
  const digits = p;
  let v = 0n;
  const MAX = (1n << 64n) - 1n;
  let overflow = false;
  while (p < b.length && b[p]! >= 0x30 && b[p]! <= 0x39) {
    v = v * 10n + BigInt(b[p]! - 0x30);
    if (v > MAX) overflow = true;
    p++;
  }
  if (p === digits) return { value: 0n, end: at };
  if (overflow) return { value: MAX, end: p };
  return { value: neg ? ((1n << 64n) - v) & MAX : v, end: p };
}

/**
 * The server an RDP persistence cookie designates (backend.c tcp_persist_rdp_cookie): `<addr>.<port>.`
 * where addr is the IPv4 address's in_addr as a host integer (read little-endian, as on x86) and
 * port the port's network-order short. Undefined when the value does not have that shape.
 */
export function rdpPersistTarget(value: Uint8Array): { addr: number; port: number } | undefined {
  const a = strtoul10(value, 0);
  // the value ends at the CR of the buffer: a '.' must follow each number
  if (value[a.end] !== 0x2e) return undefined;
  const p = strtoul10(value, a.end + 1);
  if (value[p.end] !== 0x2e) return undefined;
  const raw = Number(p.value & 0xffffn);
  return { addr: Number(a.value & 0xffffffffn), port: ((raw & 0xff) << 8) | (raw >> 8) };
}

/** An IPv4 address as the host integer of its in_addr on a little-endian machine. */
export function inAddrLE(host: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (!m) return undefined;
  const b = m.slice(1).map(Number);
  if (b.some((x) => x > 255)) return undefined;
  return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
}

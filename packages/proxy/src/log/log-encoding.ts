// How values are written into a log line (manual §8.6 and the %{…} flags of §8.2.6): header
// captures and request lines get `#XX` for non-printable bytes and a few delimiters, `+E`
// backslash-escapes what RFC 5424 structured data forbids, `+Q` quotes, and an empty value
// prints `-` in log-format strings.

/** The %{+…} flags of one log-format node. */
export interface NodeFlags {
  /** Q: surround strings with double quotes. */
  quote: boolean;
  /** X: hexadecimal addresses, ports and counters. */
  hex: boolean;
  /** E: backslash-escape `"`, `\` and `]`. */
  escape: boolean;
  /** M: an empty string prints `-` (on for log-format lines). */
  mandatory: boolean;
}

export const FLAG_NAMES: Readonly<Record<string, keyof NodeFlags>> = { Q: 'quote', X: 'hex', E: 'escape', M: 'mandatory' };

const hexByte = (b: number): string => (b < 16 ? '0' : '') + b.toString(16).toUpperCase();

/** Characters encoded as `#XX` in captured headers: non-printable, `"`, `#`, `{`, `|`, `}`. */
export const HEADER_ENCODED = new Set<number>([0x22, 0x23, 0x7b, 0x7c, 0x7d]);
/** Characters encoded as `#XX` in the request line and its parts: non-printable, `"`, `#`. */
export const URL_ENCODED = new Set<number>([0x22, 0x23]);
/** Characters `+E` prefixes with a backslash. */
const SD_ESCAPED = new Set<number>([0x22, 0x5c, 0x5d]);

const encoder = new TextEncoder();

function pushEncoded(out: string[], code: number): void {
  if (code <= 0xff) {
    out.push('#' + hexByte(code));
    return;
  }
  // Text beyond Latin-1 is logged byte by byte, as HAProxy sees it on the wire (UTF-8).
  for (const b of encoder.encode(String.fromCodePoint(code))) out.push('#' + hexByte(b));
}

/**
 * `#XX`-encodes the bytes `map` names plus every byte outside 32..126; with `escape`, the
 * remaining `"`, `\`, `]` get a backslash instead.
 */
export function encodeLogText(s: string, map: ReadonlySet<number>, escape: boolean): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c >= 127 || map.has(c) || (escape && SD_ESCAPED.has(c))) {
      plain = false;
      break;
    }
  }
  if (plain) return s;
  const out: string[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 32 || c >= 127 || map.has(c)) pushEncoded(out, c);
    else if (escape && SD_ESCAPED.has(c)) out.push('\\' + ch);
    else out.push(ch);
  }
  return out.join('');
}

/** Backslash-escapes `"`, `\` and `]` (the +E flag on plain text values). */
export function escapeSd(s: string): string {
  let out = '';
  for (const ch of s) out += ch === '"' || ch === '\\' || ch === ']' ? '\\' + ch : ch;
  return out;
}

/**
 * A text value as HAProxy's lf_text writes it: quoted with Q, escaped with E, and `-` for a
 * missing or empty value when the format is mandatory and not quoted.
 */
export function textValue(v: string | undefined, f: NodeFlags): string {
  const body = v ? (f.escape ? escapeSd(v) : v) : f.mandatory && !f.quote ? '-' : '';
  return f.quote ? `"${body}"` : body;
}

/** An IPv4/IPv6 address in hexadecimal, most significant byte first (the X flag). */
export function hexAddress(address: string): string | undefined {
  if (address.includes('.') && !address.includes(':')) {
    const parts = address.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return undefined;
    return parts.map(hexByte).join('');
  }
  const groups = expandIpv6(address);
  return groups?.map((g) => g.toString(16).toUpperCase().padStart(4, '0')).join('');
}

function expandIpv6(a: string): number[] | undefined {
  const [head, tail] = a.includes('::') ? a.split('::') as [string, string] : [a, undefined];
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').flatMap((g) => (g.includes('.') ? ipv4Groups(g) : [parseInt(g, 16)])));
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const all = [...h, ...new Array<number>(Math.max(0, fill)).fill(0), ...t];
  return all.length === 8 && all.every((g) => g >= 0 && g <= 0xffff) ? all : undefined;
}

function ipv4Groups(s: string): number[] {
  const p = s.split('.').map(Number);
  return [(p[0]! << 8) | p[1]!, (p[2]! << 8) | p[3]!];
}

/** A port in hexadecimal (the X flag): four digits. */
export const hexPort = (port: number): string => hexByte(port >> 8) + hexByte(port & 0xff);

/** A counter in hexadecimal, at least four digits (%Ts, %rt, %lc, %pid with X). */
export const hex4 = (n: number): string => (n >>> 0).toString(16).toUpperCase().padStart(4, '0');

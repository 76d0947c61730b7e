// Byte classes of RFC 9110/9112 as lookup tables, so the parsers test one byte with one load.

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const SEMICOLON = 0x3b;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;

/** tchar (RFC 9110 §5.6.2): what methods, header names and transfer codings are made of. */
export const TOKEN = new Uint8Array(256);
/** Bytes allowed inside a field value: SP, HTAB, VCHAR and obs-text (no CTL, no DEL). */
export const FIELD_VALUE = new Uint8Array(256);
/** Bytes allowed in a request target: VCHAR except `#` (current HAProxy refuses fragments and non-ASCII). */
export const TARGET = new Uint8Array(256);
/** Hex digit values, -1 for other bytes. */
export const HEX = new Int8Array(256).fill(-1);

for (let c = 0; c < 256; c++) {
  const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if (alnum || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c))) TOKEN[c] = 1;
  if (c === HTAB || (c >= 0x20 && c <= 0x7e) || c >= 0x80) FIELD_VALUE[c] = 1;
  if (c >= 0x21 && c <= 0x7e && c !== 0x23) TARGET[c] = 1;
}
for (let d = 0; d < 10; d++) HEX[0x30 + d] = d;
for (let d = 0; d < 6; d++) {
  HEX[0x41 + d] = 10 + d;
  HEX[0x61 + d] = 10 + d;
}

/** `c` is SP or HTAB (OWS/BWS). */
export function isWs(c: number): boolean {
  return c === SP || c === HTAB;
}

/**
 * Whether `buf[start..end)` equals `lower` ignoring ASCII case. `lower` must be lower case letters,
 * digits and `-` only: for those, `byte | 0x20` is the lower-cased byte and no other byte maps onto them.
 */
export function bytesEqualLower(buf: Uint8Array, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    if ((buf[start + i]! | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Describes a byte for an error message: `'x' (0x78)` or `0x0d`. */
export function describeByte(c: number): string {
  const hex = '0x' + c.toString(16).padStart(2, '0');
  return c > 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}' (${hex})` : hex;
}

// IPv4/IPv6 addresses as bytes: parsing (strict for samples, HAProxy's lenient forms for ACL
// patterns), formatting like glibc's inet_ntop, and the v4-in-v6 mappings HAProxy compares by.

/** An address sample: 4 bytes (IPv4) or 16 bytes (IPv6). */
export interface Address {
  family: 4 | 6;
  bytes: Uint8Array;
}

/** Strict dotted quad (`inet_pton(AF_INET)`): four decimal parts 0–255. */
export function parseIPv4(text: string): Address | undefined {
  // A character loop rather than split + regex: this runs for every request's addresses.
  const bytes = new Uint8Array(4);
  let part = 0;
  let digits = 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || part === 3) return undefined;
      bytes[part++] = n;
      digits = 0;
      n = 0;
    } else if (c >= 48 && c <= 57) {
      if (++digits > 3) return undefined;
      n = n * 10 + (c - 48);
      if (n > 255) return undefined;
    } else return undefined;
  }
  if (part !== 3 || digits === 0) return undefined;
  bytes[3] = n;
  return { family: 4, bytes };
}

/**
 * `inet_aton` forms, which glibc's resolver accepts and HAProxy therefore takes in ACL patterns:
 * `a` (32 bits), `a.b` (8.24), `a.b.c` (8.8.16), `a.b.c.d`; parts may be hex (0x) or octal (0).
 */
export function parseIPv4Loose(text: string): Address | undefined {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(p)) n = parseInt(p.slice(2), 16);
    else if (/^0[0-7]+$/.test(p)) n = parseInt(p, 8);
    else if (/^\d+$/.test(p)) n = Number(p);
    else return undefined;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255)) return undefined;
  const lastMax = 2 ** (8 * (4 - nums.length)) - 1;
  if (last > lastMax) return undefined;
  let v = 0;
  for (let i = 0; i < nums.length; i++) v += nums[i]! * 2 ** (8 * (3 - i));
  v += last;
  return { family: 4, bytes: u32ToBytes(v) };
}

export function u32ToBytes(v: number): Uint8Array {
  return new Uint8Array([(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
}

export function bytesToU32(b: Uint8Array, at = 0): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** `inet_pton(AF_INET6)`: hex groups, one `::`, an optional trailing dotted quad. */
export function parseIPv6(text: string): Address | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return undefined;
  let head = text;
  let tail: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) >= 0) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4.bytes;
    head = text.slice(0, lastColon + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const wanted = tail ? 6 : 8;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  const dbl = head.indexOf('::');
  if (dbl >= 0) {
    if (head.indexOf('::', dbl + 1) >= 0) return undefined;
    const l = groupsOf(head.slice(0, dbl));
    const r = groupsOf(head.slice(dbl + 2));
    if (!l || !r || l.length + r.length > wanted - 1) return undefined;
    groups = [...l, ...new Array<number>(wanted - l.length - r.length).fill(0), ...r];
  } else {
    const g = groupsOf(head);
    if (!g || g.length !== wanted) return undefined;
    groups = g;
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 255;
  });
  if (tail) bytes.set(tail, 12);
  return { family: 6, bytes };
}

/** An address written as text in a sample (`inet_pton`, IPv4 first). */
export function parseAddress(text: string): Address | undefined {
  return parseIPv4(text) ?? parseIPv6(text);
}

export function formatIPv4(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** glibc `inet_ntop(AF_INET6)`: longest zero run (≥2 groups) as `::`, embedded IPv4 for ::a.b.c.d / ::ffff:a.b.c.d. */
export function formatIPv6(b: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[i * 2]! << 8) | b[i * 2 + 1]!);
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase < 0) { curBase = i; curLen = 1; } else curLen++;
      if (curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
    } else curBase = -1;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i > 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += formatIPv4(b.subarray(12));
      break;
    }
    out += words[i]!.toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ':';
  return out;
}

export function formatAddress(a: Address): string {
  return a.family === 4 ? formatIPv4(a.bytes) : formatIPv6(a.bytes);
}

/** IPv4 → `::ffff:a.b.c.d`. */
export function mapV4ToV6(a: Address): Address {
  if (a.family === 6) return a;
  const bytes = new Uint8Array(16);
  bytes[10] = 0xff;
  bytes[11] = 0xff;
  bytes.set(a.bytes, 12);
  return { family: 6, bytes };
}

/** The IPv4 address inside `::ffff:a.b.c.d`, `::a.b.c.d` or `2002:AABB:CCDD::` (as HAProxy's v6→v4 comparisons read it). */
export function embeddedV4(a: Address): Address | undefined {
  if (a.family === 4) return a;
  const b = a.bytes;
  const zeros = (from: number, to: number): boolean => {
    for (let i = from; i < to; i++) if (b[i] !== 0) return false;
    return true;
  };
  if (zeros(0, 10) && ((b[10] === 0xff && b[11] === 0xff) || (b[10] === 0 && b[11] === 0))) {
    return { family: 4, bytes: b.slice(12, 16) };
  }
  if (b[0] === 0x20 && b[1] === 0x02 && zeros(6, 16)) return { family: 4, bytes: b.slice(2, 6) };
  return undefined;
}

/** Network prefix bits → mask bytes of `len` bytes. */
export function prefixMask(bits: number, len: 4 | 16): Uint8Array {
  const m = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    m[i] = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
  }
  return m;
}

export function applyMask(bytes: Uint8Array, mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! & mask[i]!;
  return out;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

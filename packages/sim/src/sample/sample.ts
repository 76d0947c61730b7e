// A sample is a typed value flowing from a fetch through converters into a matcher or a string,
// with HAProxy's implicit casts between types (src/sample.c `sample_casts`).
import type { catalogue } from '@haplo/parser';
import { bytesToU32, formatAddress, mapV4ToV6, parseIPv4, parseIPv6, u32ToBytes, embeddedV4, type Address } from './address.js';

/** Declared types, as in the catalogue (`addr` and `any` only ever describe inputs/outputs). */
export type DeclaredType = catalogue.SampleType;
/** The concrete type of a value at run time. */
export type SampleType = 'bool' | 'sint' | 'ipv4' | 'ipv6' | 'str' | 'bin' | 'meth';

export type Sample =
  | { type: 'bool'; value: boolean }
  | { type: 'sint'; value: number }
  | { type: 'ipv4' | 'ipv6'; value: Address }
  | { type: 'str' | 'meth'; value: string }
  | { type: 'bin'; value: Uint8Array };

/**
 * "Not available yet": the data may still arrive (a body not fully received, a request not yet
 * parsed in tcp-request content). ACLs turn it into MISS.
 */
export const MISS: unique symbol = Symbol('miss');
export type Miss = typeof MISS;

/** What a fetch or an expression yields: a sample, no sample, or MISS. */
export type Outcome = Sample | undefined | Miss;

export const str = (value: string): Sample => ({ type: 'str', value });
export const sint = (value: number): Sample => ({ type: 'sint', value });
export const bool = (value: boolean): Sample => ({ type: 'bool', value });
export const bin = (value: Uint8Array): Sample => ({ type: 'bin', value });
export const addr = (value: Address): Sample => ({ type: value.family === 4 ? 'ipv4' : 'ipv6', value });

const utf8 = new TextEncoder();
const utf8d = new TextDecoder('utf-8');
export const encodeUtf8 = (s: string): Uint8Array => utf8.encode(s);
export const decodeUtf8 = (b: Uint8Array): string => utf8d.decode(b);

/**
 * HAProxy's `read_int64` / `strl2ic`: optional sign, then digits up to the first non-digit;
 * no digits gives 0. Saturates at the int64 range (JS numbers lose precision above 2^53).
 */
const INT64_LIMIT = 2 ** 63;

export function parseLeadingInt(s: string): number {
  let i = 0;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    i = 1;
  }
  let v = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  if (v > INT64_LIMIT) v = INT64_LIMIT;
  return neg ? -v : v;
}

/** Signed 64-bit wrap for results of integer arithmetic (precise below 2^53). */
export function toInt64(n: number): number {
  if (!Number.isFinite(n)) return 0;
  n = Math.trunc(n);
  if (Number.isSafeInteger(n)) return n;
  return Number(BigInt.asIntN(64, BigInt(n)));
}

/** The sample as text, the way `%[...]` prints it (sint decimal, bool 0/1, addresses dotted). */
export function sampleToString(s: Sample): string {
  switch (s.type) {
    case 'str':
    case 'meth':
      return s.value;
    case 'sint':
      // int64 limits are not exact as JS numbers; print them as HAProxy does.
      if (s.value >= 2 ** 63) return '9223372036854775807';
      if (s.value <= -(2 ** 63)) return '-9223372036854775808';
      return String(s.value);
    case 'bool':
      return s.value ? '1' : '0';
    case 'ipv4':
    case 'ipv6':
      return formatAddress(s.value);
    case 'bin':
      return decodeUtf8(s.value);
  }
}

/** Casts a sample to a declared type; undefined when HAProxy has no cast (or the cast fails). */
export function cast(s: Sample, to: DeclaredType): Sample | undefined {
  if (to === 'any' || s.type === to) return s;
  switch (to) {
    case 'str':
      if (s.type === 'bin') return str(decodeUtf8(s.value));
      return str(sampleToString(s));
    case 'meth':
      if (s.type === 'str') return { type: 'meth', value: s.value };
      if (s.type === 'bin') return { type: 'meth', value: decodeUtf8(s.value) };
      return undefined;
    case 'sint':
      switch (s.type) {
        case 'bool': return sint(s.value ? 1 : 0);
        case 'str': return s.value.length === 0 ? undefined : sint(parseLeadingInt(s.value));
        case 'bin': return s.value.length === 0 ? undefined : sint(parseLeadingInt(decodeUtf8(s.value)));
        case 'ipv4': return sint(bytesToU32(s.value.bytes));
        default: return undefined;
      }
    case 'bool':
      if (s.type === 'sint') return bool(s.value !== 0);
      return undefined;
    case 'bin':
      switch (s.type) {
        case 'str':
        case 'meth':
          return bin(encodeUtf8(s.value));
        case 'ipv4':
        case 'ipv6':
          return bin(s.value.bytes);
        case 'sint':
        case 'bool': {
          const b = new Uint8Array(8);
          new DataView(b.buffer).setBigInt64(0, BigInt(s.type === 'bool' ? (s.value ? 1 : 0) : Math.trunc(s.value)));
          return bin(b);
        }
        default: return undefined;
      }
    case 'addr':
      if (s.type === 'ipv4' || s.type === 'ipv6') return s;
      return cast(s, 'ipv4') ?? cast(s, 'ipv6');
    case 'ipv4':
      switch (s.type) {
        case 'sint': return addr({ family: 4, bytes: u32ToBytes(s.value >>> 0) });
        case 'str': { const a = parseIPv4(s.value); return a ? addr(a) : undefined; }
        case 'bin': return s.value.length === 4 ? addr({ family: 4, bytes: s.value }) : undefined;
        case 'ipv6': { const a = embeddedV4(s.value); return a && isV4Mapped(s.value) ? addr(a) : undefined; }
        default: return undefined;
      }
    case 'ipv6':
      switch (s.type) {
        case 'ipv4': return addr(mapV4ToV6(s.value));
        case 'str': { const a = parseIPv6(s.value); return a ? addr(a) : undefined; }
        case 'bin': return s.value.length === 16 ? addr({ family: 6, bytes: s.value }) : undefined;
        default: return undefined;
      }
  }
}

function isV4Mapped(a: Address): boolean {
  const b = a.bytes;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** Whether a value of type `from` may flow where `to` is declared (for catalogue checks). */
export function castable(from: DeclaredType, to: DeclaredType): boolean {
  if (from === to || to === 'any' || from === 'any') return true;
  const table: Record<string, readonly DeclaredType[]> = {
    bool: ['sint', 'str', 'bin'],
    sint: ['bool', 'str', 'bin', 'ipv4', 'addr'],
    str: ['sint', 'bin', 'meth', 'ipv4', 'ipv6', 'addr'],
    bin: ['str', 'sint', 'meth', 'ipv4', 'ipv6', 'addr'],
    ipv4: ['sint', 'str', 'bin', 'ipv6', 'addr'],
    ipv6: ['str', 'bin', 'ipv4', 'addr'],
    addr: ['str', 'bin', 'ipv4', 'ipv6'],
    meth: ['str', 'bin'],
  };
  return table[from]?.includes(to) ?? false;
}

// Pattern sets for every match method, compiled once: strings into hash maps, regexes into
// RegExps, networks into masked bytes, integer values into ranges. `match` returns the index
// of the matching pattern (maps use it to find their value), or -1.
import type { Range } from '@haplo/parser';
import { reportProblem, type CompileEnv } from '../compile-env.js';
import { compileRegex } from '../regex.js';
import {
  applyMask, embeddedV4, mapV4ToV6, parseIPv4, parseIPv4Loose, parseIPv6, prefixMask, sameBytes, type Address,
} from '../sample/address.js';
import { cast, type Sample } from '../sample/sample.js';

export type MatchMethod = 'found' | 'bool' | 'int' | 'ip' | 'bin' | 'len' | 'str' | 'sub' | 'reg' | 'beg' | 'end' | 'dir' | 'dom';
export const MATCH_METHODS: readonly MatchMethod[] = ['found', 'bool', 'int', 'ip', 'bin', 'len', 'str', 'sub', 'reg', 'beg', 'end', 'dir', 'dom'];

export interface PatternInput {
  text: string;
  /** `-i` was in force when the pattern was read. */
  icase: boolean;
  range?: Range;
}

export interface PatternOptions {
  /** Integer patterns are dotted versions (`3.1` = 3<<16|1), as for req.ssl_ver. */
  dottedVersion?: boolean;
  /** `-n`: no name resolution, so only plain addresses are accepted. */
  noDns?: boolean;
  /** `eq ge gt le lt` applied to every integer pattern. */
  operator?: string;
}

export interface PatternSet {
  method: MatchMethod;
  size: number;
  match(sample: Sample): number;
}

interface IntRange { lo: number; hi: number }

/** `5`, `1:10`, `5:`, `:10` (or dotted versions); undefined when not a number. */
function parseIntRange(text: string, dotted: boolean): IntRange | undefined {
  const num = (s: string): number | undefined => {
    if (dotted) {
      const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
      return m ? (Number(m[1]) << 16) + Number(m[2] ?? 0) : undefined;
    }
    return /^[-+]?\d+$/.test(s) ? Number(s) : undefined;
  };
  const colon = text.indexOf(':');
  if (colon < 0) {
    const n = num(text);
    return n === undefined ? undefined : { lo: n, hi: n };
  }
  const a = text.slice(0, colon);
  const b = text.slice(colon + 1);
  const lo = a === '' ? -Infinity : num(a);
  const hi = b === '' ? Infinity : num(b);
  if (lo === undefined || hi === undefined || (a === '' && b === '')) return undefined;
  return { lo, hi };
}

function withOperator(r: IntRange, op: string | undefined): IntRange {
  switch (op) {
    case 'ge': return { lo: r.lo, hi: Infinity };
    case 'gt': return { lo: r.lo + 1, hi: Infinity };
    case 'le': return { lo: -Infinity, hi: r.hi };
    case 'lt': return { lo: -Infinity, hi: r.hi - 1 };
    default: return r;
  }
}

interface IpPattern { family: 4 | 6; bytes: Uint8Array; mask: Uint8Array; bits: number }

/** An ACL IP pattern: address, `/bits` or dotted mask, `inet_aton` short forms unless `-n`. */
export function parseIpPattern(text: string, noDns: boolean): IpPattern | undefined {
  const slash = text.lastIndexOf('/');
  const host = slash < 0 ? text : text.slice(0, slash);
  const maskText = slash < 0 ? undefined : text.slice(slash + 1);
  const v4 = parseIPv4(host) ?? (noDns ? undefined : parseIPv4Loose(host));
  if (v4) {
    let mask: Uint8Array | undefined;
    let bits = 32;
    if (maskText === undefined) mask = prefixMask(32, 4);
    else if (/^\d+$/.test(maskText) && Number(maskText) <= 32) {
      bits = Number(maskText);
      mask = prefixMask(bits, 4);
    } else {
      mask = parseIPv4(maskText)?.bytes;
      if (mask) bits = [...mask].reduce((n, b) => n + popcount(b), 0);
    }
    if (!mask) return undefined;
    return { family: 4, bytes: applyMask(v4.bytes, mask), mask, bits };
  }
  const v6 = parseIPv6(host);
  if (!v6) return undefined;
  let bits = 128;
  if (maskText !== undefined) {
    if (!/^\d+$/.test(maskText) || Number(maskText) > 128) return undefined;
    bits = Number(maskText);
  }
  const mask = prefixMask(bits, 16);
  return { family: 6, bytes: applyMask(v6.bytes, mask), mask, bits };
}

function popcount(b: number): number {
  let n = 0;
  for (; b; b >>= 1) n += b & 1;
  return n;
}

const DIR_DELIMS = '/';
const DOM_DELIMS = '/?.:';

/** HAProxy's match_word: the pattern (its own edge delimiters stripped) equals a run of whole segments. */
export function matchWord(sample: string, pattern: string, delims: string, icase: boolean): boolean {
  let p = pattern;
  while (p.length > 0 && delims.includes(p[0]!)) p = p.slice(1);
  while (p.length > 0 && delims.includes(p[p.length - 1]!)) p = p.slice(0, -1);
  if (p.length === 0 || p.length > sample.length) return false;
  const s = icase ? sample.toLowerCase() : sample;
  if (icase) p = p.toLowerCase();
  let mayMatch = true;
  const end = s.length - p.length;
  for (let i = 0; i <= end; i++) {
    if (delims.includes(s[i]!)) {
      mayMatch = true;
      continue;
    }
    if (!mayMatch) continue;
    if (s.startsWith(p, i) && (i === end || delims.includes(s[i + p.length]!))) return true;
    mayMatch = false;
  }
  return false;
}

function hexPattern(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const NONE: PatternSet['match'] = () => -1;

/** Compiles the patterns of one ACL expression (or one map) for `method`. */
export function compilePatterns(method: MatchMethod, patterns: readonly PatternInput[], options: PatternOptions, env: CompileEnv): PatternSet {
  const size = patterns.length;
  const set = (match: PatternSet['match']): PatternSet => ({ method, size, match });
  switch (method) {
    case 'found':
      return set(() => 0);
    case 'bool':
      return set((s) => {
        const v = cast(s, 'sint');
        return v && v.value !== 0 ? 0 : -1;
      });
    case 'int':
    case 'len': {
      const ranges: IntRange[] = [];
      for (const p of patterns) {
        const r = parseIntRange(p.text, method === 'int' && options.dottedVersion === true);
        if (!r) {
          reportProblem(env, `'${p.text}' is not a number.`, p.range);
          continue;
        }
        ranges.push(withOperator(r, options.operator));
      }
      if (ranges.length === 0) return set(NONE);
      const first = (n: number): number => {
        for (let i = 0; i < ranges.length; i++) if (n >= ranges[i]!.lo && n <= ranges[i]!.hi) return i;
        return -1;
      };
      if (method === 'len') {
        return set((s) => {
          const v = cast(s, 'str');
          return v ? first(Buffer.byteLength(v.value as string)) : -1;
        });
      }
      return set((s) => {
        const v = cast(s, 'sint');
        return v ? first(v.value as number) : -1;
      });
    }
    case 'ip': {
      const v4: { p: IpPattern; i: number }[] = [];
      const v6: { p: IpPattern; i: number }[] = [];
      patterns.forEach((pat, i) => {
        const p = parseIpPattern(pat.text, options.noDns === true);
        if (!p) reportProblem(env, `'${pat.text}' is not a valid IPv4 or IPv6 address.`, pat.range);
        else (p.family === 4 ? v4 : v6).push({ p, i });
      });
      /** Longest prefix among the patterns of one family, first written on ties. */
      const best = (list: { p: IpPattern; i: number }[], a: Address): number => {
        let found = -1;
        let bits = -1;
        for (const { p, i } of list) {
          if (p.bits > bits && sameBytes(applyMask(a.bytes, p.mask), p.bytes)) {
            found = i;
            bits = p.bits;
          }
        }
        return found;
      };
      return set((s) => {
        const c = cast(s, 'addr');
        if (!c) return -1;
        const a = c.value as Address;
        if (a.family === 4) {
          const r = best(v4, a);
          return r >= 0 || v6.length === 0 ? r : best(v6, mapV4ToV6(a));
        }
        const r = best(v6, a);
        if (r >= 0 || v4.length === 0) return r;
        const e = embeddedV4(a);
        return e ? best(v4, e) : -1;
      });
    }
    case 'bin': {
      const pats = patterns.map((p) => {
        const b = hexPattern(p.text);
        if (!b) reportProblem(env, `'${p.text}' is not a valid hexadecimal binary pattern.`, p.range);
        return b;
      });
      return set((s) => {
        const v = cast(s, 'bin');
        if (!v) return -1;
        return pats.findIndex((p) => p !== undefined && sameBytes(p, v.value as Uint8Array));
      });
    }
    case 'str': {
      const exact = new Map<string, number>();
      const folded = new Map<string, number>();
      patterns.forEach((p, i) => {
        const m = p.icase ? folded : exact;
        const k = p.icase ? p.text.toLowerCase() : p.text;
        if (!m.has(k)) m.set(k, i);
      });
      return set((s) => {
        const v = cast(s, 'str');
        if (!v) return -1;
        const t = v.value as string;
        const a = exact.get(t);
        const b = folded.size ? folded.get(t.toLowerCase()) : undefined;
        if (a === undefined) return b ?? -1;
        return b === undefined ? a : Math.min(a, b);
      });
    }
    case 'reg': {
      const res: (RegExp | undefined)[] = patterns.map((p) => {
        const re = compileRegex(p.text, p.icase);
        if (typeof re === 'string') {
          reportProblem(env, re, p.range);
          return undefined;
        }
        return re;
      });
      return set((s) => {
        const v = cast(s, 'str');
        if (!v) return -1;
        const t = v.value as string;
        return res.findIndex((re) => re !== undefined && re.test(t));
      });
    }
    case 'sub':
    case 'beg':
    case 'end':
    case 'dir':
    case 'dom': {
      const pats = patterns.map((p) => ({ text: p.icase ? p.text.toLowerCase() : p.text, icase: p.icase }));
      const test = {
        sub: (t: string, p: string) => t.includes(p),
        beg: (t: string, p: string) => t.startsWith(p),
        end: (t: string, p: string) => t.endsWith(p),
        dir: (t: string, p: string, i: boolean) => matchWord(t, p, DIR_DELIMS, i),
        dom: (t: string, p: string, i: boolean) => matchWord(t, p, DOM_DELIMS, i),
      }[method];
      const wordMethod = method === 'dir' || method === 'dom';
      const longest = method === 'beg';
      return set((s) => {
        const v = cast(s, 'str');
        if (!v) return -1;
        const t = v.value as string;
        let lower: string | undefined;
        let best = -1;
        for (let i = 0; i < pats.length; i++) {
          const p = pats[i]!;
          const subject = p.icase && !wordMethod ? (lower ??= t.toLowerCase()) : t;
          if (!test(subject, p.text, p.icase)) continue;
          // beg patterns live in a prefix tree: the longest one wins (maps read the index).
          if (!longest) return i;
          if (best < 0 || p.text.length > pats[best]!.text.length) best = i;
        }
        return best;
      });
    }
  }
}

/** Pattern lines of a `-f` file: leading blanks stripped, empty and `#` lines skipped, `\r` dropped. */
export function patternFileLines(text: string): string[] {
  const out: string[] = [];
  for (let line of text.split('\n')) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    line = line.replace(/^[ \t]+/, '');
    if (line === '' || line.startsWith('#')) continue;
    out.push(line);
  }
  return out;
}


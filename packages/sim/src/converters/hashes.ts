// HAProxy's hash functions (src/hash.c) and its full_hash avalanche, all on 32-bit unsigned.
import { createHash, getHashes } from 'node:crypto';
import { reportProblem } from '../compile-env.js';
import { bin, sint, type Sample } from '../sample/sample.js';
import type { ConverterDef } from './registry.js';

/** Bob Jenkins' integer avalanche times 3221225473, as HAProxy's full_hash(). */
export function fullHash(a: number): number {
  a = (a + 0x7ed55d16 + (a << 12)) >>> 0;
  a = (a ^ 0xc761c23c ^ (a >>> 19)) >>> 0;
  a = (a + 0x165667b1 + (a << 5)) >>> 0;
  a = ((a + 0xd3a2646c) ^ (a << 9)) >>> 0;
  a = (a + 0xfd7046c5 + (a << 3)) >>> 0;
  a = (a ^ 0xb55a4f09 ^ (a >>> 16)) >>> 0;
  // HAProxy then spreads values over the tree by multiplying by a prime close to 3/4 of 2^32.
  return Math.imul(a, 3221225473) >>> 0;
}

export function djb2(b: Uint8Array): number {
  let h = 5381;
  for (const c of b) h = ((h << 5) + h + c) >>> 0;
  return h;
}

export function sdbm(b: Uint8Array): number {
  let h = 0;
  for (const c of b) h = (c + (h << 6) + (h << 16) - h) >>> 0;
  return h;
}

export function wt6(b: Uint8Array): number {
  let h0 = 0xa53c965a;
  let h1 = 0x5ca6953a;
  let step0 = 6;
  let step1 = 18;
  for (const c of b) {
    h0 = ~(h0 ^ c) >>> 0;
    h1 = ~(h1 + c) >>> 0;
    const t = ((h1 << step0) | (h1 >>> (32 - step0))) >>> 0;
    h1 = ((h0 << step1) | (h0 >>> (32 - step1))) >>> 0;
    h0 = t;
    const u = ((h0 >>> 16) ^ h1) & 0xffff;
    step0 = u & 0x1f;
    step1 = u >>> 11;
  }
  return (h0 ^ h1) >>> 0;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A hash converter `name([avalanche])`: a non-zero argument applies full_hash. */
function hashConverter(name: string, f: (b: Uint8Array) => number): ConverterDef {
  return {
    name,
    input: 'bin',
    output: 'sint',
    compile(args) {
      const avalanche = args[0] !== undefined && Number(args[0]) !== 0;
      return (s) => {
        const h = f(s.value as Uint8Array);
        return sint(avalanche ? fullHash(h) : h);
      };
    },
  };
}

const DIGESTS: Record<string, string> = { md5: 'md5', sha1: 'sha1', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

const digest = (algo: string) => (s: Sample): Sample => bin(new Uint8Array(createHash(algo).update(s.value as Uint8Array).digest()));

export const hashConverters: readonly ConverterDef[] = [
  hashConverter('djb2', djb2),
  hashConverter('sdbm', sdbm),
  hashConverter('wt6', wt6),
  hashConverter('crc32', crc32),
  { name: 'sha1', input: 'bin', output: 'bin', compile: () => digest('sha1') },
  {
    name: 'sha2',
    input: 'bin',
    output: 'bin',
    compile(args) {
      const bits = args[0] === undefined || args[0] === '' ? 256 : Number(args[0]);
      return digest(`sha${[224, 256, 384, 512].includes(bits) ? bits : 256}`);
    },
  },
  {
    name: 'digest',
    input: 'bin',
    output: 'bin',
    compile(args, env) {
      const algo = DIGESTS[(args[0] ?? '').toLowerCase()] ?? (args[0] ?? 'sha256').toLowerCase();
      if (!getHashes().includes(algo)) {
        reportProblem(env, `converter 'digest' : unsupported digest '${args[0] ?? ''}'`);
        return () => undefined;
      }
      return digest(algo);
    },
  },
];

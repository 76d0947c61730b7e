// Encoding converters: base64 (standard and URL-safe), hex, hex2i.
import { bin, sint, str } from '../sample/sample.js';
import { simple, type ConverterDef } from './registry.js';

const b64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const encodingConverters: readonly ConverterDef[] = [
  simple('base64', 'bin', 'str', (s) => str(Buffer.from(s.value as Uint8Array).toString('base64'))),
  simple('b64dec', 'str', 'bin', (s) => {
    const v = s.value as string;
    if (v.length % 4 !== 0 || !b64.test(v)) return undefined;
    return bin(new Uint8Array(Buffer.from(v, 'base64')));
  }),
  simple('ub64enc', 'bin', 'str', (s) => str(Buffer.from(s.value as Uint8Array).toString('base64url'))),
  simple('ub64dec', 'str', 'bin', (s) => {
    const v = s.value as string;
    if (!/^[A-Za-z0-9_-]*$/.test(v) || v.length % 4 === 1) return undefined;
    return bin(new Uint8Array(Buffer.from(v, 'base64url')));
  }),
  simple('hex', 'bin', 'str', (s) => str(Buffer.from(s.value as Uint8Array).toString('hex').toUpperCase())),
  simple('hex2i', 'str', 'sint', (s) => {
    // read_int64-like on hex digits: stops at the first non-hex character.
    const m = /^[0-9a-fA-F]*/.exec(s.value as string)![0];
    if (m === '') return sint(0);
    return sint(Number(BigInt.asIntN(64, BigInt('0x' + m))));
  }),
];

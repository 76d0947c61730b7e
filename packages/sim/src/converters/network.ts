// ipmask: keep the network part of an address (IPv4 mask as bits or dotted, optional IPv6 bits).
import { reportProblem } from '../compile-env.js';
import { applyMask, parseIPv4, prefixMask, type Address } from '../sample/address.js';
import { addr } from '../sample/sample.js';
import type { ConverterDef } from './registry.js';

export const ipmaskConverter: ConverterDef = {
  name: 'ipmask',
  input: 'addr',
  output: 'ipv4',
  compile(args, env) {
    const a4 = args[0] ?? '';
    const mask4 = /^\d+$/.test(a4) && Number(a4) <= 32 ? prefixMask(Number(a4), 4) : parseIPv4(a4)?.bytes;
    if (!mask4) reportProblem(env, `converter 'ipmask' : invalid IPv4 mask '${a4}'`);
    const a6 = args[1];
    const mask6 = a6 !== undefined && /^\d+$/.test(a6) && Number(a6) <= 128 ? prefixMask(Number(a6), 16) : undefined;
    if (a6 !== undefined && !mask6) reportProblem(env, `converter 'ipmask' : invalid IPv6 mask '${a6}'`);
    return (s) => {
      const a = s.value as Address;
      if (a.family === 4) return mask4 ? addr({ family: 4, bytes: applyMask(a.bytes, mask4) }) : undefined;
      return mask6 ? addr({ family: 6, bytes: applyMask(a.bytes, mask6) }) : undefined;
    };
  },
};

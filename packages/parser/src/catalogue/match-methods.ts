// ACL match methods (`-m <method>`). The default method comes from the fetch's output type.
import type { MatchMethodSpec, SampleType } from './types.js';

export const matchMethodSpecs: readonly MatchMethodSpec[] = [
  { name: 'found', takesPatterns: false, description: 'True when the sample exists, even empty; patterns are ignored' },
  { name: 'bool', takesPatterns: false, description: 'True when the sample is a true boolean or a non-zero integer' },
  { name: 'int', takesPatterns: true, description: 'Integer comparison with values, ranges (lo:hi) and eq/ge/gt/le/lt' },
  { name: 'ip', takesPatterns: true, description: 'IPv4/IPv6 address or network match' },
  { name: 'bin', takesPatterns: true, description: 'Byte comparison with a pattern written as hex digits' },
  { name: 'len', takesPatterns: true, description: 'Length of the sample compared as an integer' },
  { name: 'str', takesPatterns: true, description: 'Exact string match' },
  { name: 'sub', takesPatterns: true, description: 'Substring match' },
  { name: 'reg', takesPatterns: true, description: 'Regular expression match' },
  { name: 'beg', takesPatterns: true, description: 'Prefix match' },
  { name: 'end', takesPatterns: true, description: 'Suffix match' },
  { name: 'dir', takesPatterns: true, description: 'Match of whole /-delimited path segments' },
  { name: 'dom', takesPatterns: true, description: 'Match of whole domain segments (split on . : / ?)' },
];

/**
 * The method used when no `-m` is given, by fetch output type. `bin` (and `any`) have none:
 * HAProxy then requires `-m`.
 */
export const DEFAULT_MATCH_METHOD: Readonly<Record<SampleType, string | undefined>> = {
  bool: 'bool', sint: 'int', addr: 'ip', ipv4: 'ip', ipv6: 'ip', str: 'str', meth: 'str', bin: undefined, any: undefined,
};

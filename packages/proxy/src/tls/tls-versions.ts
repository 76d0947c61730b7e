// The protocol range of a bind or server line, computed as HAProxy 2.6 does
// (ssl_sock_prepare_ctx): `ssl-min-ver`/`ssl-max-ver` win and then every `no-tlsv1x` is
// ignored; without them, `force-*` pins one version and `no-*` flags narrow the range; the
// minimum defaults to TLSv1.2 (or to the maximum when that is lower). Node takes one
// contiguous range, so a hole (`no-tlsv12` between 1.1 and 1.3) is reported and spanned.
import type { SecureVersion } from 'node:tls';
import type { OptionLookup } from './context-options.js';

const ORDER = ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
type HaproxyVersion = (typeof ORDER)[number];
const FLAGS: Record<HaproxyVersion, string> = { SSLv3: 'sslv3', 'TLSv1.0': 'tlsv10', 'TLSv1.1': 'tlsv11', 'TLSv1.2': 'tlsv12', 'TLSv1.3': 'tlsv13' };
const NODE: Record<HaproxyVersion, SecureVersion | undefined> = {
  SSLv3: undefined, 'TLSv1.0': 'TLSv1', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3',
};
const DEFAULT_MIN = ORDER.indexOf('TLSv1.2');

export interface VersionRange {
  minVersion: SecureVersion;
  maxVersion: SecureVersion;
  /** Things to tell the user (the range was adjusted); `error` when nothing usable is left. */
  notes: { severity: 'error' | 'warning'; message: string; option?: string }[];
}

export function versionRange(o: OptionLookup): VersionRange {
  const notes: VersionRange['notes'] = [];
  const named = (opt: string): number | undefined => {
    const v = o.value(opt);
    if (v === undefined) return undefined;
    const i = ORDER.indexOf(v as HaproxyVersion);
    if (i < 0) notes.push({ severity: 'error', option: opt, message: `'${opt} ${v}': expected one of ${ORDER.join(', ')}` });
    return i < 0 ? undefined : i;
  };
  let min = named('ssl-min-ver');
  let max = named('ssl-max-ver');
  let enabled = ORDER.map(() => true);
  if (min === undefined && max === undefined) {
    const forced = ORDER.findIndex((v) => o.has(`force-${FLAGS[v]}`));
    if (forced >= 0) min = max = forced;
    else enabled = ORDER.map((v) => !o.has(`no-${FLAGS[v]}`));
  }
  if (min === undefined) min = max === undefined || max >= DEFAULT_MIN ? DEFAULT_MIN : max;
  if (max === undefined) max = ORDER.length - 1;
  const on = ORDER.map((_, i) => i >= min! && i <= max! && enabled[i]!);
  const first = on.indexOf(true);
  const last = on.lastIndexOf(true);
  if (first < 0) {
    notes.push({ severity: 'error', message: 'every SSL/TLS version is disabled on this line' });
    return { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', notes };
  }
  const hole = on.slice(first, last + 1).indexOf(false);
  if (hole >= 0) {
    notes.push({ severity: 'warning', message: `SSL/TLS versions not contiguous (${ORDER[first + hole]} is disabled): haplo run accepts ${ORDER[first]} to ${ORDER[last]}; use only ssl-min-ver and ssl-max-ver` });
  }
  let lo = first;
  if (ORDER[lo] === 'SSLv3') {
    if (last === lo) {
      notes.push({ severity: 'error', message: 'SSLv3 is not available in Node.js; use ssl-min-ver TLSv1.0 or later' });
      return { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', notes };
    }
    notes.push({ severity: 'warning', message: 'SSLv3 is not available in Node.js; the range starts at TLSv1.0' });
    lo++;
  }
  return { minVersion: NODE[ORDER[lo]!]!, maxVersion: NODE[ORDER[last]!]!, notes };
}

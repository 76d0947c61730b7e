// HAProxy keeps two cipher settings: `ciphers` (up to TLSv1.2, an OpenSSL cipher list) and
// `ciphersuites` (TLSv1.3). Node takes one string and sorts `TLS_…` names into the TLSv1.3
// list; when one half is missing it disables that protocol version. So the half HAProxy leaves
// at its default is filled with Node's default for it.
import { DEFAULT_CIPHERS } from 'node:tls';

const DEFAULT_PARTS = DEFAULT_CIPHERS.split(':');
const DEFAULT_TLS13 = DEFAULT_PARTS.filter((c) => c.startsWith('TLS_')).join(':');
const DEFAULT_TLS12 = DEFAULT_PARTS.filter((c) => !c.startsWith('TLS_')).join(':');

/** The `ciphers` option for Node, or undefined when both halves are left at their default. */
export function nodeCipherString(ciphers: string | undefined, ciphersuites: string | undefined): string | undefined {
  if (ciphers === undefined && ciphersuites === undefined) return undefined;
  return `${ciphersuites ?? DEFAULT_TLS13}:${ciphers ?? DEFAULT_TLS12}`;
}

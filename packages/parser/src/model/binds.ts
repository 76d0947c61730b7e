// `bind <addr>[,<addr>…] [param …]`: addresses (with port ranges and family prefixes), ssl and
// certificates, and the other parameters by name.
import type { Statement, Word } from '../ast/nodes.js';
import { getBindOption } from '../catalogue/index.js';
import { rangeInWord } from '../ast/ranges.js';
import { parseAddress } from './addresses.js';
import type { BindModel } from './types.js';

/** Bind parameters that take no argument, for names the catalogue does not know (the `no-…` ones too). */
const BIND_FLAGS = new Set([
  'accept-proxy', 'allow-0rtt', 'defer-accept', 'generate-certificates', 'prefer-client-ciphers',
  'quic-force-retry', 'ssl', 'strict-sni', 'tfo', 'transparent', 'v4v6', 'v6only',
  'force-sslv3', 'force-tlsv10', 'force-tlsv11', 'force-tlsv12', 'force-tlsv13', 'ssl-skip-self-issued-ca',
]);

export function isBindFlag(name: string): boolean {
  const spec = getBindOption(name);
  if (spec) return spec.value === 0;
  return BIND_FLAGS.has(name) || name.startsWith('no-');
}

/** Parses a `bind` statement (arguments start at `args[0]`, the address list). */
export function parseBind(statement: Statement): BindModel {
  const args = statement.args;
  const model: BindModel = { statement, addresses: [], ssl: false, certificates: [], options: new Map() };
  const addr = args[0];
  if (addr) {
    const v = addr.value;
    let start = 0;
    for (;;) {
      const comma = v.indexOf(',', start);
      const end = comma < 0 ? v.length : comma;
      const text = v.slice(start, end);
      if (text) {
        const p = parseAddress(text);
        const entry: BindModel['addresses'][number] = { text, host: p.host, range: rangeInWord(addr, start, end) };
        if (p.family) entry.family = p.family;
        if (p.port !== undefined) {
          entry.portStart = p.port;
          entry.portEnd = p.portEnd ?? p.port;
        }
        model.addresses.push(entry);
      }
      if (comma < 0) break;
      start = comma + 1;
    }
  }
  for (let i = 1; i < args.length; i++) {
    const name = args[i]!.value;
    const params: Word[] = [];
    if (!isBindFlag(name) && i + 1 < args.length) params.push(args[++i]!);
    const prev = model.options.get(name);
    if (prev) prev.push(...params);
    else model.options.set(name, params);
    if (name === 'ssl') model.ssl = true;
    else if (name === 'crt' && params[0]) model.certificates.push(params[0]);
  }
  return model;
}

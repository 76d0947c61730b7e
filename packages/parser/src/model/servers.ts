// `server`, `server-template` and `default-server` lines (reference §6.2): the address, the
// parameters by name, and the defaults that `default-server` lines (of the proxy and of its
// defaults sections) preset for later servers.
import type { Statement, Word } from '../ast/nodes.js';
import { getServerOption } from '../catalogue/index.js';
import { parseAddress } from './addresses.js';
import type { ProxyModel, ServerModel } from './types.js';
import { parseInteger } from './units.js';

/** Server parameters that take no argument, for names the catalogue does not know (every `no-…` one too). */
const SERVER_FLAGS = new Set([
  'agent-check', 'allow-0rtt', 'backup', 'check', 'check-send-proxy', 'check-ssl', 'check-via-socks4',
  'disabled', 'enabled', 'force-sslv3', 'force-tlsv10', 'force-tlsv11', 'force-tlsv12', 'force-tlsv13',
  'non-stick', 'send-proxy', 'send-proxy-v2', 'send-proxy-v2-ssl', 'send-proxy-v2-ssl-cn', 'ssl',
  'ssl-reuse', 'stick', 'tfo', 'tls-tickets',
]);

export function isServerFlag(name: string): boolean {
  const spec = getServerOption(name);
  if (spec) return spec.value === 0;
  return SERVER_FLAGS.has(name) || name.startsWith('no-');
}

export interface ServerParam {
  name: string;
  nameWord: Word;
  args: Word[];
}

/** Splits server parameters from `args[from]` on. */
export function parseServerParams(args: readonly Word[], from: number): ServerParam[] {
  const out: ServerParam[] = [];
  for (let i = from; i < args.length; i++) {
    const nameWord = args[i]!;
    const params: Word[] = [];
    if (!isServerFlag(nameWord.value) && i + 1 < args.length) params.push(args[++i]!);
    out.push({ name: nameWord.value, nameWord, args: params });
  }
  return out;
}

/** What `default-server` lines preset so far: their parameters in order and the lines. */
export interface ServerDefaults {
  params: ServerParam[];
  statements: Statement[];
}

export const NO_SERVER_DEFAULTS: ServerDefaults = { params: [], statements: [] };

/** Adds a `default-server` line to the presets (returns a new object; the old one is kept). */
export function addDefaultServer(base: ServerDefaults, statement: Statement): ServerDefaults {
  return {
    params: base.params.concat(parseServerParams(statement.args, 0)),
    statements: base.statements.concat([statement]),
  };
}

/** Opposite parameters: writing one cancels the other. */
const OPPOSITES: Readonly<Record<string, string>> = { enabled: 'disabled', disabled: 'enabled' };

/** Builds a `server` or `server-template` line; undefined when it has no name. */
export function buildServer(statement: Statement, proxy: ProxyModel, defaults: ServerDefaults): ServerModel | undefined {
  const args = statement.args;
  const template = statement.keyword === 'server-template';
  const nameWord = args[0];
  if (!nameWord) return undefined;
  const address = args[template ? 2 : 1];
  const server: ServerModel = {
    name: nameWord.value,
    nameWord,
    statement,
    proxy,
    address,
    weight: 1,
    backup: false,
    disabled: false,
    check: false,
    options: new Map(),
    defaultServers: defaults.statements,
  };
  if (template) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(args[1]?.value ?? '');
    if (m) server.template = m[2] === undefined ? { from: 1, to: Number(m[1]) } : { from: Number(m[1]), to: Number(m[2]) };
  }
  if (address && address.value) {
    const p = parseAddress(address.value);
    server.host = p.host;
    if (p.family) server.family = p.family;
    if (p.port !== undefined && p.portEnd === undefined) server.port = p.port;
    else if (p.portOffset !== undefined) server.portOffset = p.portOffset;
    else if (p.portText === undefined && p.family !== 'unix' && p.family !== 'abns' && p.family !== 'fd' && p.family !== 'sockpair') {
      server.portOffset = 0;
    }
  }
  const own = address ? parseServerParams(args, template ? 3 : 2) : [];
  for (const list of [defaults.params, own]) for (const p of list) apply(server, p);
  return server;
}

function apply(server: ServerModel, p: ServerParam): void {
  const { name, args } = p;
  const options = server.options;
  if (name.startsWith('no-')) options.delete(name.slice(3));
  else options.delete(`no-${name}`);
  const opposite = OPPOSITES[name];
  if (opposite) options.delete(opposite);
  options.set(name, args);
  switch (name) {
    case 'weight': {
      const w = parseInteger(args[0]?.value);
      if (w !== undefined) server.weight = w;
      break;
    }
    case 'backup': server.backup = true; break;
    case 'no-backup': server.backup = false; break;
    case 'disabled': server.disabled = true; break;
    case 'enabled': server.disabled = false; break;
    case 'check': server.check = true; break;
    case 'no-check': server.check = false; break;
    case 'cookie': server.cookie = args[0]?.value; break;
    case 'maxconn': server.maxconn = parseInteger(args[0]?.value); break;
    default: break;
  }
}

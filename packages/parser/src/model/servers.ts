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
    // Literals sized exactly: an empty array then a push would reserve 17 slots for one word.
    const params: Word[] = !isServerFlag(nameWord.value) && i + 1 < args.length ? [args[++i]!] : [];
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

/**
 * A `server` or `server-template` line. The fields HAProxy's selection reads (weight, backup,
 * check …) are set when the server is built; `options` is built on first read.
 *
 * Why: a 100,000-line configuration has ~23,000 servers, and a filled Map per server (plus an
 * array per option) is most of what the model keeps — memory the garbage collector copies while
 * the model is built, for a map that few readers (the simulator) ever open. Checks that want one
 * option use `serverOption`, which reads the words without building the map.
 * The words stay on the statement, so the map can be rebuilt from them whenever it is asked.
 */
export class Server implements ServerModel {
  host: string | undefined = undefined;
  port: number | undefined = undefined;
  portOffset: number | undefined = undefined;
  family: string | undefined = undefined;
  template: { from: number; to: number } | undefined = undefined;
  weight = 1;
  backup = false;
  disabled = false;
  check = false;
  cookie: string | undefined = undefined;
  maxconn: number | undefined = undefined;
  defaultServers: Statement[];
  /**
   * Whether a parameter of the line names a resolvers section, a file or a tracked server (see
   * REFERENCE_PARAMS): the reference pass reads only those lines' words again.
   */
  namesReferences = false;
  private optionMap: Map<string, Word[]> | undefined = undefined;

  constructor(
    public name: string,
    public nameWord: Word,
    public statement: Statement,
    public proxy: ProxyModel,
    public address: Word | undefined,
    /** The `default-server` presets in force for this line. */
    private readonly presets: ServerDefaults,
    /** Index of the line's first parameter word in `statement.args`. */
    private readonly firstParam: number,
  ) {
    this.defaultServers = presets.statements;
  }

  /** Server options by name with their argument words, default-server options merged in. */
  get options(): Map<string, Word[]> {
    return (this.optionMap ??= this.buildOptions());
  }

  set options(map: Map<string, Word[]>) {
    this.optionMap = map;
  }

  /** `options.get(name)`, read from the words when the map is not built yet (it is then not built). */
  option(name: string): Word[] | undefined {
    if (this.optionMap) return this.optionMap.get(name);
    let found: Word[] | undefined;
    for (const p of this.presets.params) {
      if (p.name === name) found = p.args;
      else if (cancels(p.name, name)) found = undefined;
    }
    const args = this.statement.args;
    for (let i = this.firstParam; i < args.length; i++) {
      const param = args[i]!.value;
      const value = paramValue(args, i);
      if (value) i++;
      if (param === name) found = value ? [value] : [];
      else if (cancels(param, name)) found = undefined;
    }
    return found;
  }

  private buildOptions(): Map<string, Word[]> {
    const options = new Map<string, Word[]>();
    for (const p of this.presets.params) setOption(options, p.name, p.args);
    const args = this.statement.args;
    for (let i = this.firstParam; i < args.length; i++) {
      const name = args[i]!.value;
      const value = paramValue(args, i);
      if (value) i++;
      setOption(options, name, value ? [value] : []);
    }
    return options;
  }
}

/** The value word of the parameter named at `args[i]`: the next word unless it is a flag. */
function paramValue(args: readonly Word[], i: number): Word | undefined {
  return !isServerFlag(args[i]!.value) && i + 1 < args.length ? args[i + 1] : undefined;
}

/** Builds a `server` or `server-template` line; undefined when it has no name. */
export function buildServer(statement: Statement, proxy: ProxyModel, defaults: ServerDefaults): Server | undefined {
  const args = statement.args;
  const template = statement.keyword === 'server-template';
  const nameWord = args[0];
  if (!nameWord) return undefined;
  const address = args[template ? 2 : 1];
  const firstParam = template ? 3 : 2;
  const server = new Server(nameWord.value, nameWord, statement, proxy, address, defaults, firstParam);
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
  const presets = defaults.params;
  for (let i = 0; i < presets.length; i++) applySetting(server, presets[i]!.name, presets[i]!.args[0]);
  // Without an address there are no parameters (`firstParam` is then past the end).
  for (let i = firstParam; i < args.length; i++) {
    const name = args[i]!.value;
    const value = paramValue(args, i);
    applySetting(server, name, value);
    if (REFERENCE_PARAMS.has(name)) server.namesReferences = true;
    if (value) i++;
  }
  return server;
}

/** Server parameters whose value names something the symbol table records (see references.ts). */
const REFERENCE_PARAMS: ReadonlySet<string> = new Set(['resolvers', 'crt', 'ca-file', 'crl-file', 'track']);

/** A server's option by name, as `server.options.get(name)` (without building the map when it can). */
export function serverOption(server: ServerModel, name: string): Word[] | undefined {
  return server instanceof Server ? server.option(name) : server.options.get(name);
}

/** Whether writing option `param` removes option `name` (see setOption). */
function cancels(param: string, name: string): boolean {
  if (OPPOSITES[param] === name) return true;
  // `no-X` removes `X`; `X` removes `no-X`.
  if (param.startsWith('no-')) return param.length === name.length + 3 && param.endsWith(name);
  return name.length === param.length + 3 && name.startsWith('no-') && name.endsWith(param);
}

/** Writes an option as HAProxy does: `no-X` cancels `X` (and back), `enabled` cancels `disabled`. */
function setOption(options: Map<string, Word[]>, name: string, args: Word[]): void {
  if (name.startsWith('no-')) options.delete(name.slice(3));
  else options.delete(`no-${name}`);
  const opposite = OPPOSITES[name];
  if (opposite) options.delete(opposite);
  options.set(name, args);
}

/** The parameters applySetting reads: one set lookup skips the others (most of them). */
const SETTINGS: ReadonlySet<string> = new Set(['weight', 'backup', 'no-backup', 'disabled', 'enabled', 'check', 'no-check', 'cookie', 'maxconn']);

/** The fields a parameter sets on the server model (`value`: its argument word, if any). */
function applySetting(server: Server, name: string, value: Word | undefined): void {
  if (!SETTINGS.has(name)) return;
  switch (name) {
    case 'weight': {
      const w = parseInteger(value?.value);
      if (w !== undefined) server.weight = w;
      break;
    }
    case 'backup': server.backup = true; break;
    case 'no-backup': server.backup = false; break;
    case 'disabled': server.disabled = true; break;
    case 'enabled': server.disabled = false; break;
    case 'check': server.check = true; break;
    case 'no-check': server.check = false; break;
    case 'cookie': server.cookie = value?.value; break;
    case 'maxconn': server.maxconn = parseInteger(value?.value); break;
    default: break;
  }
}

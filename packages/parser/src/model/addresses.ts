// Socket addresses as HAProxy's str2sa_range reads them: an optional `family@` prefix, a path
// for UNIX sockets, `[ipv6]:port`, else the last `:` separates host and port. Ports are a
// number, a range `N-M` (binds) or an offset `+N`/`-N` (servers). parseAddress is what the
// model keeps of an address (host, port, family; read by the simulator and the proxy);
// addressProblem is what 2.6 refuses in one, with the flags of each keyword that reads one
// (ADDRESS_RULES): the checks of bind, server, log and the other address keywords all use it.
// Never throws.

export interface ParsedAddress {
  host: string;
  /** The port part as written after the separator, when there is one. */
  portText?: string;
  port?: number;
  portEnd?: number;
  /** `+N`/`-N`. */
  portOffset?: number;
  family?: string;
}

/** Families whose address is a path or a number, never `host:port`. */
const NO_PORT_FAMILIES: ReadonlySet<string> = new Set(['unix', 'abns', 'fd', 'sockpair']);

const IPV4_RE = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The usual shape of a server address, read without the general walk below. */
const IPV4_AND_PORT_RE = /^\d{1,3}(?:\.\d{1,3}){3}:\d+$/;

/**
 * What the model keeps of an address: host (IPv6 without brackets), port or range or offset,
 * and family (`ipv4`, `ipv6`, `unix`, `abns`, `fd`, `sockpair`; undefined for a host name).
 * Read with the same prefixes and split as the checks (addressHead, splitHostPort), so a
 * `tcp@` or `stream+` address is the address after it.
 */
export function parseAddress(text: string): ParsedAddress {
  if (IPV4_AND_PORT_RE.test(text)) {
    // What the general case gives for it: no prefix, an IPv4 host, a numeric port.
    const colon = text.lastIndexOf(':');
    const portText = text.slice(colon + 1);
    return { host: text.slice(0, colon), family: 'ipv4', portText, port: Number(portText) };
  }
  const head = addressHead(text);
  const rest = text.slice(head.at);
  if (NO_PORT_FAMILIES.has(head.family)) return { host: rest, family: head.family };
  const split = splitHostPort(rest);
  const host = unbracket(split.host);
  const family = head.family === 'ipv4' || head.family === 'quic4' ? 'ipv4' : head.family === 'ipv6' || head.family === 'quic6' ? 'ipv6' : guessFamily(host);
  const out: ParsedAddress = { host };
  if (family) out.family = family;
  const portText = split.port;
  if (portText === undefined) return out;
  out.portText = portText;
  let m: RegExpExecArray | null;
  if ((m = /^(\d+)$/.exec(portText))) out.port = Number(m[1]);
  else if ((m = /^(\d+)-(\d+)$/.exec(portText))) {
    out.port = Number(m[1]);
    out.portEnd = Number(m[2]);
  } else if ((m = /^([+-])(\d+)$/.exec(portText))) out.portOffset = (m[1] === '-' ? -1 : 1) * Number(m[2]);
  return out;
}

function guessFamily(host: string): string | undefined {
  if (host === '' || host === '*' || IPV4_RE.test(host)) return 'ipv4';
  if (host.includes(':')) return 'ipv6';
  return undefined;
}

// ---- What the checks read: str2sa_range's split and its verdicts on a port and a host ----------

export const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** C's atoi on a port: leading digits only (`80x` is 80, `x80` is 0). */
export function atoi(text: string): number {
  let i = 0;
  while (i < text.length && isDigit(text[i])) i++;
  return i === 0 ? 0 : Number(text.slice(0, i));
}

/** A host and port as str2sa_range splits them; offsets are into the text given to the split. */
export interface SplitAddress {
  /** As HAProxy names it in its messages: brackets kept (`[::1]`). */
  host: string;
  /** Port text after the separating `:`; undefined when absent. */
  port?: string;
  /** Offset of the port text (of the end of the host when there is no port). */
  portIndex: number;
  /** Offset of the host. */
  hostIndex: number;
}

/**
 * str2sa_range's split of `host[:port]`: from the end, the first `]` or `:` decides; a `:` is the
 * port separator, a `]` (or neither) means no port. So `[::1]:80` is `[::1]` and `80`, `::1:80`
 * is `::1` and `80`, `::1` is `:` and `1` (which HAProxy then refuses), `[::1` is `[:` and `1`.
 */
export function splitHostPort(text: string, offset = 0): SplitAddress {
  let i = text.length - 1;
  while (i > 0 && text[i] !== ']' && text[i] !== ':') i--;
  if (text.length > 0 && text[i] === ':') {
    return { host: text.slice(0, i), port: text.slice(i + 1), portIndex: offset + i + 1, hostIndex: offset };
  }
  return { host: text, portIndex: offset + text.length, hostIndex: offset };
}

/** The address inside `[…]` as str2ip2 reads it (4 to 47 characters, brackets included), else the text. */
export function unbracket(host: string): string {
  return host.length >= 4 && host.length < 48 && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Splits a bind or server address; undefined for UNIX sockets, fd@, abns@, unknown prefixes and other non-IP addresses. */
export function splitAddress(text: string): SplitAddress | undefined {
  const head = addressHead(text);
  if (NO_PORT_FAMILIES.has(head.family)) return undefined;
  // An `@` no prefix claimed: a family str2sa_range does not know.
  if (!head.prefix && text.includes('@')) return undefined;
  return splitHostPort(text.slice(head.at), head.at);
}

/**
 * True for a dotted numeric host (`\d+(\.\d+)*`) that is not a valid IPv4 literal (`256.0.0.1`,
 * `1.2.3.4.5`). Read character by character: every server line has an address to look at.
 */
export function badIPv4(host: string): boolean {
  let parts = 1;
  let digits = 0;
  let value = 0;
  let over255 = false;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      value = value * 10 + (c - 48);
      if (value > 255) over255 = true;
    } else if (c === 46 && digits > 0) {
      parts++;
      digits = 0;
      value = 0;
    } else {
      return false; // not a dotted number
    }
  }
  if (digits === 0) return false; // empty, or ends with a dot
  if (parts > 4) return true;
  return parts === 4 && over255;
}

/** An IPv6 literal as inet_pton reads it (hex groups, one `::`, an optional dotted IPv4 tail). */
export function isIPv6(s: string): boolean {
  let hex = s;
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    if (v4[1]!.split('.').some((x) => Number(x) > 255)) return false;
    hex = s.slice(0, v4.index + 1) + '0:0';
  }
  const dbl = hex.split('::');
  if (dbl.length > 2) return false;
  const groups = (x: string) => (x === '' ? [] : x.split(':'));
  const head = groups(dbl[0]!);
  const tail = dbl.length === 2 ? groups(dbl[1]!) : [];
  const all = [...head, ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return dbl.length === 2 ? all.length <= 7 : all.length === 8;
}

/**
 * What a caller of str2sa_range asks of an address (its PA_O_* flags), beyond the port forms.
 * One row per keyword in ADDRESS_RULES; `addressProblem` reads them.
 */
export interface AddressRules extends PortRules {
  /** PA_O_STREAM / PA_O_DGRAM: the socket types accepted. */
  stream: boolean;
  dgram: boolean;
  /** PA_O_DEFAULT_DGRAM: with both, an address without `stream+`, `tcp@`… is a datagram one. */
  defaultDgram: boolean;
  /**
   * `fd@<n>`: `socket` (PA_O_SOCKET_FD: an inherited socket; whether it is one is only known
   * where HAProxy runs), `raw` (PA_O_RAW_FD: any number), `none` (refused).
   */
  fd: 'socket' | 'raw' | 'none';
  /**
   * The host is not resolved while the address is read (a server's `fqdn`): str2sa_range goes on
   * to its socket-type checks, and the server says "could not resolve address" afterwards.
   */
  deferHost: boolean;
  /** `unix-bind prefix` goes before a UNIX socket path (listeners other than the CLI's). */
  unixPrefix: boolean;
}

const STREAM_ONLY = { stream: true, dgram: false, defaultDgram: false } as const;
const BOTH_DGRAM_FIRST = { stream: true, dgram: true, defaultDgram: true } as const;

/**
 * The addresses 2.6 reads with str2sa_range, by keyword, with the flags each caller passes
 * (src/cfgparse.c str2listener/str2receiver, src/server.c, src/cfgparse-listen.c, src/log.c,
 * src/resolvers.c, src/cfgparse.c mailers). `peer` is read as a server first (parse_server,
 * resolving at once); whether it is also the local listener depends on the machine's host name,
 * so only the server rules are applied to it.
 */
export const ADDRESS_RULES = {
  /** `bind` in proxies and peers (str2listener). */
  bind: { mandatory: true, range: true, offset: false, ...STREAM_ONLY, fd: 'socket', deferHost: false, unixPrefix: true },
  /** `stats socket` (str2listener on the CLI frontend: no `unix-bind` prefix). */
  'stats socket': { mandatory: true, range: true, offset: false, ...STREAM_ONLY, fd: 'socket', deferHost: false, unixPrefix: false },
  /** log-forward `dgram-bind` (str2receiver). */
  'dgram-bind': { mandatory: true, range: true, offset: false, stream: false, dgram: true, defaultDgram: false, fd: 'socket', deferHost: false, unixPrefix: true },
  /** A server's address (`server`, `server-template`): its host name is resolved after parsing. */
  server: { mandatory: false, range: false, offset: true, ...STREAM_ONLY, fd: 'none', deferHost: true, unixPrefix: false },
  /** A peers section's `peer` line: parse_server with SRV_PARSE_INITIAL_RESOLVE. */
  peer: { mandatory: false, range: false, offset: true, ...STREAM_ONLY, fd: 'none', deferHost: false, unixPrefix: false },
  /** The `addr` option of a server (where health checks go). */
  'server addr': { mandatory: false, range: false, offset: false, ...STREAM_ONLY, fd: 'none', deferHost: false, unixPrefix: false },
  /** The `source` option of a server: a port range is allowed. */
  'server source': { mandatory: false, range: true, offset: false, ...STREAM_ONLY, fd: 'none', deferHost: false, unixPrefix: false },
  /** The `addr` of `tcp-check connect` and `http-check connect` (src/tcpcheck.c). */
  'check addr': { mandatory: false, range: false, offset: false, ...STREAM_ONLY, fd: 'none', deferHost: false, unixPrefix: false },
  /** The proxy keyword `dispatch`. */
  dispatch: { mandatory: true, range: false, offset: false, ...STREAM_ONLY, fd: 'none', deferHost: false, unixPrefix: false },
  /** The proxy keyword `source`. */
  source: { mandatory: false, range: false, offset: false, ...STREAM_ONLY, fd: 'none', deferHost: false, unixPrefix: false },
  /** `mailer` in a mailers section. */
  mailer: { mandatory: true, range: false, offset: false, ...STREAM_ONLY, fd: 'none', deferHost: false, unixPrefix: false },
  /** `nameserver` in a resolvers section. */
  nameserver: { mandatory: true, range: false, offset: false, ...BOTH_DGRAM_FIRST, fd: 'none', deferHost: false, unixPrefix: false },
  /** A `log` target (parse_logsrv). */
  log: { mandatory: false, range: false, offset: false, ...BOTH_DGRAM_FIRST, fd: 'raw', deferHost: false, unixPrefix: false },
} as const satisfies Record<string, AddressRules>;

export type AddressKeyword = keyof typeof ADDRESS_RULES;

/** The first problem str2sa_range (or, for a server, its later resolution) finds in an address. */
export interface AddressProblem {
  /** str2sa_range's message. */
  message: string;
  /**
   * `host`: the host can never be resolved (`host`: as HAProxy names it); a server reports it
   * later, in its own words. `port`, `path`, `fd`, `type`: the other refusals.
   */
  kind: 'host' | 'port' | 'path' | 'fd' | 'type' | 'empty';
  host?: string;
  /** The offending part, as offsets into the text. */
  from: number;
  to: number;
  /** HAProxy accepts the address (haplo's advice: the ignored tail of a port). */
  warning?: boolean;
  /** What to do, when HAProxy's message does not say it. */
  advice?: string;
}

type Family = 'unix' | 'abns' | 'ip' | 'ipv4' | 'ipv6' | 'quic4' | 'quic6' | 'fd' | 'sockpair';

/**
 * str2sa_range's prefixes, in the order it tries them (after an optional `stream+`/`dgram+`),
 * with the socket (control) type each forces (undefined: the caller's default; QUIC's is a stream). Case matters: `UDP@` is
 * no prefix, so part of a host name that never resolves.
 */
const ADDRESS_PREFIXES: readonly (readonly [prefix: string, family: Family, type: 'stream' | 'dgram' | undefined])[] = [
  ['unix@', 'unix', undefined], ['uxdg@', 'unix', 'dgram'], ['uxst@', 'unix', 'stream'], ['abns@', 'abns', undefined],
  ['ip@', 'ip', undefined], ['ipv4@', 'ipv4', undefined], ['ipv6@', 'ipv6', undefined],
  ['tcp4@', 'ipv4', 'stream'], ['udp4@', 'ipv4', 'dgram'], ['tcp6@', 'ipv6', 'stream'], ['udp6@', 'ipv6', 'dgram'],
  ['tcp@', 'ip', 'stream'], ['udp@', 'ip', 'dgram'], ['quic4@', 'quic4', 'stream'], ['quic6@', 'quic6', 'stream'],
  ['fd@', 'fd', undefined], ['sockpair@', 'sockpair', undefined],
];

/** sizeof(sun_path) - 1; a plain path also keeps room for ".<pid>.<bak|tmp>" (10 characters). */
const SUN_PATH_MAX = 107;

const LONG_MAX = 2n ** 63n - 1n;

/** strtol(text, &end, 10) reading all of a non-empty text, cast to an `int` that is not negative. */
export function validFd(text: string): boolean {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(text);
  if (!m) return false;
  let v = BigInt(m[2]!);
  if (v > LONG_MAX) v = m[1] === '-' ? -LONG_MAX - 1n : LONG_MAX;
  else if (m[1] === '-') v = -v;
  return BigInt.asIntN(32, v) >= 0n;
}

/** Whether str2ip2 reads a host without resolving it (an IP literal, empty or `*`). */
function isLiteral(host: string, family: 'ipv4' | 'ipv6' | undefined): boolean {
  if (host === '' || host === '*') return true;
  const h = unbracket(host);
  if (family !== 'ipv6' && IPV4_RE.test(h) && !badIPv4(h)) return true;
  return family !== 'ipv4' && isIPv6(h);
}

/** The start of an address as str2sa_range reads it: `stream+`/`dgram+`, then a family prefix. */
interface AddressHead {
  /** Where the family prefix starts (after `stream+`/`dgram+`; 0 without). */
  typeEnd: number;
  prefix: (typeof ADDRESS_PREFIXES)[number] | undefined;
  /** The prefix's family; without one, `unix` for a path and `ip` otherwise. */
  family: Family;
  /** Where the address proper starts. */
  at: number;
}

function addressHead(text: string): AddressHead {
  const typeEnd = text.startsWith('stream+') ? 7 : text.startsWith('dgram+') ? 6 : 0;
  const prefix = ADDRESS_PREFIXES.find(([p]) => text.startsWith(p, typeEnd));
  const at = typeEnd + (prefix?.[0].length ?? 0);
  return { typeEnd, prefix, family: prefix ? prefix[1] : text[at] === '/' ? 'unix' : 'ip', at };
}

/**
 * The first problem 2.6's str2sa_range finds in an address read with a keyword's rules, or
 * undefined. Only what the text decides: whether an `fd@`/`sockpair@` descriptor is a socket,
 * and whether a plain host name resolves, depend on where HAProxy runs and are not judged (see
 * neverResolves). `prefixLength`: the length of `unix-bind prefix`, where it applies. The caller
 * skips addresses built from the environment. Never throws.
 */
export function addressProblem(text: string, rules: AddressRules, prefixLength = 0): AddressProblem | undefined {
  if (text === '') return { message: "'' resolves to an empty address (environment variable missing?)", kind: 'empty', from: 0, to: 0 };
  const { typeEnd: typeStart, prefix, family, at } = addressHead(text);
  let type: 'stream' | 'dgram' = typeStart === 7 ? 'stream' : typeStart === 6 ? 'dgram' : rules.dgram && (!rules.stream || rules.defaultDgram) ? 'dgram' : 'stream';
  if (prefix?.[2]) type = prefix[2];
  const prefixEnd = at;
  const rest = text.slice(at);
  const problem = (message: string, kind: AddressProblem['kind'], from: number, to = text.length): AddressProblem => ({ message, kind, from, to });
  /** A problem str2sa_range leaves to later (a server's host) or an accepted port's advice. */
  let later: AddressProblem | undefined;
  let literal = true;
  switch (family) {
    case 'fd':
    case 'sockpair':
      if (!validFd(rest)) return problem(`file descriptor '${rest}' is not a valid integer in '${text}'`, 'fd', at);
      if (family === 'fd' && rules.fd === 'none') {
        return { ...problem(`a file descriptor is not acceptable here in '${text}'`, 'fd', typeStart, prefixEnd), advice: 'fd@ is for listeners and log targets; give an address here' };
      }
      // Whether the descriptor is a socket (and of which type) is only known where HAProxy runs.
      if (family === 'sockpair' || rules.fd === 'socket') return undefined;
      break;
    case 'unix':
    case 'abns': {
      const max = family === 'abns' ? SUN_PATH_MAX : SUN_PATH_MAX - 10 - (rules.unixPrefix ? prefixLength : 0);
      if (rest.length > max) return problem(`socket path '${text}' too long (max ${max})`, 'path', at);
      break;
    }
    default: {
      const a = splitHostPort(rest, at);
      if (a.port !== undefined || rules.mandatory) {
        const err = portError(a.port ?? '', text, rules);
        if (err) return problem(err, 'port', a.port === undefined ? at : a.portIndex);
      }
      const fam = family === 'ipv4' || family === 'quic4' ? 'ipv4' : family === 'ipv6' || family === 'quic6' ? 'ipv6' : undefined;
      if (neverResolves(a.host, fam)) {
        later = { message: `invalid address: '${a.host}' in '${text}'`, kind: 'host', host: a.host, from: a.hostIndex, to: a.hostIndex + a.host.length, advice: hostAdvice(a.host, fam) };
        if (!rules.deferHost) return later;
      }
      literal = isLiteral(a.host, fam);
      if (a.port !== undefined && ignoredPortTail(a.port)) {
        later ??= { message: ignoredTailAdvice(a.port), kind: 'port', from: a.portIndex, to: text.length, warning: true };
      }
    }
  }
  // What sets the socket type: the family prefix when it forces one, else `stream+`/`dgram+`,
  // else the keyword's default (the whole address is then what does not fit).
  const [typeFrom, typeEnd] = prefix?.[2] ? [typeStart, prefixEnd] : typeStart > 0 ? [0, typeStart] : [0, text.length];
  if (type === 'stream' && !rules.stream) {
    return { ...problem(`stream-type address not acceptable in '${text}'`, 'type', typeFrom, typeEnd), advice: 'this keyword takes datagram (UDP) addresses: drop the prefix or use udp@' };
  }
  if (type === 'dgram' && !rules.dgram) {
    return { ...problem(`dgram-type address not acceptable in '${text}'`, 'type', typeFrom, typeEnd), advice: 'this keyword takes stream (TCP) addresses: drop the prefix or use tcp@' };
  }
  // protocol_lookup: 2.6 as packaged has no QUIC (a server's name to resolve skips the lookup).
  if ((family === 'quic4' || family === 'quic6') && (literal || !rules.deferHost)) {
    return problem(`unsupported stream protocol for datagram family ${family === 'quic4' ? 2 : 10} address '${text}'; QUIC is not compiled in if this is what you were looking for.`, 'type', typeStart, prefixEnd);
  }
  return later;
}

/** A problem as haplo words it: HAProxy's message, then what to do when it does not say it. */
export function problemText(p: AddressProblem): string {
  return p.advice ? `${p.message} (${p.advice})` : p.message;
}

/**
 * A listener's comma-separated addresses as str2listener and str2receiver read them: each in
 * turn until the first problem (a trailing comma ends the list; an empty address before it is
 * one). Offsets are into the whole text; the accepted addresses' warnings come first.
 */
export function listenerProblems(text: string, rules: AddressRules, prefixLength = 0): AddressProblem[] {
  const out: AddressProblem[] = [];
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf(',', at);
    if (end < 0) end = text.length;
    const p = addressProblem(text.slice(at, end), rules, prefixLength);
    if (p) {
      const shifted = p.kind === 'empty' ? { ...p, from: at, to: Math.min(at + 1, text.length) } : { ...p, from: at + p.from, to: at + p.to };
      out.push(shifted);
      if (!p.warning) break;
    }
    at = end + 1;
  }
  return out;
}

/** What to do about a host that never resolves, by what is wrong with it. */
function hostAdvice(host: string, family: 'ipv4' | 'ipv6' | undefined): string | undefined {
  const at = host.indexOf('@');
  if (at >= 0) {
    const prefix = host.slice(0, at + 1);
    if (prefix === 'ring@') return "'ring@' names a ring, and takes no 'stream+' or 'dgram+' before it";
    const lower = prefix.toLowerCase();
    if (lower !== prefix && ADDRESS_PREFIXES.some(([p]) => p === lower)) return `address prefixes are lower case: write '${lower}'`;
    return `'${prefix}' is not an address prefix; they are ${ADDRESS_PREFIXES.map(([p]) => p).join(', ')}`;
  }
  if (host.startsWith('[') && unbracket(host) === host) return "write an IPv6 address in brackets, then the port: '[::1]:80'";
  const h = unbracket(host);
  if (family === 'ipv4' && isIPv6(h)) return "'ipv4@' asks for an IPv4 address";
  if (family === 'ipv6' && /^[0-9.]+$/.test(h)) return "'ipv6@' asks for an IPv6 address";
  if (h.includes(':')) {
    return /^[0-9a-fA-F:]*$/.test(h) || isIPv6(h)
      ? "the last ':' separates the port, so write an IPv6 address in brackets: '[::1]:80'"
      : "the last ':' separates the port, and the host keeps the other one: write one ':' between host and port";
  }
  if (/^[0-9.]+$/.test(h) && badIPv4(h)) return 'an IPv4 address is four numbers from 0 to 255';
  if (/(^|\.)invalid\.?$/i.test(h)) return "a name under '.invalid' never resolves, by RFC 6761; give a real host name or an IP address";
  return undefined;
}

/** Which port forms a caller of str2sa_range allows (its PA_O_PORT_* flags). */
export interface PortRules {
  /** PA_O_PORT_MAND: a port is required, and port 0 is refused. */
  mandatory: boolean;
  /** PA_O_PORT_RANGE: `N-M`. */
  range: boolean;
  /** PA_O_PORT_OFS: `+N` / `-N`. */
  offset: boolean;
}

/**
 * The port rules of 2.6's str2sa_range, with its message: a port must start with a digit (or
 * `+`/`-`, an offset, where allowed); what follows the digits is ignored (`:80x` is port 80), so
 * only the value is checked. `whole`: the address as written, which the messages quote.
 */
export function portError(port: string, whole: string, rules: PortRules): string | undefined {
  const first = port[0];
  if (isDigit(first)) {
    const dash = port.indexOf('-');
    if (dash >= 0 && !rules.range) return `port range not permitted here in '${whole}'`;
    const p1 = dash >= 0 ? port.slice(0, dash) : port;
    const p2 = dash >= 0 ? port.slice(dash + 1) : p1;
    const lo = atoi(p1);
    const hi = atoi(p2);
    const min = rules.mandatory ? 1 : 0;
    if (lo < min || lo > 65535) return `invalid port '${p1}'`;
    if (hi < min || hi > 65535) return `invalid port '${p2}'`;
    if (lo > hi) return `invalid port range '${lo}-${hi}'`;
    return undefined;
  }
  if (first === '-' || first === '+') return rules.offset ? undefined : `port offset not permitted here in '${whole}'`;
  if (first !== undefined) return `invalid character '${first}' in port number '${port}' in '${whole}'`;
  return rules.mandatory ? `missing port specification in '${whole}'` : undefined;
}

/** True when a port HAProxy accepts has characters after its digits, which it ignores (`80x`, `80-90x`). */
export function ignoredPortTail(port: string): boolean {
  return isDigit(port[0]) && !/^\d+(-\d+)?$/.test(port);
}

/** What to say about such a port. */
export function ignoredTailAdvice(port: string): string {
  return `HAProxy ignores what follows the digits of port '${port}' (it reads port ${atoi(port)}); remove the extra characters.`;
}

/**
 * True when str2ip2, allowed to resolve (PA_O_RESOLVE), fails on a host whatever the resolver
 * says: a malformed `[…]`, an IP literal of the other family, a character or label length that
 * resolv_hostname_validation refuses, a bad dotted number, an empty label, or the `.invalid`
 * top-level domain (RFC 6761). Other names depend on the resolver and are not judged.
 */
export function neverResolves(host: string, family: 'ipv4' | 'ipv6' | undefined): boolean {
  if (host === '' || host === '*') return false;
  if (host.startsWith('[') && unbracket(host) === host) return true;
  const h = unbracket(host);
  if (family !== 'ipv4' && isIPv6(h)) return false;
  if (h.length > 255 || !/^[-_a-zA-Z0-9.]+$/.test(h) || h.split('.').some((label) => label.length > 63)) return true;
  if (h.startsWith('.') || h.includes('..') || /(^|\.)invalid\.?$/i.test(h)) return true;
  // A dotted number is an IPv4 address to the resolver, so never one of family ipv6.
  if (/^[0-9.]+$/.test(h)) return family === 'ipv6' || badIPv4(h);
  return false;
}

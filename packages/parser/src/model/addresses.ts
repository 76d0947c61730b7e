// Socket addresses as HAProxy's str2sa_range reads them: an optional `family@` prefix, a path
// for UNIX sockets, `[ipv6]:port`, else the last `:` separates host and port. Ports are a
// number, a range `N-M` (binds) or an offset `+N`/`-N` (servers). Never throws.

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

const PREFIX_FAMILY: Readonly<Record<string, string>> = {
  ipv4: 'ipv4', ipv6: 'ipv6', unix: 'unix', abns: 'abns', fd: 'fd', sockpair: 'sockpair',
  tcp4: 'ipv4', tcp6: 'ipv6', udp4: 'ipv4', udp6: 'ipv6', quic4: 'ipv4', quic6: 'ipv6', uxst: 'unix', uxdg: 'unix',
};
/** Prefixes whose address is a path or a number, never `host:port`. */
const NO_PORT_FAMILIES = new Set(['unix', 'abns', 'fd', 'sockpair']);

const IPV4_RE = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The usual shape of a server address, read without the general walk below. */
const IPV4_AND_PORT_RE = /^\d{1,3}(?:\.\d{1,3}){3}:\d+$/;

export function parseAddress(text: string): ParsedAddress {
  if (IPV4_AND_PORT_RE.test(text)) {
    // What the general case gives for it: no prefix, an IPv4 host, a numeric port.
    const colon = text.lastIndexOf(':');
    const portText = text.slice(colon + 1);
    return { host: text.slice(0, colon), family: 'ipv4', portText, port: Number(portText) };
  }
  let rest = text;
  let family: string | undefined;
  let prefixFamily: string | undefined;
  const at = rest.indexOf('@');
  if (at > 0 && /^[a-z0-9]+$/.test(rest.slice(0, at))) {
    const prefix = rest.slice(0, at);
    prefixFamily = PREFIX_FAMILY[prefix];
    family = prefixFamily ?? prefix;
    rest = rest.slice(at + 1);
  }
  if ((prefixFamily && NO_PORT_FAMILIES.has(prefixFamily)) || (!family && rest.startsWith('/'))) {
    return { host: rest, family: prefixFamily ?? 'unix' };
  }
  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return { host: rest.slice(1), family: family ?? 'ipv6' };
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after.startsWith(':')) portText = after.slice(1);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon < 0) host = rest;
    else {
      host = rest.slice(0, colon);
      portText = rest.slice(colon + 1);
    }
  }
  const out: ParsedAddress = { host, family: prefixFamily ?? family ?? guessFamily(host) };
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

/** Splits a bind or server address; undefined for UNIX sockets, fd@, abns@ and other non-IP addresses. */
export function splitAddress(text: string): SplitAddress | undefined {
  let s = text;
  let offset = 0;
  const at = s.indexOf('@');
  if (at >= 0) {
    const proto = s.slice(0, at);
    if (!/^(ipv4|ipv6|tcp|tcp4|tcp6|udp|udp4|udp6|quic4|quic6)$/.test(proto)) return undefined;
    s = s.slice(at + 1);
    offset = at + 1;
  }
  if (s.startsWith('/') || s.startsWith('unix@')) return undefined;
  return splitHostPort(s, offset);
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

/** Which port forms a caller of str2sa_range allows (its PA_O_PORT_* flags). */
export interface PortRules {
  /** PA_O_PORT_MAND: a port is required, and port 0 is refused. */
  mandatory: boolean;
  /** PA_O_PORT_RANGE: `N-M`. */
  range: boolean;
  /** PA_O_PORT_OFS: `+N` / `-N`. */
  offset: boolean;
}

export const BIND_PORTS: PortRules = { mandatory: true, range: true, offset: false };
export const SERVER_PORTS: PortRules = { mandatory: false, range: false, offset: true };
/** parse_logsrv: PA_O_PORT_OK only. */
export const LOG_PORTS: PortRules = { mandatory: false, range: false, offset: false };

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

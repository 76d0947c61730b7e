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

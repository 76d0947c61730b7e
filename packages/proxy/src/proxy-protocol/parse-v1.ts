// PROXY protocol version 1, the text line, read as HAProxy 2.6 accepts it:
//   PROXY TCP4 <ipv4> <ipv4> <port> <port>\r\n
//   PROXY TCP6 <ipv6> <ipv6> <port> <port>\r\n
//   PROXY UNKNOWN\r\n            (nothing else: 2.6 refuses `UNKNOWN` followed by addresses)
// Stricter than HAProxy on purpose where HAProxy reads garbage into an address: a dotted quad
// needs four parts of at most three digits each up to 255 (HAProxy takes `1.2.3` as 1.2.3.0
// and `1.2.3.999` as 1.2.6.231), ports are 0–65535 (HAProxy truncates 70000 to 4464), an empty
// port and extra fields after the destination port (HAProxy ignores them in TCP6) are refused.
import { formatIPv6, parseIPv6 } from '@haplo/sim';
import { V1_MAX_LENGTH } from './constants.js';
import { headerError, INCOMPLETE, type ProxyHeaderResult } from './header-result.js';

const PREFIX = 'PROXY ';
const PROTOCOLS = ['TCP4 ', 'TCP6 ', 'UNKNOWN\r\n'] as const;
/** Characters a TCP4/TCP6 line may hold after its protocol word. */
const LINE_CHARS = /^[0-9A-Fa-f:. \r]*$/;

/** Reads a v1 header from `buf`, which starts with `PROXY ` (or a prefix of it). */
export function parseV1(buf: Uint8Array): ProxyHeaderResult {
  const seen = Math.min(buf.length, V1_MAX_LENGTH);
  let lf = -1;
  for (let i = 0; i < seen; i++) {
    if (buf[i] === 0x0a) {
      lf = i;
      break;
    }
  }
  const text = latin1(buf, lf < 0 ? seen : lf + 1);
  if (!text.startsWith(PREFIX)) return PREFIX.startsWith(text) ? INCOMPLETE : headerError('notHeader', 'expected "PROXY "');
  const rest = text.slice(PREFIX.length);
  const protocol = PROTOCOLS.find((p) => rest.startsWith(p) || p.startsWith(rest));
  if (!protocol) return headerError('badProtocol', `unknown protocol in "${printable(rest.slice(0, 8))}" (TCP4, TCP6 or UNKNOWN)`);
  if (protocol === 'UNKNOWN\r\n') {
    if (rest.length < protocol.length) return INCOMPLETE;
    return { kind: 'local', version: 1, length: PREFIX.length + protocol.length };
  }
  const fields = rest.slice(protocol.length);
  if (lf < 0) {
    if (!LINE_CHARS.test(fields)) return headerError('badHeader', `unexpected character in "${printable(fields)}"`);
    if (buf.length >= V1_MAX_LENGTH) return headerError('badHeader', `no CRLF within ${V1_MAX_LENGTH} bytes`);
    return INCOMPLETE;
  }
  if (!fields.endsWith('\r\n')) return headerError('badHeader', 'the line must end with CRLF');
  const parts = fields.slice(0, -2).split(' ');
  if (parts.length !== 4) return headerError('badHeader', `expected "<src> <dst> <src port> <dst port>", got "${printable(fields.slice(0, -2))}"`);
  const [srcText, dstText, srcPortText, dstPortText] = parts as [string, string, string, string];
  const v4 = protocol === 'TCP4 ';
  const src = v4 ? dottedQuad(srcText) : ipv6(srcText);
  const dst = v4 ? dottedQuad(dstText) : ipv6(dstText);
  if (src === undefined) return headerError('badHeader', `bad ${v4 ? 'IPv4' : 'IPv6'} source address "${printable(srcText)}"`);
  if (dst === undefined) return headerError('badHeader', `bad ${v4 ? 'IPv4' : 'IPv6'} destination address "${printable(dstText)}"`);
  const srcPort = port(srcPortText);
  const dstPort = port(dstPortText);
  if (srcPort === undefined) return headerError('badHeader', `bad source port "${printable(srcPortText)}"`);
  if (dstPort === undefined) return headerError('badHeader', `bad destination port "${printable(dstPortText)}"`);
  return { kind: 'proxy', version: 1, length: lf + 1, src, srcPort, dst, dstPort, family: v4 ? 4 : 6, tlvs: [] };
}

/** Four decimal parts 0–255 of one to three digits (leading zeros allowed, as HAProxy reads them). */
function dottedQuad(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    nums.push(Number(p));
  }
  return nums.join('.');
}

/** inet_pton(AF_INET6), given back as inet_ntop writes it. */
function ipv6(text: string): string | undefined {
  const a = parseIPv6(text);
  return a ? formatIPv6(a.bytes) : undefined;
}

function port(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

function latin1(buf: Uint8Array, end: number): string {
  let s = '';
  for (let i = 0; i < end; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

/** For messages: control characters escaped, at most 48 characters. */
function printable(s: string): string {
  const cut = s.length > 48 ? s.slice(0, 48) + '…' : s;
  return cut.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => (c === '\r' ? '\\r' : c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

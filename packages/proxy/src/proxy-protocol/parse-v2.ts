// PROXY protocol version 2, the binary header, read as HAProxy 2.6 reads it:
// 16 fixed bytes (signature, version 2 + command, family/transport, length), then the
// addresses and TLVs. LOCAL keeps the connection's own addresses and its body is skipped
// unread (2.6 does not look at LOCAL TLVs). PROXY is accepted over TCP4 (0x11) and TCP6 (0x21)
// only: 2.6 drops any other family (UDP, UNIX, UNSPEC), although the spec lets a receiver
// fall back to the local addresses — checked against the binary.
import { formatIPv4, formatIPv6 } from '@haplo/sim';
import {
  HEADER_BUFFER_SIZE, V2_ADDRESS_LENGTH_TCP4, V2_ADDRESS_LENGTH_TCP6, V2_COMMAND_LOCAL, V2_COMMAND_PROXY, V2_FIXED_LENGTH,
  V2_SIGNATURE, V2_TCP4, V2_TCP6, V2_VERSION,
} from './constants.js';
import { headerError, INCOMPLETE, type ProxyHeaderResult } from './header-result.js';
import { parseTlvs } from './parse-tlvs.js';

/** Reads a v2 header from `buf`, which starts with the signature (or a prefix of it). */
export function parseV2(buf: Uint8Array): ProxyHeaderResult {
  const signed = Math.min(buf.length, V2_SIGNATURE.length);
  for (let i = 0; i < signed; i++) {
    if (buf[i] !== V2_SIGNATURE[i]) return headerError('notHeader', 'neither "PROXY " nor the version 2 signature');
  }
  if (buf.length < V2_FIXED_LENGTH) return buf.length > 12 && (buf[12]! & 0xf0) !== V2_VERSION ? badVersion(buf[12]!) : INCOMPLETE;
  const verCmd = buf[12]!;
  if ((verCmd & 0xf0) !== V2_VERSION) return badVersion(verCmd);
  const family = buf[13]!;
  const bodyLength = (buf[14]! << 8) | buf[15]!;
  const length = V2_FIXED_LENGTH + bodyLength;
  if (length > HEADER_BUFFER_SIZE) return headerError('truncated', `a ${length}-byte header does not fit HAProxy's ${HEADER_BUFFER_SIZE}-byte buffer`);
  const command = verCmd & 0x0f;
  if (command !== V2_COMMAND_LOCAL && command !== V2_COMMAND_PROXY) return headerError('badHeader', `unknown command ${command} (0 LOCAL or 1 PROXY)`);
  if (buf.length < length) return INCOMPLETE;
  if (command === V2_COMMAND_LOCAL) return { kind: 'local', version: 2, length };

  const header = buf.subarray(0, length);
  let addressLength: number;
  let src: string, dst: string, srcPort: number, dstPort: number;
  if (family === V2_TCP4) {
    addressLength = V2_ADDRESS_LENGTH_TCP4;
    if (bodyLength < addressLength) return headerError('badHeader', `TCP4 needs ${addressLength} address bytes, the header has ${bodyLength}`);
    src = formatIPv4(header.subarray(16, 20));
    dst = formatIPv4(header.subarray(20, 24));
    srcPort = u16(header, 24);
    dstPort = u16(header, 26);
  } else if (family === V2_TCP6) {
    addressLength = V2_ADDRESS_LENGTH_TCP6;
    if (bodyLength < addressLength) return headerError('badHeader', `TCP6 needs ${addressLength} address bytes, the header has ${bodyLength}`);
    src = formatIPv6(header.subarray(16, 32));
    dst = formatIPv6(header.subarray(32, 48));
    srcPort = u16(header, 48);
    dstPort = u16(header, 50);
  } else {
    return headerError('badHeader', `family/transport 0x${family.toString(16).padStart(2, '0')} with the PROXY command (HAProxy 2.6 takes TCP4 0x11 and TCP6 0x21 only)`);
  }
  const tlvs = parseTlvs(header, V2_FIXED_LENGTH + addressLength);
  if ('kind' in tlvs) return tlvs;
  return { kind: 'proxy', version: 2, length, src, srcPort, dst, dstPort, family: family === V2_TCP4 ? 4 : 6, ...tlvs };
}

function badVersion(verCmd: number): ProxyHeaderResult {
  return headerError('notHeader', `version ${verCmd >> 4} after the version 2 signature`);
}

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

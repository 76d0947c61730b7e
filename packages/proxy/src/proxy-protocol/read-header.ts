// The PROXY header at the start of an accepted connection (`bind … accept-proxy`): version 1
// or 2, told apart by the first byte. Pure: give it every byte received so far; once it
// answers `proxy` or `local`, `length` bytes are the header and the rest belongs to the session.
import { HEADER_BUFFER_SIZE } from './constants.js';
import { headerError, INCOMPLETE, type ProxyHeaderResult } from './header-result.js';
import { parseV1 } from './parse-v1.js';
import { parseV2 } from './parse-v2.js';

export function readProxyHeader(buf: Uint8Array): ProxyHeaderResult {
  if (buf.length === 0) return INCOMPLETE;
  const first = buf[0]!;
  if (first === 0x50 /* P */) return parseV1(buf.length > HEADER_BUFFER_SIZE ? buf.subarray(0, HEADER_BUFFER_SIZE) : buf);
  if (first === 0x0d) return parseV2(buf);
  return headerError('notHeader', `first byte 0x${first.toString(16).padStart(2, '0')} (expected "PROXY " or the version 2 signature)`);
}

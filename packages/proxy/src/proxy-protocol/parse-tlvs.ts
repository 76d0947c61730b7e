// The TLVs after a v2 PROXY header's addresses, checked as HAProxy 2.6 checks them: each one
// must fit in the header, a CRC32C must be 4 bytes and match the header, an authority is at
// most 255 bytes and a unique id at most 128. Every other type (SSL, NOOP, NETNS, custom ones)
// is kept as bytes and otherwise ignored.
import { crc32c } from './crc32c.js';
import { AUTHORITY_MAX, TLV_AUTHORITY, TLV_CRC32C, TLV_HEADER_LENGTH, TLV_UNIQUE_ID, UNIQUE_ID_MAX } from './constants.js';
import { headerError, type ProxyHeaderError, type ProxyTlv } from './header-result.js';

export interface ParsedTlvs {
  tlvs: ProxyTlv[];
  authority?: string;
  uniqueId?: string;
}

/** Reads the TLVs of `header` (the whole v2 header) from `offset` to its end. */
export function parseTlvs(header: Uint8Array, offset: number): ParsedTlvs | ProxyHeaderError {
  const out: ParsedTlvs = { tlvs: [] };
  let at = offset;
  while (at < header.length) {
    if (at + TLV_HEADER_LENGTH > header.length) return headerError('badHeader', `${header.length - at} stray byte(s) after the last TLV`);
    const type = header[at]!;
    const length = (header[at + 1]! << 8) | header[at + 2]!;
    const start = at + TLV_HEADER_LENGTH;
    at = start + length;
    if (at > header.length) return headerError('badHeader', `TLV 0x${hex(type)} of ${length} bytes runs past the end of the header`);
    const value = header.subarray(start, at);
    out.tlvs.push({ type, value });
    if (type === TLV_CRC32C) {
      if (length !== 4) return headerError('badHeader', `CRC32C TLV of ${length} bytes (must be 4)`);
      if (!crcMatches(header, start)) return headerError('badHeader', 'CRC32C does not match the header');
    } else if (type === TLV_AUTHORITY) {
      if (length > AUTHORITY_MAX) return headerError('badHeader', `authority TLV of ${length} bytes (at most ${AUTHORITY_MAX})`);
      out.authority = Buffer.from(value).toString('latin1');
    } else if (type === TLV_UNIQUE_ID) {
      if (length > UNIQUE_ID_MAX) return headerError('badHeader', `unique-id TLV of ${length} bytes (at most ${UNIQUE_ID_MAX})`);
      out.uniqueId = Buffer.from(value).toString('latin1');
    }
  }
  return out;
}

/** The checksum is computed over the whole header with its own 4 bytes zeroed. */
function crcMatches(header: Uint8Array, at: number): boolean {
  const sent = ((header[at]! << 24) | (header[at + 1]! << 16) | (header[at + 2]! << 8) | header[at + 3]!) >>> 0;
  const copy = Uint8Array.from(header);
  copy.fill(0, at, at + 4);
  return crc32c(copy) === sent;
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

// The PROXY protocol's fixed values (doc/proxy-protocol.txt, §2.1 and §2.2), with the limits
// HAProxy 2.6 applies when it reads a header (src/connection.c, conn_recv_proxy).

/** `\r\n\r\n\0\r\nQUIT\n`: the first 12 bytes of every version 2 header. */
export const V2_SIGNATURE = Uint8Array.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
/** Signature, version/command, family/transport and the 2-byte length. */
export const V2_FIXED_LENGTH = 16;
export const V2_VERSION = 0x20;
export const V2_COMMAND_LOCAL = 0x00;
export const V2_COMMAND_PROXY = 0x01;
/** Family/transport bytes HAProxy reads addresses from; every other family is refused in 2.6. */
export const V2_TCP4 = 0x11;
export const V2_TCP6 = 0x21;
export const V2_LOCAL_FAMILY = 0x00;
export const V2_ADDRESS_LENGTH_TCP4 = 12;
export const V2_ADDRESS_LENGTH_TCP6 = 36;

export const TLV_HEADER_LENGTH = 3;
export const TLV_ALPN = 0x01;
export const TLV_AUTHORITY = 0x02;
export const TLV_CRC32C = 0x03;
export const TLV_NOOP = 0x04;
export const TLV_UNIQUE_ID = 0x05;
export const TLV_SSL = 0x20;
export const TLV_SSL_VERSION = 0x21;
export const TLV_SSL_CN = 0x22;
export const TLV_SSL_CIPHER = 0x23;
export const TLV_SSL_SIG_ALG = 0x24;
export const TLV_SSL_KEY_ALG = 0x25;
export const TLV_NETNS = 0x30;

/** Bits of the SSL TLV's `client` byte. */
export const SSL_CLIENT_SSL = 0x01;
export const SSL_CLIENT_CERT_CONN = 0x02;
export const SSL_CLIENT_CERT_SESS = 0x04;

/** Longest authority TLV HAProxy keeps; a longer one makes the header invalid. */
export const AUTHORITY_MAX = 255;
/** Longest unique-id TLV (HAProxy's UNIQUEID_LEN). */
export const UNIQUE_ID_MAX = 128;

/** The spec's longest version 1 line: `PROXY TCP6` with two full IPv6 addresses and ports, CRLF included. */
export const V1_MAX_LENGTH = 107;
/**
 * HAProxy peeks at most one buffer (bufsize, 16384 by default) for the header: a longer v2
 * header is never seen whole and fails as truncated.
 */
export const HEADER_BUFFER_SIZE = 16384;

/** HAProxy's log texts for a connection dropped while waiting for the header (conn_err_code_str). */
export const PROXY_ERRORS = {
  empty: 'Connection closed while waiting for PROXY protocol header',
  abort: 'Connection error while waiting for PROXY protocol header',
  timeout: 'Timeout while waiting for PROXY protocol header',
  truncated: 'Truncated PROXY protocol header received',
  notHeader: 'Received something which does not look like a PROXY protocol header',
  badHeader: 'Received an invalid PROXY protocol header',
  badProtocol: 'Received an unhandled protocol in the PROXY protocol header',
} as const;

export type ProxyErrorKind = keyof typeof PROXY_ERRORS;

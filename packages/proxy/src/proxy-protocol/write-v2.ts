// `server … send-proxy-v2 [proxy-v2-options …]`: the version 2 header HAProxy 2.6 writes
// (make_proxy_line_v2). TLVs come in HAProxy's order: CRC32C (proxy-v2-options crc32c, filled
// in last), ALPN (whenever the client connection negotiated one), AUTHORITY (option authority:
// the PROXY authority received, else the client's SNI), UNIQUE_ID (option unique-id), SSL
// (option ssl, with its sub-TLVs as the options ask). Checks and other locally initiated
// connections send LOCAL with no addresses.
import {
  SSL_CLIENT_CERT_CONN, SSL_CLIENT_CERT_SESS, SSL_CLIENT_SSL, TLV_ALPN, TLV_AUTHORITY, TLV_CRC32C, TLV_HEADER_LENGTH, TLV_SSL,
  TLV_SSL_CIPHER, TLV_SSL_CN, TLV_SSL_KEY_ALG, TLV_SSL_SIG_ALG, TLV_SSL_VERSION, TLV_UNIQUE_ID, V2_COMMAND_LOCAL,
  V2_COMMAND_PROXY, V2_FIXED_LENGTH, V2_LOCAL_FAMILY, V2_SIGNATURE, V2_TCP4, V2_TCP6, V2_VERSION,
} from './constants.js';
import { crc32c } from './crc32c.js';
import { endpointPair, type Endpoint } from './endpoint.js';

/** The SSL TLV (`proxy-v2-options ssl`), written only when asked for. */
export interface SslTlvFacts {
  /** The client connection is TLS; when false only the empty SSL TLV is written. */
  tls: boolean;
  /** `TLSv1.3`… (sub-TLV SSL_VERSION, always written for a TLS client). */
  version?: string;
  /** The client sent a certificate during this session / on this connection. */
  certInSession?: boolean;
  certInConnection?: boolean;
  /** Verify result (0 = ok), written when a certificate was sent. */
  verify?: number;
  /** `cert-cn`: the client certificate's CN. */
  cn?: string;
  /** `ssl-cipher`: the negotiated cipher's OpenSSL name. */
  cipher?: string;
  /** `cert-sig`: the signature algorithm of the frontend certificate (sha256WithRSAEncryption…). */
  sigAlg?: string;
  /** `cert-key`: the frontend certificate's key algorithm and size (RSA2048…). */
  keyAlg?: string;
}

export interface ProxyV2Fields {
  src?: Endpoint;
  dst?: Endpoint;
  /** Force LOCAL (health checks and other connections HAProxy opens on its own). */
  local?: boolean;
  /** `proxy-v2-options crc32c`. */
  crc32c?: boolean;
  /** ALPN negotiated on the client connection. */
  alpn?: string;
  /** `proxy-v2-options authority`: the value to send, when there is one. */
  authority?: string;
  /** `proxy-v2-options unique-id`: the stream's unique id. */
  uniqueId?: string;
  /** `proxy-v2-options ssl`. */
  ssl?: SslTlvFacts;
}

export function proxyV2Header(f: ProxyV2Fields): Buffer {
  const pair = f.local ? undefined : endpointPair(f.src, f.dst);
  const parts: Buffer[] = [];
  const fixed = Buffer.alloc(V2_FIXED_LENGTH);
  fixed.set(V2_SIGNATURE, 0);
  parts.push(fixed);
  if (!pair) {
    fixed[12] = V2_VERSION | V2_COMMAND_LOCAL;
    fixed[13] = V2_LOCAL_FAMILY;
  } else {
    fixed[12] = V2_VERSION | V2_COMMAND_PROXY;
    fixed[13] = pair.family === 4 ? V2_TCP4 : V2_TCP6;
    const ports = Buffer.alloc(4);
    ports.writeUInt16BE(pair.srcPort, 0);
    ports.writeUInt16BE(pair.dstPort, 2);
    parts.push(Buffer.from(pair.src.bytes), Buffer.from(pair.dst.bytes), ports);
  }
  let crcAt = -1;
  if (f.crc32c) {
    crcAt = byteLength(parts) + TLV_HEADER_LENGTH;
    parts.push(tlv(TLV_CRC32C, Buffer.alloc(4)));
  }
  if (f.alpn !== undefined) parts.push(tlv(TLV_ALPN, Buffer.from(f.alpn, 'latin1')));
  if (f.authority !== undefined) parts.push(tlv(TLV_AUTHORITY, Buffer.from(f.authority, 'latin1')));
  if (f.uniqueId !== undefined) parts.push(tlv(TLV_UNIQUE_ID, Buffer.from(f.uniqueId, 'latin1')));
  if (f.ssl) parts.push(sslTlv(f.ssl));
  const header = Buffer.concat(parts);
  header.writeUInt16BE(header.length - V2_FIXED_LENGTH, 14);
  if (crcAt >= 0) header.writeUInt32BE(crc32c(header), crcAt);
  return header;
}

/** client byte, 4-byte verify, then the sub-TLVs in HAProxy's order. */
function sslTlv(s: SslTlvFacts): Buffer {
  let client = 0;
  let verify = 0;
  const subs: Buffer[] = [];
  if (s.tls) {
    client |= SSL_CLIENT_SSL;
    if (s.version !== undefined) subs.push(tlv(TLV_SSL_VERSION, Buffer.from(s.version, 'latin1')));
    if (s.certInSession) {
      client |= SSL_CLIENT_CERT_SESS;
      verify = s.verify ?? 0;
      if (s.certInConnection) client |= SSL_CLIENT_CERT_CONN;
    }
    if (s.cn !== undefined) subs.push(tlv(TLV_SSL_CN, Buffer.from(s.cn, 'utf8')));
    if (s.keyAlg !== undefined) subs.push(tlv(TLV_SSL_KEY_ALG, Buffer.from(s.keyAlg, 'latin1')));
    if (s.sigAlg !== undefined) subs.push(tlv(TLV_SSL_SIG_ALG, Buffer.from(s.sigAlg, 'latin1')));
    if (s.cipher !== undefined) subs.push(tlv(TLV_SSL_CIPHER, Buffer.from(s.cipher, 'latin1')));
  }
  const head = Buffer.alloc(5);
  head[0] = client;
  head.writeUInt32BE(verify >>> 0, 1);
  return tlv(TLV_SSL, Buffer.concat([head, ...subs]));
}

function tlv(type: number, value: Buffer): Buffer {
  const h = Buffer.alloc(TLV_HEADER_LENGTH);
  h[0] = type;
  h.writeUInt16BE(value.length, 1);
  return Buffer.concat([h, value]);
}

function byteLength(parts: readonly Buffer[]): number {
  return parts.reduce((n, p) => n + p.length, 0);
}

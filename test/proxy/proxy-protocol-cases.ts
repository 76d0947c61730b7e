// PROXY headers shared by the reader's unit tests and the differential tests against HAProxy:
// valid ones with what they mean, malformed ones with the kind of failure, and the lines
// HAProxy 2.6 accepts by reading garbage into an address, which haplo refuses on purpose.
import { crc32c } from '../../packages/proxy/src/proxy-protocol/index.js';

export const SIG = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
export const v2 = (verCmd: number, fam: number, body: Buffer): Buffer => {
  const h = Buffer.alloc(16);
  SIG.copy(h);
  h[12] = verCmd;
  h[13] = fam;
  h.writeUInt16BE(body.length, 14);
  return Buffer.concat([h, body]);
};
export const tlv = (type: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([type, value.length >> 8, value.length & 255]), value]);
export const IP4 = Buffer.from([10, 1, 2, 3, 10, 9, 8, 7, 0x30, 0x39, 0x01, 0xbb]);
export const IP6 = Buffer.concat([Buffer.alloc(15), Buffer.from([1]), Buffer.from('20010db8000000000000000000000002', 'hex'), Buffer.from([0, 1, 0, 2])]);
const withCrc = (h: Buffer, at: number): Buffer => {
  h.writeUInt32BE(crc32c(h), at);
  return h;
};

export interface Valid {
  name: string;
  bytes: Buffer;
  expect: { kind: 'proxy'; src: string; srcPort: number; dst: string; dstPort: number; authority?: string; uniqueId?: string } | { kind: 'local' };
}

export const VALID: Valid[] = [
  { name: 'v1 TCP4', bytes: Buffer.from('PROXY TCP4 192.0.2.1 198.51.100.7 51234 443\r\n'), expect: { kind: 'proxy', src: '192.0.2.1', srcPort: 51234, dst: '198.51.100.7', dstPort: 443 } },
  { name: 'v1 TCP4 leading zeros', bytes: Buffer.from('PROXY TCP4 01.2.3.4 5.6.7.8 01 2\r\n'), expect: { kind: 'proxy', src: '1.2.3.4', srcPort: 1, dst: '5.6.7.8', dstPort: 2 } },
  { name: 'v1 TCP4 extremes', bytes: Buffer.from('PROXY TCP4 255.255.255.255 0.0.0.0 65535 0\r\n'), expect: { kind: 'proxy', src: '255.255.255.255', srcPort: 65535, dst: '0.0.0.0', dstPort: 0 } },
  { name: 'v1 TCP6', bytes: Buffer.from('PROXY TCP6 2001:db8::1 ::1 1 2\r\n'), expect: { kind: 'proxy', src: '2001:db8::1', srcPort: 1, dst: '::1', dstPort: 2 } },
  { name: 'v1 TCP6 long form', bytes: Buffer.from('PROXY TCP6 2001:0db8:0000:0000:0000:0000:0000:0001 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n'), expect: { kind: 'proxy', src: '2001:db8::1', srcPort: 65535, dst: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', dstPort: 65535 } },
  { name: 'v1 TCP6 v4-mapped', bytes: Buffer.from('PROXY TCP6 ::ffff:1.2.3.4 ::ffff:5.6.7.8 1 2\r\n'), expect: { kind: 'proxy', src: '::ffff:1.2.3.4', srcPort: 1, dst: '::ffff:5.6.7.8', dstPort: 2 } },
  { name: 'v1 UNKNOWN', bytes: Buffer.from('PROXY UNKNOWN\r\n'), expect: { kind: 'local' } },
  { name: 'v2 TCP4', bytes: v2(0x21, 0x11, IP4), expect: { kind: 'proxy', src: '10.1.2.3', srcPort: 12345, dst: '10.9.8.7', dstPort: 443 } },
  { name: 'v2 TCP6', bytes: v2(0x21, 0x21, IP6), expect: { kind: 'proxy', src: '::1', srcPort: 1, dst: '2001:db8::2', dstPort: 2 } },
  { name: 'v2 LOCAL', bytes: v2(0x20, 0x00, Buffer.alloc(0)), expect: { kind: 'local' } },
  { name: 'v2 LOCAL with any body', bytes: v2(0x20, 0x00, Buffer.from([2, 0, 9, 1])), expect: { kind: 'local' } },
  { name: 'v2 LOCAL over TCP4', bytes: v2(0x20, 0x11, IP4), expect: { kind: 'local' } },
  {
    name: 'v2 authority + unique-id',
    bytes: v2(0x21, 0x11, Buffer.concat([IP4, tlv(2, Buffer.from('auth.example')), tlv(5, Buffer.from('uid-1'))])),
    expect: { kind: 'proxy', src: '10.1.2.3', srcPort: 12345, dst: '10.9.8.7', dstPort: 443, authority: 'auth.example', uniqueId: 'uid-1' },
  },
  { name: 'v2 authority of 255 bytes', bytes: v2(0x21, 0x11, Buffer.concat([IP4, tlv(2, Buffer.alloc(255, 97))])), expect: { kind: 'proxy', src: '10.1.2.3', srcPort: 12345, dst: '10.9.8.7', dstPort: 443, authority: 'a'.repeat(255) } },
  { name: 'v2 unique-id of 128 bytes', bytes: v2(0x21, 0x11, Buffer.concat([IP4, tlv(5, Buffer.alloc(128, 98))])), expect: { kind: 'proxy', src: '10.1.2.3', srcPort: 12345, dst: '10.9.8.7', dstPort: 443, uniqueId: 'b'.repeat(128) } },
  {
    name: 'v2 SSL TLV with sub-TLVs (skipped)',
    bytes: v2(0x21, 0x11, Buffer.concat([IP4, tlv(0x20, Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), tlv(0x21, Buffer.from('TLSv1.3'))])), tlv(0x04, Buffer.alloc(3)), tlv(0xe0, Buffer.from('custom'))])),
    expect: { kind: 'proxy', src: '10.1.2.3', srcPort: 12345, dst: '10.9.8.7', dstPort: 443 },
  },
  { name: 'v2 good CRC32C', bytes: withCrc(v2(0x21, 0x11, Buffer.concat([IP4, tlv(3, Buffer.alloc(4))])), 16 + 12 + 3), expect: { kind: 'proxy', src: '10.1.2.3', srcPort: 12345, dst: '10.9.8.7', dstPort: 443 } },
  { name: 'v2 TCP6 v4-mapped', bytes: v2(0x21, 0x21, Buffer.concat([Buffer.alloc(10), Buffer.from([255, 255, 9, 8, 7, 6]), Buffer.alloc(15), Buffer.from([2, 0, 1, 0, 2])])), expect: { kind: 'proxy', src: '::ffff:9.8.7.6', srcPort: 1, dst: '::2', dstPort: 2 } },
];

/** Headers HAProxy 2.6 drops (checked against the binary); `error` is the kind of failure. */
export const MALFORMED: { name: string; bytes: Buffer; error: string }[] = [
  { name: 'not a header', bytes: Buffer.from('GET / HTTP/1.1\r\n'), error: 'notHeader' },
  { name: 'lower-case protocol', bytes: Buffer.from('PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n'), error: 'badProtocol' },
  { name: 'UNKNOWN with addresses', bytes: Buffer.from('PROXY UNKNOWN ::1 ::2 1 2\r\n'), error: 'badProtocol' },
  { name: 'TCP4 with IPv6 addresses', bytes: Buffer.from('PROXY TCP4 ::1 5.6.7.8 1 2\r\n'), error: 'badHeader' },
  { name: 'TCP6 with IPv4 addresses', bytes: Buffer.from('PROXY TCP6 1.2.3.4 ::1 1 2\r\n'), error: 'badHeader' },
  { name: 'LF without CR', bytes: Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n'), error: 'badHeader' },
  { name: 'two spaces', bytes: Buffer.from('PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n'), error: 'badHeader' },
  { name: 'letters in a port', bytes: Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 1x 2\r\n'), error: 'badHeader' },
  { name: 'no CRLF within 107 bytes', bytes: Buffer.from(`PROXY TCP6 ${'1'.repeat(101)}`), error: 'badHeader' },
  { name: 'v2 bad signature', bytes: Buffer.concat([Buffer.from('0d0a0d0a000d0a5155495400', 'hex'), Buffer.from([0x21, 0x11, 0, 12]), IP4]), error: 'notHeader' },
  { name: 'v2 version 1', bytes: v2(0x11, 0x11, IP4), error: 'notHeader' },
  { name: 'v2 command 2', bytes: v2(0x22, 0x11, IP4), error: 'badHeader' },
  { name: 'v2 PROXY over UNSPEC', bytes: v2(0x21, 0x00, Buffer.alloc(0)), error: 'badHeader' },
  { name: 'v2 PROXY over UDP4', bytes: v2(0x21, 0x12, IP4), error: 'badHeader' },
  { name: 'v2 PROXY over UNIX', bytes: v2(0x21, 0x31, Buffer.alloc(216)), error: 'badHeader' },
  { name: 'v2 TCP4 address too short', bytes: v2(0x21, 0x11, IP4.subarray(0, 8)), error: 'badHeader' },
  { name: 'v2 TLV past the end', bytes: v2(0x21, 0x11, Buffer.concat([IP4, Buffer.from([2, 0, 50, 1, 2])])), error: 'badHeader' },
  { name: 'v2 stray TLV bytes', bytes: v2(0x21, 0x11, Buffer.concat([IP4, Buffer.from([2, 0])])), error: 'badHeader' },
  { name: 'v2 wrong CRC32C', bytes: v2(0x21, 0x11, Buffer.concat([IP4, tlv(3, Buffer.from([1, 2, 3, 4]))])), error: 'badHeader' },
  { name: 'v2 CRC32C of 5 bytes', bytes: v2(0x21, 0x11, Buffer.concat([IP4, tlv(3, Buffer.from([1, 2, 3, 4, 5]))])), error: 'badHeader' },
  { name: 'v2 authority of 256 bytes', bytes: v2(0x21, 0x11, Buffer.concat([IP4, tlv(2, Buffer.alloc(256, 97))])), error: 'badHeader' },
  { name: 'v2 unique-id of 129 bytes', bytes: v2(0x21, 0x11, Buffer.concat([IP4, tlv(5, Buffer.alloc(129, 97))])), error: 'badHeader' },
];

/** Lines HAProxy 2.6 accepts by reading garbage into an address; haplo refuses them on purpose. */
export const STRICTER: { name: string; bytes: Buffer; haproxySrc: string }[] = [
  { name: 'three-part IPv4', bytes: Buffer.from('PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n'), haproxySrc: '1.2.3.0' },
  { name: 'octet above 255', bytes: Buffer.from('PROXY TCP4 1.2.3.999 5.6.7.8 1 2\r\n'), haproxySrc: '1.2.6.231' },
  { name: 'port above 65535', bytes: Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 70000 2\r\n'), haproxySrc: '1.2.3.4' },
  { name: 'TCP6 extra field', bytes: Buffer.from('PROXY TCP6 ::1 ::2 1 2 extra\r\n'), haproxySrc: '::1' },
];


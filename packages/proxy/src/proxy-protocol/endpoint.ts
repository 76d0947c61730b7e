// An address and port given to the header writers, parsed into bytes so both writers can
// decide the family as HAProxy does: IPv4 on both sides stays IPv4, anything else becomes IPv6
// with IPv4 mapped into it (`::ffff:a.b.c.d`).
import { mapV4ToV6, parseAddress, type Address } from '@haplo/sim';

export interface Endpoint {
  address: string;
  port: number;
}

export interface EndpointPair {
  family: 4 | 6;
  src: Address;
  dst: Address;
  srcPort: number;
  dstPort: number;
}

/** Both ends in one family, or undefined when either is not an IP address (a UNIX socket…). */
export function endpointPair(src: Endpoint | undefined, dst: Endpoint | undefined): EndpointPair | undefined {
  if (!src || !dst) return undefined;
  const s = parseAddress(src.address);
  const d = parseAddress(dst.address);
  if (!s || !d) return undefined;
  const family = s.family === 4 && d.family === 4 ? 4 : 6;
  return {
    family,
    src: family === 4 ? s : mapV4ToV6(s),
    dst: family === 4 ? d : mapV4ToV6(d),
    srcPort: src.port & 0xffff,
    dstPort: dst.port & 0xffff,
  };
}

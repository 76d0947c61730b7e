// `server … send-proxy`: the version 1 line HAProxy 2.6 writes (make_proxy_line_v1), e.g.
// `PROXY TCP4 192.0.2.1 198.51.100.7 51234 443\r\n`, or `PROXY UNKNOWN\r\n` when either
// address is not IPv4/IPv6. Addresses are written as glibc's inet_ntop writes them.
import { formatAddress } from '@haplo/sim';
import { endpointPair, type Endpoint } from './endpoint.js';

export function proxyV1Header(src: Endpoint | undefined, dst: Endpoint | undefined): Buffer {
  const pair = endpointPair(src, dst);
  if (!pair) return Buffer.from('PROXY UNKNOWN\r\n', 'latin1');
  const protocol = pair.family === 4 ? 'TCP4' : 'TCP6';
  return Buffer.from(`PROXY ${protocol} ${formatAddress(pair.src)} ${formatAddress(pair.dst)} ${pair.srcPort} ${pair.dstPort}\r\n`, 'latin1');
}

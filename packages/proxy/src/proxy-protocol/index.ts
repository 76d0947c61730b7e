// The PROXY protocol (versions 1 and 2): reading the header a load balancer in front sends
// (`bind … accept-proxy`) and writing the one HAProxy sends to servers (`send-proxy[-v2]`).
export { readProxyHeader } from './read-header.js';
export { acceptProxyHeader, type AcceptedProxyHeader, type AcceptHeaderOptions } from './accept-header.js';
export { proxyV1Header } from './write-v1.js';
export { proxyV2Header, type ProxyV2Fields, type SslTlvFacts } from './write-v2.js';
export type { Endpoint } from './endpoint.js';
export type { ProxyHeaderResult, ProxiedAddresses, ProxyTlv } from './header-result.js';
export { crc32c } from './crc32c.js';
export * from './constants.js';
export { proxySendPlan, proxyHeaderFor, type ProxySendPlan, type ProxySendFacts } from './server-send.js';

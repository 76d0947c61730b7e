// The upstream layer: connections to servers (pools, connect timeouts, retries, redispatch) and
// the backend queues. See upstreams.ts.
export { createUpstreams, type PooledUpstreams, type ServerConnectionCounts, type UpstreamOptions } from './upstreams.js';
export type { ConnectOptions, ConnectDone } from './connect-attempt.js';
export { netConnector, type Connector } from './connector.js';
export type { ConnectTarget } from './server-target.js';
export { backendSettings, type BackendSettings } from './backend-settings.js';
export { classifyConnectError, errorText } from './failures.js';

// @haplo/proxy: `haplo run`, a live HTTP/1.1 and TCP reverse proxy driven by the simulator's
// compiled pipeline. The process and its parts, for embedding and tests.
export { ProxyProcess, type ProxyProcessOptions, type ListenerInfo, type ProcessService } from './process/proxy-process.js';
export { defaultProcessOptions } from './process/defaults.js';
export { createContext, type UpstreamsFactory } from './process/context.js';
export { originOf, type ClientSession, type ClientOrigin, type SessionFactory } from './process/client-session.js';
export type * from './process/types.js';
export type * from './http/types.js';
export { loadConfig, renderDiagnostic, type LoadedConfig, type LoadOutcome, type LoadRequest } from './config/load-config.js';
export { proxySettings, proxyTimeouts } from './config/proxy-settings.js';
export { globalSettings } from './config/global-settings.js';
export { bindAddresses, type ListenAddress } from './listen/bind-addresses.js';
export { startHttpSession } from './session/http-session.js';
export { main } from './cli.js';
export * from './tls/index.js';
export * from './proxy-protocol/index.js';

// TLS for `haplo run`: certificates and settings of `bind … ssl` and `server … ssl` lines,
// loaded once (with diagnostics that stop the start), the server-side handshake on accepted
// sockets, and the handshake's facts for the simulator's ssl_* fetches.
export { loadTls, type LoadedTls } from './load-tls.js';
export { loadBindTls, createTlsListenerOptions, type BindTls, type BindTlsSetup, type BindCertificate, type ClientVerify } from './bind-tls.js';
export { loadServerTls, type ServerTls, type ServerTlsSetup } from './server-tls.js';
export { acceptTls, TLS_ERRORS, type AcceptedTls } from './accept-tls.js';
export { tlsInfoOf, oneLineDn } from './tls-info.js';
export { tlsGlobals, type TlsGlobals } from './tls-globals.js';
export { TLS_CODES, hasErrors } from './tls-diagnostic.js';
export { SniSelector, type SniCandidate } from './sni-selector.js';
export { parseCrtList, type CrtListLine } from './crt-list.js';
export { loadPemCertificate, type LoadedCertificate } from './pem-certificate.js';

// The upstream layer as one client connection sees it: every connect carries the client's
// origin (addresses after any PROXY header, TLS facts), which `send-proxy` writes to the server
// and `sni <expr>` may read. Used only when some server of the configuration needs them, so
// the common case pays nothing.
import type { ClientOrigin } from '../process/client-session.js';
import type { ProxyContext, Upstreams } from '../process/types.js';

export function clientUpstreams(upstreams: Upstreams, client: ClientOrigin): Upstreams {
  // Object.create keeps every other member (pool stats…) as the shared layer has them.
  const own = Object.create(upstreams) as Upstreams;
  own.connect = (backend, server, redispatch, done, options) =>
    upstreams.connect(backend, server, redispatch, done, options ? { ...options, client } : { client });
  return own;
}

/** `ctx` with upstreams that know `client`; everything else is shared. */
export function clientContext(ctx: ProxyContext, client: ClientOrigin): ProxyContext {
  const own = Object.create(ctx) as ProxyContext;
  own.upstreams = clientUpstreams(ctx.upstreams, client);
  return own;
}

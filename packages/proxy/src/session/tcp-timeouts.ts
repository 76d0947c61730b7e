// The inactivity timeouts of a tunnel between a frontend's client and a backend's server, as
// HAProxy 2.6 applies them (checked against the binary, TCP mode):
//  - `timeout client` (frontend) and `timeout server` (backend) by default;
//  - the backend's `timeout tunnel`, when written, replaces both once the stream is a tunnel
//    (TCP mode: as soon as the content inspection is over; HTTP: after an upgrade);
//  - `timeout client-fin` / `server-fin` apply to a half-closed side only when written: without
//    them a half-closed side keeps the tunnel (or client/server) timeout. ProxySettings fills
//    them with client/server when unset, so whether they were written is read from the model.
import type { CompiledProxy } from '@haplo/sim';
import type { ProxyContext } from '../process/types.js';
import type { TunnelTimeouts } from './tunnel.js';

export function tunnelTimeouts(cx: ProxyContext, frontend: CompiledProxy, backend: CompiledProxy): TunnelTimeouts {
  const fe = cx.settings(frontend).timeouts;
  const be = cx.settings(backend).timeouts;
  const tunnel = be.tunnel;
  return {
    client: tunnel ?? fe.client,
    server: tunnel ?? be.server,
    clientFin: written(frontend, 'client-fin') ? fe.clientFin : undefined,
    serverFin: written(backend, 'server-fin') ? be.serverFin : undefined,
  };
}

function written(p: CompiledProxy, name: string): boolean {
  const v = p.model.timeouts.get(name)?.value;
  return v !== undefined && v > 0;
}

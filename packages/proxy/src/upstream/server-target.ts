// Where a server's connections go, read once from its `server` line: `host:port`, a UNIX socket
// path, or why it cannot be reached (no port written, an unsupported family). Host names are
// resolved once, on first use, as HAProxy resolves them once at start-up (libc, no resolvers).
import { lookup } from 'node:dns';
import type { ServerModel } from '@haplo/parser';

export type ConnectTarget =
  | { kind: 'inet'; host: string; port: number }
  | { kind: 'unix'; path: string };

export interface ServerTarget {
  /** Ready to use (an address, or a UNIX path); undefined until a host name is resolved. */
  target?: ConnectTarget;
  /** Set when the server can never be reached by this proxy. */
  unusable?: string;
  /** A host name still to resolve (dns.lookup), with the port. */
  pending?: { host: string; port: number };
}

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/;

/** The connect target of a server, or why there is none. */
export function serverTarget(s: ServerModel, overrides: { host?: string; port?: number } = {}): ServerTarget {
  const family = s.family;
  if (family === 'unix') return s.host ? { target: { kind: 'unix', path: s.host } } : { unusable: 'no socket path' };
  if (family && family !== 'ipv4' && family !== 'ipv6') return { unusable: `address family '${family}' is not supported` };
  const port = overrides.port ?? s.port;
  // No port (or a +N/-N offset): HAProxy uses the client's destination port, which the
  // upstream layer is not given.
  if (port === undefined) return { unusable: 'the server has no port (port offsets are not supported)' };
  let host = overrides.host ?? s.host ?? '';
  if (host === '' || host === '*') host = family === 'ipv6' ? '::' : '0.0.0.0';
  if (IP_LITERAL.test(host)) return { target: { kind: 'inet', host, port } };
  return { pending: { host, port } };
}

/** Resolves a pending host name once; later callers get the same answer. */
export function resolveTarget(t: ServerTarget, done: (err: Error | undefined) => void): void {
  const p = t.pending;
  if (!p) return done(t.target ? undefined : new Error(t.unusable ?? 'no address'));
  lookup(p.host, (err, address) => {
    if (t.target) return done(undefined);
    if (err) return done(err);
    t.target = { kind: 'inet', host: address, port: p.port };
    t.pending = undefined;
    done(undefined);
  });
}

// Every socket a frontend's `bind` lines ask for: one per address and per port of a range
// (`bind 127.0.0.1:8000-8010,[::1]:8443`). `*` and an empty host listen on every IPv4
// address, `::` (`:::80`, `ipv6@:80`) on every IPv6 one (and IPv4-mapped, as Linux does by
// default); `unix@/path` and plain paths are Unix sockets. Host names resolve when listening.
import type { BindModel, ProxyModel } from '@haplo/parser';

export interface ListenAddress {
  /** The frontend (or listen section) the socket feeds. */
  frontend: string;
  /** What to listen on: an address or host name, or a Unix socket path (`port` 0). */
  host: string;
  port: number;
  kind: 'tcp' | 'unix';
  /** The bind address as written, for messages. */
  text: string;
  bind: BindModel;
}

export type BindExpansion = { ok: true; addresses: ListenAddress[] } | { ok: false; message: string };

/** The families the model gives (model/addresses.ts) that haplo run cannot listen on. */
const UNSUPPORTED = new Set(['abns', 'fd', 'sockpair']);

/** The sockets of one frontend; a bind haplo cannot serve (abns@, fd@, quic…) is an error. */
export function bindAddresses(p: ProxyModel): BindExpansion {
  const out: ListenAddress[] = [];
  for (const bind of p.binds) {
    if (!bind.statement.line.active) continue;
    for (const a of bind.addresses) {
      const where = `bind '${a.text}' of '${p.name}'`;
      if (a.family === 'unix') {
        out.push({ frontend: p.name, host: a.host, port: 0, kind: 'unix', text: a.text, bind });
        continue;
      }
      if (a.family !== undefined && UNSUPPORTED.has(a.family)) return { ok: false, message: `${where}: '${a.family}@' addresses are not supported by haplo run` };
      if (a.portStart === undefined) {
        if (a.host.startsWith('/')) {
          out.push({ frontend: p.name, host: a.host, port: 0, kind: 'unix', text: a.text, bind });
          continue;
        }
        return { ok: false, message: `${where}: no port` };
      }
      const end = a.portEnd ?? a.portStart;
      if (a.portStart < 1 || end > 65535 || end < a.portStart) return { ok: false, message: `${where}: invalid port range` };
      const host = listenHost(a.host, a.family);
      for (let port = a.portStart; port <= end; port++) out.push({ frontend: p.name, host, port, kind: 'tcp', text: a.text, bind });
    }
  }
  return { ok: true, addresses: out };
}

function listenHost(host: string, family: string | undefined): string {
  if (host === '' || host === '*') return family === 'ipv6' ? '::' : '0.0.0.0';
  return host;
}

/** `127.0.0.1:80`, `[::1]:80`, `/run/x.sock`: how a ready line shows a socket. */
export function formatAddress(host: string, port: number, kind: 'tcp' | 'unix'): string {
  if (kind === 'unix') return host;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

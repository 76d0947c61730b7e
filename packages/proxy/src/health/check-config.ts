// A server's health-check settings read from its `server` line (default-server presets merged),
// its backend's timeouts and `option httpchk`/`http-check` lines. HAProxy 2.6 defaults: inter
// 2000 ms (fastinter and downinter fall back to it), rise 2, fall 3; `addr`/`port` redirect only
// the check.
import type { ProxyModel, ServerModel } from '@haplo/parser';
import type { ServerTls } from '../tls/server-tls.js';
import { serverTarget, type ServerTarget } from '../upstream/server-target.js';
import { checkTransportOf, type CheckTransport } from './check-transport.js';
import { httpCheckOf, type HttpCheck } from './http-check.js';

export interface CheckConfig {
  backend: string;
  server: string;
  backup: boolean;
  /** `disabled`: the server stays in MAINT and is not checked. */
  disabled: boolean;
  target: ServerTarget;
  inter: number;
  fastinter: number | undefined;
  downinter: number | undefined;
  rise: number;
  fall: number;
  connectTimeout: number | undefined;
  checkTimeout: number | undefined;
  http: HttpCheck | undefined;
  /** A PROXY header and/or TLS before the check's own bytes (check-transport.ts). */
  transport: CheckTransport | undefined;
}

export const DEFAULT_INTER = 2000;
export const DEFAULT_RISE = 2;
export const DEFAULT_FALL = 3;

const UNITS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `100ms`, `2s`, `500` (milliseconds by default). */
export function parseDuration(text: string | undefined): number | undefined {
  const m = text ? /^(\d+)(us|ms|s|m|h|d)?$/.exec(text) : null;
  return m ? Number(m[1]) * UNITS[m[2] ?? 'ms']! : undefined;
}

function option(s: ServerModel, name: string): string | undefined {
  return s.options.get(name)?.[0]?.value;
}

function positiveInt(text: string | undefined): number | undefined {
  return text && /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}

const timeout = (p: ProxyModel, name: string): number | undefined => {
  const v = p.timeouts.get(name)?.value;
  return v ? v : undefined;
};

/**
 * The check settings of every server with `check` in `proxy` (server templates are skipped).
 * `tls`: the servers' loaded TLS settings (`ssl`, `check-ssl`).
 */
export function checkConfigs(proxy: ProxyModel, tls?: ReadonlyMap<ServerModel, ServerTls>): CheckConfig[] {
  const out: CheckConfig[] = [];
  let http: HttpCheck | undefined | null = null;
  for (const s of proxy.servers) {
    if (!s.check || s.template) continue;
    if (http === null) http = httpCheckOf(proxy);
    const inter = parseDuration(option(s, 'inter')) || DEFAULT_INTER;
    const portText = option(s, 'port');
    const port = positiveInt(portText);
    const addr = option(s, 'addr');
    out.push({
      backend: proxy.name,
      server: s.name,
      backup: s.backup,
      disabled: s.disabled,
      target: serverTarget(s, { port, host: addr }),
      inter,
      fastinter: parseDuration(option(s, 'fastinter')) || undefined,
      downinter: parseDuration(option(s, 'downinter')) || undefined,
      rise: positiveInt(option(s, 'rise')) ?? DEFAULT_RISE,
      fall: positiveInt(option(s, 'fall')) ?? DEFAULT_FALL,
      connectTimeout: timeout(proxy, 'connect'),
      checkTimeout: timeout(proxy, 'check'),
      http,
      transport: checkTransportOf(s, tls?.get(s)),
    });
  }
  return out;
}

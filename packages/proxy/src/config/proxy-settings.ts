// What one frontend, backend or listen runs with, read once from the model. Timeouts carry
// HAProxy 2.6's fallbacks already applied (reference §7, checked against the binary):
// http-request → client; http-keep-alive → http-request → client; queue → connect;
// client-fin → client; server-fin → server. `tunnel` stays unset when not written: a tunnel then
// keeps the client and server inactivity timeouts.
import type { ProxyModel } from '@haplo/parser';
import { httpConnectionMode } from '@haplo/sim';
import type { ProxySettings, ProxyTimeouts } from '../process/types.js';
import { effectiveStatement } from './statements.js';
import { parseCount, parseTime } from './units.js';

/** HAProxy's default `retries`. */
export const DEFAULT_RETRIES = 3;

export function proxySettings(p: ProxyModel): ProxySettings {
  const redispatch = p.options.get('redispatch');
  return {
    name: p.name,
    mode: p.mode === 'http' ? 'http' : 'tcp',
    timeouts: proxyTimeouts(p),
    maxconn: parseCount(effectiveStatement(p, 'maxconn')?.args[0]?.value) ?? 0,
    retries: parseCount(effectiveStatement(p, 'retries')?.args[0]?.value) ?? DEFAULT_RETRIES,
    redispatch: redispatch?.value === true && redispatchInterval(p) !== 0,
    inspectDelay: parseTime(effectiveStatement(p, 'tcp-request inspect-delay')?.args[0]?.value) ?? 0,
    bufferRequest: p.options.get('http-buffer-request')?.value === true,
    connectionMode: httpConnectionMode(p),
  };
}

/** `option redispatch <N>`: 0 disables it; unset means the last retry (1). */
function redispatchInterval(p: ProxyModel): number {
  const st = p.options.get('redispatch')?.statement;
  if (!st) return 1;
  const text = st.args[st.keywordWords.length > 1 ? 0 : 1]?.value;
  if (text === undefined) return 1;
  const n = Number(text);
  return Number.isFinite(n) ? n : 1;
}

export function proxyTimeouts(p: ProxyModel): ProxyTimeouts {
  const t = (name: string): number | undefined => {
    const v = p.timeouts.get(name)?.value;
    // `timeout x 0` means no timeout, as unset.
    return v === undefined || v === 0 ? undefined : v;
  };
  const client = t('client');
  const server = t('server');
  const connect = t('connect');
  const httpRequest = t('http-request') ?? client;
  return {
    client,
    server,
    connect,
    httpRequest,
    httpKeepAlive: t('http-keep-alive') ?? httpRequest,
    queue: t('queue') ?? connect,
    tunnel: t('tunnel'),
    clientFin: t('client-fin') ?? client,
    serverFin: t('server-fin') ?? server,
    check: t('check'),
  };
}

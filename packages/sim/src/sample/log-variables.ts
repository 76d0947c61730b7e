// The `%x` log-format variables the stream context can answer (HAProxy doc §8.2.4).
import { formatAddress } from './address.js';
import type { StreamContext } from '../stream/context.js';
import { strftime } from '../converters/time.js';
import { uriPath, uriQuery } from '../stream/uri.js';

type LogVar = (ctx: StreamContext) => string;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** `10/Oct/2000:13:55:36.123` in local time. */
function acceptDate(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

const VARS: Record<string, LogVar> = {
  ci: (ctx) => formatAddress(ctx.conn.src),
  cp: (ctx) => String(ctx.conn.srcPort),
  fi: (ctx) => formatAddress(ctx.conn.dst),
  fp: (ctx) => String(ctx.conn.dstPort),
  f: (ctx) => ctx.frontend,
  ft: (ctx) => ctx.frontend + (ctx.conn.tls ? '~' : ''),
  b: (ctx) => ctx.backend ?? ctx.frontend,
  s: (ctx) => ctx.server ?? '<NOSRV>',
  H: (ctx) => ctx.hostname,
  ID: (ctx) => ctx.uniqueId ?? '',
  HM: (ctx) => ctx.received?.method ?? '',
  HU: (ctx) => ctx.received?.uri ?? '',
  HP: (ctx) => (ctx.received ? (uriPath(ctx.received.uri) ?? '') : ''),
  HQ: (ctx) => {
    const q = ctx.received ? uriQuery(ctx.received.uri) : undefined;
    return q === undefined ? '' : `?${q}`;
  },
  HV: (ctx) => (ctx.received ? `HTTP/${ctx.received.version}` : ''),
  r: (ctx) => (ctx.received ? `${ctx.received.method} ${ctx.received.uri} HTTP/${ctx.received.version}` : ''),
  ST: (ctx) => (ctx.response ? String(ctx.response.status) : ''),
  t: (ctx) => acceptDate(ctx.now()),
  T: (ctx) => strftime('%d/%b/%Y:%H:%M:%S +0000', Math.floor(ctx.now() / 1000), true),
  Ts: (ctx) => String(Math.floor(ctx.now() / 1000)),
  tr: (ctx) => acceptDate(ctx.now()),
};

export function logVariable(name: string): LogVar | undefined {
  return VARS[name];
}

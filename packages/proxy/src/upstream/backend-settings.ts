// What the upstream layer needs to know about one backend, read once: connect and queue
// timeouts, `retries`, `option redispatch [N]`, and whether its balancing is of HAProxy's
// round-robin kind (which lets a retry go straight to another server, see connect-attempt.ts).
import type { ProxyModel, Statement } from '@haplo/parser';
import type { ProxySettings } from '../process/types.js';

export interface BackendSettings {
  name: string;
  /** `timeout connect` in ms; undefined: none (HAProxy then waits for the kernel). */
  connectTimeout: number | undefined;
  /** `timeout queue`, else `timeout connect`; undefined: neither set. */
  queueTimeout: number | undefined;
  /** `retries` (HAProxy's default 3): attempts = retries + 1. */
  retries: number;
  /**
   * `option redispatch [N]` as HAProxy stores it: 0 off; N > 0 every Nth retry; N < 0 the
   * |N|th retry before the last (-1, the default argument, is the last retry).
   */
  redispatchAfter: number;
  /** roundrobin / static-rr (HAProxy's BE_LB_KIND_RR). */
  roundRobin: boolean;
}

export const DEFAULT_RETRIES = 3;

/** The last active, unmodified line of `keyword`, own section first, then its defaults. */
function effective(p: ProxyModel, keyword: string): Statement | undefined {
  for (let q: ProxyModel | undefined = p; q; q = q.defaults) {
    for (let i = q.statements.length - 1; i >= 0; i--) {
      const s = q.statements[i]!;
      if (s.keyword === keyword && s.line.active && !s.modifier) return s;
    }
  }
  return undefined;
}

const positiveTime = (v: number | undefined): number | undefined => (v === undefined || v === 0 ? undefined : v);

function redispatchAfter(p: ProxyModel): number {
  const opt = p.options.get('redispatch');
  if (!opt?.value) return 0;
  const st = opt.statement;
  const text = st.args[st.keywordWords.length > 1 ? 0 : 1]?.value;
  if (text === undefined || !/^-?\d+$/.test(text)) return -1;
  return Number(text);
}

/** Reads a backend's settings; `settings` (the process's reader) wins for what it knows. */
export function backendSettings(p: ProxyModel, settings?: ProxySettings): BackendSettings {
  const connect = settings ? positiveTime(settings.timeouts.connect) : positiveTime(p.timeouts.get('connect')?.value);
  const queue = settings ? positiveTime(settings.timeouts.queue) : positiveTime(p.timeouts.get('queue')?.value);
  const retriesText = effective(p, 'retries')?.args[0]?.value;
  const retries = settings?.retries ?? (retriesText && /^\d+$/.test(retriesText) ? Number(retriesText) : DEFAULT_RETRIES);
  let redispatch = redispatchAfter(p);
  if (settings && !settings.redispatch) redispatch = 0;
  const algorithm = p.balance?.value.algorithm ?? 'roundrobin';
  return {
    name: p.name,
    connectTimeout: connect,
    queueTimeout: queue ?? connect,
    retries,
    redispatchAfter: redispatch,
    roundRobin: algorithm === 'roundrobin' || algorithm === 'static-rr',
  };
}

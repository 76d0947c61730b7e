// Server state within a Runtime: administrative/operational state, user weight, connection
// counts. Balancers read these and are told when they change.
import type { ProxyModel } from '@haplo/parser';

/** UP serves; DRAIN only takes persistent traffic (weight 0); DOWN (failed checks) and MAINT are stopped. */
export type ServerStatus = 'UP' | 'DOWN' | 'MAINT' | 'DRAIN';

export interface ServerState {
  name: string;
  /** Numeric id (`id N`, else HAProxy's automatic numbering): orders `first`, keys consistent hashing and stick tables. */
  id: number;
  /** Position in the backend's declaration order. */
  index: number;
  backup: boolean;
  status: ServerStatus;
  /** Current user weight (0–256). */
  weight: number;
  initialWeight: number;
  cookie?: string;
  /** 0 = unlimited. */
  maxconn: number;
  /** Requests currently being served (HAProxy's `served`). */
  served: number;
  /** Requests ever sent to it. */
  total: number;
  /** `non-stick`: stick store rules skip it. */
  nonStick: boolean;
}

/** Usable by load balancing: running with a non-zero weight (srv_willbe_usable). */
export const lbUsable = (s: ServerState): boolean => s.status === 'UP' && s.weight > 0;

/** Not stopped: persistence (use-server, cookie, stick) may still send traffic to it. */
export const running = (s: ServerState): boolean => s.status === 'UP' || s.status === 'DRAIN';

/** Has a free connection slot (maxconn; queues are not simulated). */
export const hasRoom = (s: ServerState): boolean => s.maxconn === 0 || s.served < s.maxconn;

function optionInt(words: { value: string }[] | undefined): number | undefined {
  const v = words?.[0]?.value;
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** The servers of a proxy with HAProxy's id assignment (explicit `id`, then first free from 1). */
export function initialServers(p: ProxyModel): ServerState[] {
  const explicit = p.servers.map((s) => optionInt(s.options.get('id')));
  const used = new Set(explicit.filter((x): x is number => x !== undefined));
  let next = 1;
  return p.servers.map((s, index) => {
    let id = explicit[index];
    if (id === undefined) {
      while (used.has(next)) next++;
      id = next;
      used.add(id);
    }
    next++;
    return {
      name: s.name,
      id,
      index,
      backup: s.backup,
      status: s.disabled ? 'MAINT' : 'UP',
      weight: s.weight,
      initialWeight: s.weight,
      cookie: s.cookie,
      maxconn: s.maxconn ?? 0,
      served: 0,
      total: 0,
      nonStick: s.options.has('non-stick'),
    };
  });
}

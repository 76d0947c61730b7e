// What a stats report reads besides the counters, found from a generation's context: the
// health checks (registered by their service), the upstream queues, server admin history.
import type { Pipeline, SimRuntime } from '@haplo/sim';
import type { HealthChecks } from '../health/index.js';
import type { ProxyContext, ProxySettings } from '../process/types.js';
import type { ServerConnectionCounts } from '../upstream/index.js';
import { statsOf, type ProxyStats } from './counters.js';

/** Per-server facts the Runtime does not keep: when the state last changed, MAINT history. */
export interface ServerHistory {
  /** Wall-clock ms of the last operator change (set server…), 0 when none. */
  changedAt: number;
  /** Went through MAINT (HAProxy zeroes the health of an unchecked server then). */
  maintained: boolean;
  /** Admin flags set by the operator: 1 FMAINT, 8 FDRAIN (srv_admin_state). */
  admin: number;
}

export interface StatsSource {
  pipeline: Pipeline;
  runtime: SimRuntime;
  stats: ProxyStats;
  health?: HealthChecks;
  settings(proxy: Pipeline['proxies'][number]): ProxySettings;
  globalMaxconn: number;
  queued(backend: string): number;
  connections(backend: string, server: string): ServerConnectionCounts;
  history(backend: string, server: string): ServerHistory;
  now(): number;
}

const healthByRuntime = new WeakMap<SimRuntime, HealthChecks>();
const histories = new WeakMap<SimRuntime, Map<string, ServerHistory>>();

/** The health checks service registers its handle so the stats can read `states()`. */
export function registerHealth(rt: SimRuntime, health: HealthChecks | undefined): void {
  if (health) healthByRuntime.set(rt, health);
  else healthByRuntime.delete(rt);
}

export function serverHistory(rt: SimRuntime, backend: string, server: string): ServerHistory {
  let m = histories.get(rt);
  if (!m) histories.set(rt, (m = new Map()));
  const key = `${backend}/${server}`;
  let h = m.get(key);
  if (!h) m.set(key, (h = { changedAt: 0, maintained: false, admin: 0 }));
  return h;
}

type CountingUpstreams = { queued?(backend: string): number; connections?(backend: string, server: string): ServerConnectionCounts | undefined };
const NO_CONNECTIONS: ServerConnectionCounts = { idle: 0, safe: 0, used: 0, needed: 0 };

export function statsSource(ctx: ProxyContext): StatsSource {
  const up = ctx.upstreams as unknown as CountingUpstreams;
  return {
    pipeline: ctx.pipeline,
    runtime: ctx.runtime,
    stats: statsOf(ctx.runtime),
    health: healthByRuntime.get(ctx.runtime),
    settings: (p) => ctx.settings(p),
    globalMaxconn: ctx.global.maxconn,
    queued: (b) => up.queued?.(b) ?? 0,
    connections: (b, s) => up.connections?.(b, s) ?? NO_CONNECTIONS,
    history: (b, s) => serverHistory(ctx.runtime, b, s),
    now: () => Date.now(),
  };
}

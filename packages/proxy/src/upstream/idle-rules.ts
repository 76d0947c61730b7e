// HAProxy 2.6's rules for a server's idle connections (server.c: srv_add_to_idle_list and
// srv_cleanup_idle_conns). A released connection stays idle only while descriptors are not
// running high and the server's connections (used + idle) stay within what it has needed at
// once lately (est_need_conns), or when it is the server's only idle one; every
// pool-purge-delay, half the connections beyond that need are closed and the estimate decays
// towards the last period's peak. So a burst of clients leaves no more idle connections than
// the burst had in flight, and none at all once the process holds many sockets.
import type { ServerModel } from '@haplo/parser';
import { parseCount, parseTime } from '../config/units.js';

/** A server's pool settings: `pool-purge-delay`, `pool-max-conn`, `pool-low-conn`. */
export interface IdleLimits {
  /** Ms between purges; 0 keeps no idle connection (HAProxy's default 5 s). */
  purgeDelay: number;
  /** Idle connections kept at most (Infinity: HAProxy's -1, no limit). */
  maxIdle: number;
  /** Idle connections tolerated beyond the estimated need. */
  lowIdle: number;
}

export const DEFAULT_PURGE_DELAY_MS = 5000;

/** Reads a server's pool settings; `cap` (an option of the upstream layer) bounds pool-max-conn. */
export function idleLimits(s: ServerModel, cap = Infinity): IdleLimits {
  const value = (name: string): string | undefined => s.options.get(name)?.[0]?.value;
  const maxConn = value('pool-max-conn');
  const max = maxConn === '-1' || maxConn === undefined ? Infinity : (parseCount(maxConn) ?? Infinity);
  return {
    purgeDelay: parseTime(value('pool-purge-delay')) ?? DEFAULT_PURGE_DELAY_MS,
    maxIdle: Math.min(max, cap),
    lowIdle: parseCount(value('pool-low-conn')) ?? 0,
  };
}

/** HAProxy's per-server counters; connections in use are those open and not idle. */
export class ConnectionDemand {
  /** Sockets of the server open now (connecting, carrying a stream, or idle). */
  open = 0;
  /** Most connections in use at once since the last purge (max_used_conns). */
  maxUsed = 0;
  /** Connections the server is estimated to need (est_need_conns). */
  estNeed = 0;

  /** One more connection carries a stream (`idle`: the server's idle ones after the change). */
  used(idle: number): void {
    const u = this.open - idle;
    if (this.maxUsed < u) this.maxUsed = u;
    if (this.estNeed < u) this.estNeed = u;
  }
}

/** What the pool holds, as the rules look at it. */
export interface PoolView {
  size: number;
  /** Idle connections that already served a request after their first (HAProxy's safe list). */
  safe: number;
}

/**
 * Whether a released connection goes idle (srv_add_to_idle_list). `safe`: the exchange ending
 * was not the connection's first. `fds`: sockets open in the process now.
 */
export function keepIdle(d: ConnectionDemand, pool: PoolView, limits: IdleLimits, fds: number, thresholds: { low: number; high: number }, safe: boolean): boolean {
  if (limits.purgeDelay <= 0 || fds >= thresholds.high || pool.size >= limits.maxIdle) return false;
  if (pool.safe === 0 && (safe || pool.size === 0)) return true;
  // The connection being released still counts as used here, as in HAProxy.
  const used = d.open - pool.size;
  return fds < thresholds.low && used + pool.size <= Math.max(used, d.estNeed) + limits.lowIdle;
}

/**
 * A purge (srv_cleanup_idle_conns, one thread): how many idle connections to close now; moves
 * the estimate half-way to the period's peak (never below it) and starts a new period.
 */
export function purgeCount(d: ConnectionDemand, idle: number): number {
  if (idle === 0) return 0;
  const used = d.open - idle;
  let exceed = used + idle - Math.max(d.maxUsed, d.estNeed);
  // C's `exceed / 2 + (exceed & 1)`, kept as is: an excess of -1 still closes a connection.
  exceed = Math.trunc(exceed / 2) + (exceed & 1);
  d.estNeed = Math.max(Math.floor((d.estNeed + d.maxUsed) / 2), d.maxUsed);
  d.maxUsed = used;
  return exceed <= 0 ? 0 : Math.min(idle, exceed + 1);
}

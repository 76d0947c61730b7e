// Process-wide settings from the global section: the connection limit, the buffer tunables
// that bound a message head, and the descriptor counts past which idle server connections go.
import type { Model } from '@haplo/parser';
import type { GlobalSettings } from '../process/types.js';
import { lastStatement } from './statements.js';
import { parseCount, parseSize } from './units.js';

/** haplo's global maxconn when none is written (HAProxy derives one from `ulimit -n`). */
export const DEFAULT_GLOBAL_MAXCONN = 4096;

export function globalSettings(model: Model): GlobalSettings {
  const st = model.global.statements;
  const arg = (keyword: string): string | undefined => lastStatement(st, keyword)?.args[0]?.value;
  const bufsize = parseSize(arg('tune.bufsize')) ?? 16384;
  const maxrewrite = parseSize(arg('tune.maxrewrite')) ?? Math.min(1024, bufsize >> 1);
  const maxconn = parseCount(arg('maxconn')) || DEFAULT_GLOBAL_MAXCONN;
  return {
    maxconn,
    bufsize,
    maxrewrite,
    maxHeaders: parseCount(arg('tune.http.maxhdr')) ?? 101,
    idleFds: idleFdThresholds(maxconn, parseCount(arg('tune.pool-low-fd-ratio')) ?? 20, parseCount(arg('tune.pool-high-fd-ratio')) ?? 25),
  };
}

/**
 * HAProxy's pool_low_count and pool_high_count: shares of the descriptors the process may use
 * (maxsock: 10 reserved, two per connection, the poller's and its wake-up pipe's three).
 */
function idleFdThresholds(maxconn: number, lowRatio: number, highRatio: number): { low: number; high: number } {
  const maxsock = 10 + maxconn * 2 + 3;
  return { low: Math.floor((maxsock * lowRatio + 99) / 100), high: Math.floor((maxsock * highRatio + 99) / 100) };
}

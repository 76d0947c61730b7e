// Process-wide settings from the global section: the connection limit and the buffer tunables
// that bound a message head.
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
  return {
    maxconn: parseCount(arg('maxconn')) || DEFAULT_GLOBAL_MAXCONN,
    bufsize,
    maxrewrite,
    maxHeaders: parseCount(arg('tune.http.maxhdr')) ?? 101,
  };
}

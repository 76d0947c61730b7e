// The stats counters as a ProcessService: each generation counts its own streams (a reload
// starts from zero, as a new HAProxy process does).
import type { ProcessService } from '../process/proxy-process.js';
import type { ProxyContext } from '../process/types.js';
import { countStreams } from './observer.js';

export function statsCounters(ctx: ProxyContext): ProcessService {
  let undo: (() => void) | undefined;
  return {
    start: () => {
      undo = countStreams(ctx.runtime);
    },
    stop: () => undo?.(),
  };
}

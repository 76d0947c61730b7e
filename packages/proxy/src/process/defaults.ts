// The standard parts of a running proxy: pooled upstream connections, HTTP and TCP sessions,
// health checks. Tests and `haplo run` share this wiring; a test swaps one part when it needs to.
import { startHealthChecks } from '../health/index.js';
import { startHttpSession } from '../session/http-session.js';
import { startTcpSession } from '../session/tcp-session.js';
import { createUpstreams } from '../upstream/index.js';
import { runtimeApi } from '../runtime-api/service.js';
import { countSessions, countUpstreams, registerHealth, statsCounters } from '../stats/index.js';
import type { ProcessService, ProxyProcessOptions } from './proxy-process.js';
import type { ProxyContext } from './types.js';

export function defaultProcessOptions(): ProxyProcessOptions {
  return {
    // Stats (issue 6): connections and failed connects are counted by these wrappers, streams
    // by the pipeline's observer; the runtime API sockets live as long as the process.
    upstreams: (ctx) => countUpstreams(createUpstreams(ctx.pipeline, ctx.runtime, { settings: ctx.settings, now: ctx.now, tls: ctx.tls, idleFds: ctx.global.idleFds }), ctx.runtime),
    sessions: { http: countSessions(startHttpSession), tcp: countSessions(startTcpSession) },
    services: [healthChecks, statsCounters, runtimeApi()],
  };
}

/** Health checks of every `check` server, updating the Runtime the pipeline balances on. */
function healthChecks(ctx: ProxyContext): ProcessService {
  let running: { stop(): void } | undefined;
  return {
    start: () => {
      // After a reload the Runtime holds the previous checks' verdicts (state-carry.ts).
      const startsDown = (b: string, s: string): boolean => ctx.runtime.serverState(b, s)?.status === 'DOWN';
      const checks = startHealthChecks(ctx.pipeline, ctx.runtime, { now: ctx.now, startsDown, ...(ctx.tls ? { tls: ctx.tls.servers } : {}) });
      running = checks;
      registerHealth(ctx.runtime, checks);
    },
    stop: () => running?.stop(),
  };
}

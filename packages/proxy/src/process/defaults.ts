// The standard parts of a running proxy: pooled upstream connections, HTTP and TCP sessions,
// health checks. Tests and `haplo run` share this wiring; a test swaps one part when it needs to.
import { startHealthChecks } from '../health/index.js';
import { startHttpSession } from '../session/http-session.js';
import { startTcpSession } from '../session/tcp-session.js';
import { createUpstreams } from '../upstream/index.js';
import type { ProcessService, ProxyProcessOptions } from './proxy-process.js';
import type { ProxyContext } from './types.js';

export function defaultProcessOptions(): ProxyProcessOptions {
  return {
    upstreams: (ctx) => createUpstreams(ctx.pipeline, ctx.runtime, { settings: ctx.settings, now: ctx.now }),
    sessions: { http: startHttpSession, tcp: startTcpSession },
    services: [healthChecks],
  };
}

/** Health checks of every `check` server, updating the Runtime the pipeline balances on. */
function healthChecks(ctx: ProxyContext): ProcessService {
  let running: { stop(): void } | undefined;
  return {
    start: () => {
      running = startHealthChecks(ctx.pipeline, ctx.runtime, { now: ctx.now });
    },
    stop: () => running?.stop(),
  };
}

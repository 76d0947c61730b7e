// HAProxy 2.6's idle-connection rules (server.c srv_add_to_idle_list, srv_cleanup_idle_conns):
// a released connection stays idle within the server's estimated need or as its only idle one,
// not past the descriptor marks; a purge closes half the excess and the estimate decays.
import { afterEach, describe, expect, it } from 'vitest';
import { globalSettings } from '../../packages/proxy/src/config/global-settings.js';
import type { UpstreamConnection } from '../../packages/proxy/src/process/types.js';
import { ConnectionDemand, keepIdle, purgeCount, type IdleLimits } from '../../packages/proxy/src/upstream/idle-rules.js';
import { createUpstreams, type PooledUpstreams } from '../../packages/proxy/src/upstream/index.js';
import { checkSources } from '@haplo/parser';
import { pipelineOf, startOrigin, type Origin } from './upstream-helpers.js';

const LIMITS: IdleLimits = { purgeDelay: 5000, maxIdle: Infinity, lowIdle: 0 };
const ROOMY = { low: 1000, high: 1000 };

function demand(open: number, estNeed: number, maxUsed = estNeed): ConnectionDemand {
  const d = new ConnectionDemand();
  d.open = open;
  d.estNeed = estNeed;
  d.maxUsed = maxUsed;
  return d;
}

describe('keeping a released connection idle', () => {
  it('keeps the only idle one, then as many as the server needed at once', () => {
    // 3 in use (the one released among them), none idle: the first always stays.
    expect(keepIdle(demand(3, 3), { size: 0, safe: 0 }, LIMITS, 10, ROOMY, false)).toBe(true);
    // 2 in use + 1 idle ≤ the 3 needed: kept.
    expect(keepIdle(demand(3, 3), { size: 1, safe: 0 }, LIMITS, 10, ROOMY, false)).toBe(true);
    // 2 in use + 2 idle > 3 needed: closed.
    expect(keepIdle(demand(4, 3), { size: 2, safe: 0 }, LIMITS, 10, ROOMY, false)).toBe(false);
    // pool-low-conn tolerates that many beyond the need.
    expect(keepIdle(demand(4, 3), { size: 2, safe: 0 }, { ...LIMITS, lowIdle: 1 }, 10, ROOMY, false)).toBe(true);
  });

  it('keeps a reused (safe) connection when no safe one is idle', () => {
    expect(keepIdle(demand(4, 1), { size: 2, safe: 0 }, LIMITS, 10, ROOMY, true)).toBe(true);
    expect(keepIdle(demand(4, 1), { size: 2, safe: 1 }, LIMITS, 10, ROOMY, true)).toBe(false);
  });

  it('past the low descriptor mark keeps only the first, past the high one none', () => {
    const fds = { low: 100, high: 200 };
    expect(keepIdle(demand(3, 3), { size: 1, safe: 0 }, LIMITS, 150, fds, false)).toBe(false);
    expect(keepIdle(demand(3, 3), { size: 0, safe: 0 }, LIMITS, 150, fds, false)).toBe(true);
    expect(keepIdle(demand(3, 3), { size: 0, safe: 0 }, LIMITS, 200, fds, false)).toBe(false);
  });

  it('keeps none with pool-purge-delay 0 or pool-max-conn reached', () => {
    expect(keepIdle(demand(1, 1), { size: 0, safe: 0 }, { ...LIMITS, purgeDelay: 0 }, 10, ROOMY, false)).toBe(false);
    expect(keepIdle(demand(3, 3), { size: 1, safe: 0 }, { ...LIMITS, maxIdle: 1 }, 10, ROOMY, false)).toBe(false);
  });
});

describe('purging idle connections', () => {
  it('closes half the excess over the need (plus one, as one thread does) and decays the estimate', () => {
    // 10 idle, none in use, need estimated at 4, peak this period 2: excess 6 → 3 + 1 closed.
    const d = demand(10, 4, 2);
    expect(purgeCount(d, 10)).toBe(4);
    expect(d.estNeed).toBe(3);
    expect(d.maxUsed).toBe(0);
  });

  it('closes nothing within the need', () => {
    const d = demand(2, 4, 4);
    expect(purgeCount(d, 2)).toBe(0);
    expect(d.estNeed).toBe(4);
  });
});

describe('descriptor marks from the global section', () => {
  it('are 20% and 25% of the sockets maxconn allows, or the tune ratios', () => {
    const fds = (text: string) => globalSettings(checkSources([{ path: 'g.cfg', text }], {}).model).idleFds;
    // maxsock = 10 + 2 × 1000 + 3 = 2013
    expect(fds('global\n  maxconn 1000\n')).toEqual({ low: 403, high: 504 });
    expect(fds('global\n  maxconn 1000\n  tune.pool-low-fd-ratio 10\n  tune.pool-high-fd-ratio 50\n')).toEqual({ low: 202, high: 1007 });
  });
});

describe('the pool under the rules', () => {
  let origin: Origin | undefined;
  let up: PooledUpstreams | undefined;
  afterEach(async () => {
    up?.close();
    await origin?.close();
    up = origin = undefined;
  });

  const config = (port: number): string => ['defaults', '  mode http', '  timeout connect 500ms', 'backend be', `  server s1 127.0.0.1:${port}`, ''].join('\n');
  const connect = (u: PooledUpstreams): Promise<UpstreamConnection> =>
    new Promise((resolve, reject) => u.connect('be', 's1', () => undefined, (err, conn) => (err ? reject(new Error(err.message)) : resolve(conn!)), { fresh: true }));

  it('keeps as many idle as were used at once', async () => {
    origin = await startOrigin(() => 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    const { pipeline, runtime } = pipelineOf(config(origin.port));
    up = createUpstreams(pipeline, runtime);
    const conns = await Promise.all([connect(up), connect(up), connect(up)]);
    for (const c of conns) up.release(c, true);
    expect(up.idle('be', 's1')).toBe(3);
  });

  it('keeps none once the process holds more sockets than the high mark', async () => {
    origin = await startOrigin(() => 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    const { pipeline, runtime } = pipelineOf(config(origin.port));
    up = createUpstreams(pipeline, runtime, { idleFds: { low: 0, high: 0 } });
    const c = await connect(up);
    up.release(c, true);
    expect(up.idle('be', 's1')).toBe(0);
    expect(c.socket.destroyed).toBe(true);
  });

  it('keeps only one past the low mark', async () => {
    origin = await startOrigin(() => 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    const { pipeline, runtime } = pipelineOf(config(origin.port));
    up = createUpstreams(pipeline, runtime, { idleFds: { low: 0, high: 1000 } });
    const conns = await Promise.all([connect(up), connect(up)]);
    for (const c of conns) up.release(c, true);
    expect(up.idle('be', 's1')).toBe(1);
  });
});
